"""Cached tiles for anonymous requests, answered before routing (plain ASGI).

A cached tile needs no database, no dependency injection and no thread: this middleware looks
the tile up and answers, or hands the request on to the tile routes, which build the tile and
fill the cache. Requests that carry credentials always go to the routes, which decide what the
caller may see.
"""

from __future__ import annotations

import re
from typing import Any

from geoservice.services.tile_cache import COMPOSITE, CachedTile, TileCache

MVT = "application/vnd.mapbox-vector-tile"
CACHE_CONTROL_PUBLIC = "public, no-cache"
#: The session cookie of the web pages (issue 4); a request carrying it is not anonymous.
SESSION_COOKIE = b"geoservice_session="
_TILE_PATH = re.compile(
    r"^/(?:collections/([a-z][a-z0-9_]*)/)?tiles/WebMercatorQuad/(\d+)/(\d+)/(\d+)$"
)


def tile_headers(tile: CachedTile, cache_control: str, hit: bool) -> dict[str, str]:
    """Response headers of a tile; ``X-Cache`` tells whether it came from the cache."""
    return {
        "content-type": MVT,
        "etag": tile.etag,
        "cache-control": cache_control,
        "x-cache": "HIT" if hit else "MISS",
        "access-control-allow-origin": "*",
    }


class CachedTiles:
    """ASGI middleware answering anonymous GET/HEAD requests of cached tiles."""

    def __init__(self, app: Any, cache: TileCache):
        self.app = app
        self.cache = cache

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Answer from the cache, or pass the request on."""
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
                collection, z, x, y = match.groups()
                key = (collection or COMPOSITE, int(z), int(x), int(y), False)
                tile = self.cache.get(key)
                if tile is not None:
                    await _send(scope, send, tile, headers.get(b"if-none-match"))
                    return
        await self.app(scope, receive, send)


async def _send(
    scope: dict[str, Any], send: Any, tile: CachedTile, if_none_match: bytes | None
) -> None:
    headers = tile_headers(tile, CACHE_CONTROL_PUBLIC, hit=True)
    not_modified = if_none_match is not None and if_none_match.decode("latin-1") == tile.etag
    if not_modified:
        del headers["content-type"]
        status, body = 304, b""
    else:
        status, body = 200, tile.content
        headers["content-length"] = str(len(body))
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        }
    )
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
