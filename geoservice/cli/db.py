"""``geoservice db start | stop | status | url | generalize`` and ``geoservice migrate``."""

from __future__ import annotations

from typing import Annotated, Any

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
replica_app = typer.Typer(
    help="A local hot standby of the embedded cluster (pg_basebackup -R, its own port).",
    no_args_is_help=True,
)
app.add_typer(replica_app, name="replica")
PortOption = Annotated[
    int | None,
    typer.Option(help="The standby's port (default: GEOSERVICE_PG_PORT + 10).", show_default=False),
]


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


def _standby(port: int | None, delay: str = "0") -> Any:
    from geoservice.cluster import ClusterError, StandbyCluster
    from geoservice.i18n import t

    settings = Settings()
    if not settings.embedded:
        raise fail(t("replicas.not_embedded", settings.language))
    try:
        return StandbyCluster.of(embedded_cluster(settings), port or settings.pg_port + 10, delay)
    except ClusterError as exc:
        raise fail(str(exc)) from exc


@replica_app.command("start")
def replica_start(
    port: PortOption = None,
    delay: Annotated[
        str,
        typer.Option(help="recovery_min_apply_delay: apply each commit this late (e.g. 3s)."),
    ] = "0",
) -> None:
    """Create (first time, from the running primary) and start the hot standby."""
    from geoservice.cluster import ClusterError
    from geoservice.i18n import t

    standby = _standby(port, delay)
    lang = Settings().language
    try:
        ensure_database(Settings())
        started = standby.start()
    except ClusterError as exc:
        raise fail(str(exc)) from exc
    if not started:
        console.print(t("replicas.standby_running", lang, port=standby.port))
    url = standby.url().replace("postgresql+psycopg", "postgresql")
    masked = url.replace(f":{standby.password()}@", ":***@")
    console.print(
        t("replicas.standby_started", lang, port=standby.port, path=standby.pgdata, url=masked),
        highlight=False,
        soft_wrap=True,
    )


@replica_app.command("stop")
def replica_stop(
    port: PortOption = None,
    remove: Annotated[bool, typer.Option(help="Also delete the standby's copy.")] = False,
) -> None:
    """Stop the hot standby."""
    from geoservice.i18n import t

    standby = _standby(port)
    if remove:
        standby.remove()
    else:
        standby.stop()
    console.print(t("replicas.standby_stopped", Settings().language, port=standby.port))


@replica_app.command("status")
def replica_status(port: PortOption = None) -> None:
    """Exit 0 when the hot standby runs (with how far it has replayed), 1 when not."""
    import psycopg

    from geoservice.i18n import t

    standby = _standby(port)
    if not standby.running():
        console.print("stopped")
        raise typer.Exit(1)
    replayed = primary = "?"
    try:
        with psycopg.connect(_libpq(standby.url()), connect_timeout=3) as conn:
            row = conn.execute("SELECT pg_last_wal_replay_lsn()::text").fetchone()
            replayed = str(row[0]) if row else "?"
        with psycopg.connect(_libpq(standby.primary.url()), connect_timeout=3) as conn:
            row = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()
            primary = str(row[0]) if row else "?"
    except psycopg.OperationalError:
        pass
    message = t(
        "replicas.standby_status",
        Settings().language,
        port=standby.port,
        state="running",
        replayed=replayed,
        primary=primary,
    )
    console.print(message, highlight=False)


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg", "postgresql")
