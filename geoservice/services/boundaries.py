"""Importing administrative boundaries (provinsi to desa/kelurahan) from GIS files.

Every row is checked before anything is written: Kemendagri code (format, level, desa/kelurahan
kind), name, geometry type, coordinates inside Indonesia (and a hint when they look like swapped
lat/lon), validity (repaired with ``make_valid`` and reported), duplicates, and that each parent
exists in the database or in the same import (or is derived by dissolving its children). The
checks run vectorized with shapely, so the whole country (83,246 polygons) is checked in seconds.

Then all files of one command are written in one transaction: a binary COPY into a staging table
and one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE IS DISTINCT FROM`` upsert, so a re-import
changes only what changed and a failure leaves the table as it was.
"""

from __future__ import annotations

import functools
import os
import struct
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection, Engine, text

from geoservice import codes
from geoservice.db.models import CODE_PATTERNS
from geoservice.services.readers import InputError, find_column, read_vector
from geoservice.services.reports import ImportReport

#: Indonesia with a margin: lon 94..142 E, lat 11.5 S..6.5 N.
INDONESIA_BOUNDS = (94.0, -11.5, 142.0, 6.5)

GENERIC_CODE_COLUMNS = ("kode", "kode_wilayah", "kd_wilayah", "kode_kemendagri", "code")
LEVEL_CODE_COLUMNS: dict[int, tuple[str, ...]] = {
    4: ("kdepum", "kode_desa", "kode_kel", "kode_kelurahan", "kd_desa", "kd_kel"),
    3: ("kdcpum", "kode_kec", "kode_kecamatan", "kd_kec"),
    2: ("kdpkab", "kode_kab", "kode_kabkota", "kode_kota", "kd_kab"),
    1: ("kdppum", "kode_prov", "kode_provinsi", "kd_prov"),
}
GENERIC_NAME_COLUMNS = ("nama", "name", "namobj", "nama_wilayah")
LEVEL_NAME_COLUMNS: dict[int, tuple[str, ...]] = {
    4: ("wadmkd", "nama_desa", "nama_kel", "nama_kelurahan", "desa", "kelurahan"),
    3: ("wadmkc", "nama_kec", "nama_kecamatan", "kecamatan"),
    2: ("wadmkk", "nama_kab", "nama_kabkota", "nama_kota", "kabupaten", "kota"),
    1: ("wadmpr", "nama_prov", "nama_provinsi", "provinsi"),
}

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BoundaryOptions:
    """Choices of one ``geoservice import boundaries`` command."""

    level: int | None = None
    code_column: str | None = None
    name_column: str | None = None
    crs: str | None = None
    layer: str | None = None
    derive_parents: bool = False
    skip_bad_rows: bool = False


@dataclass
class _Prepared:
    """The rows of one file that passed the checks."""

    report: ImportReport
    #: row, code, name, level, kind, parent_code, geometry, source, derived, and ``pname<L>``:
    #: the name of the level-L area the row lies in, when the file has such a column (RBI style).
    frame: pd.DataFrame


def import_boundaries(
    engine: Engine,
    paths: list[Path],
    options: BoundaryOptions | None = None,
    progress: Progress | None = None,
) -> list[ImportReport]:
    """Check and load boundary files; one report per file, all written in one transaction.

    Nothing is written when any row is rejected, unless ``skip_bad_rows`` is set; a file that
    cannot be read raises :class:`InputError` before anything is written.
    """
    options = options or BoundaryOptions()
    progress = progress or (lambda _stage, _done, _total: None)
    prepared: list[_Prepared] = []
    for index, path in enumerate(paths):
        progress(f"read {path.name}", index, len(paths))
        gdf, notes = read_vector(path, layer=options.layer, crs=options.crs)
        report = ImportReport(source=path.name, kind="boundaries", rows=len(gdf), notes=notes)
        prepared.append(_prepare(gdf, path.name, options, report))
    progress("check", len(paths), len(paths))

    _reject_duplicates_across_files(prepared)
    with engine.connect() as conn:
        _check_parents(conn, prepared, options)

    reports = [p.report for p in prepared]
    for report in reports:
        report.sort()
    if any(r.rejected for r in reports) and not options.skip_bad_rows:
        return reports
    rows = pd.concat([p.frame for p in prepared], ignore_index=True)
    if rows.empty:
        return reports
    progress("write", 0, len(rows))
    with engine.begin() as conn:
        counts = _write(conn, rows)
    progress("write", len(rows), len(rows))
    for p in prepared:
        p.report.written = True
        mine = counts[counts["source"] == p.report.source]
        p.report.inserted = int(mine["inserted"].sum())
        p.report.updated = int(mine["updated"].sum())
        p.report.unchanged = int(len(p.frame) - p.report.inserted - p.report.updated)
    return reports


# -- checks --------------------------------------------------------------------------------------


def _choose_columns(
    gdf: gpd.GeoDataFrame, options: BoundaryOptions
) -> tuple[str, str, dict[int, str]]:
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    listed = ", ".join(columns) or "-"
    for value in (options.code_column, options.name_column):
        if value is not None and value not in columns:
            raise InputError("file.column_unknown", column=value, columns=listed)
    code_col = options.code_column
    if code_col is None:
        order = GENERIC_CODE_COLUMNS
        levels = (options.level,) if options.level else (4, 3, 2, 1)
        for level in levels:
            order += LEVEL_CODE_COLUMNS[level]  # type: ignore[index]
        code_col = find_column(columns, order)
    if code_col is None:
        raise InputError("file.column_missing", what="kode", columns=listed, option="--code-column")
    level_hint = options.level or next(
        (lvl for lvl, names in LEVEL_CODE_COLUMNS.items() if code_col.lower() in names), None
    )
    name_col = options.name_column
    if name_col is None:
        order = GENERIC_NAME_COLUMNS + (LEVEL_NAME_COLUMNS[level_hint] if level_hint else ())
        name_col = find_column(columns, order)
    if name_col is None:
        raise InputError("file.column_missing", what="nama", columns=listed, option="--name-column")
    parent_name_cols = {
        level: col
        for level, names in LEVEL_NAME_COLUMNS.items()
        if (col := find_column(columns, names)) is not None and col != name_col
    }
    return code_col, name_col, parent_name_cols


def _prepare(
    gdf: gpd.GeoDataFrame, source: str, options: BoundaryOptions, report: ImportReport
) -> _Prepared:
    code_col, name_col, parent_name_cols = _choose_columns(gdf, options)
    n = len(gdf)
    rownum = np.arange(1, n + 1)
    ok = np.ones(n, dtype=bool)

    # codes and levels: already-clean codes are checked vectorized, the rest one by one
    raw_codes = gdf[code_col]
    clean = raw_codes.astype("string").str.strip()
    fast = clean.str.fullmatch("|".join(f"(?:{p[1:-1]})" for p in CODE_PATTERNS.values()))
    fast = fast.fillna(False).to_numpy(dtype=bool)
    codes_out: list[str | None] = clean.where(fast).astype(object).tolist()
    levels = np.where(fast, clean.str.count(r"\.").fillna(0).to_numpy(dtype=np.int16) + 1, 0)
    levels = levels.astype(np.int16)
    if options.level is not None:
        fast &= levels == options.level
    for i in np.flatnonzero(~fast):
        raw = raw_codes.iloc[i]
        try:
            code = codes.normalize(raw)
            levels[i] = codes.check(code, options.level)
        except codes.CodeError as exc:
            params = {k: v for k, v in exc.params.items() if k != "code"}
            report.add(int(rownum[i]), exc.key, column=code_col, code=_text(raw), **params)
            ok[i] = False
            code = None
        codes_out[i] = code
    code_arr = pd.Series(codes_out, dtype=object)

    names = gdf[name_col].astype("string").str.strip()
    no_name = names.isna() | (names == "")
    for i in np.flatnonzero(no_name.to_numpy() & ok):
        report.add(int(rownum[i]), "area.name_missing", column=name_col, code=codes_out[i])
    ok &= ~no_name.to_numpy()

    # geometry
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    type_ids = shapely.get_type_id(geoms)
    polygonal = np.isin(type_ids, (3, 6))  # Polygon, MultiPolygon
    for i in np.flatnonzero(ok & missing):
        report.add(int(rownum[i]), "geom.missing", code=codes_out[i])
    for i in np.flatnonzero(ok & ~missing & ~polygonal):
        report.add(
            int(rownum[i]), "geom.not_polygon", code=codes_out[i], geom_type=geoms[i].geom_type
        )
    ok &= ~missing & polygonal

    if shapely.has_z(geoms[ok]).any():
        geoms[ok] = shapely.force_2d(geoms[ok])
    bounds = np.full((n, 4), np.nan)
    bounds[ok] = shapely.bounds(geoms[ok])
    west, south, east, north = INDONESIA_BOUNDS
    minx, miny, maxx, maxy = bounds.T
    with np.errstate(invalid="ignore"):
        inside = (minx >= west) & (maxx <= east) & (miny >= south) & (maxy <= north)
        swapped = (minx >= south) & (maxx <= north) & (miny >= west) & (maxy <= east)
    for i in np.flatnonzero(ok & ~inside):
        key = "geom.swapped" if swapped[i] else "geom.outside_indonesia"
        report.add(int(rownum[i]), key, code=codes_out[i], bounds=_bbox_text(bounds[i]))
    ok &= inside

    idx = np.flatnonzero(ok)
    invalid = idx[~_is_valid_parallel(geoms[idx])]
    for i in invalid:
        reason = shapely.is_valid_reason(geoms[i])
        fixed = _polygonal_part(shapely.make_valid(geoms[i]))
        if fixed is None:
            report.add(int(rownum[i]), "geom.unrepairable", code=codes_out[i], reason=reason)
            ok[i] = False
        else:
            geoms[i] = fixed
            report.add(
                int(rownum[i]),
                "geom.repaired",
                severity="warning",
                code=codes_out[i],
                reason=reason,
            )
            report.repaired += 1

    # duplicates within the file (rare: only those rows are grouped)
    valid_codes = code_arr.where(ok)
    dup_mask = (valid_codes.notna() & valid_codes.duplicated(keep=False)).to_numpy()
    dup_rows = np.flatnonzero(dup_mask)
    for i in dup_rows:
        others = ", ".join(
            str(int(rownum[j])) for j in dup_rows if j != i and codes_out[j] == codes_out[i]
        )
        report.add(int(rownum[i]), "area.duplicate_in_file", code=codes_out[i], other=others)
    ok &= ~dup_mask

    keep = np.flatnonzero(ok)
    kept_codes = code_arr.iloc[keep].tolist()
    frame = pd.DataFrame(
        {
            "row": rownum[keep],
            "code": kept_codes,
            "name": names.iloc[keep].tolist(),
            "level": levels[keep],
            "kind": [codes.kind_of(c) for c in kept_codes],
            "parent_code": [codes.parent_of(c) for c in kept_codes],
            "geometry": geoms[keep],
            "source": source,
            "derived": False,
        }
    )
    for level, col in parent_name_cols.items():
        frame[f"pname{level}"] = gdf[col].astype("string").str.strip().iloc[keep].to_numpy()
    return _Prepared(report=report, frame=frame)


def _is_valid_parallel(geoms: np.ndarray) -> np.ndarray:
    """``shapely.is_valid`` on all cores: GEOS releases the GIL, so threads run in parallel."""
    workers = min(os.cpu_count() or 1, 8)
    if workers == 1 or len(geoms) < 5000:
        return shapely.is_valid(geoms)
    chunks = np.array_split(geoms, workers * 4)
    with ThreadPoolExecutor(workers) as pool:
        return np.concatenate(list(pool.map(shapely.is_valid, chunks)))


def _polygonal_part(geom: Any) -> Any:
    """The (Multi)Polygon part of a ``make_valid`` result, or None when nothing areal is left."""
    parts = shapely.get_parts(geom)
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
    if not polygons:
        return None
    merged = shapely.union_all(polygons)
    return None if merged.is_empty else merged


def _reject_duplicates_across_files(prepared: list[_Prepared]) -> None:
    seen: dict[str, tuple[str, int]] = {}
    for p in prepared:
        drop = []
        for pos, (code, row) in enumerate(zip(p.frame["code"], p.frame["row"], strict=True)):
            if code in seen:
                other_source, other_row = seen[code]
                p.report.add(
                    int(row),
                    "area.duplicate_in_file",
                    code=code,
                    other=f"{other_source}:{other_row}",
                )
                drop.append(pos)
            else:
                seen[code] = (p.report.source, int(row))
        if drop:
            p.frame = p.frame.drop(index=p.frame.index[drop]).reset_index(drop=True)


def _check_parents(conn: Connection, prepared: list[_Prepared], options: BoundaryOptions) -> None:
    """Every row's parent must exist in the database or this import, or be derived."""
    in_db = _existing(conn, {c for p in prepared for c in p.frame["parent_code"].dropna()})
    if options.derive_parents:
        _derive_missing_parents(conn, prepared, in_db)
    # Top-down, so a row whose parent was itself rejected is rejected too.
    available = set(in_db)
    for level in (1, 2, 3, 4):
        for p in prepared:
            at_level = p.frame["level"] == level
            parents = p.frame["parent_code"]
            bad = at_level & parents.notna() & ~_member(parents, available)
            for row, code, parent in p.frame.loc[bad, ["row", "code", "parent_code"]].itertuples(
                index=False
            ):
                p.report.add(int(row), "area.missing_parent", code=code, parent=parent)
            if bad.any():
                p.frame = p.frame.loc[~bad].reset_index(drop=True)
            available.update(p.frame.loc[p.frame["level"] == level, "code"])


def _existing(conn: Connection, codes_wanted: set[str]) -> set[str]:
    """Which of ``codes_wanted`` are in the database."""
    if not codes_wanted:
        return set()
    query = text("SELECT code FROM admin_area WHERE code = ANY(:codes)")
    return set(conn.execute(query, {"codes": sorted(codes_wanted)}).scalars())


def _derive_missing_parents(conn: Connection, prepared: list[_Prepared], in_db: set[str]) -> None:
    """Dissolve children into each parent that neither the database nor the import has.

    ``in_db`` grows with the parents of derived areas found in the database.
    """
    for level in (4, 3, 2):
        parents = {
            c
            for p in prepared
            for c in p.frame.loc[p.frame["level"] == level, "parent_code"].dropna()
        }
        in_db |= _existing(conn, parents - in_db)
        present = in_db | {c for p in prepared for c in p.frame["code"]}
        for p in prepared:
            orphan = ~_member(p.frame["parent_code"], present)
            children = p.frame[(p.frame["level"] == level) & orphan]
            if children.empty:
                continue
            name_col = f"pname{level - 1}"
            new_rows = []
            for parent, group in children.groupby("parent_code"):
                name = _mode(group[name_col]) if name_col in group else None
                if name is None:
                    name = f"{codes.kind_of(str(parent)).replace('_', ' ').title()} {parent}"
                    p.report.add(
                        None, "area.parent_name_unknown", severity="warning", code=str(parent)
                    )
                inherited = {
                    f"pname{k}": _mode(group[f"pname{k}"])
                    for k in range(1, level - 1)
                    if f"pname{k}" in group
                }
                new_rows.append(
                    {
                        **inherited,
                        "row": 0,
                        "code": parent,
                        "name": name,
                        "level": level - 1,
                        "kind": codes.kind_of(str(parent)),
                        "parent_code": codes.parent_of(str(parent)),
                        "geometry": shapely.union_all(group["geometry"].to_numpy()),
                        "source": p.report.source,
                        "derived": True,
                    }
                )
                p.report.derived.append(str(parent))
                present.add(str(parent))
            p.frame = pd.concat([p.frame, pd.DataFrame(new_rows)], ignore_index=True)


def _member(values: pd.Series, members: set[str]) -> np.ndarray:
    """``values.isin(members)`` for large sets (pandas' Arrow-string isin is slow for those)."""
    return np.fromiter((v in members for v in values.tolist()), dtype=bool, count=len(values))


def _mode(values: pd.Series) -> str | None:
    """The most common non-empty text of ``values``, or None."""
    values = values.dropna()
    values = values[values != ""]
    return None if values.empty else str(values.mode().iloc[0])


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


def _bbox_text(b: np.ndarray) -> str:
    return f"x {b[0]:.4f}..{b[2]:.4f}, y {b[1]:.4f}..{b[3]:.4f}"


# -- writing -------------------------------------------------------------------------------------

# New areas are COPYed straight into admin_area (the bulk of a first load); areas that already
# exist go through a staging table and are updated only where name or geometry changed.
_COLUMNS = "code, name, level, kind, parent_code, geom, source, derived"

_STAGING = """
CREATE TEMPORARY TABLE boundary_staging (
    code text, name text, level smallint, kind text, parent_code text,
    geom geometry(MultiPolygon, 4326), source text, derived boolean
) ON COMMIT DROP;
-- read once, so compressing its geometries (TOAST) would only cost time
ALTER TABLE boundary_staging ALTER COLUMN geom SET STORAGE EXTERNAL;
"""

_UPDATE_CHANGED = """
WITH changed AS (
    UPDATE admin_area AS a
       SET name = s.name, geom = s.geom, source = s.source, derived = s.derived,
           updated_at = now()
      FROM boundary_staging AS s
     WHERE a.code = s.code
       AND (a.name, a.geom, a.derived) IS DISTINCT FROM (s.name, s.geom, s.derived)
    RETURNING s.source
)
SELECT source, count(*) FROM changed GROUP BY source
"""

_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_NULL = struct.pack("!i", -1)


def _binary_copy_chunks(rows: pd.DataFrame, wkb: np.ndarray, size: int = 5000) -> Any:
    """The rows in PostgreSQL's binary COPY format, in chunks.

    Built by hand because it is a documented, trivial format and this is the hot loop of a
    national import: several times faster than a generic per-value dumper.
    """

    def field(value: bytes | None) -> bytes:
        return _NULL if value is None else struct.pack("!i", len(value)) + value

    @functools.lru_cache(maxsize=64)
    def repeated_field(value: Any) -> bytes:  # kind, source: a handful of distinct values
        return text_field(value)

    def text_field(value: Any) -> bytes:
        return _NULL if value is None or value is pd.NA else field(str(value).encode())

    yield _COPY_HEADER
    # Plain lists: iterating pandas' Arrow-backed string columns value by value is slow.
    columns = zip(
        rows["code"].tolist(),
        rows["name"].tolist(),
        rows["level"].astype(int).tolist(),
        rows["kind"].tolist(),
        rows["parent_code"].tolist(),
        wkb.tolist(),
        rows["source"].tolist(),
        rows["derived"].astype(bool).tolist(),
        strict=True,
    )
    buffer: list[bytes] = []
    for code, name, level, kind, parent, geom, source, derived in columns:
        buffer.append(
            b"\x00\x08"
            + text_field(code)
            + text_field(name)
            + b"\x00\x00\x00\x02"
            + struct.pack("!h", level)
            + repeated_field(kind)
            + text_field(parent)
            + struct.pack("!i", len(geom))
        )
        buffer.append(geom)  # the large part: copied once, by the join below
        buffer.append(
            text_field(source) + (b"\x00\x00\x00\x01\x01" if derived else b"\x00\x00\x00\x01\x00")
        )
        if len(buffer) >= size:
            yield b"".join(buffer)
            buffer.clear()
    yield b"".join(buffer) + b"\xff\xff"


def _write(conn: Connection, rows: pd.DataFrame) -> pd.DataFrame:
    """Insert new areas and update changed ones; counts per source file."""
    existing = set(
        conn.execute(
            text("SELECT code FROM admin_area WHERE code = ANY(:codes)"),
            {"codes": rows["code"].tolist()},
        ).scalars()
    )
    is_new = ~_member(rows["code"], existing)
    new, old = rows[is_new], rows[~is_new]
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur:  # type: ignore[attr-defined]
        if len(new):
            _copy(cur, f"COPY admin_area ({_COLUMNS}) FROM STDIN (FORMAT BINARY)", new)
        if len(old):
            cur.execute(_STAGING)
            _copy(cur, f"COPY boundary_staging ({_COLUMNS}) FROM STDIN (FORMAT BINARY)", old)
    updated = dict(conn.execute(text(_UPDATE_CHANGED)).all()) if len(old) else {}
    conn.execute(text("ANALYZE admin_area"))
    inserted = new.groupby("source").size()
    sources = rows["source"].unique()
    return pd.DataFrame(
        {
            "source": sources,
            "inserted": [int(inserted.get(src, 0)) for src in sources],
            "updated": [int(updated.get(src, 0)) for src in sources],
        }
    )


def _copy(cursor: Any, statement: str, rows: pd.DataFrame) -> None:
    """Binary COPY of ``rows``; geometries as EWKB MultiPolygons with SRID 4326."""
    geoms = rows["geometry"].to_numpy().copy()
    single = shapely.get_type_id(geoms) == 3
    if single.any():
        geoms[single] = shapely.multipolygons(geoms[single], indices=np.arange(single.sum()))
    ewkb = shapely.to_wkb(shapely.set_srid(geoms, 4326), include_srid=True)
    with cursor.copy(statement) as copy:
        for chunk in _binary_copy_chunks(rows, ewkb):
            copy.write(chunk)
