"""The checks of boundary rows before anything is written: columns, Kemendagri codes, names,
geometry type and validity, coordinates inside Indonesia, duplicates, and parents (existing,
in the same import, or derived by dissolving their children). Vectorized with shapely."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection, select

from geoservice import codes
from geoservice.catalog import CONTROL_CHARACTERS
from geoservice.db import any_of
from geoservice.db.models import CODE_PATTERNS, AdminArea
from geoservice.services.imports.readers import WKB_COLUMN, InputError, find_column
from geoservice.services.imports.reports import ImportReport
from geoservice.services.points.rules import INDONESIA_BOUNDS

if TYPE_CHECKING:  # the importer's options: only annotated here
    from geoservice.services.imports.boundaries import BoundaryOptions

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


@dataclass
class Prepared:
    """The rows of one file that passed the checks."""

    report: ImportReport
    #: row, code, name, level, kind, parent_code, geometry, source, derived, and ``pname<L>``:
    #: the name of the level-L area the row lies in, when the file has such a column (RBI style).
    frame: pd.DataFrame


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


def with_prefix(gdf: gpd.GeoDataFrame, options: BoundaryOptions) -> np.ndarray:
    """Rows whose code starts with ``options.kode`` (dots ignored: ``3171`` is ``31.71``)."""
    code_col, _, _ = _choose_columns(gdf, options)
    prefix = (options.kode or "").replace(".", "").strip()
    digits = gdf[code_col].astype("string").str.strip().str.replace(".", "", regex=False)
    matches: np.ndarray = digits.str.startswith(prefix).fillna(False).to_numpy(dtype=bool)
    return matches


#: Issues shown before the rows': they explain many row errors at once.
LEADING = ("area.parent_missing_group", "area.derive_refused", "area.derived_partial")


def prepare(
    gdf: gpd.GeoDataFrame,
    source: str,
    options: BoundaryOptions,
    report: ImportReport,
    offset: int = 0,
    rows: np.ndarray | None = None,
) -> Prepared:
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
    invalid = idx[~_is_valid(geoms[idx])]
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
    return Prepared(report=report, frame=frame)


def _lower_priority() -> None:
    os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


#: Threads for the validity check at a lower CPU priority (nice 10): they use the cores that
#: PostgreSQL leaves idle, and yield them while it writes the previous batch (at the same
#: priority they slowed the national import down).
_CHECKERS = ThreadPoolExecutor(os.cpu_count() or 1, "validity", initializer=_lower_priority)


def _is_valid(geoms: np.ndarray) -> np.ndarray:
    """``shapely.is_valid`` on every core (GEOS releases the GIL)."""
    if len(geoms) < 5000 or (os.cpu_count() or 1) == 1:
        valid: np.ndarray = shapely.is_valid(geoms)
        return valid
    chunks = np.array_split(geoms, 16)
    return np.concatenate(list(_CHECKERS.map(shapely.is_valid, chunks)))


EMPTY = pd.DataFrame(
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


def dedupe(
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


def check_parents(conn: Connection, prepared: list[Prepared], options: BoundaryOptions) -> set[str]:
    """Every row's parent must exist in the database or this import, or be derived.

    Rows without a parent are dropped from the frames; returns their codes. Checked top-down,
    so a row whose parent was itself rejected is rejected too.
    """
    in_import = {c for p in prepared for c in p.frame["code"].tolist()}
    wanted = {c for p in prepared for c in p.frame["parent_code"].tolist() if c}
    in_db = existing_codes(conn, wanted - in_import)
    if options.derive_parents:
        _derive_missing_parents(conn, prepared, in_db, in_import, options)
    available = set(in_db)
    dropped: set[str] = set()
    #: parents neither stored nor imported: the rows that need each, per report
    missing: dict[str, dict[int, tuple[Prepared, list[int]]]] = {}
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


def existing_codes(conn: Connection, codes_wanted: set[str]) -> set[str]:
    """Which of ``codes_wanted`` are in the database."""
    if not codes_wanted:
        return set()
    query = select(AdminArea.code).where(AdminArea.code == any_of(sorted(codes_wanted)))
    return set(conn.execute(query).scalars())


def _derive_missing_parents(
    conn: Connection,
    prepared: list[Prepared],
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
        orphans: dict[str, list[tuple[Prepared, pd.DataFrame]]] = {}
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
        in_db |= existing_codes(conn, set(orphans))
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


def _beyond(prepared: list[Prepared], provinsi: str) -> bool:
    """The import holds kab/kota of other provinsi too (a national or multi-provinsi file)."""
    for p in prepared:
        level2 = p.frame[p.frame["level"].to_numpy() == 2]
        if (level2["parent_code"] != provinsi).any():
            return True
    return False


def _objects(values: list[Any]) -> pd.Series:
    """A Series of Python objects (not pandas' Arrow-backed strings)."""
    return pd.Series(values, dtype=object)


def member(values: pd.Series, members: set[str]) -> np.ndarray:
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
