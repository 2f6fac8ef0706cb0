"""Reading facility rows and checking each in Python: the file read (CSV, XLSX or GIS), the
coordinate columns found, coordinates parsed (decimal commas) and inside Indonesia, attributes
against the layer schema, the source's own ids."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely

from geoservice.catalog import LayerDef, is_empty
from geoservice.services.imports.readers import (
    TABLE_SUFFIXES,
    WKB_COLUMN,
    InputError,
    find_column,
    read_table,
    read_vector,
)
from geoservice.services.imports.reports import ImportReport
from geoservice.services.points.rules import coordinate_problem, lost_decimals

if TYPE_CHECKING:  # the importer's options: only annotated here
    from geoservice.services.imports.facilities import FacilityOptions

LAT_COLUMNS = ("lat", "latitude", "lintang", "y", "koordinat_y")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "bujur", "x", "koordinat_x")


@dataclass
class Candidate:
    """A row that passed the checks in Python: its coordinates, clean attributes, source id."""

    row: int
    lon: float
    lat: float
    attributes: dict[str, Any]
    external_id: str | None = None


@dataclass
class Source:
    """What the importer needs of a file: attributes, coordinates, per-row geometry problems."""

    frame: pd.DataFrame
    lons: np.ndarray
    lats: np.ndarray
    first_row: int  # 2 for spreadsheets (row 1 is the header, as the spreadsheet shows it)
    notes: list[tuple[str, dict[str, Any]]]
    problems: list[tuple[str, dict[str, Any]] | None]
    coordinate_columns: tuple[str, str] = ("lat", "lon")
    #: the coordinate cells as the file has them (tables only), quoted in row errors
    cells: list[str] | None = None


def read_source(path: Path, options: FacilityOptions) -> Source:
    """The rows of a table (its lat/lon columns) or of a GIS file (its points); InputError
    when a coordinate column is missing or unknown."""
    if path.suffix.lower() in TABLE_SUFFIXES:
        frame = read_table(path, sheet=options.sheet)
        columns = list(frame.columns)
        listed = ", ".join(columns) or "-"
        lat_col = options.lat_column or find_column(columns, LAT_COLUMNS)
        lon_col = options.lon_column or find_column(columns, LON_COLUMNS)
        for col, what, option in (
            (lat_col, "lat", "--lat-column"),
            (lon_col, "lon", "--lon-column"),
        ):
            if col is None:
                raise InputError("file.column_missing", what=what, columns=listed, option=option)
            if col not in columns:
                raise InputError("file.column_unknown", column=col, columns=listed)
        assert lat_col is not None and lon_col is not None
        return Source(
            frame=frame.drop(columns=[lat_col, lon_col]),
            lons=_numbers(frame[lon_col]),
            lats=_numbers(frame[lat_col]),
            first_row=2,
            notes=[],
            problems=[None] * len(frame),
            coordinate_columns=(lat_col, lon_col),
            cells=[
                f"{_cell(a)} / {_cell(b)}"
                for a, b in zip(frame[lat_col].tolist(), frame[lon_col].tolist(), strict=True)
            ],
        )
    gdf, notes = read_vector(
        path, layer=options.layer, crs=options.crs, force_crs=options.force_crs
    )
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    is_point = ~missing & (shapely.get_type_id(geoms) == 0)
    problems: list[tuple[str, dict[str, Any]] | None] = [
        None
        if ok
        else ("geom.missing", {})
        if gone
        else ("geom.not_point", {"geom_type": geom.geom_type})
        for ok, gone, geom in zip(is_point, missing, geoms, strict=True)
    ]
    return Source(
        frame=pd.DataFrame(gdf.drop(columns=[gdf.geometry.name, WKB_COLUMN], errors="ignore")),
        lons=np.where(is_point, shapely.get_x(geoms), np.nan),
        lats=np.where(is_point, shapely.get_y(geoms), np.nan),
        first_row=1,
        notes=notes,
        problems=problems,
    )


def _cell(value: Any) -> str:
    return "" if is_empty(value) else str(value).strip()


def _numbers(values: pd.Series) -> np.ndarray:
    """Coordinates as floats; accepts decimal commas (``-7,8166``); blanks become NaN."""
    text_values = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    numbers: np.ndarray = pd.to_numeric(text_values, errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    return numbers


def check_rows(
    source: Source, layer: LayerDef, options: FacilityOptions, report: ImportReport
) -> list[Candidate]:
    """The rows whose coordinates and attributes pass; every problem reported on its row."""
    frame, lons, lats, first_row = source.frame, source.lons, source.lats, source.first_row
    columns = list(frame.columns)
    listed = ", ".join(columns)
    for mapped_column in options.column_map:
        if mapped_column not in columns:
            raise InputError("file.column_unknown", column=mapped_column, columns=listed)
    if options.id_column is not None and options.id_column not in columns:
        raise InputError("file.column_unknown", column=options.id_column, columns=listed)
    external_ids = (
        [_external_id(v) for v in frame[options.id_column].tolist()]
        if options.id_column is not None
        else [None] * len(frame)
    )
    columns = [c for c in columns if c != options.id_column]
    rename: dict[str, str] = {}
    for col in columns:
        target = options.column_map.get(col)
        if target is None and col.lower() in layer.attributes:
            target = col.lower()
        if target is not None:
            rename[col] = target
    ignored = [c for c in columns if c not in rename]
    if ignored:
        report.notes.append(("import.ignored_columns", {"columns": ", ".join(ignored)}))
    mapped = frame[list(rename)].rename(columns=rename)

    candidates = []
    records = mapped.to_dict(orient="records")
    first_with_id: dict[str, int] = {}
    for i, values in enumerate(records):
        row = first_row + i
        external_id = external_ids[i]
        if options.id_column is not None:
            if external_id is None:
                report.add(row, "point.id_missing", column=options.id_column)
                continue
            if external_id in first_with_id:
                report.add(
                    row,
                    "point.id_repeated",
                    column=options.id_column,
                    value=external_id,
                    other=first_with_id[external_id],
                )
                continue
            first_with_id[external_id] = row
        if source.problems[i] is not None:
            key, params = source.problems[i]  # type: ignore[misc]
            report.add(row, key, **params)
            continue
        lon, lat = float(lons[i]), float(lats[i])
        lat_col, lon_col = source.coordinate_columns
        cells = source.cells[i] if source.cells is not None else None
        if np.isnan(lon) or np.isnan(lat):
            report.add(row, "coord.missing", lat=lat_col, lon=lon_col, cells=cells or "-")
            continue
        problem = coordinate_problem(lon, lat)
        if problem is not None and cells is not None and lost_decimals(lon, lat):
            report.add(row, "coord.lost_decimal", cells=cells, lat=lat_col, lon=lon_col)
            continue
        if problem is not None:
            report.add(row, problem[0], **problem[1])
            continue
        clean, issues = layer.validate_attributes(
            {k: v for k, v in values.items() if not is_empty(v)}
        )
        for issue in issues:
            report.add(row, issue.key, column=issue.field, attribute=issue)
        if not issues:
            candidates.append(Candidate(row, lon, lat, clean, external_id))
    return candidates


def _external_id(value: Any) -> str | None:
    """A cell as an external id: text, spreadsheet integers without ``.0``; None when empty."""
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None
