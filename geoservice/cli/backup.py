"""``geoservice backup`` and ``geoservice restore``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geoservice.cli.common import LangOption, console, ensure_database, fail, open_engine, out
from geoservice.settings import Settings


def backup_cmd(
    file: Annotated[Path, typer.Argument(help="The backup file to write (a tar file).")],
    lang: LangOption = "id",
) -> None:
    """Back up the database (pg_dump -Fc), the layer and indicator YAML and a note of the
    settings that must match, into one file."""
    from geoservice.i18n import t
    from geoservice.services.backup import BackupError, backup, describe

    settings = Settings()
    ensure_database(settings)
    try:
        manifest = backup(open_engine(settings), settings, file)
    except BackupError as exc:
        raise fail(str(exc)) from exc
    out.print(
        t("cli.backup_done", lang, file=file, what=describe(manifest["counts"]),
          revision=manifest["revision"], size=f"{file.stat().st_size / 1e6:.1f}"),
        highlight=False, soft_wrap=True,
    )  # fmt: skip
    out.print(t("cli.backup_secret", lang), highlight=False, soft_wrap=True)


def restore_cmd(
    file: Annotated[Path, typer.Argument(help="A file written by `geoservice backup`.")],
    layers_dir: Annotated[
        Path | None,
        typer.Option("--layers-dir", help="Also write the backup's layer and indicator YAML here."),
    ] = None,
    lang: LangOption = "id",
) -> None:
    """Replace the database's content with a backup's (one transaction; stop the service
    first)."""
    from geoservice.i18n import t
    from geoservice.services.backup import BackupError, describe, restore

    settings = Settings()
    ensure_database(settings)
    try:
        result = restore(open_engine(settings), settings, file, layers_dir)
    except BackupError as exc:
        raise fail(str(exc)) from exc
    manifest = result.manifest
    out.print(
        t("cli.restore_done", lang, file=file, created=manifest["created"],
          what=describe(result.after), before=describe(result.before)),
        highlight=False, soft_wrap=True,
    )  # fmt: skip
    for warning in result.warnings:
        console.print(f"[bold yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
