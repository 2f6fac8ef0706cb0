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
import queue
import struct
import threading
from collections import Counter
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
from geoservice.catalog import CONTROL_CHARACTERS
from geoservice.db.models import CODE_PATTERNS
from geoservice.services.imports.readers import WKB_COLUMN, InputError, find_column, read_vector
from geoservice.services.imports.reports import ImportReport
from geoservice.services.points.rules import INDONESIA_BOUNDS
from geoservice.services.tile_cache import notify_boundaries_changed
from geoservice.services.tiles import generalize

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

#: Rows checked and handed to the writer at a time: small enough that writing starts early.
CHUNK_ROWS = 10_000


@dataclass(frozen=True)
class BoundaryOptions:
    """Choices of one ``geoservice import boundaries`` command."""

    level: int | None = None
    code_column: str | None = None
    name_column: str | None = None
    crs: str | None = None
    #: let ``crs`` override the CRS the file declares
    force_crs: bool = False
    layer: str | None = None
    derive_parents: bool = False
    #: let ``derive_parents`` build a provinsi from the kab/kota of the import (its outline is
    #: then only theirs): refused without it
    allow_partial_parents: bool = False
    #: import only the areas whose code starts with this (``31``, ``35.71``)
    kode: str | None = None
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

    Nothing is committed when any row is rejected, unless ``skip_bad_rows`` is set; a file that
    cannot be read raises :class:`InputError` and nothing is committed either.

    Checking and writing overlap: rows that pass the row checks are COPYed by a background
    thread (PostgreSQL works on its own core) while the next rows are read and checked. Rows
    found bad later (a missing parent, a duplicate in a later file) are taken out again before
    the commit, and when rows are rejected without ``skip_bad_rows`` the transaction is rolled
    back, so the outcome is exactly that of checking everything first.
    """
    options = options or BoundaryOptions()
    progress = progress or (lambda _stage, _done, _total: None)
    prepared: list[_Prepared] = []
    seen: dict[str, tuple[ImportReport, int]] = {}
    retracted: set[str] = set()
    with engine.connect() as conn:
        transaction = conn.begin()
        writer = _Writer(conn)
        try:
            for index, path in enumerate(paths):
                progress(f"read {path.name}", index, len(paths))
                gdf, notes = read_vector(
                    path, layer=options.layer, crs=options.crs, force_crs=options.force_crs
                )
                report = ImportReport(
                    source=path.name, kind="boundaries", rows=len(gdf), notes=notes
                )
                row_numbers = np.arange(1, len(gdf) + 1)
                if options.kode and not gdf.empty:
                    selected = _with_prefix(gdf, options)
                    report.notes.append(
                        (
                            "file.kode_selected",
                            {
                                "selected": int(selected.sum()),
                                "total": len(gdf),
                                "kode": options.kode,
                            },
                        )
                    )
                    gdf, row_numbers = gdf[selected], row_numbers[selected]
                    report.rows = len(gdf)
                if gdf.empty:
                    report.add(None, "import.no_rows")
                frames = []
                for start in range(0, len(gdf), CHUNK_ROWS):
                    chunk = _prepare(
                        gdf.iloc[start : start + CHUNK_ROWS],
                        path.name,
                        options,
                        report,
                        rows=row_numbers[start : start + CHUNK_ROWS],
                    )
                    frame = _dedupe(chunk.frame, report, seen, retracted)
                    frames.append(frame)
                    if options.skip_bad_rows or not any(
                        r.rejected for r in [*(p.report for p in prepared), report]
                    ):
                        writer.submit(frame)
                frame = pd.concat(frames, ignore_index=True) if frames else _EMPTY.copy()
                prepared.append(_Prepared(report=report, frame=frame))
            progress("check", len(paths), len(paths))
            for p in prepared:
                p.frame = p.frame[~_member(p.frame["code"], retracted)].reset_index(drop=True)
            with engine.connect() as lookup:
                retracted |= _check_parents(lookup, prepared, options)
            derived = [p.frame[p.frame["derived"].astype(bool)] for p in prepared]
            reports = [p.report for p in prepared]
            for report in reports:
                report.sort()
                # the cause of many rejected rows (a missing parent) comes first
                report.issues.sort(key=lambda i: i.key not in _LEADING)
            failed = any(r.rejected for r in reports) and not options.skip_bad_rows
            if not failed:
                writer.submit(pd.concat(derived, ignore_index=True))
            progress("write", 0, 1)
            writer.close()
            if failed or not writer.submitted:
                transaction.rollback()
                return reports
            inserted, updated = writer.finish(retracted, reports)
            transaction.commit()
        except BaseException:
            writer.abort()
            transaction.rollback()
            raise
    progress("write", 1, 1)
    for p in prepared:
        p.report.written = True
        p.report.inserted = inserted.get(p.report.source, 0)
        p.report.updated = updated.get(p.report.source, 0)
        p.report.unchanged = len(p.frame) - p.report.inserted - p.report.updated
    return reports


# -- checks --------------------------------------------------------------------------------------


def _choose_columns(
    gdf: gpd.GeoDataFrame, options: BoundaryOptions
) -> tuple[str, str, dict[int, str]]:
    columns = [c for c in gdf.columns if c not in (gdf.geometry.name, WKB_COLUMN)]
    listed = ", ".join(columns) or "-"
    for value in (options.code_column, options.name_column):
        if value is not None and value not in columns:
            raise InputError("file.column_unknown", column=value, columns=listed)
    code_col = options.code_column
    order: tuple[str, ...]
    if code_col is None:
        order = GENERIC_CODE_COLUMNS
        levels = (options.level,) if options.level else (4, 3, 2, 1)
        for level in levels:
            order += LEVEL_CODE_COLUMNS[level]
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


def _with_prefix(gdf: gpd.GeoDataFrame, options: BoundaryOptions) -> np.ndarray:
    """Rows whose code starts with ``options.kode`` (dots ignored: ``3171`` is ``31.71``)."""
    code_col, _, _ = _choose_columns(gdf, options)
    prefix = (options.kode or "").replace(".", "").strip()
    digits = gdf[code_col].astype("string").str.strip().str.replace(".", "", regex=False)
    return digits.str.startswith(prefix).fillna(False).to_numpy(dtype=bool)


#: Issues shown before the rows': they explain many row errors at once.
_LEADING = ("area.parent_missing_group", "area.derive_refused", "area.derived_partial")


def _prepare(
    gdf: gpd.GeoDataFrame,
    source: str,
    options: BoundaryOptions,
    report: ImportReport,
    offset: int = 0,
    rows: np.ndarray | None = None,
) -> _Prepared:
    """Row checks of ``gdf`` (rows ``offset + 1`` onwards of its file, or the file's row
    numbers ``rows``)."""
    code_col, name_col, parent_name_cols = _choose_columns(gdf, options)
    n = len(gdf)
    rownum = np.arange(offset + 1, offset + n + 1) if rows is None else rows
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
    control = names.str.contains(CONTROL_CHARACTERS.pattern, regex=True).fillna(False)
    for i in np.flatnonzero(control.to_numpy(dtype=bool) & ok):
        report.add(int(rownum[i]), "area.name_control", column=name_col, code=codes_out[i])
    ok &= ~control.to_numpy(dtype=bool)

    # geometry
    geoms = np.asarray(gdf.geometry.array, dtype=object)
    # The file's own WKB, kept for rows whose geometry is written unchanged.
    wkb = gdf[WKB_COLUMN].to_numpy(dtype=object).copy() if WKB_COLUMN in gdf else np.full(n, None)
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
        wkb[ok] = None
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
            wkb[i] = None
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
    # Text as plain Python objects: pandas' default Arrow strings are slow to iterate, and the
    # parent checks iterate these columns.
    frame = pd.DataFrame(
        {
            "row": rownum[keep],
            "code": _objects(kept_codes),
            "name": _objects(names.iloc[keep].tolist()),
            "level": levels[keep],
            "kind": _objects([codes.kind_of(c) for c in kept_codes]),
            "parent_code": _objects([codes.parent_of(c) for c in kept_codes]),
            "geometry": geoms[keep],
            "wkb": wkb[keep],
            "source": _objects([source] * len(keep)),
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


_EMPTY = pd.DataFrame(
    {
        "row": pd.Series(dtype=int),
        **{c: pd.Series(dtype=object) for c in ("code", "name", "kind", "parent_code", "source")},
        "level": pd.Series(dtype=np.int16),
        "geometry": pd.Series(dtype=object),
        "wkb": pd.Series(dtype=object),
        "derived": pd.Series(dtype=bool),
    }
)


def _polygonal_part(geom: Any) -> Any:
    """The (Multi)Polygon part of a ``make_valid`` result, or None when nothing areal is left."""
    parts = shapely.get_parts(geom)
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
    if not polygons:
        return None
    merged = shapely.union_all(polygons)
    return None if merged.is_empty else merged


def _dedupe(
    frame: pd.DataFrame,
    report: ImportReport,
    seen: dict[str, tuple[ImportReport, int]],
    retracted: set[str],
) -> pd.DataFrame:
    """Drop rows whose code came earlier (another chunk or file); both copies are rejected."""
    keep = np.ones(len(frame), dtype=bool)
    for pos, (code, row) in enumerate(
        zip(frame["code"].tolist(), frame["row"].tolist(), strict=True)
    ):
        if code not in seen:
            seen[code] = (report, int(row))
            continue
        first_report, first_row = seen[code]
        same = first_report is report
        report.add(
            int(row),
            "area.duplicate_in_file",
            code=code,
            other=str(first_row) if same else f"{first_report.source}:{first_row}",
        )
        if code not in retracted:
            first_report.add(
                first_row,
                "area.duplicate_in_file",
                code=code,
                other=str(row) if same else f"{report.source}:{row}",
            )
            retracted.add(code)
        keep[pos] = False
    return frame[keep].reset_index(drop=True)


def _check_parents(
    conn: Connection, prepared: list[_Prepared], options: BoundaryOptions
) -> set[str]:
    """Every row's parent must exist in the database or this import, or be derived.

    Rows without a parent are dropped from the frames; returns their codes. Checked top-down,
    so a row whose parent was itself rejected is rejected too.
    """
    in_import = {c for p in prepared for c in p.frame["code"].tolist()}
    wanted = {c for p in prepared for c in p.frame["parent_code"].tolist() if c}
    in_db = _existing(conn, wanted - in_import)
    if options.derive_parents:
        _derive_missing_parents(conn, prepared, in_db, in_import, options)
    available = set(in_db)
    dropped: set[str] = set()
    #: parents neither stored nor imported: the rows that need each, per report
    missing: dict[str, dict[int, tuple[_Prepared, list[int]]]] = {}
    root_of: dict[str, str] = {}  # a dropped area -> the missing parent it needed
    for level in (1, 2, 3, 4):
        for p in prepared:
            levels = p.frame["level"].to_numpy()
            parents = p.frame["parent_code"].to_numpy(dtype=object)
            codes_ = p.frame["code"].to_numpy(dtype=object)
            rows = p.frame["row"].to_numpy()
            bad = np.zeros(len(levels), dtype=bool)
            for i in np.flatnonzero(levels == level):
                if parents[i] is None or parents[i] in available:
                    available.add(codes_[i])
                    continue
                root = root_of.get(parents[i], parents[i])
                root_of[codes_[i]] = root
                entry = missing.setdefault(root, {}).setdefault(id(p), (p, []))
                entry[1].append(int(rows[i]))
                key = "area.missing_parent" if root == parents[i] else "area.parent_rejected"
                p.report.add(int(rows[i]), key, code=codes_[i], parent=parents[i], root=root)
                dropped.add(codes_[i])
                bad[i] = True
            if bad.any():
                p.frame = p.frame.loc[~bad].reset_index(drop=True)
    for root, per_report in missing.items():
        for p, rows_ in per_report.values():
            p.report.add(
                None,
                "area.parent_missing_group",
                code=root,
                level_name=codes.kind_of(root).replace("_", "/"),
                count=len(rows_),
                rows=_row_ranges(rows_),
            )
    return dropped


def _row_ranges(rows: list[int]) -> str:
    """``1-3, 7, 9-12``."""
    runs: list[list[int]] = []
    for row in sorted(rows):
        if runs and runs[-1][1] == row - 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _existing(conn: Connection, codes_wanted: set[str]) -> set[str]:
    """Which of ``codes_wanted`` are in the database."""
    if not codes_wanted:
        return set()
    query = text("SELECT code FROM admin_area WHERE code = ANY(:codes)")
    return set(conn.execute(query, {"codes": sorted(codes_wanted)}).scalars())


def _derive_missing_parents(
    conn: Connection,
    prepared: list[_Prepared],
    in_db: set[str],
    in_import: set[str],
    options: BoundaryOptions,
) -> None:
    """Dissolve children into each parent that neither the database nor the import has.

    Bottom-up, so a derived kecamatan can itself need a derived kota. Children of one parent
    may come from several files; the derived area is reported with the first of them.
    ``in_db`` and ``in_import`` grow with what is found and derived.
    """
    for level in (4, 3, 2):
        orphans: dict[str, list[tuple[_Prepared, pd.DataFrame]]] = {}
        for p in prepared:
            parents = p.frame["parent_code"].to_numpy(dtype=object)
            mask = (p.frame["level"].to_numpy() == level) & np.fromiter(
                (c is not None and c not in in_db and c not in in_import for c in parents),
                dtype=bool,
                count=len(parents),
            )
            if mask.any():
                for parent, group in p.frame[mask].groupby("parent_code"):
                    orphans.setdefault(str(parent), []).append((p, group))
        in_db |= _existing(conn, set(orphans))
        for parent, parts in orphans.items():
            if parent in in_db:
                continue
            owner = parts[0][0]
            group = pd.concat([g for _, g in parts], ignore_index=True)
            partial = level == 2 and (len(group) == 1 or not _beyond(prepared, parent))
            if partial and not options.allow_partial_parents:
                # One kab/kota, or an import whose kab/kota all lie in this provinsi (a city's
                # files), rarely is the whole provinsi: its outline would be only theirs and
                # its name made up. A national file lacking a provinsi row holds all of them.
                owner.report.add(
                    None, "area.derive_refused", severity="warning", code=parent,
                    count=len(group),
                )  # fmt: skip
                continue
            name_col = f"pname{level - 1}"
            name = _mode(group[name_col]) if name_col in group else None
            if name is None:
                name = f"{codes.kind_of(parent).replace('_', ' ').title()} {parent}"
                owner.report.add(None, "area.parent_name_unknown", severity="warning", code=parent)
            inherited = {
                f"pname{k}": _mode(group[f"pname{k}"])
                for k in range(1, level - 1)
                if f"pname{k}" in group
            }
            row = {
                **inherited,
                "row": 0,
                "code": parent,
                "name": name,
                "level": level - 1,
                "kind": codes.kind_of(parent),
                "parent_code": codes.parent_of(parent),
                "geometry": shapely.union_all(group["geometry"].to_numpy()),
                "wkb": None,
                "source": owner.report.source,
                "derived": True,
            }
            owner.frame = pd.concat([owner.frame, pd.DataFrame([row])], ignore_index=True)
            owner.report.derived.append(parent)
            if partial:
                owner.report.add(
                    None, "area.derived_partial", severity="warning", code=parent, name=name,
                    count=len(group),
                )  # fmt: skip
            in_import.add(parent)


def _beyond(prepared: list[_Prepared], provinsi: str) -> bool:
    """The import holds kab/kota of other provinsi too (a national or multi-provinsi file)."""
    for p in prepared:
        level2 = p.frame[p.frame["level"].to_numpy() == 2]
        if (level2["parent_code"] != provinsi).any():
            return True
    return False


def _objects(values: list[Any]) -> pd.Series:
    """A Series of Python objects (not pandas' Arrow-backed strings)."""
    return pd.Series(values, dtype=object)


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
    RETURNING a.code, a.level, s.source
)
SELECT code, level, source FROM changed
"""

# Facility points whose desa/kelurahan no longer covers them after its boundary changed, with
# the area that covers them now (NULL when none does).
_FACILITIES_TO_MOVE = """
SELECT f.id, f.kelurahan_code,
       (SELECT a.code FROM admin_area a
         WHERE a.level = 4 AND ST_Covers(a.geom, f.geom) ORDER BY a.code LIMIT 1)
  FROM facility f JOIN admin_area k ON k.code = f.kelurahan_code
 WHERE f.kelurahan_code = ANY(:codes) AND NOT ST_Covers(k.geom, f.geom)
"""

_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_NULL = struct.pack("!i", -1)


def _plain_wkb(rows: pd.DataFrame) -> np.ndarray:
    """Little-endian 2D WKB of each (Multi)Polygon: the file's own where usable, else shapely's."""
    wkb = rows["wkb"].to_numpy(dtype=object).copy() if "wkb" in rows else np.full(len(rows), None)
    usable = np.fromiter(
        (
            isinstance(w, bytes) and w[:1] == b"\x01" and w[1:5] in _POLYGON_TYPES
            for w in wkb.tolist()
        ),
        dtype=bool,
        count=len(wkb),
    )
    if not usable.all():
        geoms = rows["geometry"].to_numpy()[~usable]
        wkb[~usable] = shapely.to_wkb(geoms, byte_order=1, output_dimension=2)
    return wkb


_POLYGON_TYPES = (struct.pack("<I", 3), struct.pack("<I", 6))
_EWKB_MULTI = b"\x01" + struct.pack("<I", 6 | 0x20000000) + struct.pack("<I", 4326)


def _binary_copy_chunks(rows: pd.DataFrame, size: int = 5000) -> Any:
    """The rows in PostgreSQL's binary COPY format, in chunks.

    Built by hand because it is a documented, trivial format and this is the hot loop of a
    national load: several times faster than a generic per-value dumper. Geometries go as
    EWKB MultiPolygons with SRID 4326, made from shapely's plain WKB by rewriting the header
    (a Polygon is wrapped as a one-part MultiPolygon) without copying the coordinates.
    """

    def text_field(value: Any) -> bytes:
        if value is None or value is pd.NA:
            return _NULL
        data = str(value).encode()
        return struct.pack("!i", len(data)) + data

    repeated_field = functools.lru_cache(maxsize=64)(text_field)  # kind, source: few values
    wkb = _plain_wkb(rows)

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
    one_part = struct.pack("<I", 1)
    buffer: list[bytes | memoryview] = []
    for code, name, level, kind, parent, geom, source, derived in columns:
        head = (
            b"\x00\x08"
            + text_field(code)
            + text_field(name)
            + b"\x00\x00\x00\x02"
            + struct.pack("!h", level)
            + repeated_field(kind)
            + text_field(parent)
        )
        if geom[1] == 6:  # MultiPolygon: new header, same body
            buffer.append(head + struct.pack("!i", len(geom) + 4) + _EWKB_MULTI)
            buffer.append(memoryview(geom)[5:])
        else:  # Polygon: wrap it
            buffer.append(head + struct.pack("!i", len(geom) + 13) + _EWKB_MULTI + one_part)
            buffer.append(geom)
        buffer.append(
            repeated_field(source)
            + (b"\x00\x00\x00\x01\x01" if derived else b"\x00\x00\x00\x01\x00")
        )
        if len(buffer) >= size:
            yield b"".join(buffer)
            buffer.clear()
    yield b"".join(buffer) + b"\xff\xff"


_ORPHANS = """
SELECT a.code FROM admin_area a
 WHERE a.parent_code IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM admin_area p WHERE p.code = a.parent_code)
 LIMIT 5
"""


class _Writer:
    """Writes checked rows in a background thread, on the import's connection and transaction.

    New areas are COPYed into admin_area, existing ones into a staging table that ``finish``
    compares and applies. Only superusers (the embedded cluster's owner) skip the per-row
    foreign key triggers; ``finish`` then checks every parent in one query.
    """

    def __init__(self, conn: Connection):
        self.conn = conn
        self.new_codes: dict[str, set[str]] = {}
        self.staged = False
        self.submitted = 0
        self.error: BaseException | None = None
        self.bulk = _may_skip_row_triggers(conn)
        if self.bulk:
            # The parent foreign key costs a lookup and a row lock per row at commit (1.5 s for
            # the whole country). Every parent is checked before commit: skip the per-row
            # triggers, as pg_restore --disable-triggers does, and check all rows at once.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        self.queue: queue.Queue[pd.DataFrame | None] = queue.Queue(maxsize=4)
        self.thread = threading.Thread(target=self._run, name="boundary-writer", daemon=True)
        self.thread.start()

    def submit(self, rows: pd.DataFrame) -> None:
        """Queue ``rows`` for writing (blocks while four batches are waiting)."""
        if len(rows):
            self.submitted += len(rows)
            self.queue.put(rows)

    def close(self) -> None:
        """Wait until everything submitted is written; re-raise a write error."""
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        """Stop without raising (the caller rolls back)."""
        if self.thread.is_alive():
            self.error = self.error or RuntimeError("aborted")
            self.queue.put(None)
            self.thread.join()

    def _run(self) -> None:
        while (rows := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self._write(rows)
                except BaseException as exc:  # handed to the main thread by close()
                    self.error = exc

    def _write(self, rows: pd.DataFrame) -> None:
        existing = _existing(self.conn, set(rows["code"].tolist()))
        is_new = ~_member(rows["code"], existing)
        new, old = rows[is_new], rows[~is_new]
        raw = self.conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur:  # type: ignore[attr-defined]
            if len(new):
                _copy(cur, f"COPY admin_area ({_COLUMNS}) FROM STDIN (FORMAT BINARY)", new)
                for source, codes_ in new.groupby("source")["code"]:
                    self.new_codes.setdefault(str(source), set()).update(codes_.tolist())
            if len(old):
                if not self.staged:
                    cur.execute(_STAGING)
                    self.staged = True
                _copy(cur, f"COPY boundary_staging ({_COLUMNS}) FROM STDIN (FORMAT BINARY)", old)
        if len(new):
            # Tile geometry of the new areas, while the main thread checks the next chunk.
            generalize(self.conn, new["code"].tolist(), new=True)

    def finish(
        self, retracted: set[str], reports: list[ImportReport]
    ) -> tuple[dict[str, int], dict[str, int]]:
        """Take out rows rejected after they were written, apply changes; counts per source.

        Facility points that a changed desa/kelurahan boundary no longer covers move to the
        one that does (a new version in their history); points now outside every desa/kelurahan
        keep their code and are reported.
        """
        conn = self.conn
        drop = sorted(retracted)
        # Only areas this import inserted are taken out again; an area that existed before
        # keeps its stored row (its rejected update simply is not applied).
        inserted_here = set().union(*self.new_codes.values()) if self.new_codes else set()
        drop_new = sorted(retracted & inserted_here)
        if drop_new:
            # explicit: with row triggers off (bulk) the foreign key does not cascade
            for table in ("admin_area_generalized", "admin_area"):
                conn.execute(text(f"DELETE FROM {table} WHERE code = ANY(:c)"), {"c": drop_new})
        changed: list[tuple[str, int, str]] = []
        if self.staged:
            if drop:
                conn.execute(text("DELETE FROM boundary_staging WHERE code = ANY(:c)"), {"c": drop})
            changed = [tuple(r) for r in conn.execute(text(_UPDATE_CHANGED)).all()]  # type: ignore[misc]
        updated = dict(Counter(source for _, _, source in changed))
        if self.bulk:
            conn.execute(text("SET LOCAL session_replication_role = origin"))
            orphans = conn.execute(text(_ORPHANS)).scalars().all()
            if orphans:  # cannot happen after _check_parents; never commit it if it does
                raise RuntimeError(f"areas without their parent: {', '.join(orphans)}")
        if changed:
            generalize(conn, [code for code, _, _ in changed])
        if changed or inserted_here:
            notify_boundaries_changed(conn)
        villages = [code for code, level, _ in changed if level == 4]
        if villages:
            self._move_facilities(villages, {r.source: r for r in reports}, changed)
        # No ANALYZE here: autovacuum analyzes a table after such a change within a minute, and
        # the import need not wait for it (0.5 s for the whole country).
        inserted = {src: len(codes_ - retracted) for src, codes_ in self.new_codes.items()}
        return inserted, updated

    def _move_facilities(
        self,
        villages: list[str],
        by_source: dict[str, ImportReport],
        changed: list[tuple[str, int, str]],
    ) -> None:
        source_of = {code: source for code, _, source in changed}
        moves = self.conn.execute(text(_FACILITIES_TO_MOVE), {"codes": villages}).all()
        for facility_id, old, new in moves:
            report = by_source[source_of[old]]
            if new is None:
                report.add(
                    None,
                    "area.facility_outside",
                    severity="warning",
                    code=old,
                    facility=facility_id,
                )
                continue
            self.conn.execute(
                text(
                    "UPDATE facility SET kelurahan_code = :new, updated_by = 'boundary import' "
                    "WHERE id = :id"
                ),
                {"new": new, "id": facility_id},
            )
            report.add(
                None,
                "area.facility_moved",
                severity="warning",
                code=old,
                facility=facility_id,
                new=new,
            )


def _may_skip_row_triggers(conn: Connection) -> bool:
    """Only superusers (the embedded cluster's owner) may set session_replication_role."""
    query = text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(conn.execute(query).scalar())


def _copy(cursor: Any, statement: str, rows: pd.DataFrame) -> None:
    """Binary COPY of ``rows``."""
    with cursor.copy(statement) as copy:
        for chunk in _binary_copy_chunks(rows):
            copy.write(chunk)
