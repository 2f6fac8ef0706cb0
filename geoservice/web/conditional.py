"""HTTP caching: one If-None-Match rule for every route that sends an ETag, and the cache headers
of answers that depend on who asks."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """True when the client's ``If-None-Match`` names ``etag``: a list of tags compared weakly
    (``W/"x"`` matches ``"x"``), or ``*`` (RFC 9110, section 13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def etag_response(
    request: Request | None, content: bytes | str, media_type: str, headers: dict[str, str]
) -> Response:
    """``content`` with ``headers`` (which hold its ``ETag``), or an empty 304 with the same
    headers when the request's ``If-None-Match`` names that tag."""
    if request is not None and etag_matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=media_type, headers=headers)


def viewer_cache_headers(anonymous: bool) -> dict[str, str]:
    """What a viewer gets depends on who they are: shared caches only for the public view."""
    return {
        "Vary": "Authorization, Cookie, Accept-Language",
        "Cache-Control": "public, max-age=60" if anonymous else "private, no-store",
    }
