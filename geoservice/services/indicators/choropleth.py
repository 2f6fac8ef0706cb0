"""Choropleths: an indicator's values for the areas of a level, classified, as change maps
between two periods, and as vector tiles with value and class joined.

Values come from :mod:`~geoservice.services.indicators.values` as the viewer may see them
(withheld ones are already ``None``), classes from :mod:`~geoservice.services.indicators.classes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from geoservice.catalog import IndicatorDef
from geoservice.db import any_of
from geoservice.db.models import AdminArea, IndicatorImport, IndicatorValue
from geoservice.errors import BadRequest
from geoservice.services.indicators.classes import NO_DATA_COLOR, Classification, classify
from geoservice.services.indicators.values import AreaValue, periods, resolve_period, values
from geoservice.services.tiles import (
    band_for,
    band_statement,
    check_tile,
    shown_level,
    stored_tolerance,
)
from geoservice.services.viewer import Viewer

#: The ramp of change maps: blue for a fall, red for a rise.
CHANGE_SCHEME = "RdBu_r"


@dataclass
class Choropleth:
    """An indicator's areas with their values and classes, ready for GeoJSON or tiles."""

    indicator: IndicatorDef
    period: str
    compare: str | None
    level: int
    scope: str
    areas: list[AreaValue]
    classification: Classification
    #: for change maps, the values of each period, by area code
    before: dict[str, float | None] = field(default_factory=dict)
    after: dict[str, float | None] = field(default_factory=dict)
    #: some values come from a sample import (invented figures, as in the demo)
    sample: bool = False
    _by_code: dict[str, AreaValue] | None = field(default=None, repr=False)

    def by_code(self) -> dict[str, AreaValue]:
        """The areas by code (computed once per choropleth)."""
        if self._by_code is None:
            self._by_code = {a.code: a for a in self.areas}
        return self._by_code

    def metadata(self, lang: str) -> dict[str, Any]:
        """The choropleth's description: indicator, period(s), level, method, legend."""
        ind = self.indicator
        return {
            "indicator": ind.code,
            "title": ind.title.get(lang),
            "unit": ind.unit.get(lang),
            "source": ind.source,
            "period": self.period,
            "compare": self.compare,
            "level": self.level,
            "scope": self.scope,
            "method": self.classification.method,
            "classes": self.classification.k,
            "breaks": self.classification.breaks,
            "legend": self.classification.legend(ind.decimals, lang),
            "no_data_color": NO_DATA_COLOR,
            "suppress_below": ind.suppress_below,
            "withheld": sum(1 for a in self.areas if a.withheld),
            "sample": self.sample,
        }


def choropleth(
    conn: Connection,
    indicator: IndicatorDef,
    viewer: Viewer,
    *,
    period: str | None,
    compare: str | None = None,
    level: int = 4,
    scope: str = "",
    method: str = "quantiles",
    k: int = 5,
    scheme: str | None = None,
) -> Choropleth:
    """Values and classes of ``indicator`` for the areas of ``level`` in ``scope``. With
    ``compare``, the value is the change from ``compare`` to ``period`` (a change map)."""
    known = periods(conn, indicator.code)
    period = resolve_period(known, indicator, period)
    current = values(conn, indicator, period, level, scope, viewer)
    before: dict[str, float | None] = {}
    after: dict[str, float | None] = {}
    if compare is not None:
        compare = resolve_period(known, indicator, compare)
        if compare == period:
            raise BadRequest("indicator.same_period", period=period)
        earlier = {a.code: a for a in values(conn, indicator, compare, level, scope, viewer)}
        for area in current:
            old = earlier[area.code]
            before[area.code], after[area.code] = old.value, area.value
            area.withheld = area.withheld or old.withheld
            area.value = None if area.value is None or old.value is None else area.value - old.value
    ramp_name = scheme or (CHANGE_SCHEME if compare is not None else indicator.scheme)
    classes = classify([a.value for a in current], method, k, ramp_name)
    sample = any(is_sample(conn, indicator, p, scope) for p in {period, compare} if p)
    return Choropleth(
        indicator, period, compare, level, scope, current, classes, before, after, sample
    )


def is_sample(conn: Connection, indicator: IndicatorDef, period: str, scope: str) -> bool:
    """Do any values of ``indicator`` in ``period`` within ``scope`` come from a sample?"""
    return bool(
        conn.execute(
            select(
                select(IndicatorValue.kode)
                .join(IndicatorImport, IndicatorImport.id == IndicatorValue.import_id)
                .where(
                    IndicatorValue.indicator == indicator.code,
                    IndicatorValue.period == period,
                    IndicatorValue.kode.like(scope + "%"),
                    IndicatorImport.is_sample,
                )
                .exists()
            )
        ).scalar()
    )


def tile_level(indicator: IndicatorDef, level: int | None, z: int) -> int:
    """The level an indicator tile shows: as asked, or by zoom as the boundary tiles do (an
    indicator that is not aggregated: its desa/kelurahan at every zoom)."""
    if level is not None:
        return level
    return 4 if indicator.aggregation == "none" else shown_level(4, z)


#: Decimals of the choropleth GeoJSON per level: about 1 m for provinsi and kab/kota, 0.1 m for
#: kecamatan, 7 for desa/kelurahan as the OGC API items. The outlines are not simplified here:
#: the source boundaries already are, and simplifying the 514 kab/kota again cost 200 ms of
#: PostGIS work to save 3 % of the bytes (bench_indicators).
OUTLINE_DECIMALS = {1: 5, 2: 5, 3: 6, 4: 7}


def outlines(conn: Connection, codes: list[str], level: int) -> dict[str, str]:
    """GeoJSON geometry text of the areas, with the decimals of their level."""
    # exterior rings counterclockwise, as RFC 7946 says
    outline = func.ST_AsGeoJSON(func.ST_ForcePolygonCCW(AdminArea.geom), OUTLINE_DECIMALS[level])
    rows = conn.execute(select(AdminArea.code, outline).where(AdminArea.code == any_of(codes)))
    return dict(rows.all())


def tile(conn: Connection, chart: Choropleth, z: int, x: int, y: int) -> bytes:
    """One MVT tile of a choropleth: its areas in this tile with value, class and colour.
    PostGIS first names the areas in the tile; only their values are sent back with the
    geometry query (not the whole country's)."""
    check_tile(z, x, y)
    band = band_for(z)
    where = {"z": z, "x": x, "y": y, "level": chart.level}
    inside = set(
        conn.execute(band_statement("indicators/indicator_tile_codes.sql", band), where).scalars()
    )
    if not inside:
        return b""
    by_code = chart.by_code()
    areas = [by_code[code] for code in sorted(inside) if code in by_code]
    result = conn.execute(
        band_statement("indicators/indicator_tile.sql", band),
        {
            "z": z,
            "x": x,
            "y": y,
            "tolerance": stored_tolerance(z),
            "layer": chart.indicator.code,
            "codes": [a.code for a in areas],
            "names": [a.name for a in areas],
            "values": [a.value for a in areas],
            "classes": [chart.classification.class_of(a.value) for a in areas],
            "colors": [chart.classification.color_of(a.value) for a in areas],
        },
    ).scalar()
    return bytes(result or b"")
