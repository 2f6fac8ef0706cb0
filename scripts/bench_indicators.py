"""Indicators at national scale, on the benchmark database (83,246 desa/kelurahan).

- import: a CSV of every desa/kelurahan keyed by code (two indicators, Indonesian number
  format), and one of every desa of Provinsi Jawa Timur keyed by *name* with its kecamatan and
  kabupaten/kota, one name in ten written differently (prefix, case, spelling): rows per
  second, and how the names matched;
- reading, through ``geoservice.app`` under uvicorn on loopback (p50/p90 over --repeat):
  choropleth GeoJSON of a kota, of a province by kecamatan and of the country by kabupaten/kota;
  choropleth tiles (first tile of a map, then warm); the per-kelurahan table of a kota in each
  export format; the /planner page.

The values are invented (SAMPLE) and deleted at the end.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import httpx
from bench_common import (
    INDONESIA,
    JAKARTA,
    KEDIRI,
    free_port,
    national_engine,
    percentiles,
    serve_geoservice,
    stop,
    tile_of,
    timed,
)
from sqlalchemy import text

from geoservice.catalog import load_catalog
from geoservice.services.imports.indicators import import_indicators
from geoservice.settings import PROJECT_ROOT

PORT = free_port()  # beside a running service, and beside each other
P = (50, 90)


def sample_files(engine, folder: Path) -> tuple[Path, Path, int]:  # type: ignore[no-untyped-def]
    """The national file by code and the Jawa Timur file by name (SAMPLE values)."""
    rng = random.Random(39)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT k.code, k.name, c.name, b.name FROM admin_area k"
                " JOIN admin_area c ON c.code = left(k.code, 8)"
                " JOIN admin_area b ON b.code = left(k.code, 5)"
                " WHERE k.level = 4 ORDER BY k.code"
            )
        ).all()
    by_code = folder / "nasional.csv"
    with by_code.open("w", encoding="utf-8") as out:
        out.write("kode;penduduk;persen_miskin\n")
        for code, *_ in rows:
            people = rng.randint(400, 40_000)
            share = f"{rng.uniform(2, 40):.1f}".replace(".", ",")
            # Indonesian format, as offices write: 12.345 people, 12,5 %
            thousands = f"{people:,}".replace(",", ".")
            out.write(f"{code};{thousands};{share}\n")
    by_name = folder / "jawa_timur.csv"
    changed = 0
    with by_name.open("w", encoding="utf-8") as out:
        out.write("desa;kecamatan;kabkota;penduduk\n")
        for code, name, kecamatan, kabkota in rows:
            if not code.startswith("35."):
                continue
            written = name
            if rng.random() < 0.1:
                changed += 1
                written = rng.choice(
                    [f"Desa {name}", name.upper(), f"Kel. {name}", name.replace("ya", "ia")]
                )
            out.write(f"{written};{kecamatan};{kabkota};{rng.randint(400, 40_000)}\n")
    return by_code, by_name, changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="requests per measurement")
    args = parser.parse_args()
    engine = national_engine()
    catalog = load_catalog(PROJECT_ROOT / "layers")
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE indicator_value, indicator_import"))
    url = engine.url.render_as_string(hide_password=False)
    server = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            by_code, by_name, changed = sample_files(engine, Path(folder))
            for path, period, what in ((by_code, "2025", "by code"), (by_name, "2024", "by name")):
                start = time.perf_counter()
                report = import_indicators(engine, catalog, path, period=period, sample=True)
                seconds = time.perf_counter() - start
                written = report.inserted + report.updated
                failed = "" if report.ok else f" NOT WRITTEN: {report.as_dict('en')['errors']}"
                print(
                    f"import {what:8} {report.rows:7,} rows, {written:7,} values in "
                    f"{seconds:5.1f} s = {report.rows / seconds:7,.0f} rows/s; "
                    f"matches {report.counts()}{failed}"
                )
            print(f"  (by name: {changed:,} of the names written differently)")
        with engine.connect() as conn:
            conn.execute(text("ANALYZE indicator_value"))
            conn.commit()
        server = serve_geoservice(url, PORT)
        urls = {
            "choropleth Kota Kediri (46 desa)": "/indicators/persen_miskin/choropleth?kode=35.71",
            "choropleth Kota Palembang (107)": "/indicators/persen_miskin/choropleth?kode=16.71",
            "choropleth Jawa Timur by kecamatan": (
                "/indicators/penduduk/choropleth?kode=35&level=3&method=fisher_jenks"
            ),
            "choropleth Indonesia by kabkota": "/indicators/persen_miskin/choropleth?level=2",
            "statistics Kota Palembang json": "/statistics?kode=16.71&period=2025",
            "statistics Kota Palembang csv": "/statistics?kode=16.71&period=2025&f=csv",
            "statistics Kota Palembang xlsx": "/statistics?kode=16.71&period=2025&f=xlsx",
            "statistics Kota Palembang gpkg": "/statistics?kode=16.71&period=2025&f=gpkg",
            "/planner (Kota Palembang)": "/planner?indikator=persen_miskin&kode=16.71",
        }
        tiles = {
            "tile z5 Indonesia (kabkota)": (5, *tile_of(*INDONESIA, 5)),
            "tile z8 Jakarta (desa)": (8, *tile_of(*JAKARTA, 8)),
            "tile z12 Kediri (desa)": (12, *tile_of(*KEDIRI, 12)),
            "tile z14 Kediri (desa)": (14, *tile_of(*KEDIRI, 14)),
        }
        print(f"\n{'request':40} {'size':>9}  server time ({args.repeat} requests)")
        with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=120) as client:
            for label, path in urls.items():
                times, size = timed(client, path, args.repeat)
                print(f"{label:40} {size / 1024:7.1f}KB  {percentiles(times, P)}")
            for method in ("quantiles", "fisher_jenks"):
                # the first tile of a national map computes and classifies every desa's value
                first = f"/indicators/persen_miskin/tiles/WebMercatorQuad/12/0/0?method={method}"
                times, _ = timed(client, first, 1)
                print(f"{'first tile of a map, ' + method:40} {'':9}  {times[0]:.0f} ms")
            for label, (z, x, y) in tiles.items():
                path = f"/indicators/persen_miskin/tiles/WebMercatorQuad/{z}/{x}/{y}"
                times, size = timed(client, path, args.repeat)
                print(f"{label:40} {size / 1024:7.1f}KB  {percentiles(times, P)}")
    finally:
        if server is not None:
            stop(server)
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE indicator_value, indicator_import"))


if __name__ == "__main__":
    main()
