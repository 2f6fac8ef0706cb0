"""Request bodies over ``GEOSERVICE_MAX_BODY_KB`` are refused with 413 before they are read.

FastAPI's own ``max_body_size`` (Starlette's RequestBodyLimitMiddleware) answers a declared
oversize body with a plain-text 413, replacing whatever the route answered; the API answers
problem JSON, so this middleware stays."""

from __future__ import annotations

from typing import Any

from geoservice.errors import PayloadTooLarge
from geoservice.web.asgi import send_problem

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BodyLimit:
    """ASGI middleware: 413 at once for a declared Content-Length over the limit; a body that
    turns out longer while it is read (chunked) raises PayloadTooLarge into the route, which
    answers with the same problem JSON."""

    def __init__(self, app: Any, max_bytes: int, uploads: dict[str, int] | None = None):
        self.app = app
        self.max_bytes = max_bytes
        #: paths that take files, with their own (larger) limit
        self.uploads = uploads or {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Check the declared length, count the received one."""
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            # GET and HEAD routes never read a body (uvicorn applies back-pressure to one
            # nobody reads), and the tiles' hot path should not pay for the check
            await self.app(scope, receive, send)
            return
        max_bytes = self.uploads.get(scope["path"], self.max_bytes)
        limit_kb = max_bytes // 1024
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"").decode("latin-1").strip()
        if declared.isdigit() and int(declared) > max_bytes:
            error = PayloadTooLarge("edit.body_too_large", limit=limit_kb)
            error.headers["Connection"] = "close"  # the unread body is not awaited
            await send_problem(scope, send, error)
            return
        received = 0

        async def counting_receive() -> dict[str, Any]:
            nonlocal received
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise PayloadTooLarge("edit.body_too_large", limit=limit_kb)
            return message

        await self.app(scope, counting_receive, send)
