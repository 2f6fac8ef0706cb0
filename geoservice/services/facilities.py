"""Importing facility points of one layer from CSV, XLSX or GIS files.

Each row is checked in Python (coordinates, attributes against the layer schema) and then, in
one round trip, by PostGIS: the kelurahan the point falls in, near-duplicates (same layer,
similar name, within 30 m) against the database and within the file, keys that must be unique
in a kelurahan (RT/RW for ``rt``) and per-kelurahan limits (one kantor kelurahan). The
kelurahan code is never read from the input: the database trigger computes it on insert.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection, Engine, text

from geoservice.catalog import LayerDef, is_empty
from geoservice.services.boundaries import INDONESIA_BOUNDS
from geoservice.services.readers import (
    TABLE_SUFFIXES,
    WKB_COLUMN,
    InputError,
    find_column,
    read_table,
    read_vector,
)
from geoservice.services.reports import ImportReport, Severity

LAT_COLUMNS = ("lat", "latitude", "lintang", "y", "koordinat_y")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "bujur", "x", "koordinat_x")
DUPLICATE_DISTANCE_M = 30.0
#: Degrees that span more than DUPLICATE_DISTANCE_M everywhere in Indonesia (|lat| < 11.5):
#: a geometry box of this size lets the GiST index find near-duplicate candidates, which a
#: distance on the geography cast alone cannot; the geography distance then decides.
DUPLICATE_BOX_DEGREES = 0.0005
NAME_SIMILARITY = 0.6

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FacilityOptions:
    """Choices of one ``geoservice import facilities`` command."""

    lat_column: str | None = None
    lon_column: str | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    crs: str | None = None
    layer: str | None = None
    sheet: str | None = None
    status: str = "draft"
    user: str = "import"
    is_sample: bool = False
    allow_duplicates: bool = False
    skip_bad_rows: bool = False


@dataclass
class _Candidate:
    row: int
    lon: float
    lat: float
    attributes: dict[str, Any]


def import_facilities(
    engine: Engine,
    layer: LayerDef,
    path: Path,
    options: FacilityOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check and load the points of ``path`` into ``layer``; returns the row-by-row report."""
    options = options or FacilityOptions()
    progress = progress or (lambda _stage, _done, _total: None)
    progress(f"read {path.name}", 0, 1)
    source = _read(path, options)
    report = ImportReport(
        source=path.name, kind="facilities", rows=len(source.frame), notes=source.notes
    )
    if source.frame.empty:
        report.add(None, "import.no_rows")
        return report
    candidates = _check_rows(source, layer, options, report)
    progress("check", 1, 2)
    with engine.begin() as conn:
        kept = _check_in_database(conn, layer, candidates, options, report)
        report.sort()
        if report.rejected and not options.skip_bad_rows:
            return report
        progress("write", 0, len(kept))
        report.inserted = _insert(conn, layer, kept, options)
        report.written = True
    progress("write", len(kept), len(kept))
    return report


@dataclass
class _Source:
    """What the importer needs of a file: attributes, coordinates, per-row geometry problems."""

    frame: pd.DataFrame
    lons: np.ndarray
    lats: np.ndarray
    first_row: int  # 2 for spreadsheets (row 1 is the header, as the spreadsheet shows it)
    notes: list[tuple[str, dict[str, Any]]]
    problems: list[tuple[str, dict[str, Any]] | None]
    coordinate_columns: tuple[str, str] = ("lat", "lon")


def _read(path: Path, options: FacilityOptions) -> _Source:
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
        return _Source(
            frame=frame.drop(columns=[lat_col, lon_col]),
            lons=_numbers(frame[lon_col]),
            lats=_numbers(frame[lat_col]),
            first_row=2,
            notes=[],
            problems=[None] * len(frame),
            coordinate_columns=(lat_col, lon_col),
        )
    gdf, notes = read_vector(path, layer=options.layer, crs=options.crs)
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
    return _Source(
        frame=pd.DataFrame(gdf.drop(columns=[gdf.geometry.name, WKB_COLUMN], errors="ignore")),
        lons=np.where(is_point, shapely.get_x(geoms), np.nan),
        lats=np.where(is_point, shapely.get_y(geoms), np.nan),
        first_row=1,
        notes=notes,
        problems=problems,
    )


def _numbers(values: pd.Series) -> np.ndarray:
    """Coordinates as floats; accepts decimal commas (``-7,8166``); blanks become NaN."""
    text_values = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text_values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def coordinate_problem(lon: float, lat: float) -> tuple[str, dict[str, Any]] | None:
    """``geom.swapped`` (with the hint) or ``geom.outside_indonesia`` for a point outside
    Indonesia's bounds; None when it is inside them."""
    west, south, east, north = INDONESIA_BOUNDS
    if west <= lon <= east and south <= lat <= north:
        return None
    swapped = west <= lat <= east and south <= lon <= north
    bounds = f"lon {lon:.6f}, lat {lat:.6f}"
    return ("geom.swapped" if swapped else "geom.outside_indonesia"), {"bounds": bounds}


def _check_rows(
    source: _Source, layer: LayerDef, options: FacilityOptions, report: ImportReport
) -> list[_Candidate]:
    frame, lons, lats, first_row = source.frame, source.lons, source.lats, source.first_row
    columns = list(frame.columns)
    listed = ", ".join(columns)
    for mapped_column in options.column_map:
        if mapped_column not in columns:
            raise InputError("file.column_unknown", column=mapped_column, columns=listed)
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
    for i, values in enumerate(records):
        row = first_row + i
        if source.problems[i] is not None:
            key, params = source.problems[i]  # type: ignore[misc]
            report.add(row, key, **params)
            continue
        lon, lat = float(lons[i]), float(lats[i])
        if np.isnan(lon) or np.isnan(lat):
            lat_col, lon_col = source.coordinate_columns
            report.add(row, "coord.missing", lat=lat_col, lon=lon_col)
            continue
        problem = coordinate_problem(lon, lat)
        if problem is not None:
            report.add(row, problem[0], **problem[1])
            continue
        clean, issues = layer.validate_attributes(
            {k: v for k, v in values.items() if not is_empty(v)}
        )
        for issue in issues:
            report.add(row, issue.key, column=issue.field, attribute=issue)
        if not issues:
            candidates.append(_Candidate(row, lon, lat, clean))
    return candidates


_CANDIDATES = """
CREATE TEMPORARY TABLE facility_candidate ON COMMIT DROP AS
SELECT c.row, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326) AS geom, c.name, c.unique_key,
       (SELECT a.code FROM admin_area a
         WHERE a.level = 4 AND ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326))
         ORDER BY a.code LIMIT 1) AS kelurahan_code
  FROM unnest(CAST(:rows AS int[]), CAST(:lons AS float8[]), CAST(:lats AS float8[]),
              CAST(:names AS text[]), CAST(:keys AS text[]))
       AS c(row, lon, lat, name, unique_key)
"""

# Near-duplicates: same layer, within 30 m, names at least 60 % trigram-similar and with the
# same digits (so "Posyandu Melati 1" and "Posyandu Melati 2" are not duplicates).
_SIMILAR = """
similarity(lower({a}), lower({b})) >= :similarity
AND regexp_replace({a}, '[^0-9]', '', 'g') = regexp_replace({b}, '[^0-9]', '', 'g')
"""

_DUPLICATES_IN_DB = f"""
SELECT c.row, f.id, f.attributes ->> :name_attr,
       ST_Distance(c.geom::geography, f.geom::geography)
  FROM facility_candidate c
  JOIN facility f
    ON f.geom && ST_Expand(c.geom, :box)
   AND f.layer_id = :layer AND f.deleted_at IS NULL
   AND ST_DWithin(c.geom::geography, f.geom::geography, :distance)
 WHERE c.name IS NOT NULL AND f.attributes ? :name_attr
   AND {_SIMILAR.format(a="c.name", b="f.attributes ->> :name_attr")}
 ORDER BY c.row, 4
"""

_DUPLICATES_IN_FILE = f"""
SELECT c.row, d.row, d.name, ST_Distance(c.geom::geography, d.geom::geography)
  FROM facility_candidate c
  JOIN facility_candidate d
    ON d.row < c.row AND ST_DWithin(c.geom::geography, d.geom::geography, :distance)
 WHERE c.name IS NOT NULL AND d.name IS NOT NULL
   AND {_SIMILAR.format(a="c.name", b="d.name")}
 ORDER BY c.row, 4
"""

_KEY_IN_DB = """
SELECT c.row, f.id
  FROM facility_candidate c
  JOIN facility f
    ON f.layer_id = :layer AND f.deleted_at IS NULL AND f.kelurahan_code = c.kelurahan_code
   AND (SELECT string_agg(f.attributes ->> k, '|' ORDER BY o)
          FROM unnest(CAST(:key_fields AS text[])) WITH ORDINALITY AS u(k, o)) = c.unique_key
"""

_EXISTING_PER_KELURAHAN = """
SELECT kelurahan_code, count(*) FROM facility
 WHERE layer_id = :layer AND deleted_at IS NULL AND kelurahan_code = ANY(:codes)
 GROUP BY kelurahan_code
"""


def _check_in_database(
    conn: Connection,
    layer: LayerDef,
    candidates: list[_Candidate],
    options: FacilityOptions,
    report: ImportReport,
) -> list[tuple[_Candidate, str]]:
    """PostGIS checks; returns the candidates that passed, with their kelurahan code."""
    if not candidates:
        return []
    key_fields = layer.unique_within_kelurahan
    names = [_name(c, layer) for c in candidates]
    keys = [
        "|".join(str(c.attributes[k]) for k in key_fields) if key_fields else None
        for c in candidates
    ]
    conn.execute(
        text(_CANDIDATES),
        {
            "rows": [c.row for c in candidates],
            "lons": [c.lon for c in candidates],
            "lats": [c.lat for c in candidates],
            "names": names,
            "keys": keys,
        },
    )
    kelurahan: dict[int, str | None] = dict(
        conn.execute(text("SELECT row, kelurahan_code FROM facility_candidate")).all()  # type: ignore[arg-type]
    )
    bad: set[int] = set()
    for c in candidates:
        if kelurahan.get(c.row) is None:
            report.add(c.row, "point.outside_kelurahan")
            bad.add(c.row)

    params = {
        "layer": layer.id,
        "name_attr": layer.name_attribute,
        "distance": DUPLICATE_DISTANCE_M,
        "box": DUPLICATE_BOX_DEGREES,
        "similarity": NAME_SIMILARITY,
    }
    severity: Severity = "warning" if options.allow_duplicates else "error"
    in_db = [
        (row, f"id {other}", name, distance)
        for row, other, name, distance in conn.execute(text(_DUPLICATES_IN_DB), params)
    ]
    in_file = [
        (row, f"row {other}", name, distance)
        for row, other, name, distance in conn.execute(text(_DUPLICATES_IN_FILE), params)
    ]
    for row, other, name, distance in in_db + in_file:
        report.add(
            row,
            "point.near_duplicate",
            severity=severity,
            name=name,
            other=other,
            distance=distance,
        )
        if not options.allow_duplicates:
            bad.add(row)

    by_row = {c.row: (c, key) for c, key in zip(candidates, keys, strict=True)}
    if key_fields:
        rows_in_db = conn.execute(
            text(_KEY_IN_DB), {"layer": layer.id, "key_fields": key_fields}
        ).all()
        for row, other_id in rows_in_db:
            _key_issue(report, layer, by_row[row][0], str(kelurahan[row]), f"id {other_id}")
            bad.add(row)
        first_seen: dict[tuple[str, str], int] = {}
        for c, key in zip(candidates, keys, strict=True):
            kel = kelurahan.get(c.row)
            if kel is None or key is None:
                continue
            if (kel, key) in first_seen:
                _key_issue(report, layer, c, kel, f"row {first_seen[(kel, key)]}")
                bad.add(c.row)
            else:
                first_seen[(kel, key)] = c.row

    if layer.max_per_kelurahan is not None:
        codes = sorted({k for k in kelurahan.values() if k})
        existing: dict[str, int] = dict(
            conn.execute(text(_EXISTING_PER_KELURAHAN), {"layer": layer.id, "codes": codes}).all()
        )
        for c in candidates:
            kel = kelurahan.get(c.row)
            if kel is None or c.row in bad:
                continue
            existing[kel] = existing.get(kel, 0) + 1
            if existing[kel] > layer.max_per_kelurahan:
                report.add(
                    c.row, "point.max_per_kelurahan", limit=layer.max_per_kelurahan, kelurahan=kel
                )
                bad.add(c.row)
    # every candidate without a kelurahan is in ``bad``
    return [(c, str(kelurahan[c.row])) for c in candidates if c.row not in bad]


def _key_issue(report: ImportReport, layer: LayerDef, c: _Candidate, kel: str, other: str) -> None:
    fields = layer.unique_within_kelurahan
    report.add(
        c.row,
        "point.duplicate_key",
        fields="/".join(f.upper() for f in fields),
        values="/".join(str(c.attributes[f]) for f in fields),
        kelurahan=kel,
        other=other,
    )


def _name(candidate: _Candidate, layer: LayerDef) -> str | None:
    value = candidate.attributes.get(layer.name_attribute)
    if value is None:
        return None
    return re.sub(r"\s+", " ", str(value)).strip() or None


_INSERT = """
INSERT INTO facility (layer_id, geom, attributes, status, is_sample, created_by, updated_by)
SELECT :layer, ST_SetSRID(ST_MakePoint(lon, lat), 4326), CAST(attrs AS jsonb), :status,
       :is_sample, :user, :user
  FROM unnest(CAST(:lons AS float8[]), CAST(:lats AS float8[]), CAST(:attrs AS text[]))
       AS t(lon, lat, attrs)
"""


def _insert(
    conn: Connection, layer: LayerDef, kept: list[tuple[_Candidate, str]], options: FacilityOptions
) -> int:
    if not kept:
        return 0
    conn.execute(
        text(_INSERT),
        {
            "layer": layer.id,
            "status": options.status,
            "is_sample": options.is_sample,
            "user": options.user,
            "lons": [c.lon for c, _ in kept],
            "lats": [c.lat for c, _ in kept],
            "attrs": [json.dumps(c.attributes, ensure_ascii=False) for c, _ in kept],
        },
    )
    return len(kept)
