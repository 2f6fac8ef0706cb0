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

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection, Engine, text

from geoservice import codes
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

    # codes and levels
    codes_out: list[str | None] = []
    levels = np.zeros(n, dtype=np.int16)
    for i, raw in enumerate(gdf[code_col].tolist()):
        try:
            code = codes.normalize(raw)
            levels[i] = codes.check(code, options.level)
        except codes.CodeError as exc:
            report.add(int(rownum[i]), exc.key, column=code_col, code=_text(raw), **exc.params)
            ok[i] = False
            code = None
        codes_out.append(code)
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
    invalid = idx[~shapely.is_valid(geoms[idx])]
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

    # duplicates within the file
    dup = code_arr.where(ok).dropna()
    for _code, group in dup.groupby(dup).groups.items():
        if len(group) > 1:
            for i in group:
                others = ", ".join(str(int(rownum[j])) for j in group if j != i)
                report.add(
                    int(rownum[i]), "area.duplicate_in_file", code=codes_out[i], other=others
                )
                ok[i] = False

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
    wanted = sorted({c for p in prepared for c in p.frame["parent_code"].dropna()})
    in_db: set[str] = set()
    if wanted:
        in_db = set(
            conn.execute(
                text("SELECT code FROM admin_area WHERE code = ANY(:codes)"), {"codes": wanted}
            ).scalars()
        )
    if options.derive_parents:
        _derive_missing_parents(prepared, in_db)
    # Top-down, so a row whose parent was itself rejected is rejected too.
    available = set(in_db)
    for level in (1, 2, 3, 4):
        for p in prepared:
            at_level = p.frame["level"] == level
            parents = p.frame["parent_code"]
            bad = at_level & parents.notna() & ~parents.isin(available)
            for row, code, parent in p.frame.loc[bad, ["row", "code", "parent_code"]].itertuples(
                index=False
            ):
                p.report.add(int(row), "area.missing_parent", code=code, parent=parent)
            if bad.any():
                p.frame = p.frame.loc[~bad].reset_index(drop=True)
            available.update(p.frame.loc[p.frame["level"] == level, "code"])


def _derive_missing_parents(prepared: list[_Prepared], in_db: set[str]) -> None:
    """Dissolve children into each parent that neither the database nor the import has."""
    for level in (4, 3, 2):
        present = in_db | {c for p in prepared for c in p.frame["code"]}
        for p in prepared:
            children = p.frame[(p.frame["level"] == level) & ~p.frame["parent_code"].isin(present)]
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

_STAGING = """
CREATE TEMPORARY TABLE boundary_staging (
    code text, name text, level smallint, kind text, parent_code text,
    wkb bytea, source text, derived boolean
) ON COMMIT DROP
"""

_UPSERT = """
WITH upserted AS (
    INSERT INTO admin_area AS a (code, name, level, kind, parent_code, geom, source, derived)
    SELECT code, name, level, kind, parent_code, ST_Multi(ST_GeomFromWKB(wkb, 4326)),
           source, derived
      FROM boundary_staging
    ON CONFLICT (code) DO UPDATE
       SET name = EXCLUDED.name, geom = EXCLUDED.geom, source = EXCLUDED.source,
           derived = EXCLUDED.derived, updated_at = now()
     WHERE (a.name, a.geom, a.derived) IS DISTINCT FROM
           (EXCLUDED.name, EXCLUDED.geom, EXCLUDED.derived)
    RETURNING a.source, (xmax = 0) AS inserted
)
SELECT source, count(*) FILTER (WHERE inserted) AS inserted,
       count(*) FILTER (WHERE NOT inserted) AS updated
  FROM upserted GROUP BY source
"""


def _write(conn: Connection, rows: pd.DataFrame) -> pd.DataFrame:
    """COPY the checked rows into staging and upsert them; counts per source file."""
    conn.execute(text(_STAGING))
    wkb = shapely.to_wkb(rows["geometry"].to_numpy(), hex=False)
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur:  # type: ignore[attr-defined]
        with cur.copy(
            "COPY boundary_staging (code, name, level, kind, parent_code, wkb, source, derived) "
            "FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(["text", "text", "int2", "text", "text", "bytea", "text", "bool"])
            for record in zip(
                rows["code"],
                rows["name"],
                rows["level"].astype(int),
                rows["kind"],
                rows["parent_code"],
                wkb,
                rows["source"],
                rows["derived"].astype(bool),
                strict=True,
            ):
                copy.write_row(record)
    result = conn.execute(text(_UPSERT)).all()
    conn.execute(text("ANALYZE admin_area"))
    return pd.DataFrame(result, columns=["source", "inserted", "updated"])
