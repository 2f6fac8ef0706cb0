"""The database servers a process reads from and writes to: the primary and its hot standbys.

Replication is PostgreSQL's own (streaming WAL to hot standbys, ``geoservice db replica``);
this module only decides, per request, which server answers it:

* writes, and every request that is not a plain read, go to the primary;
* a read goes to a healthy standby, in turn, when there is one, and otherwise to the primary;
* a read that carries a write's LSN (read-your-writes, see ``web.read_routing``) goes to a
  standby only once that standby has replayed the WAL up to that LSN.

A monitor task per process asks every server twice a second where it is: the primary its
``pg_current_wal_lsn()``, each standby its ``pg_last_wal_replay_lsn()``. A standby's lag is
the age of the oldest primary position it has not replayed yet (zero when it has replayed
everything the primary had written at the last check), so it is measured in seconds of the
primary's history, whether the primary is busy or idle. A standby that does not answer, or
lags more than ``GEOSERVICE_REPLICA_MAX_LAG_S``, serves nothing until it is back; while the
primary itself does not answer, the standbys keep serving reads (writes get a 503).

The replay LSN a standby reported is a lower bound of where it is now (replay only moves
forward), so "replayed LSN ≥ x" read from the monitor stays true until the next check.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import asyncpg
from sqlalchemy import Engine, func, select

from geoservice.db.read_pool import PoolClosed, ReadPool

if TYPE_CHECKING:
    from geoservice.settings import Settings

log = logging.getLogger("geoservice.servers")

#: the monitor's connections, as ``pg_stat_activity`` names them
CHECK_POOL_NAME = "geoservice-monitor"
#: seconds between two checks of every server
CHECK_SECONDS = 0.5
#: connections each process opens to every server besides the SQLAlchemy pool: the tile
#: fast path's pool, the monitor's and /health's connection, and the tile cache listener's
TILE_POOL_SIZE = 8
OTHER_CONNECTIONS = 3
#: what asyncpg raises when a server cannot answer
UNAVAILABLE = (asyncpg.PostgresError, asyncpg.InterfaceError, PoolClosed, OSError, TimeoutError)


def parse_lsn(text: str | None) -> int | None:
    """``'16/B374D848'`` as a number (None for None or anything else)."""
    if not text:
        return None
    high, sep, low = text.strip().partition("/")
    try:
        return (int(high, 16) << 32) | int(low, 16) if sep else None
    except ValueError:
        return None


def format_lsn(lsn: int) -> str:
    """A number as PostgreSQL writes an LSN."""
    return f"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}"


def connections_per_process(max_active_requests: int) -> int:
    """The most connections one service process opens to one server (see ``app.lifespan``:
    the SQLAlchemy pool of ``slots`` plus ``slots + 4`` overflow, and the others above)."""
    return 2 * max_active_requests + 4 + TILE_POOL_SIZE + OTHER_CONNECTIONS


@dataclass(eq=False)
class Server:
    """One PostgreSQL server: its pools and what the monitor last learnt of it."""

    name: str
    role: Literal["primary", "replica"]
    engine: Engine
    tile_pool: ReadPool
    check_pool: ReadPool
    #: answered the last check (a standby counts as down until its first answer)
    up: bool = False
    #: primary: its WAL write position; standby: the WAL position it has replayed
    lsn: int | None = None
    #: standby: seconds behind the primary (None: unknown, e.g. the primary is down)
    lag_s: float | None = None
    checked_at: float | None = field(default=None, repr=False)

    @property
    def is_replica(self) -> bool:
        """True for a standby."""
        return self.role == "replica"

    def describe(self) -> dict[str, Any]:
        """What /health tells of this server."""
        return {
            "name": self.name,
            "role": self.role,
            "status": "ok" if self.up else "unavailable",
            "lsn": format_lsn(self.lsn) if self.lsn is not None else None,
            "lag_seconds": round(self.lag_s, 3) if self.lag_s is not None else None,
        }


class Servers:
    """The primary and the standbys of one process, and the monitor that watches them."""

    def __init__(self, primary: Server, replicas: list[Server], max_lag_s: float):
        self.primary = primary
        self.primary.up = True  # until a check says otherwise: the routes report failures
        self.replicas = replicas
        self.max_lag_s = max_lag_s
        #: (monotonic time, primary LSN) of recent checks, oldest first
        self._history: deque[tuple[float, int]] = deque()
        self._turn = itertools.count()
        self._task: asyncio.Task[None] | None = None

    @property
    def all(self) -> list[Server]:
        """The primary, then the standbys."""
        return [self.primary, *self.replicas]

    def healthy(self, server: Server) -> bool:
        """May ``server`` (a standby) serve reads: it answers, and it is not too far behind
        (or the primary is down, when it is the freshest copy there is)."""
        if not server.up:
            return False
        if not self.primary.up:
            return True
        return server.lag_s is not None and server.lag_s <= self.max_lag_s

    def for_read(self, min_lsn: int | None = None) -> Server:
        """The server a read goes to: a healthy standby that has replayed ``min_lsn`` (in
        turn), else the primary (while it is down: any healthy standby)."""
        ready = [
            s
            for s in self.replicas
            if self.healthy(s) and (min_lsn is None or (s.lsn is not None and s.lsn >= min_lsn))
        ]
        if not ready and not self.primary.up:
            # the primary is down: a standby's answer, older than the caller's own write,
            # is still better than a 503
            ready = [s for s in self.replicas if self.healthy(s)]
        if not ready:
            return self.primary
        return ready[next(self._turn) % len(ready)]

    def mark_down(self, server: Server) -> None:
        """A route could not reach ``server``: no reads go there until it answers a check."""
        if server.is_replica:
            server.up = False

    # -- the monitor ------------------------------------------------------------------------

    async def check(self) -> None:
        """Ask every server once (concurrently) and update what is known of them."""
        await asyncio.gather(self._check_primary(), *(self._check(s) for s in self.replicas))
        now = time.monotonic()
        for server in self.replicas:
            server.lag_s = self._lag(server, now) if server.up and self.primary.up else None

    async def _check_primary(self) -> None:
        server = self.primary
        try:
            async with server.check_pool.connection() as conn:
                lsn = parse_lsn(await conn.fetchval("SELECT pg_current_wal_lsn()::text"))
        except UNAVAILABLE as exc:
            if server.up:
                log.warning("primary database unavailable: %s", exc)
            server.up = False
            return
        if not server.up:
            log.warning("primary database reachable again")
        server.up, server.lsn, server.checked_at = True, lsn, time.monotonic()
        if lsn is not None:
            self._history.append((server.checked_at, lsn))
            horizon = server.checked_at - self.max_lag_s - 10
            while len(self._history) > 2 and self._history[0][0] < horizon:
                self._history.popleft()

    async def _check(self, server: Server) -> None:
        try:
            async with server.check_pool.connection() as conn:
                row = await conn.fetchrow(
                    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text"
                )
        except UNAVAILABLE as exc:
            if server.up:
                log.warning("replica %s unavailable: %s", server.name, exc)
            server.up = False
            return
        if not row[0]:
            # promoted, or not a standby at all: it has its own history now
            log.warning("%s is not a standby (pg_is_in_recovery() is false)", server.name)
            server.up = False
            return
        server.up, server.lsn, server.checked_at = True, parse_lsn(row[1]), time.monotonic()

    def _lag(self, server: Server, now: float) -> float | None:
        """How long ago the primary had written WAL that ``server`` has not replayed yet."""
        if server.lsn is None:
            return None
        for at, lsn in self._history:
            if lsn > server.lsn:
                return now - at
        return 0.0

    async def _run(self) -> None:
        while True:
            try:
                await self.check()
            except Exception:  # the monitor must outlive any surprise
                log.exception("server check failed")
            await asyncio.sleep(CHECK_SECONDS)

    async def start(self) -> None:
        """Check once (so that reads find the healthy standbys at once), then keep checking;
        without standbys there is nothing to choose, and nothing is checked."""
        if not self.replicas:
            return
        await self.check()
        self._task = asyncio.create_task(self._run(), name="database-servers")

    async def close(self) -> None:
        """Stop the monitor and close every pool and engine."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for server in self.all:
            await server.tile_pool.close()
            await server.check_pool.close()
            server.engine.dispose()


def engine_dsn(engine: Engine) -> str:
    """The libpq URL (password included) of ``engine``'s server, for asyncpg and psycopg."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def check_pool(dsn: str) -> ReadPool:
    """The monitor's connection to one server (it also tells the WAL position after writes)."""
    return ReadPool(
        dsn,
        max_size=1,
        acquire_timeout=2,  # its queries take a fraction of a millisecond: never a long wait
        timeout=0.9,
        command_timeout=0.9,
        server_settings={"application_name": CHECK_POOL_NAME},
    )


def open_servers(
    settings: Settings,
    primary_engine: Engine,
    primary_tile_pool: ReadPool,
    engine: Callable[[str], Engine],
    tile_pool: Callable[[str], ReadPool],
) -> Servers:
    """The primary (whose engine and tile pool the app made) and, opened on demand with
    ``engine`` and ``tile_pool``, the standbys of ``GEOSERVICE_REPLICA_URLS``."""
    primary = Server(
        "primary",
        "primary",
        primary_engine,
        primary_tile_pool,
        check_pool(engine_dsn(primary_engine)),
    )
    replicas = []
    for number, url in enumerate(settings.replicas, start=1):
        replica = engine(url)
        dsn = engine_dsn(replica)
        replicas.append(
            Server(f"replica-{number}", "replica", replica, tile_pool(dsn), check_pool(dsn))
        )
    return Servers(primary, replicas, settings.replica_max_lag_s)


@dataclass(frozen=True)
class ConnectionBudget:
    """How many connections ``workers`` service processes may open to one server, against
    how many it accepts."""

    server: str
    workers: int
    each: int
    max_connections: int
    reserved: int

    @property
    def available(self) -> int:
        """Connections the server accepts from ordinary roles."""
        return self.max_connections - self.reserved

    @property
    def needed(self) -> int:
        """The most the service processes open together."""
        return self.workers * self.each

    @property
    def fits(self) -> bool:
        """True when they fit."""
        return self.needed <= self.available

    def message_params(self) -> dict[str, object]:
        """The parameters of the ``replicas.*connections*`` messages."""
        return {
            "server": self.server,
            "workers": self.workers,
            "each": self.each,
            "needed": self.needed,
            "available": self.available,
            "max": self.max_connections,
            "reserved": self.reserved,
        }


def connection_budget(
    engine: Engine, server: str, workers: int, max_active_requests: int
) -> ConnectionBudget:
    """Ask the server of ``engine`` its ``max_connections`` and the connections reserved
    for superusers (and, from PostgreSQL 16, for roles granted ``pg_use_reserved_connections``)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(
                func.current_setting("max_connections"),
                func.current_setting("superuser_reserved_connections"),
                func.current_setting("reserved_connections", True),
            )
        ).one()
    return ConnectionBudget(
        server=server,
        workers=workers,
        each=connections_per_process(max_active_requests),
        max_connections=int(row[0]),
        reserved=int(row[1]) + int(row[2] or 0),
    )
