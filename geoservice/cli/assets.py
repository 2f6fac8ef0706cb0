"""``geoservice assets install | check``: the pinned npm packages of the map pages."""

from __future__ import annotations

from typing import Annotated

import typer

from geoservice.cli.common import console, fail
from geoservice.settings import Settings

app = typer.Typer(help="Leaflet plugins the map pages serve.", no_args_is_help=True)


@app.command("install")
def assets_install(quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False) -> None:
    """Fetch the pinned npm packages that are missing, verify their hashes, unpack them."""
    from geoservice import assets

    settings = Settings()
    try:
        done = assets.install(settings.assets_dir)
    except assets.AssetError as exc:
        raise fail(str(exc)) from exc
    for package in done:
        console.print(f"installed {package.name}@{package.version}")
    if not done and not quiet:
        console.print(f"all map assets are installed in {settings.assets_dir}")


@app.command("check")
def assets_check() -> None:
    """Exit 1 when a pinned package is missing (the map pages would lack it)."""
    from geoservice import assets

    missing = assets.missing(Settings().assets_dir)
    if missing:
        names = ", ".join(f"{p.name}@{p.version}" for p in missing)
        raise fail(f"missing: {names}; run `geoservice assets install`")
    console.print("all map assets are installed")
