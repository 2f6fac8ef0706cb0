"""What every command group shares: the two consoles, the exit with a message, the database
(the embedded cluster started when it is the configured one, migrations applied) and the layer
catalog."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from geoservice.settings import Settings

#: messages and progress (standard error); results go to ``out`` (standard output)
console = Console(stderr=True)
out = Console()

LangOption = Annotated[str, typer.Option("--lang", help="Language of messages: id or en.")]


def fail(message: str, code: int = 1, lang: str = "en") -> typer.Exit:
    """Print ``error: message`` (``kesalahan:`` in Indonesian) and return the exit to raise."""
    label = "kesalahan" if lang == "id" else "error"
    console.print(f"[bold red]{label}:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def embedded_cluster(settings: Settings) -> Any:
    """The embedded cluster the settings describe (whether or not it is the one in use)."""
    from geoservice.cluster import EmbeddedCluster

    return EmbeddedCluster.from_settings(settings)


def ensure_database(settings: Settings) -> bool:
    """Start the embedded cluster when it is the configured database; True if we started it."""
    if not settings.embedded:
        return False
    from geoservice.cluster import ClusterError

    try:
        started = bool(embedded_cluster(settings).start())
    except ClusterError as exc:
        raise fail(str(exc)) from exc
    if started:
        console.print(f"PostgreSQL started (data in {settings.data_dir / 'pg'})")
    return started


def open_engine(settings: Settings) -> Any:
    """An engine for the configured database (not started, not migrated)."""
    from geoservice.db.session import make_engine

    return make_engine(settings)


def migrated_engine(settings: Settings) -> Any:
    """Start the database if it is the embedded one, apply migrations, return an engine."""
    from geoservice.db.migrations import upgrade

    ensure_database(settings)
    engine = open_engine(settings)
    refuse_newer(engine)
    upgrade(engine)
    return engine


def refuse_newer(engine: Any) -> None:
    """Exit 1 when the database was migrated by a newer geoservice (e.g. a restored backup)."""
    from geoservice.db.migrations import DatabaseTooNew, refuse_newer_database

    try:
        refuse_newer_database(engine)
    except DatabaseTooNew as exc:
        raise fail(str(exc)) from exc


def load_layers(settings: Settings) -> Any:
    """The layer catalog, or exit 1 with the precise errors."""
    from geoservice.catalog import CatalogError, load_catalog

    try:
        return load_catalog(settings.layers_dir)
    except CatalogError as exc:
        raise fail(str(exc)) from exc


def argv_lang() -> str:
    """The ``--lang`` of the command line (``id`` without one)."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1] == "en" else "id"
        if arg.startswith("--lang="):
            return "en" if arg.endswith("=en") else "id"
    return "id"


def database_went_away(exc: BaseException) -> bool:
    """True for the errors of a database that cannot be reached or dropped the connection."""
    import psycopg
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, OperationalError | psycopg.OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def progress_bar(
    describe: Callable[[str], str] = str,
) -> tuple[Progress, Callable[[str, int, int], None]]:
    """A progress bar on stderr and the ``(stage, done, total)`` callback the imports report
    to; ``describe`` turns a stage into the text shown (a message key into words)."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = progress.add_task("", total=1)

    def update(stage: str, done: int, total: int) -> None:
        progress.update(task, description=describe(stage), completed=done, total=max(total, 1))

    return progress, update
