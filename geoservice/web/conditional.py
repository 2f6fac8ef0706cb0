"""Conditional GET: one If-None-Match rule for every route that sends an ETag."""

from __future__ import annotations


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """True when the client's ``If-None-Match`` names ``etag``: a list of tags compared weakly
    (``W/"x"`` matches ``"x"``), or ``*`` (RFC 9110, section 13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))
