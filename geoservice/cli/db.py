"""``geoservice db start | stop | status | url | generalize`` and ``geoservice migrate``."""

from __future__ import annotations

from typing import Annotated

import typer

from geoservice.cli.common import (
    console,
    embedded_cluster,
    ensure_database,
    fail,
    migrated_engine,
    out,
)
from geoservice.settings import Settings

app = typer.Typer(help="The embedded PostgreSQL + PostGIS cluster.", no_args_is_help=True)


@app.command("start")
def db_start() -> None:
    """Create (first time) and start the embedded cluster."""
    settings = Settings()
    if not settings.embedded:
        raise fail("GEOSERVICE_DATABASE_URL is set: there is no embedded cluster to start")
    ensure_database(settings)
    console.print(f"PostgreSQL is running on 127.0.0.1:{settings.pg_port}")


@app.command("stop")
def db_stop(quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False) -> None:
    """Stop the embedded cluster."""
    settings = Settings()
    if settings.embedded:
        embedded_cluster(settings).stop()
        if not quiet:
            console.print("PostgreSQL stopped")


@app.command("status")
def db_status(quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False) -> None:
    """Exit 0 when the embedded cluster is running, 1 when not."""
    settings = Settings()
    running = embedded_cluster(settings).running() if settings.embedded else True
    if not quiet:
        console.print("running" if running else "stopped")
    raise typer.Exit(0 if running else 1)


@app.command("url")
def db_url() -> None:
    """Print the SQLAlchemy URL of the configured database (with its password)."""
    from geoservice.cluster import database_url

    out.print(database_url(Settings()), highlight=False, soft_wrap=True)


@app.command("generalize")
def db_generalize() -> None:
    """Recompute the tile geometry of every area (the boundary import keeps it up to date)."""
    from geoservice.services.tile_cache import notify_boundaries_changed
    from geoservice.services.tiles import generalize

    engine = migrated_engine(Settings())
    with engine.begin() as conn:
        rows = generalize(conn)
        notify_boundaries_changed(conn)
    console.print(f"{rows:,} tile geometries written")


def migrate() -> None:
    """Apply the alembic migrations (starting the embedded cluster if needed)."""
    from geoservice.db.migrations import current_revision

    engine = migrated_engine(Settings())
    console.print(f"database at revision {current_revision(engine)}")
