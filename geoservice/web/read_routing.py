"""Which database server answers a request (plain ASGI, outside the tile fast path).

Every request is given a :class:`Routing` in its scope's state (``request.state.routing``):
the primary for anything but GET/HEAD/OPTIONS, otherwise the server
:meth:`geoservice.db.servers.Servers.for_read` picks. Read-your-writes: a successful
change's response sets the cookie ``geoservice_lsn`` to the primary's WAL position after
it (``pg_current_wal_lsn()``, taken once the route committed); while a browser sends it
back, its reads go to a standby only once that standby has replayed that far, else to the
primary. So a PIC sees their own edit at once, and everybody else sees it once the standby
has it. The cookie is only set when there are standbys; it holds no secret (a forged value
only sends its bearer's reads to the primary) and expires after the longest lag a standby
may have and still serve.

The response names the server that answered from the database in ``X-Geoservice-Server``
(``primary``, ``replica-1``, ...; none for answers from the tile cache).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

from geoservice.db.servers import UNAVAILABLE, Server, Servers, parse_lsn

log = logging.getLogger("geoservice.servers")

LSN_COOKIE = "geoservice_lsn"
SERVER_HEADER = b"x-geoservice-server"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_COOKIE_PREFIX = (LSN_COOKIE + "=").encode()


@dataclass(eq=False)
class Routing:
    """The server chosen for a request, and the one that answered (after a fallback)."""

    server: Server
    servers: Servers
    used: Server | None = None

    @property
    def replayed(self) -> int | None:
        """For the tile cache: the WAL position the answering standby had replayed before
        the read began (None on the primary, whose reads are never stale)."""
        server = self.used or self.server
        return (server.lsn or 0) if server.is_replica else None


def request_lsn(headers: list[tuple[bytes, bytes]]) -> int | None:
    """The read-your-writes LSN of a request's cookie, if any."""
    for name, value in headers:
        if name == b"cookie":
            for part in value.split(b";"):
                part = part.strip()
                if part.startswith(_COOKIE_PREFIX):
                    return parse_lsn(part[len(_COOKIE_PREFIX) :].decode("latin-1"))
    return None


class ReadRouting:
    """ASGI middleware: picks the server and reports it (see the module)."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Route the request, then add the server header (and the LSN cookie after a write)."""
        servers: Servers | None = getattr(scope["app"].state, "servers", None)
        if scope["type"] != "http" or servers is None:
            await self.app(scope, receive, send)
            return
        write = scope["method"] not in READ_METHODS
        if write:
            routing = Routing(servers.primary, servers, used=servers.primary)
        else:
            routing = Routing(servers.for_read(request_lsn(scope["headers"])), servers)
        scope.setdefault("state", {})["routing"] = routing
        secure = scope.get("scheme") == "https"

        async def reporting(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                if routing.used is not None:
                    headers.append((SERVER_HEADER, routing.used.name.encode()))
                if write and message["status"] < 400 and servers.replicas:
                    cookie = await _lsn_cookie(servers, secure)
                    if cookie is not None:
                        headers.append((b"set-cookie", cookie))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, reporting)


async def _lsn_cookie(servers: Servers, secure: bool) -> bytes | None:
    """``Set-Cookie`` with the primary's WAL position now (None if it cannot tell)."""
    try:
        async with servers.primary.check_pool.connection() as conn:
            lsn = await conn.fetchval("SELECT pg_current_wal_lsn()::text")
    except UNAVAILABLE as exc:
        log.warning("no WAL position after a write: %s", exc)
        return None
    if parse_lsn(lsn) is None:
        return None
    max_age = math.ceil(servers.max_lag_s) + 60
    cookie = f"{LSN_COOKIE}={lsn}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax"
    return (cookie + ("; Secure" if secure else "")).encode()
