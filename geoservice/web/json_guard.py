"""JSON request bodies are checked against ``geoservice.input_limits`` before any route reads
them: too deep a nesting or too long an integer is a 400, a lone surrogate a 422 naming the
field, whichever route (items, users, tokens, password, reject) and whoever parses it after
(the routes' own parser or FastAPI's models, which would otherwise recurse or hand the text to
psycopg, which cannot encode it)."""

from __future__ import annotations

from typing import Any

from geoservice import input_limits
from geoservice.errors import PayloadTooLarge, ServiceError
from geoservice.web.asgi import send_problem

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_json(content_type: str) -> bool:
    """``application/json``, ``application/geo+json``, ``application/merge-patch+json``, ..."""
    media_type = content_type.split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class JsonGuard:
    """ASGI middleware: read a JSON body (its size is already bounded by ``BodyLimit``),
    check it, and hand the same bytes on to the route."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Check JSON bodies; pass everything else through untouched."""
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        content_type = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1")
        if not is_json(content_type):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        try:
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break  # the client went away
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        except PayloadTooLarge as error:
            await send_problem(scope, send, error)
            return
        body = b"".join(chunks)
        if body.strip():
            try:
                input_limits.loads(body)
            except ServiceError as error:
                if error.key != "edit.json":  # malformed JSON: the route says so its own way
                    await send_problem(scope, send, error)
                    return
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # type: ignore[no-any-return]

        await self.app(scope, replay, send)
