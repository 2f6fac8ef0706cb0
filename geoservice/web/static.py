"""The pages' scripts, stylesheets and the Leaflet assets, under URLs that carry their version,
so that a browser keeps them for a year and a warm visit makes no round trip for them.

A URL with ``?v=`` names one version for good: the service's own files by a hash of their
content, Leaflet by its XStatic package's version, the npm plugins by their pinned version.
Such an answer is ``Cache-Control: public, max-age=31536000, immutable``; the same file without
``v`` (a link from an old page, Leaflet's CSS asking for its images) is ``no-cache``, so that a
browser checks it with its ETag. A new release changes the URLs, never the content behind one.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

from starlette.staticfiles import StaticFiles
from starlette.types import Scope

#: The service's own static files (scripts, stylesheets, icons).
STATIC_DIR = resources.files("geoservice") / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


@lru_cache(maxsize=256)
def _digest(name: str) -> str:
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]


def own(base: str, name: str) -> str:
    """The versioned URL of ``static/<name>`` of this package, under ``base``."""
    return f"{base}static/geoservice/{name}?v={_digest(name)}"


def leaflet(base: str, name: str) -> str:
    """The versioned URL of a file of XStatic-Leaflet."""
    import xstatic.pkg.leaflet

    return f"{base}static/leaflet/{name}?v={xstatic.pkg.leaflet.VERSION}"


class VersionedStaticFiles(StaticFiles):
    """Static files whose answer to a versioned URL may be kept for a year."""

    async def get_response(self, path: str, scope: Scope) -> Any:
        """The file, with the caching its URL allows."""
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            versioned = b"v=" in scope.get("query_string", b"")
            if versioned:
                response.headers["Cache-Control"] = IMMUTABLE
            elif path.startswith("images/"):
                # Leaflet's stylesheet names its icons without a version: they change only
                # with the pinned package, so a day is safe and spares a round trip per visit
                response.headers["Cache-Control"] = "public, max-age=86400"
            else:
                response.headers["Cache-Control"] = "no-cache"
        return response
