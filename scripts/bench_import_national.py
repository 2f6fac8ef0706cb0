"""Time the national boundary import against ogr2ogr, into the same server, in one run.

Debian's GDAL (3.6) has no GeoParquet driver, so the GeoParquet files are first converted once
to GeoPackage (cached in bench-results/); ogr2ogr and geoservice then load the same .gpkg files.
geoservice is also timed on the GeoParquet files directly, and on a re-import (no changes).
Each contender gets a fresh, empty database (same cluster, same settings).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import psycopg
from sqlalchemy.engine import make_url

from geoservice.cluster import database_url
from geoservice.db.migrations import upgrade
from geoservice.db.session import make_engine
from geoservice.services.imports.boundaries import BoundaryOptions, import_boundaries
from geoservice.settings import PROJECT_ROOT, Settings

FILES = ["provinsi", "kabkota", "kecamatan", "desa_kelurahan"]
RESULTS = PROJECT_ROOT / "bench-results"


def admin_url(settings: Settings) -> str:
    url = make_url(database_url(settings))
    return url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )


def fresh_database(settings: Settings, name: str) -> str:
    with psycopg.connect(admin_url(settings), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(database_url(settings)).set(database=name).render_as_string(hide_password=False)


def settle(settings: Settings) -> None:
    """Write out dirty buffers before a timed run, so no contender pays for the previous one."""
    with psycopg.connect(admin_url(settings), autocommit=True) as conn:
        try:
            conn.execute("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:
            pass


def drop_database(settings: Settings, name: str) -> None:
    with psycopg.connect(admin_url(settings), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def to_gpkg(source: Path) -> Path:
    target = RESULTS / "gpkg" / f"{source.stem}.gpkg"
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        target.parent.mkdir(parents=True, exist_ok=True)
        gpd.read_parquet(source).to_file(target, driver="GPKG", engine="pyogrio")
    return target


def run_geoservice(url: str, paths: list[Path]) -> tuple[float, int, list[str]]:
    engine = make_engine(url)
    upgrade(engine)
    start = time.perf_counter()
    reports = import_boundaries(engine, paths, BoundaryOptions(derive_parents=True))
    seconds = time.perf_counter() - start
    engine.dispose()
    rows = sum(r.rows for r in reports)
    if not all(r.written for r in reports):
        sys.exit("geoservice import rejected rows: " + str([r.as_dict("en") for r in reports]))
    derived = [code for r in reports for code in r.derived]
    return seconds, rows, derived


def run_ogr2ogr(url: str, paths: list[Path]) -> tuple[float, int]:
    u = make_url(url)
    pg = (
        f"PG:host={u.host} port={u.port} dbname={u.database} user={u.username} "
        f"password={u.password}"
    )
    with psycopg.connect(
        u.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
    ) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    start = time.perf_counter()
    for path in paths:
        subprocess.run(
            [
                "ogr2ogr",
                "-f",
                "PostgreSQL",
                pg,
                str(path),
                "-nln",
                path.stem,
                "-overwrite",
                "-lco",
                "GEOMETRY_NAME=geom",
                "-lco",
                "SPATIAL_INDEX=GIST",
                "-nlt",
                "PROMOTE_TO_MULTI",
            ],
            check=True,
        )
    seconds = time.perf_counter() - start
    rows = sum(
        len(gpd.read_file(p, engine="pyogrio", columns=["kode"], read_geometry=False))
        for p in paths
    )
    return seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "data_dir", nargs="?", type=Path, default=PROJECT_ROOT.parent / "shared/data/wilayah"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender (median)")
    args = parser.parse_args()
    parquet = [args.data_dir / f"{name}.parquet" for name in FILES]
    missing = [str(p) for p in parquet if not p.exists()]
    if missing:
        sys.exit(f"missing input files: {', '.join(missing)}")
    settings = Settings()
    print("converting GeoParquet to GeoPackage for ogr2ogr (cached) ...", flush=True)
    gpkg = [to_gpkg(p) for p in parquet]

    results = []
    db = "geoservice_bench"
    runs: dict[str, list[float]] = {}
    rows = 0
    derived: list[str] = []
    for _ in range(args.repeat):  # interleaved, so both see the same machine conditions
        url = fresh_database(settings, db)
        settle(settings)
        t, rows, derived = run_geoservice(url, gpkg)
        runs.setdefault("geoservice import boundaries (.gpkg)", []).append(t)
        url = fresh_database(settings, db)
        settle(settings)
        t, _ = run_ogr2ogr(url, gpkg)
        runs.setdefault("ogr2ogr -f PostgreSQL (.gpkg)", []).append(t)
        url = fresh_database(settings, db)
        settle(settings)
        t, _, _ = run_geoservice(url, parquet)
        runs.setdefault("geoservice import boundaries (.parquet)", []).append(t)
        settle(settings)
        t, _, _ = run_geoservice(url, parquet)
        runs.setdefault("geoservice re-import, no changes (.parquet)", []).append(t)
    drop_database(settings, db)
    results = [(name, statistics.median(times), rows) for name, times in runs.items()]

    with psycopg.connect(admin_url(settings)) as conn:
        server = conn.execute("SELECT version()").fetchone()[0].split(",")[0]
    print(f"\nNational boundaries: {rows:,} rows in 4 files ({', '.join(FILES)})")
    print(f"server: {server}; machine: {platform.machine()}, {platform.python_version()}")
    print(f"median of {args.repeat} runs each, interleaved")
    print(f"{'contender':46} {'seconds':>8} {'rows/s':>9}   all runs (s)")
    for name, seconds, n in results:
        every = ", ".join(f"{t:.1f}" for t in runs[name])
        print(f"{name:46} {seconds:8.1f} {n / seconds:9,.0f}   {every}")
    ratio = results[1][1] / results[0][1]
    print(f"\ngeoservice vs ogr2ogr on the same .gpkg files: {ratio:.2f}x ogr2ogr's speed")
    print(f"derived by dissolve (missing in the source): {', '.join(derived) or '-'}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "import_national.json").write_text(
        json.dumps(
            [{"contender": n, "seconds": s, "rows": r, "runs": runs[n]} for n, s, r in results],
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
