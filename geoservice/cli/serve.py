"""``geoservice serve``: the database, its migrations, the demo when empty, and uvicorn."""

from __future__ import annotations

import signal
import socket
from types import FrameType
from typing import Annotated, Any

import typer

from geoservice.cli.common import (
    console,
    embedded_cluster,
    ensure_database,
    fail,
    load_layers,
    open_engine,
    refuse_newer,
)
from geoservice.settings import Settings


def _exit_on_signal(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def serve(
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Service processes (default: GEOSERVICE_WORKERS, 1).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start the cluster (embedded default), migrate, load the demo when empty, and serve."""
    import uvicorn

    from geoservice.app import UVICORN_LOOP
    from geoservice.db.migrations import upgrade
    from geoservice.demo import load_demo

    settings = Settings()
    catalog = load_layers(settings)
    started = ensure_database(settings)
    # A SIGTERM (systemd, docker stop, timeout) ends the service as Ctrl-C does, through the
    # `finally` below, which stops the cluster this process started. While uvicorn serves, it
    # finishes the requests in flight first and then raises the signal again, to this handler.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        engine = open_engine(settings)
        refuse_newer(engine)
        upgrade(engine)
        if settings.load_demo:
            summary = load_demo(engine, catalog, only_if_empty=True, settings=settings)
            console.print(summary.describe())
            if settings.development:
                from geoservice.demo import DEMO_PASSWORD, DEMO_USERS, load_demo_users

                load_demo_users(engine)
                names = ", ".join(u.username for u in DEMO_USERS)
                console.print(
                    f"demo accounts (development only): {names}; password {DEMO_PASSWORD}"
                )
        processes = workers or settings.workers
        check_connections(settings, engine, processes)
        engine.dispose()
        console.print(
            f"geoservice on [bold]http://{settings.host}:{settings.port}[/] (Ctrl-C stops it)"
        )
        if reload or processes == 1:
            uvicorn.run(
                "geoservice.app:create_app",
                factory=True,
                host=settings.host,
                port=settings.port,
                reload=reload,
                log_level="info",
                loop=UVICORN_LOOP,
            )
        else:
            run_workers(settings.host, settings.port, processes)
    finally:
        # Stop the cluster only if this process started it (another may be using it).
        if started:
            embedded_cluster(settings).stop()
            console.print("PostgreSQL stopped")


def check_connections(settings: Settings, engine: Any, workers: int) -> None:
    """Refuse to start when ``workers`` processes' pools would not fit in the primary's or
    a standby's ``max_connections`` (a pool that cannot connect only fails under load)."""
    from sqlalchemy.exc import OperationalError

    from geoservice.db.servers import connection_budget
    from geoservice.db.session import make_engine
    from geoservice.i18n import t

    lang = settings.language
    servers = [("primary", engine, False)]
    for number, url in enumerate(settings.replicas, start=1):
        servers.append((f"replica-{number}", make_engine(url), True))
    for name, server, own in servers:
        try:
            budget = connection_budget(server, name, workers, settings.max_active_requests)
        except OperationalError:
            continue  # a standby that is down is checked by the monitor, not here
        finally:
            if own:
                server.dispose()
        if not budget.fits:
            message = t("replicas.too_many_connections", lang, **budget.message_params())
            raise fail(message, lang=lang)
        if workers > 1 or settings.replicas:
            console.print(t("replicas.connections_ok", lang, **budget.message_params()))


def tcp_socket(host: str, port: int) -> socket.socket:
    """The workers' listening socket, created as a TCP socket (``IPPROTO_TCP``) so that
    asyncio sets ``TCP_NODELAY`` on every connection it accepts. uvicorn's own
    (``socket.socket(family)``, protocol 0) makes asyncio skip it: a response's head and body,
    written apart, then wait for the client's delayed ACK, and two workers served a third as
    many requests as one (``scripts/bench_replicas``: 160 against 570 /conformance per s)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def run_workers(host: str, port: int, workers: int, access_log: bool = True) -> None:
    """``workers`` uvicorn processes of the app on one socket (see :func:`tcp_socket`)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from geoservice.app import UVICORN_LOOP

    config = uvicorn.Config(
        "geoservice.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info" if access_log else "warning",
        access_log=access_log,
        loop=UVICORN_LOOP,
    )
    Multiprocess(config, sockets=[tcp_socket(host, port)]).run()
