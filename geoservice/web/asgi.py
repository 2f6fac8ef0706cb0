"""Problem JSON from plain ASGI middleware (body limit, JSON guard, admission queue, host
check), which answer before FastAPI's error handlers could."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from geoservice.errors import ServiceError
from geoservice.i18n import negotiate


async def send_problem(scope: dict[str, Any], send: Any, error: ServiceError) -> None:
    """Answer ``error`` as problem JSON from plain ASGI, in the request's language."""
    headers = dict(scope["headers"])
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    lang = negotiate(query.get("lang"), headers.get(b"accept-language", b"").decode("latin-1"))
    body = json.dumps(error.to_problem(lang, scope["path"]), ensure_ascii=False).encode()
    raw = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in error.headers.items()),
    ]
    await send({"type": "http.response.start", "status": error.status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
