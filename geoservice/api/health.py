"""``/health``: is the database reachable, and which PostgreSQL and PostGIS it runs.

It answers within a second under any load: it skips the admission queue and uses a
connection of its own (``app.state.health_pool``, asyncpg, in the event loop), so it never
waits for a worker thread or for the pool the pages use."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from geoservice.db.servers import UNAVAILABLE, Servers
from geoservice.deps import connect
from geoservice.errors import database_unavailable
from geoservice.services.health import database_versions, database_versions_async

router = APIRouter(tags=["service"])


@router.get("/health", summary="Service and database health")
async def health(request: Request) -> dict[str, Any]:
    """200 with versions (and, with standbys, every server's role, state and lag; status
    ``degraded`` while only standbys answer); 503 problem JSON when no database answers."""
    state = request.app.state
    pool = getattr(state, "health_pool", None)
    if pool is None or getattr(state, "tile_pool_loop", None) is not asyncio.get_running_loop():
        # an app without its lifespan's event loop (test clients): the pool of the routes
        return await run_in_threadpool(_health_sync, state.engine)
    servers: Servers | None = getattr(state, "servers", None)
    status = "ok"
    try:
        async with pool.connection() as conn:
            versions = await database_versions_async(conn)
    except UNAVAILABLE as exc:
        # the primary is down: reads go on while a standby answers (writes get 503)
        replicas = [s for s in servers.replicas if servers.healthy(s)] if servers else []
        standby = replicas[0] if replicas else None
        if standby is None:
            raise database_unavailable(exc) from exc
        try:
            async with standby.check_pool.connection() as conn:
                versions = await database_versions_async(conn)
        except UNAVAILABLE:
            raise database_unavailable(exc) from exc
        status = "degraded"
    body: dict[str, Any] = {"status": status, "database": versions}
    if servers is not None and servers.replicas:
        body["servers"] = [server.describe() for server in servers.all]
    return body


def _health_sync(engine: Any) -> dict[str, Any]:
    with connect(engine) as conn:
        return {"status": "ok", "database": database_versions(conn)}
