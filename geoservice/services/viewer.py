"""Who is reading: the one answer every service asks before it shows a point or an attribute.

An authorization concept, not a feature one: features, tiles, indicators, statistics and the
session code (:mod:`~geoservice.services.auth`) all take a :class:`Viewer`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Viewer:
    """Who is reading. Anonymous: verified points and public attributes only. ``internal``
    (planners, admins): every point and attribute. ``own`` (a PIC's kelurahan): every point
    and attribute there, the public view elsewhere."""

    internal: bool = False
    own: frozenset[str] = frozenset()
    username: str | None = None

    @property
    def anonymous(self) -> bool:
        """Not signed in."""
        return self.username is None

    @property
    def sees_internal_fields(self) -> bool:
        """Has internal fields (status, version, restricted attributes) somewhere."""
        return self.internal or bool(self.own)
