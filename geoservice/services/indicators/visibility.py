"""Who may see which indicator, and which values are withheld from whom.

Privacy is decided here and nowhere else: a restricted indicator exists only for internal
viewers (planners and admins), and for anonymous viewers a public indicator's values below its
``suppress_below`` are withheld (``None``) before anything is classified, counted or encoded,
so no format (GeoJSON, tiles, CSV, XLSX, pages) can leak them.
"""

from __future__ import annotations

import re

from geoservice.catalog import Catalog, IndicatorDef
from geoservice.errors import BadRequest, NotFound
from geoservice.services.viewer import Viewer

SCOPE_PATTERN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.[123]\d{3})?)?)?$")


def visible(indicator: IndicatorDef, viewer: Viewer) -> bool:
    """May ``viewer`` see this indicator at all?"""
    return indicator.visibility == "public" or viewer.internal


def visible_indicators(catalog: Catalog, viewer: Viewer) -> list[IndicatorDef]:
    """The indicators ``viewer`` may see, in catalog order."""
    return [i for i in catalog.indicators.values() if visible(i, viewer)]


def get_indicator(catalog: Catalog, code: str, viewer: Viewer) -> IndicatorDef:
    """The indicator ``code``; 404 when it does not exist or the viewer may not see it (a
    restricted indicator does not even exist for the public)."""
    indicator = catalog.indicators.get(code)
    if indicator is None or not visible(indicator, viewer):
        raise NotFound("indicator.unknown", code=code)
    return indicator


def withheld(
    indicator: IndicatorDef, viewer: Viewer, value: float | None, smallest: float | None = None
) -> bool:
    """Is ``value`` withheld from ``viewer``: anonymous, and the value below the suppression
    threshold, or (for an aggregate) one of its desa/kelurahan values, ``smallest``. An
    aggregate that holds a withheld value is withheld too, or subtracting the shown parts
    from it would give the withheld one back."""
    if value is None or not viewer.anonymous or indicator.suppress_below is None:
        return False
    return value < indicator.suppress_below or (
        smallest is not None and smallest < indicator.suppress_below
    )


def check_scope(scope: str | None) -> str:
    """A Kemendagri code prefix (``35``, ``35.71``...); '' for the whole country."""
    if scope is None or scope == "":
        return ""
    if not SCOPE_PATTERN.match(scope):
        raise BadRequest("indicator.bad_scope", value=scope)
    return scope
