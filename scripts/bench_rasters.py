"""Rasters at the scale of Jawa, side by side with rasterstats in one run.

- a generated 100 m (3 arc-second, as WorldPop's) population grid over the six provinces of
  Jawa (codes 31-36, Madura and the small islands included), imported as the service imports
  any raster (checks, COG with overviews, SHA-256);
- zonal sums for every desa/kelurahan of Jawa (the real polygons of /work/shared/data) with
  exactextract as the service computes them (coverage fractions), and with rasterstats
  (``zonal_stats(stats="sum")``, whole cells whose centre is inside) on the same polygons and
  the same file: seconds of each, the ratio, the totals and how far the two differ, overall and
  for the small urban kelurahan where whole-cell counting is biased;
- through ``geoservice.app`` under uvicorn on loopback: the statistics of a city on demand
  (``/rasters/{id}/statistics?kode=...``, uncached), and PNG tiles p50/p95 uncached and cached.

The grid is invented (a SAMPLE), written to a temporary folder and deleted at the end.

    ./scripts/bench_rasters [--cities 35.71 35.71.01 ...] [--tiles 200]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import httpx
import numpy as np
import psycopg
import rasterio
from bench_common import DEFAULT_DATA, free_port, percentiles, serve_geoservice, stop, tile_of
from rasterio.transform import from_origin
from sqlalchemy import text
from sqlalchemy.engine import make_url

from geoservice.catalog import load_catalog
from geoservice.cluster import database_url
from geoservice.db.migrations import upgrade
from geoservice.db.session import make_engine
from geoservice.services.imports.boundaries import import_boundaries
from geoservice.services.rasters import storage, zonal
from geoservice.settings import PROJECT_ROOT, Settings

PORT = free_port()  # beside a running service, and beside each other
JAWA = ("31", "32", "33", "34", "35", "36")
CELL = 1 / 1200  # 3 arc-seconds, about 92 m at the latitude of Jawa
DATABASE = "geoservice_rasters_bench"
DEMO = PROJECT_ROOT / "geoservice" / "demo"
RASTER_YAML = """
id: bench_jawa
title: {id: Penduduk per sel 100 m Jawa (contoh benchmark)}
source: scripts/bench_rasters.py (contoh)
licence: CC0-1.0
year: 2025
kind: count
unit: {id: jiwa per sel}
nodata: -9999
colormap: ylorrd
rescale: [0, 60]
sample: true
"""


def jawa_desa(data: Path) -> gpd.GeoDataFrame:
    desa = gpd.read_parquet(data / "desa_kelurahan.parquet", columns=["kode", "nama", "geometry"])
    return desa[desa["kode"].str[:2].isin(JAWA)].reset_index(drop=True)


def write_grid(path: Path, bounds: np.ndarray) -> tuple[int, int]:
    """People per cell over ``bounds``: dense around a few hundred invented towns, sparse
    between, written in strips (the grid is 240 MB as float32)."""
    west, south = np.floor(bounds[:2] / CELL) * CELL - CELL
    east, north = np.ceil(bounds[2:] / CELL) * CELL + CELL
    width, height = round((east - west) / CELL), round((north - south) / CELL)
    rng = np.random.default_rng(25)
    towns = np.column_stack([rng.uniform(west, east, 400), rng.uniform(south, north, 400)])
    profile = {
        "driver": "GTiff", "width": width, "height": height, "count": 1, "dtype": "float32",
        "crs": "EPSG:4326", "transform": from_origin(west, north, CELL, CELL), "nodata": -9999,
        "tiled": True, "blockxsize": 512, "blockysize": 512, "compress": "deflate",
        "BIGTIFF": "IF_SAFER",
    }  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        for top in range(0, height, 512):
            rows = min(512, height - top)
            lat = north - (top + np.arange(rows) + 0.5) * CELL
            lon = west + (np.arange(width) + 0.5) * CELL
            strip = np.full((rows, width), 4.0, dtype="float32")
            for x, y in towns:
                near = np.abs(lat - y) < 0.15
                if near.any():
                    d2 = (lon[None, :] - x) ** 2 + (lat[near][:, None] - y) ** 2
                    strip[near] += (60 * np.exp(-d2 / 0.0016)).astype("float32")
            strip *= rng.lognormal(0.0, 0.4, strip.shape).astype("float32")
            dst.write(strip, 1, window=rasterio.windows.Window(0, top, width, rows))
    return width, height


def bench_database() -> str:
    """A database with Kota Kediri's boundaries (the city asked for on demand)."""
    server = make_url(database_url(Settings()))
    admin = server.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    url = server.set(database=DATABASE).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as conn:
        known = conn.execute(text("SELECT count(*) FROM admin_area WHERE level = 4")).scalar_one()
    if not known:
        files = ["jawa_timur_provinsi", "kota_kediri_kabkota", "kota_kediri_kecamatan",
                 "kota_kediri_desa_kelurahan"]  # fmt: skip
        import_boundaries(engine, [DEMO / f"{name}.geojson" for name in files])
    engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cities", nargs="+", default=["35.71", "35.71.01", "35.71.02"])
    parser.add_argument("--tiles", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-rasters-"))
    try:
        run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path) -> None:
    started = time.perf_counter()
    desa = jawa_desa(args.data)
    print(f"{len(desa):,} desa/kelurahan of Jawa read in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    width, height = write_grid(folder / "jawa.tif", desa.total_bounds)
    print(f"grid {width:,} × {height:,} cells ({width * height / 1e6:.0f} M) generated in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    layers = folder / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", layers, ignore=shutil.ignore_patterns("rasters"))
    (layers / "rasters").mkdir()
    (layers / "rasters" / "bench_jawa.yaml").write_text(RASTER_YAML, encoding="utf-8")
    settings = Settings(layers_dir=layers, rasters_dir=folder / "cog")
    catalog = load_catalog(layers)
    started = time.perf_counter()
    done = storage.import_raster(settings, catalog, "bench_jawa", folder / "jawa.tif")
    imported = time.perf_counter() - started
    print(f"import (checks, COG with {len(done.info['overviews'])} overviews, SHA-256): "
          f"{imported:.1f} s, {done.size / 1e6:.0f} MB")  # fmt: skip

    started = time.perf_counter()
    ours = zonal.zonal(done.path, desa, ["sum"])
    ours_s = time.perf_counter() - started
    from rasterstats import zonal_stats

    started = time.perf_counter()
    theirs = zonal_stats(list(desa.geometry), str(done.path), stats="sum", nodata=-9999)
    theirs_s = time.perf_counter() - started
    a = ours["sum"].to_numpy()
    b = np.array([s["sum"] or 0.0 for s in theirs])
    area_km2 = desa.to_crs(6933).area.to_numpy() / 1e6
    small = area_km2 < 5
    rel = np.abs(a - b) / np.where(a > 0, a, np.nan)
    print()
    print(f"zonal sums, {len(desa):,} desa/kelurahan of Jawa     exactextract   rasterstats"
          "   ratio")  # fmt: skip
    print(f"  seconds                                     {ours_s:10.1f}   {theirs_s:11.1f}   "
          f"{theirs_s / ours_s:5.1f}×")  # fmt: skip
    print(f"  total (people)                              {a.sum():12,.0f} {b.sum():13,.0f}   "
          f"{100 * (b.sum() - a.sum()) / a.sum():+.3f} %")  # fmt: skip
    print(f"  median |difference| per desa, all           {'':12} "
          f"{np.nanmedian(rel) * 100:12.2f} %")  # fmt: skip
    print(f"  median |difference|, {small.sum():,} under 5 km²       {'':12} "
          f"{np.nanmedian(rel[small]) * 100:12.2f} %")  # fmt: skip
    print(f"  p95 |difference|, under 5 km²               {'':12} "
          f"{np.nanpercentile(rel[small], 95) * 100:12.2f} %")  # fmt: skip

    url = bench_database()
    server = serve_geoservice(url, PORT, GEOSERVICE_LAYERS_DIR=str(layers),
                              GEOSERVICE_RASTERS_DIR=str(folder / "cog"))  # fmt: skip
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=120) as client:
            print()
            for code in args.cities:
                started = time.perf_counter()
                answer = client.get(f"/rasters/bench_jawa/statistics?kode={code}")
                answer.raise_for_status()
                spent = time.perf_counter() - started
                body = answer.json()
                print(f"statistics of {code} on demand (uncached): {spent:5.2f} s, "
                      f"{len(body['areas'])} areas, total {body['total']:,.0f}")  # fmt: skip
            rng = random.Random(7)
            west, south, east, north = desa.total_bounds
            addresses = []
            for _ in range(args.tiles):
                z = rng.randint(8, 14)
                x, y = tile_of(rng.uniform(west, east), rng.uniform(south, north), z)
                addresses.append(f"/rasters/bench_jawa/tiles/WebMercatorQuad/{z}/{x}/{y}.png")
            for label in ("uncached", "cached"):
                times = []
                for address in addresses:
                    started = time.perf_counter()
                    client.get(address).raise_for_status()
                    times.append((time.perf_counter() - started) * 1000)
                print(f"PNG tiles z8-z14 {label:9}: {percentiles(times, (50, 95))}")
    finally:
        stop(server)


if __name__ == "__main__":
    main()
