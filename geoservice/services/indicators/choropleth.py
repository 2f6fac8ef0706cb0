"""Reading indicators: who may see which, their values per area and period (aggregated to
coarser levels), classified choropleths (mapclassify, ColorBrewer ramps from branca), change
maps between two periods, and vector tiles with value and class joined.

Privacy is decided here and nowhere else: a restricted indicator exists only for internal
viewers (planners and admins), and for anonymous viewers a public indicator's values below its
``suppress_below`` are withheld (``None``) before anything is classified, counted or encoded,
so no format (GeoJSON, tiles, CSV, XLSX, pages) can leak them.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import mapclassify
import numpy as np
from babel.numbers import format_decimal
from branca.utilities import color_brewer
from sqlalchemy import Connection, text

from geoservice.catalog import Catalog, IndicatorDef
from geoservice.db import load_sql
from geoservice.errors import BadRequest, NotFound
from geoservice.i18n import LEVEL_NAMES
from geoservice.services.tiles import band_for, check_tile, shown_level
from geoservice.services.viewer import Viewer

Method = Literal["quantiles", "equal_interval", "fisher_jenks", "std_mean"]
METHODS: dict[str, Any] = {
    "quantiles": mapclassify.Quantiles,
    "equal_interval": mapclassify.EqualInterval,
    "fisher_jenks": mapclassify.FisherJenks,
    "std_mean": mapclassify.StdMean,
}
MIN_CLASSES, MAX_CLASSES = 2, 9
#: Above this many values, natural breaks are computed on a sample of this size. Exact
#: Fisher-Jenks is quadratic and mapclassify runs it in pure Python here (numba, which would
#: speed it up, takes 5 s to import in every process): 300 values take 0.3 s, the 666
#: kecamatan of Jawa Timur 1.4 s, 2,000 values about 13 s.
FISHER_JENKS_SAMPLE = 300
#: Code length of each level: provinsi PP, kabkota PP.KK, kecamatan PP.KK.CC, desa PP.KK.CC.NNNN
CODE_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}
SCOPE_PATTERN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.[123]\d{3})?)?)?$")
#: The ramp of change maps: blue for a fall, red for a rise.
CHANGE_SCHEME = "RdBu_r"
NO_DATA_COLOR = "#d9d9d9"


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


#: The (indicator, period) pairs with values, found by skipping through the primary key (one
#: index probe per pair, not a read of every value: 166,492 values of the country take 1 ms).
_PERIODS = text(
    """
    WITH RECURSIVE pairs AS (
        (SELECT indicator, period FROM indicator_value ORDER BY indicator, period LIMIT 1)
        UNION ALL
        SELECT next.indicator, next.period
          FROM pairs,
               LATERAL (SELECT v.indicator, v.period FROM indicator_value v
                         WHERE (v.indicator, v.period) > (pairs.indicator, pairs.period)
                         ORDER BY v.indicator, v.period LIMIT 1) AS next
    )
    SELECT indicator, period FROM pairs
    """
)


def all_periods(conn: Connection) -> dict[str, list[str]]:
    """Periods with values, oldest first, per indicator."""
    result: dict[str, list[str]] = {}
    for indicator, period in conn.execute(_PERIODS):
        result.setdefault(indicator, []).append(period)
    return result


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
        text(load_sql("indicator_values.sql")),
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
        text(load_sql("facility_counts.sql")),
        {"length": length, "parent_prefix": scope[:length]},
    )
    for code, layer, n in rows:
        if layer in catalog:
            counts.setdefault(code, {})[layer] = int(n)
    return counts


# -- classification ------------------------------------------------------------------------------


@dataclass
class Classification:
    """Class breaks (upper bounds, as mapclassify's ``bins``), a colour per class, legend rows."""

    method: str
    k: int
    breaks: list[float]
    colors: list[str]
    minimum: float | None = None
    counts: list[int] = field(default_factory=list)

    def class_of(self, value: float | None) -> int | None:
        """The class of ``value`` (mapclassify's rule: the first break not below it)."""
        if value is None or not self.breaks:
            return None
        return min(int(np.searchsorted(self.breaks, value, side="left")), len(self.breaks) - 1)

    def color_of(self, value: float | None) -> str:
        """The fill colour of ``value``."""
        index = self.class_of(value)
        return NO_DATA_COLOR if index is None else self.colors[index]

    def legend(self, decimals: int, lang: str) -> list[dict[str, Any]]:
        """One row per class: its bounds, label, colour and how many areas it holds."""
        rows = []
        lower = self.minimum
        locale = "en" if lang == "en" else "id"
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        for index, upper in enumerate(self.breaks):
            low = format_decimal(lower, pattern, locale=locale) if lower is not None else "…"
            high = format_decimal(upper, pattern, locale=locale)
            rows.append(
                {
                    "class": index,
                    "lower": lower,
                    "upper": upper,
                    "label": f"{low} – {high}",
                    "color": self.colors[index],
                    "count": self.counts[index] if index < len(self.counts) else 0,
                }
            )
            lower = upper
        return rows


def classify(raw: list[float | None], method: str, k: int, scheme: str) -> Classification:
    """Classes of the values that are not None, computed by mapclassify."""
    if method not in METHODS:
        raise BadRequest(
            "indicator.bad_choice", name="method", value=method, allowed=", ".join(METHODS)
        )
    if not MIN_CLASSES <= k <= MAX_CLASSES:
        raise BadRequest("indicator.bad_classes", minimum=MIN_CLASSES, maximum=MAX_CLASSES)
    data = np.array([v for v in raw if v is not None], dtype=float)
    if data.size == 0:
        return Classification(method, 0, [], [])
    distinct = np.unique(data).size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "not enough unique values": k is reduced below
        if method == "std_mean":
            classifier = METHODS[method](data)
        elif distinct == 1:
            classifier = mapclassify.UserDefined(data, [float(data[0])])
        elif method == "fisher_jenks" and data.size > FISHER_JENKS_SAMPLE:
            # exact Fisher-Jenks is quadratic in n; mapclassify's sampled variant, with a fixed
            # seed so the same data always gives the same breaks
            state = np.random.get_state()
            np.random.seed(0)
            try:
                classifier = mapclassify.FisherJenksSampled(
                    data, k=min(k, distinct), pct=FISHER_JENKS_SAMPLE / data.size
                )
            finally:
                np.random.set_state(state)
        else:
            classifier = METHODS[method](data, k=min(k, distinct))
    breaks = [float(b) for b in classifier.bins]
    counts = [int(c) for c in classifier.counts]
    return Classification(
        method, len(breaks), breaks, ramp(scheme, len(breaks)), float(data.min()), counts
    )


def ramp(scheme: str, n: int) -> list[str]:
    """``n`` colours of a ColorBrewer scheme (branca's tables)."""
    if n <= 0:
        return []
    colors = color_brewer(scheme, max(n, 3))
    if n >= 3:
        return list(colors[:n]) if len(colors) >= n else list(colors)
    return [colors[len(colors) // 2]] if n == 1 else [colors[0], colors[-1]]


# -- choropleths ---------------------------------------------------------------------------------


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
    try:
        ramp(ramp_name, 3)
    except (ValueError, KeyError) as exc:
        raise BadRequest(
            "indicator.bad_choice", name="scheme", value=ramp_name, allowed="ColorBrewer"
        ) from exc
    classes = classify([a.value for a in current], method, k, ramp_name)
    sample = any(is_sample(conn, indicator, p, scope) for p in {period, compare} if p)
    return Choropleth(
        indicator, period, compare, level, scope, current, classes, before, after, sample
    )


def is_sample(conn: Connection, indicator: IndicatorDef, period: str, scope: str) -> bool:
    """Do any values of ``indicator`` in ``period`` within ``scope`` come from a sample?"""
    return bool(
        conn.execute(
            text(
                """
                SELECT EXISTS (
                    SELECT 1 FROM indicator_value v
                      JOIN indicator_import i ON i.id = v.import_id
                     WHERE v.indicator = :indicator AND v.period = :period
                       AND v.kode LIKE :prefix AND i.is_sample)
                """
            ),
            {"indicator": indicator.code, "period": period, "prefix": scope + "%"},
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
    rows = conn.execute(
        text(  # exterior rings counterclockwise, as RFC 7946 says
            "SELECT code, ST_AsGeoJSON(ST_ForcePolygonCCW(geom), :decimals) FROM admin_area"
            " WHERE code = ANY(:codes)"
        ),
        {"codes": codes, "decimals": OUTLINE_DECIMALS[level]},
    )
    return dict(rows.all())  # type: ignore[arg-type]


def tile(conn: Connection, chart: Choropleth, z: int, x: int, y: int) -> bytes:
    """One MVT tile of a choropleth: its areas in this tile with value, class and colour.
    PostGIS first names the areas in the tile; only their values are sent back with the
    geometry query (not the whole country's)."""
    check_tile(z, x, y)
    band = band_for(z)
    literal = "NULL" if band is None else str(band)
    where = {"z": z, "x": x, "y": y, "level": chart.level}
    sql = load_sql("indicator_tile_codes.sql").replace(":band", literal)
    inside = set(conn.execute(text(sql), where).scalars())
    if not inside:
        return b""
    by_code = chart.by_code()
    areas = [by_code[code] for code in sorted(inside) if code in by_code]
    sql = load_sql("indicator_tile.sql").replace(":band", literal)
    result = conn.execute(
        text(sql),
        {
            "z": z,
            "x": x,
            "y": y,
            "layer": chart.indicator.code,
            "codes": [a.code for a in areas],
            "names": [a.name for a in areas],
            "values": [a.value for a in areas],
            "classes": [chart.classification.class_of(a.value) for a in areas],
            "colors": [chart.classification.color_of(a.value) for a in areas],
        },
    ).scalar()
    return bytes(result or b"")


def kabkota_with_values(conn: Connection, indicator: str) -> list[dict[str, str]]:
    """The kabupaten/kota that have values of ``indicator``, by code: the planner's areas."""
    rows = conn.execute(
        text(
            """
            SELECT a.code, a.name
              FROM (SELECT DISTINCT left(kode, 5) AS code FROM indicator_value
                     WHERE indicator = :indicator) AS found
              JOIN admin_area a ON a.code = found.code
             ORDER BY a.code
            """
        ),
        {"indicator": indicator},
    )
    return [{"kode": code, "nama": name} for code, name in rows]


def scope_bounds(conn: Connection, scope: str) -> list[float] | None:
    """The extent of the desa/kelurahan within ``scope``, [minx, miny, maxx, maxy]."""
    row = conn.execute(
        text(
            """
            SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
              FROM (SELECT ST_Extent(geom) AS e FROM admin_area
                     WHERE level = 4 AND code LIKE :prefix) AS extent
            """
        ),
        {"prefix": scope + "%"},
    ).one()
    return None if row[0] is None else [float(v) for v in row]


def values_extent(conn: Connection, indicator: str) -> list[float] | None:
    """The extent of the kabupaten/kota that have values of ``indicator``."""
    row = conn.execute(
        text(
            """
            SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
              FROM (SELECT ST_Extent(a.geom) AS e
                      FROM admin_area a
                     WHERE a.level = 2
                       AND a.code IN (SELECT DISTINCT left(kode, 5) FROM indicator_value
                                       WHERE indicator = :indicator)) AS extent
            """
        ),
        {"indicator": indicator},
    ).one()
    return None if row[0] is None else [float(v) for v in row]
