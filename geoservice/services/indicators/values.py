"""Indicator values per area and period, aggregated to coarser levels in PostGIS, as a viewer
may see them (:func:`~geoservice.services.indicators.visibility.withheld`); the periods that
have values, and the areas and extents the planner's page offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, func, select

from geoservice.catalog import Catalog, IndicatorDef
from geoservice.codes import CODE_LENGTH
from geoservice.db import statement
from geoservice.db.models import AdminArea, IndicatorImport, IndicatorValue
from geoservice.errors import BadRequest, NotFound
from geoservice.i18n import LEVEL_NAMES
from geoservice.services.indicators.visibility import withheld
from geoservice.services.viewer import Viewer

#: Code length of each level: provinsi PP, kabkota PP.KK, kecamatan PP.KK.CC, desa PP.KK.CC.NNNN


def all_periods(conn: Connection) -> dict[str, list[str]]:
    """Periods with values, oldest first, per indicator."""
    result: dict[str, list[str]] = {}
    for indicator, period in conn.execute(statement("indicators/periods.sql")):
        result.setdefault(indicator, []).append(period)
    return result


def data_version(conn: Connection) -> int:
    """The latest indicator import's id (0 before any): what cached charts are keyed by."""
    return int(conn.execute(select(func.coalesce(func.max(IndicatorImport.id), 0))).scalar_one())


def periods(conn: Connection, indicator: str) -> list[str]:
    """The periods that have values of ``indicator``, oldest first."""
    return all_periods(conn).get(indicator, [])


def resolve_period(known: list[str], indicator: IndicatorDef, period: str | None) -> str:
    """``period``, or the latest of ``known`` (the indicator's periods with values); 404
    naming them when it is not one of them."""
    if period is None and known:
        return known[-1]
    if period is None or period not in known:
        raise NotFound(
            "indicator.no_period_values",
            code=indicator.code,
            period=period or "-",
            periods=", ".join(known) or "-",
        )
    return period


@dataclass
class AreaValue:
    """An indicator's value for one area: None when missing, incomplete or withheld."""

    code: str
    name: str
    value: float | None
    parts: int
    with_value: int
    withheld: bool = False


def values(
    conn: Connection,
    indicator: IndicatorDef,
    period: str,
    level: int,
    scope: str,
    viewer: Viewer,
) -> list[AreaValue]:
    """The indicator's values for the areas of ``level`` within ``scope``, as ``viewer`` may
    see them."""
    if level != 4 and indicator.aggregation == "none":
        raise BadRequest(
            "indicator.not_aggregated", code=indicator.code, level=LEVEL_NAMES[level]["id"]
        )
    length = CODE_LENGTH[level]
    rows = conn.execute(
        statement("indicators/indicator_values.sql"),
        {
            "indicator": indicator.code,
            "period": period,
            "weight": indicator.weight or "",
            "aggregation": indicator.aggregation,
            "level": level,
            "length": length,
            # the areas of the level within the scope, or the one that contains it
            "pattern": scope[:length] if len(scope) >= length else scope + "%",
            "parent_prefix": scope[:length],
        },
    )
    result = []
    for code, name, parts, with_value, smallest, value in rows:
        hide = withheld(indicator, viewer, value, smallest)
        result.append(
            AreaValue(code, name, None if hide else value, parts, with_value, withheld=hide)
        )
    return result


def facility_counts(
    conn: Connection, catalog: Catalog, level: int, scope: str
) -> dict[str, dict[str, int]]:
    """Verified facility points per layer per area of ``level`` within ``scope``."""
    length = CODE_LENGTH[level]
    counts: dict[str, dict[str, int]] = {}
    rows = conn.execute(
        statement("indicators/facility_counts.sql"),
        {"length": length, "parent_prefix": scope[:length]},
    )
    for code, layer, n in rows:
        if layer in catalog:
            counts.setdefault(code, {})[layer] = int(n)
    return counts


def kabkota_with_values(conn: Connection, indicator: str) -> list[dict[str, str]]:
    """The kabupaten/kota that have values of ``indicator``, by code: the planner's areas."""
    found = _kabkota_of(indicator).subquery("found")
    rows = conn.execute(
        select(AdminArea.code, AdminArea.name)
        .join(found, AdminArea.code == found.c.code)
        .order_by(AdminArea.code)
    )
    return [{"kode": code, "nama": name} for code, name in rows]


def scope_bounds(conn: Connection, scope: str) -> list[float] | None:
    """The extent of the desa/kelurahan within ``scope``, [minx, miny, maxx, maxy]."""
    row = conn.execute(_bounds(AdminArea.level == 4, AdminArea.code.like(scope + "%"))).one()
    return None if row[0] is None else [float(v) for v in row]


def values_extent(conn: Connection, indicator: str) -> list[float] | None:
    """The extent of the kabupaten/kota that have values of ``indicator``."""
    row = conn.execute(
        _bounds(AdminArea.level == 2, AdminArea.code.in_(_kabkota_of(indicator)))
    ).one()
    return None if row[0] is None else [float(v) for v in row]


def _kabkota_of(indicator: str) -> Select[str]:
    """The codes of the kabupaten/kota with values of ``indicator``."""
    code = func.left(IndicatorValue.kode, 5)
    return select(code.label("code")).distinct().where(IndicatorValue.indicator == indicator)


def _bounds(*where: Any) -> Select[Any]:
    """The extent [minx, miny, maxx, maxy] of the areas ``where`` selects."""
    extent = select(func.ST_Extent(AdminArea.geom).label("e")).where(*where).subquery("extent")
    e = extent.c.e
    return select(func.ST_XMin(e), func.ST_YMin(e), func.ST_XMax(e), func.ST_YMax(e))
