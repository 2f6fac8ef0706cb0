"""The one If-None-Match rule the routes share."""

from __future__ import annotations

import pytest

from geoservice.web.conditional import etag_matches


@pytest.mark.parametrize(
    ("header", "etag", "matches"),
    [
        ('"a1"', '"a1"', True),
        ('W/"a1"', '"a1"', True),  # weak comparison, as RFC 9110 asks for If-None-Match
        ('"a1"', 'W/"a1"', True),
        ('"zz", "a1"', '"a1"', True),  # a client holding several versions
        ("*", '"a1"', True),
        ('"a2"', '"a1"', False),
        ('"a1', '"a1"', False),
        ("", '"a1"', False),
        (None, '"a1"', False),
    ],
)
def test_if_none_match(header: str | None, etag: str, matches: bool) -> None:
    assert etag_matches(header, etag) is matches
