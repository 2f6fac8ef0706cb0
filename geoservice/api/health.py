"""``/health``: is the database reachable, and which PostgreSQL and PostGIS it runs.

It answers within a second under any load: it skips the admission queue and uses a
connection of its own (``app.state.health_pool``, asyncpg, in the event loop), so it never
waits for a worker thread or for the pool the pages use."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from geoservice.db.read_pool import PoolClosed
from geoservice.deps import connect
from geoservice.errors import database_unavailable
from geoservice.services.health import database_versions, database_versions_async

router = APIRouter(tags=["service"])
_DOWN = (asyncpg.PostgresError, asyncpg.InterfaceError, PoolClosed, OSError, TimeoutError)


@router.get("/health", summary="Service and database health")
async def health(request: Request) -> dict[str, Any]:
    """200 with versions; 503 problem JSON when the database is down."""
    state = request.app.state
    pool = getattr(state, "health_pool", None)
    if pool is None or getattr(state, "tile_pool_loop", None) is not asyncio.get_running_loop():
        # an app without its lifespan's event loop (test clients): the pool of the routes
        return await run_in_threadpool(_health_sync, state.engine)
    try:
        async with pool.connection() as conn:
            versions = await database_versions_async(conn)
    except (
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
        PoolClosed,
        OSError,
        TimeoutError,
    ) as exc:
        raise database_unavailable(exc) from exc
    return {"status": "ok", "database": versions}


def _health_sync(engine: Any) -> dict[str, Any]:
    with connect(engine) as conn:
        return {"status": "ok", "database": database_versions(conn)}
