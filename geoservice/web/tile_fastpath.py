"""Anonymous tile requests answered before routing (plain ASGI), from the cache or built on an
asyncpg connection of a lean pool (``geoservice.db.read_pool``).

Tiles are the hottest path of a map: a cached tile needs no database, no dependency injection
and no worker thread, and an uncached one needs one query on an asyncpg connection, not a
pooled SQLAlchemy connection in a thread. This middleware answers GET/HEAD of
``/collections/{id}/tiles/WebMercatorQuad/{z}/{x}/{y}`` and ``/tiles/WebMercatorQuad/{z}/{x}/{y}``
when the request is anonymous and has no query string. Everything else, and every request it
cannot answer (an unknown collection, a bad address, a database error), goes on to the FastAPI
routes, which give the same tiles (or the problem JSON) through the documented API. Both use
the SQL of ``services.tiles``.

asyncpg, not psycopg, because a tile's query costs it about half the CPU in this process (50
against 110 microseconds on this project's 2-core machine, measured from /proc under the load
of ``scripts/bench_api_national``): a fifth less CPU per small z14 tile for the process. The
pool is not ``asyncpg.Pool``, whose bookkeeping per use cost as much CPU again (see there).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import asyncpg

from geoservice import deps
from geoservice.db.read_pool import PoolClosed
from geoservice.errors import ServiceError
from geoservice.services import tiles
from geoservice.services.tile_cache import COMPOSITE, CachedTile, TileCache
from geoservice.services.viewer import Viewer
from geoservice.web.conditional import etag_matches
from geoservice.web.read_routing import Routing

CACHE_CONTROL_PUBLIC = "public, no-cache"
#: A request carrying the web pages' session cookie is not anonymous.
SESSION_COOKIE = (deps.SESSION_COOKIE + "=").encode()
_TILE_PATH = re.compile(
    r"^/(?:collections/([a-z][a-z0-9_]*)/)?tiles/WebMercatorQuad/([0-9]{1,2})/([0-9]{1,7})/([0-9]{1,7})(?:\.mvt|\.pbf)?$"
)
_ANONYMOUS = Viewer()


def tile_response(
    tile: CachedTile, hit: bool, private: bool, if_none_match: str | None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a tile response (the fast path's and the routes'): 304
    when the client's ETag is current. ``X-Cache`` tells whether it came from the cache."""
    headers = {
        "content-type": tiles.MVT,
        "etag": tile.etag,
        "cache-control": "private, no-cache" if private else CACHE_CONTROL_PUBLIC,
        "x-cache": "HIT" if hit else "MISS",
    }
    if etag_matches(if_none_match, tile.etag):
        del headers["content-type"]
        return 304, headers, b""
    if not tile.content:  # nothing there: 204, which QGIS and MapLibre take as an empty tile
        del headers["content-type"]
        return 204, headers, b""
    headers["content-length"] = str(len(tile.content))
    return 200, headers, tile.content


class TileFastPath:
    """ASGI middleware answering anonymous GET/HEAD tile requests (see the module)."""

    def __init__(self, app: Any, cache: TileCache):
        self.app = app
        self.cache = cache

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Answer from the cache or the pool, or pass the request on."""
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and not scope.get("query_string")
            and (match := _TILE_PATH.match(scope["path"])) is not None
        ):
            headers = dict(scope["headers"])
            if b"authorization" not in headers and SESSION_COOKIE not in headers.get(
                b"cookie", b""
            ):
                collection_id, z, x, y = match.groups()
                key = (collection_id or COMPOSITE, int(z), int(x), int(y), False)
                tile = self.cache.get(key)
                hit = tile is not None
                if tile is None:
                    tile = await self.build(scope["app"].state, key, scope)
                if tile is not None:
                    etag = headers.get(b"if-none-match")
                    await _send(scope, send, tile, hit, etag.decode("latin-1") if etag else None)
                    return
        await self.app(scope, receive, send)

    async def build(
        self, state: Any, key: tuple[str, int, int, int, bool], scope: dict[str, Any] | None = None
    ) -> CachedTile | None:
        """Build and cache the tile (on the server the request was routed to, see
        ``web.read_routing``); None when the routes should answer instead."""
        collection_id, z, x, y, _ = key
        routing: Routing | None = (scope or {}).get("state", {}).get("routing")
        pool = getattr(state, "tile_pool", None)
        if routing is not None and pool is not None:
            pool = routing.server.tile_pool
        if pool is None or getattr(state, "tile_pool_loop", None) is not asyncio.get_running_loop():
            return None  # no pool, or one of another event loop (test clients): the routes
        try:
            wanted = None if collection_id == COMPOSITE else collection_id
            files = getattr(state, "catalog_files", None)
            catalog = files.current() if files is not None else state.catalog
            members = tiles.members(catalog, wanted, z, x, y)
        except ServiceError:
            return None  # the route answers with the problem JSON
        generation = self.cache.generation
        replayed = routing.replayed if routing is not None else None
        try:
            async with pool.connection() as conn:
                content = await tiles.tile_async(conn, members, z, x, y, _ANONYMOUS)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, PoolClosed, OSError, TimeoutError):
            return None  # the route reports the database problem (503) or falls back
        if routing is not None:
            routing.used = routing.server
        tile = CachedTile(content, tiles.etag(content))
        self.cache.put(key, tile, generation, replayed)
        return tile


def _encode(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.encode(), v.encode()) for k, v in headers.items()]


async def _send(
    scope: dict[str, Any], send: Any, tile: CachedTile, hit: bool, if_none_match: str | None
) -> None:
    if hit and tile.raw_headers is not None and not etag_matches(if_none_match, tile.etag):
        # the most frequent answer of all: its headers were encoded at the first hit
        status, raw, body = 200, tile.raw_headers, tile.content
    else:
        status, headers, body = tile_response(tile, hit, False, if_none_match)
        raw = _encode(headers)
        if hit and status == 200:
            tile.raw_headers = raw
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
