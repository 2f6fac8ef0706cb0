"""CORS on every answer, so that a portal's web map on another origin can read the service.

``GEOSERVICE_CORS_ORIGINS`` is ``*`` (the default: anyone may read, and no browser sends its
cookies along, since ``*`` never comes with ``Access-Control-Allow-Credentials``) or a
comma-separated list of origins, which then get their own origin back and may send
credentials. A preflight (``OPTIONS`` with ``Access-Control-Request-Method``) is answered here
with 204; a plain ``OPTIONS`` (QGIS asking what it may do) goes on to the routes.

Plain ASGI, outermost: it also wraps the tile fast path, which answers before routing.
"""

from __future__ import annotations

from typing import Any

#: Request headers a page on another origin may send (the preflight's answer).
ALLOWED_HEADERS = (
    "Accept, Accept-Language, Authorization, Content-Type, If-Match, If-None-Match, X-CSRF-Token"
)
ALLOWED_METHODS = "GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE"
#: Response headers its scripts may read.
EXPOSED_HEADERS = "Content-Crs, ETag, Link, Location, Retry-After, X-Cache"
PREFLIGHT_MAX_AGE = "3600"


def parse_origins(value: str) -> tuple[str, ...] | None:
    """The allowed origins of ``GEOSERVICE_CORS_ORIGINS``; None for every origin (``*``)."""
    origins = tuple(o.strip().rstrip("/") for o in value.split(",") if o.strip())
    return None if not origins or "*" in origins else origins


class Cors:
    """ASGI middleware adding the CORS headers and answering preflight requests."""

    def __init__(self, app: Any, origins: str = "*"):
        self.app = app
        self.origins = parse_origins(origins)

    def headers_for(self, origin: bytes) -> list[tuple[bytes, bytes]]:
        """The CORS headers for a request from ``origin``; none when it may not read."""
        if self.origins is None:
            return [(b"access-control-allow-origin", b"*")]
        if origin.decode("latin-1") not in self.origins:
            return [(b"vary", b"Origin")]
        return [
            (b"access-control-allow-origin", origin),
            (b"access-control-allow-credentials", b"true"),
            (b"vary", b"Origin"),
        ]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Answer a preflight, or pass on with the headers added to the answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = None
        preflight = False
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value
            elif name == b"access-control-request-method":
                preflight = True
        if origin is None:
            await self.app(scope, receive, send)
            return
        extra = self.headers_for(origin)
        if preflight and scope["method"] == "OPTIONS":
            headers = [*extra, (b"content-length", b"0")]
            if any(name == b"access-control-allow-origin" for name, _ in extra):
                headers += [
                    (b"access-control-allow-methods", ALLOWED_METHODS.encode()),
                    (b"access-control-allow-headers", ALLOWED_HEADERS.encode()),
                    (b"access-control-max-age", PREFLIGHT_MAX_AGE.encode()),
                ]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        extra.append((b"access-control-expose-headers", EXPOSED_HEADERS.encode()))

        async def with_cors(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                kept = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if not k.lower().startswith(b"access-control-")
                ]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, with_cors)
