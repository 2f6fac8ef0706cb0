"""Importing facility points of one layer from CSV, XLSX or GIS files.

Each row is checked in Python (coordinates, attributes against the layer schema) and then by
PostGIS: the kelurahan the point falls in, the layer's ``name_matches_kelurahan`` rule
(:mod:`~geoservice.services.place_names`), near-duplicates within the layer's radius
(:mod:`~geoservice.services.points.rules`) against the database and within the file, keys that
must be unique in a kelurahan (RT/RW for ``rt``) and per-kelurahan limits (one kantor
kelurahan, where competing rows are decided by their names). Near-duplicates of stored points
are loaded and queued for the walidata's review (``review_item``) rather than rejected. With
``id_column`` the source's own ids are kept on the points, and a re-import updates them. The
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
from geoservice.services.imports.readers import (
    TABLE_SUFFIXES,
    WKB_COLUMN,
    InputError,
    find_column,
    read_table,
    read_vector,
)
from geoservice.services.imports.reports import ImportReport, Severity
from geoservice.services.place_names import FORMER_MARKERS, Gazetteers, NameCheck, check_name
from geoservice.services.points.rules import (
    SAME_PLACE_M,
    box_degrees,
    coordinate_problem,
    duplicate_pairs,
    lost_decimals,
)

LAT_COLUMNS = ("lat", "latitude", "lintang", "y", "koordinat_y")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "bujur", "x", "koordinat_x")

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FacilityOptions:
    """Choices of one ``geoservice import facilities`` command."""

    lat_column: str | None = None
    lon_column: str | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    crs: str | None = None
    #: let ``crs`` override the CRS the file declares
    force_crs: bool = False
    layer: str | None = None
    sheet: str | None = None
    status: str = "draft"
    user: str = "import"
    is_sample: bool = False
    allow_duplicates: bool = False
    skip_bad_rows: bool = False
    #: column holding the source's own id of each point: a re-import updates those points
    id_column: str | None = None


@dataclass
class _Candidate:
    row: int
    lon: float
    lat: float
    attributes: dict[str, Any]
    external_id: str | None = None


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
        _write(conn, layer, kept, options, report)
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
    #: the coordinate cells as the file has them (tables only), quoted in row errors
    cells: list[str] | None = None


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
    return _Source(
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
    return pd.to_numeric(text_values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _check_rows(
    source: _Source, layer: LayerDef, options: FacilityOptions, report: ImportReport
) -> list[_Candidate]:
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
            candidates.append(_Candidate(row, lon, lat, clean, external_id))
    return candidates


def _external_id(value: Any) -> str | None:
    """A cell as an external id: text, spreadsheet integers without ``.0``; None when empty."""
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


_CANDIDATES = """
CREATE TEMPORARY TABLE facility_candidate ON COMMIT DROP AS
SELECT c.row, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326) AS geom, c.name, c.unique_key,
       c.external_id,
       (SELECT a.code FROM admin_area a
         WHERE a.level = 4 AND ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326))
         ORDER BY a.code LIMIT 1) AS kelurahan_code
  FROM unnest(CAST(:rows AS int[]), CAST(:lons AS float8[]), CAST(:lats AS float8[]),
              CAST(:names AS text[]), CAST(:keys AS text[]), CAST(:external_ids AS text[]))
       AS c(row, lon, lat, name, unique_key, external_id)
"""

# Pairs within the layer's radius; geoservice.services.points.rules decides which are duplicates.
# Points the file itself updates (same external id) are not compared with their old version.
_NEAR_IN_DB = """
SELECT c.row, f.id, f.attributes ->> :name_attr,
       ST_Distance(c.geom::geography, f.geom::geography)
  FROM facility_candidate c
  JOIN facility f
    ON f.geom && ST_Expand(c.geom, :box)
   AND f.layer_id = :layer AND f.deleted_at IS NULL
   AND ST_DWithin(c.geom::geography, f.geom::geography, :distance)
 WHERE c.name IS NOT NULL AND f.attributes ? :name_attr
   AND NOT EXISTS (SELECT 1 FROM facility_candidate x WHERE x.external_id = f.external_id)
 ORDER BY c.row, 4
"""

_NEAR_IN_FILE = """
SELECT c.row, d.row, d.name, ST_Distance(c.geom::geography, d.geom::geography)
  FROM facility_candidate c
  JOIN facility_candidate d
    ON d.row < c.row AND ST_DWithin(c.geom::geography, d.geom::geography, :distance)
 WHERE c.name IS NOT NULL AND d.name IS NOT NULL
 ORDER BY c.row, 4
"""

_KEY_IN_DB = """
SELECT c.row, f.id
  FROM facility_candidate c
  JOIN facility f
    ON f.layer_id = :layer AND f.deleted_at IS NULL AND f.kelurahan_code = c.kelurahan_code
   AND NOT EXISTS (SELECT 1 FROM facility_candidate x WHERE x.external_id = f.external_id)
   AND (SELECT string_agg(f.attributes ->> k, '|' ORDER BY o)
          FROM unnest(CAST(:key_fields AS text[])) WITH ORDINALITY AS u(k, o)) = c.unique_key
"""

# Points already stored per kelurahan, leaving out those the file updates by external id.
_EXISTING_PER_KELURAHAN = """
SELECT kelurahan_code, array_agg(id ORDER BY id) FROM facility
 WHERE layer_id = :layer AND deleted_at IS NULL AND kelurahan_code = ANY(:codes)
   AND (external_id IS NULL OR NOT external_id = ANY(CAST(:external_ids AS text[])))
 GROUP BY kelurahan_code
"""


@dataclass
class _Checked:
    """A candidate that passed the checks: its kelurahan, and the stored points it is a
    near-duplicate of (for the walidata's review queue)."""

    candidate: _Candidate
    kelurahan: str
    review: list[tuple[int, float]] = field(default_factory=list)


def _check_in_database(
    conn: Connection,
    layer: LayerDef,
    candidates: list[_Candidate],
    options: FacilityOptions,
    report: ImportReport,
) -> list[_Checked]:
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
            "external_ids": [c.external_id for c in candidates],
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
    name_of = {c.row: n for c, n in zip(candidates, names, strict=True)}
    gazetteers = Gazetteers(conn)
    checks = _check_names(layer, candidates, kelurahan, name_of, gazetteers, report, bad)
    review = _check_duplicates(conn, layer, options, name_of, report, bad)

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
        _compete(conn, layer, candidates, kelurahan, checks, name_of, gazetteers, report, bad)
    # every candidate without a kelurahan is in ``bad``
    return [
        _Checked(c, str(kelurahan[c.row]), review.get(c.row, []))
        for c in candidates
        if c.row not in bad
    ]


def _check_names(
    layer: LayerDef,
    candidates: list[_Candidate],
    kelurahan: dict[int, str | None],
    name_of: dict[int, str | None],
    gazetteers: Gazetteers,
    report: ImportReport,
    bad: set[int],
) -> dict[int, NameCheck]:
    """``name_matches_kelurahan``: each name against the kelurahan its point lies in."""
    rule = layer.name_matches_kelurahan
    checks: dict[int, NameCheck] = {}
    if rule is None:
        return checks
    for c in candidates:
        kel, name = kelurahan.get(c.row), name_of[c.row]
        if kel is None or name is None:
            continue
        area = gazetteers.area(kel)
        if area is None:
            continue
        check = check_name(name, rule, area, gazetteers.of(kel))
        checks[c.row] = check
        found = check.issue(name)
        if found is not None:
            severity, key, params = found
            report.add(
                c.row, key, severity=severity, code=kel, column=layer.name_attribute, **params
            )
            if severity == "error":
                bad.add(c.row)
    return checks


def _check_duplicates(
    conn: Connection,
    layer: LayerDef,
    options: FacilityOptions,
    name_of: dict[int, str | None],
    report: ImportReport,
    bad: set[int],
) -> dict[int, list[tuple[int, float]]]:
    """Near-duplicates (see :mod:`geoservice.services.points.rules`).

    Within the file: errors (warnings with ``allow_duplicates``). Against the database: a point
    at the same coordinates with a similar name is an error (the file was loaded before: use
    ``--id-column`` to update it); any other is loaded and left for the walidata's review
    queue (a warning). Returns, per row, the stored points to review it against."""
    radius = layer.duplicate_radius_m
    params = {
        "layer": layer.id,
        "name_attr": layer.name_attribute,
        "distance": radius,
        "box": box_degrees(radius),
    }
    in_db = conn.execute(text(_NEAR_IN_DB), params).all()
    in_file = conn.execute(text(_NEAR_IN_FILE), params).all()
    decided = duplicate_pairs(
        conn,
        [(str(name_of[row]), str(name), float(d)) for row, _, name, d in [*in_db, *in_file]],
    )
    review: dict[int, list[tuple[int, float]]] = {}
    pairs = [(*pair, True) for pair in in_db] + [(*pair, False) for pair in in_file]
    for (row, other, name, distance, from_db), (duplicate, _) in zip(pairs, decided, strict=True):
        if not duplicate:
            continue
        if from_db and distance < SAME_PLACE_M and not options.allow_duplicates:
            report.add(row, "point.already_stored", name=name, other=other)
            bad.add(row)
        elif from_db:
            review.setdefault(row, []).append((int(other), float(distance)))
            report.add(
                row,
                "point.near_duplicate_review",
                severity="warning",
                name=name,
                other=other,
                distance=distance,
            )
        else:
            severity: Severity = "warning" if options.allow_duplicates else "error"
            report.add(
                row,
                "point.near_duplicate_in_file",
                severity=severity,
                name=name,
                other=other,
                distance=distance,
            )
            if not options.allow_duplicates:
                bad.add(row)
    return review


def _compete(
    conn: Connection,
    layer: LayerDef,
    candidates: list[_Candidate],
    kelurahan: dict[int, str | None],
    checks: dict[int, NameCheck],
    name_of: dict[int, str | None],
    gazetteers: Gazetteers,
    report: ImportReport,
    bad: set[int],
) -> None:
    """``max_per_kelurahan``: rows competing for the places of one kelurahan.

    A kelurahan whose places the database already fills rejects every row (naming the stored
    points). Otherwise, when more rows than places remain, every competitor is reported with
    the kelurahan (name and code) and all their row numbers; the rows whose name fits (see
    :mod:`~geoservice.services.place_names`; without the rule: names without a former-office
    marker) win when they are no more than the places left, and the others lose. A former
    office (``EKS KANTOR LURAH …``) or a name of another place never displaces a fitting one;
    when no row, or too many, fit, none is kept.
    """
    limit = layer.max_per_kelurahan
    assert limit is not None
    groups: dict[str, list[_Candidate]] = {}
    for c in candidates:
        kel = kelurahan.get(c.row)
        if kel is not None and c.row not in bad:
            groups.setdefault(kel, []).append(c)
    if not groups:
        return
    stored: dict[str, list[int]] = dict(
        conn.execute(
            text(_EXISTING_PER_KELURAHAN),
            {
                "layer": layer.id,
                "codes": sorted(groups),
                "external_ids": [c.external_id for c in candidates if c.external_id],
            },
        ).all()  # type: ignore[arg-type]
    )
    for kel, rows in groups.items():
        ids = stored.get(kel, [])
        places = limit - len(ids)
        if len(rows) <= places:
            continue
        area = gazetteers.area(kel)
        where = f"{area.name} ({kel})" if area is not None else kel
        if places <= 0:
            for c in rows:
                report.add(
                    c.row,
                    "point.kelurahan_full",
                    code=kel,
                    kelurahan=where,
                    limit=limit,
                    ids=", ".join(str(i) for i in ids),
                )
                bad.add(c.row)
            continue
        fitting = [c for c in rows if _fits(layer, checks.get(c.row), name_of[c.row])]
        winners = fitting if 0 < len(fitting) <= places else []
        listed = ", ".join(str(c.row) for c in rows)
        for c in rows:
            if c in winners:
                report.add(
                    c.row,
                    "point.competition_kept",
                    severity="warning",
                    code=kel,
                    kelurahan=where,
                    limit=limit,
                    rows=listed,
                )
                continue
            key = "point.competition_lost" if winners else "point.competition_none"
            report.add(
                c.row,
                key,
                code=kel,
                kelurahan=where,
                limit=limit,
                rows=listed,
                kept=", ".join(str(w.row) for w in winners),
            )
            bad.add(c.row)


def _fits(layer: LayerDef, check: NameCheck | None, name: str | None) -> bool:
    """The row may win a place: its name fits the kelurahan (or, without the layer's name
    rule, carries no former-office marker)."""
    if layer.name_matches_kelurahan is not None:
        return check is not None and check.fits
    words = set(re.findall(r"[a-z]+", (name or "").lower()))
    return not words & FORMER_MARKERS


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
INSERT INTO facility (id, layer_id, geom, attributes, status, is_sample, created_by, updated_by,
                      external_id)
SELECT id, :layer, ST_SetSRID(ST_MakePoint(lon, lat), 4326), CAST(attrs AS jsonb), :status,
       :is_sample, :user, :user, external_id
  FROM unnest(CAST(:ids AS bigint[]), CAST(:lons AS float8[]), CAST(:lats AS float8[]),
              CAST(:attrs AS text[]), CAST(:external_ids AS text[]))
       AS t(id, lon, lat, attrs, external_id)
"""

# A corrected file updates the points it loaded before (matched by external id): a new version
# in their history when position or attributes changed; they become drafts again (as after an
# edit) unless --status says otherwise.
_UPDATE_BY_EXTERNAL_ID = """
WITH incoming AS (
    SELECT * FROM unnest(CAST(:external_ids AS text[]), CAST(:lons AS float8[]),
                         CAST(:lats AS float8[]), CAST(:attrs AS text[]))
             AS t(external_id, lon, lat, attrs)
)
UPDATE facility f
   SET geom = ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326), attributes = CAST(i.attrs AS jsonb),
       status = :status, rejection_reason = NULL, updated_by = :user
  FROM incoming i
 WHERE f.layer_id = :layer AND f.deleted_at IS NULL AND f.external_id = i.external_id
   AND (NOT ST_Equals(f.geom, ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326))
        OR f.attributes <> CAST(i.attrs AS jsonb))
RETURNING f.external_id
"""

_REVIEW = """
INSERT INTO review_item (kind, layer_id, facility_id, other_id, kelurahan_code, distance_m,
                         source, created_by)
SELECT 'near_duplicate', :layer, facility_id, other_id, kelurahan_code, distance_m, :source,
       :user
  FROM unnest(CAST(:facility_ids AS bigint[]), CAST(:other_ids AS bigint[]),
              CAST(:codes AS text[]), CAST(:distances AS float8[]))
       AS r(facility_id, other_id, kelurahan_code, distance_m)
"""


def _write(
    conn: Connection,
    layer: LayerDef,
    kept: list[_Checked],
    options: FacilityOptions,
    report: ImportReport,
) -> None:
    """Insert the new points, update those known by external id, queue the reviews."""
    if not kept:
        return
    known: set[str] = set()
    external_ids = [k.candidate.external_id for k in kept if k.candidate.external_id]
    if external_ids:
        known = set(
            conn.execute(
                text(
                    "SELECT external_id FROM facility WHERE layer_id = :layer "
                    "AND deleted_at IS NULL AND external_id = ANY(:ids)"
                ),
                {"layer": layer.id, "ids": external_ids},
            ).scalars()
        )
    updates = [k for k in kept if k.candidate.external_id in known]
    inserts = [k for k in kept if k.candidate.external_id not in known]
    if updates:
        changed = conn.execute(
            text(_UPDATE_BY_EXTERNAL_ID),
            {
                "layer": layer.id,
                "status": options.status,
                "user": options.user,
                "external_ids": [k.candidate.external_id for k in updates],
                "lons": [k.candidate.lon for k in updates],
                "lats": [k.candidate.lat for k in updates],
                "attrs": [_json(k.candidate.attributes) for k in updates],
            },
        ).all()
        report.updated = len(changed)
        report.unchanged = len(updates) - len(changed)
    if not inserts:
        return
    ids = (
        conn.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence('facility', 'id')) "
                "FROM generate_series(1, :n)"
            ),
            {"n": len(inserts)},
        )
        .scalars()
        .all()
    )
    conn.execute(
        text(_INSERT),
        {
            "layer": layer.id,
            "status": options.status,
            "is_sample": options.is_sample,
            "user": options.user,
            "ids": ids,
            "lons": [k.candidate.lon for k in inserts],
            "lats": [k.candidate.lat for k in inserts],
            "attrs": [_json(k.candidate.attributes) for k in inserts],
            "external_ids": [k.candidate.external_id for k in inserts],
        },
    )
    report.inserted = len(inserts)
    reviews = [
        (new_id, other, k.kelurahan, distance)
        for new_id, k in zip(ids, inserts, strict=True)
        for other, distance in k.review
    ]
    if reviews:
        conn.execute(
            text(_REVIEW),
            {
                "layer": layer.id,
                "source": report.source,
                "user": options.user,
                "facility_ids": [r[0] for r in reviews],
                "other_ids": [r[1] for r in reviews],
                "codes": [r[2] for r in reviews],
                "distances": [r[3] for r in reviews],
            },
        )
        report.reviews = len(reviews)


def _json(attributes: dict[str, Any]) -> str:
    return json.dumps(attributes, ensure_ascii=False)
