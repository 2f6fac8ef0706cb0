"""Zonal statistics per desa/kelurahan with exactextract, and the indicator values they become.

exactextract weighs every cell by the share of it inside the polygon (a cell half inside counts
half), so the people of a 2 km² kelurahan on a 100 m grid are not biased by the few dozen cells
on its edge, and the sum over the kelurahan of a city equals the raster's sum inside the city
but for the gaps and overlaps of the real polygons (reported with the statistics).

Polygons are reprojected to the raster's CRS (a raster in UTM is counted on its own grid, never
resampled). Counts give the coverage-weighted ``sum``, densities the ``mean``, categorical
rasters the percent of the area in each class; a ``weighted_sum`` counts the cells of this
raster where a second, categorical raster is in a class at least ``at_least`` (people living
in flood class 2 or more), the second raster read onto this one's grid (nearest class).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
from rasterio.warp import Resampling, reproject
from rasterio.windows import Window, from_bounds
from sqlalchemy import Connection, func, select

from geoservice.catalog.rasters import RasterDef, RasterIndicator
from geoservice.db import statement
from geoservice.db.models import AdminArea
from geoservice.errors import NotFound
from geoservice.services.rasters.storage import cog_path, imported_file, read_info
from geoservice.settings import Settings

#: The operations of each kind of raster (``count``: the coverage-weighted number of cells
#: with data, so ``sum / count`` is the mean).
OPERATIONS = {
    "count": ["sum", "mean", "count"],
    "density": ["sum", "mean", "count"],
    "categorical": ["count", "unique", "frac"],
}


#: From this many areas on, exactextract reads the raster in strips (see :func:`_extract`).
MANY_AREAS = 500


def load_areas(conn: Connection, scope: str, level: int = 4) -> gpd.GeoDataFrame:
    """The areas of ``level`` whose code starts with ``scope`` ('' for all), in EPSG:4326."""
    query = select(AdminArea.code, AdminArea.name, func.ST_AsBinary(AdminArea.geom)).where(
        AdminArea.level == level
    )
    if scope:
        query = query.where(AdminArea.code.startswith(scope, autoescape=True))
    rows = conn.execute(query.order_by(AdminArea.code)).all()
    return gpd.GeoDataFrame(
        {"kode": [r[0] for r in rows], "nama": [r[1] for r in rows]},
        geometry=shapely.from_wkb([bytes(r[2]) for r in rows]),
        crs="EPSG:4326",
    )


def scope_polygon(conn: Connection, scope: str) -> gpd.GeoDataFrame:
    """The area ``scope`` itself (a kota, kecamatan...); 404 when there is none."""
    row = conn.execute(
        select(AdminArea.code, AdminArea.name, func.ST_AsBinary(AdminArea.geom)).where(
            AdminArea.code == scope
        )
    ).one_or_none()
    if row is None:
        raise NotFound("raster.unknown_scope", kode=scope)
    return gpd.GeoDataFrame(
        {"kode": [row[0]], "nama": [row[1]]},
        geometry=shapely.from_wkb([bytes(row[2])]),
        crs="EPSG:4326",
    )


def _extract(
    raster: Any, areas: gpd.GeoDataFrame, ops: list[str], weights: Any = None
) -> pd.DataFrame:
    from exactextract import exact_extract

    if areas.empty:
        return pd.DataFrame({"kode": [], **{op: [] for op in ops}})
    # many areas: read the raster once, strip by strip, rather than a window per area (the
    # 25,267 desa of Jawa on a 60 M-cell grid: 9 s instead of 18 s; scripts/bench_rasters.py)
    strategy = "raster-sequential" if len(areas) > MANY_AREAS else "feature-sequential"
    result: pd.DataFrame = exact_extract(
        raster, areas, ops, weights=weights, include_cols=["kode"], output="pandas",
        strategy=strategy,
    )  # fmt: skip
    return result


def zonal(path: Path, areas: gpd.GeoDataFrame, ops: list[str]) -> pd.DataFrame:
    """``ops`` of the raster at ``path`` for every row of ``areas`` (column ``kode`` kept)."""
    with rasterio.open(path) as src:
        crs = src.crs
    return _extract(str(path), areas.to_crs(crs), ops)


def _grid_window(src: Any, areas: gpd.GeoDataFrame) -> Window:
    west, south, east, north = areas.total_bounds
    window = from_bounds(west, south, east, north, src.transform)
    col, row = math.floor(window.col_off) - 1, math.floor(window.row_off) - 1
    width = math.ceil(window.col_off + window.width) + 1 - col
    height = math.ceil(window.row_off + window.height) + 1 - row
    return Window(col, row, width, height).intersection(Window(0, 0, src.width, src.height))


def weighted_zonal(
    path: Path, weight_path: Path, at_least: float, areas: gpd.GeoDataFrame
) -> pd.DataFrame:
    """The sum of the raster at ``path`` over the cells where the categorical raster at
    ``weight_path`` is at least ``at_least``, per area (exactextract ``weighted_sum``)."""
    from exactextract.raster import NumPyRasterSource

    with rasterio.open(path) as src:
        local = areas.to_crs(src.crs)
        if local.empty:
            return pd.DataFrame({"kode": [], "weighted_sum": []})
        window = _grid_window(src, local)
        values = src.read(1, window=window, masked=True).astype("float64").filled(np.nan)
        transform = src.window_transform(window)
        classes = np.full(values.shape, np.nan, dtype="float64")
        with rasterio.open(weight_path) as wsrc:
            reproject(
                rasterio.band(wsrc, 1), classes, src_nodata=wsrc.nodata, dst_nodata=np.nan,
                dst_transform=transform, dst_crs=src.crs, resampling=Resampling.nearest,
            )  # fmt: skip
        mask = np.where(np.isnan(classes), 0.0, (classes >= at_least).astype("float64"))
        height, width = values.shape
        xmin, ymax = transform * (0, 0)
        xmax, ymin = transform * (width, height)
        wkt = src.crs.to_wkt()
    source = NumPyRasterSource(values, xmin, ymin, xmax, ymax, nodata=np.nan, srs_wkt=wkt)
    weights = NumPyRasterSource(mask, xmin, ymin, xmax, ymax, srs_wkt=wkt)
    return _extract(source, local, ["weighted_sum"], weights=weights)


def _shares(row: pd.Series, raster: RasterDef) -> dict[str, float]:
    """Percent of the area with data in each declared class."""
    found = dict(zip(row.get("unique", []), row.get("frac", []), strict=False))
    return {str(c.value): 100.0 * float(found.get(c.value, 0.0)) for c in raster.classes or []}


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if np.isnan(number) else number


def _percent(value: float, reference: float | None) -> float | None:
    return 100.0 * (value - reference) / reference if reference else None


@dataclass
class ScopeStatistics:
    """The statistics of a scope: per desa/kelurahan, and the raster's own total inside it."""

    areas: list[dict[str, Any]]
    total: float | None
    check: dict[str, Any]


class StatisticsCache:
    """The zonal statistics of the last scopes asked for, per raster file (its checksum) and
    boundary generation: they cost a second or more to compute. One per process."""

    SIZE = 32

    def __init__(self) -> None:
        self._found: OrderedDict[tuple[str, str, str, int], ScopeStatistics] = OrderedDict()

    def get(self, key: tuple[str, str, str, int]) -> ScopeStatistics | None:
        """The statistics kept under ``key`` (raster, checksum, scope, boundary generation)."""
        return self._found.get(key)

    def put(self, key: tuple[str, str, str, int], found: ScopeStatistics) -> None:
        """Keep ``found``, forgetting the oldest beyond :attr:`SIZE`."""
        self._found[key] = found
        while len(self._found) > self.SIZE:
            self._found.popitem(last=False)


def scope_statistics(
    conn: Connection, settings: Settings, raster: RasterDef, scope: str
) -> ScopeStatistics:
    """Per desa/kelurahan of ``scope`` and for the scope as a whole."""
    path = imported_file(settings, raster)
    whole = scope_polygon(conn, scope)
    desa = len(scope) == 13  # a scope of one desa/kelurahan: it is its own only area
    areas = whole if desa else load_areas(conn, scope)
    ops = OPERATIONS[raster.kind]
    per_area = zonal(path, areas, ops).set_index("kode")
    names = dict(zip(areas["kode"], areas["nama"], strict=True))
    rows = []
    for code, row in per_area.iterrows():
        item: dict[str, Any] = {"kode": code, "nama": names[str(code)]}
        item["cells"] = float(row["count"])
        if raster.kind == "categorical":
            item["shares"] = _shares(row, raster)
        else:
            item["sum"] = _number(row["sum"])
            item["mean"] = _number(row["mean"])
        rows.append(item)
    check: dict[str, Any] = {}
    total = None
    if raster.kind != "categorical":
        total = _number(zonal(path, whole, ["sum"])["sum"].iloc[0])
        summed = sum(r["sum"] or 0.0 for r in rows)
        check["sum_of_areas"] = summed
        check["difference_percent"] = _percent(summed, total)
        if not desa and not areas.empty:
            # the same over the union of the desa polygons: only their overlaps remain
            union = gpd.GeoDataFrame({"kode": [scope]}, geometry=[areas.union_all()], crs=4326)
            check["total_of_union"] = _number(zonal(path, union, ["sum"])["sum"].iloc[0])
            check["difference_from_union_percent"] = _percent(summed, check["total_of_union"])
    if not desa:
        slivers = conn.execute(
            statement("rasters/scope_slivers.sql"), {"scope": scope, "prefix": f"{scope}.%"}
        ).one()
        check.update(
            gaps_km2=float(slivers.gaps_km2),
            overlaps_km2=float(slivers.overlaps_km2),
            outside_km2=float(slivers.outside_km2),
        )
    return ScopeStatistics(rows, total, check)


def indicator_rows(
    conn: Connection, settings: Settings, raster: RasterDef, scope: str = ""
) -> list[tuple[str, str, str, float]]:
    """(indicator, period, kode, value) of every indicator ``raster`` declares, for every
    desa/kelurahan of ``scope`` that holds data."""
    if not raster.indicators:
        return []
    path = imported_file(settings, raster)
    areas = load_areas(conn, scope)
    period = str(raster.year)
    table = zonal(path, areas, OPERATIONS[raster.kind])
    covered = table[table["count"] > 0]  # no cell with data in an area: no value, not a zero
    rows: list[tuple[str, str, str, float]] = []
    for _, row in covered.iterrows():
        for ind in raster.indicators:
            value = None if ind.weights is not None else _value(ind, row, raster)
            if value is not None:
                rows.append((ind.code, period, str(row["kode"]), value))
    codes = set(covered["kode"])
    for ind in raster.indicators:
        if ind.weights is None:
            continue
        if read_info(settings, ind.weights.raster) is None:
            continue  # its second raster is not imported yet
        weight_path = cog_path(settings, ind.weights.raster)
        weighted = weighted_zonal(path, weight_path, ind.weights.at_least, areas)
        rows += [
            (ind.code, period, str(r["kode"]), float(r["weighted_sum"]))
            for _, r in weighted.iterrows()
            if r["kode"] in codes and not np.isnan(r["weighted_sum"])
        ]
    return rows


def _value(ind: RasterIndicator, row: pd.Series, raster: RasterDef) -> float | None:
    if ind.statistic == "sum":
        return _number(row["sum"])
    if ind.statistic == "mean":
        return _number(row["mean"])
    shares = _shares(row, raster)
    return sum(shares[str(c)] for c in ind.classes or [])
