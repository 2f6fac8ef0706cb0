"""The data catalogue at national scale, on the benchmark database (83,246 desa/kelurahan,
every boundary level) with SAMPLE values of two indicators for every desa/kelurahan and two
periods (deleted at the end).

Anchor: the SQL floor, the four grouped queries that compute every dataset's count, last
change, extent and time covered (``services/datasets/computed.all_figures``) run bare in this
process. Beside it, through ``geoservice.app`` under uvicorn on loopback: ``/datasets``,
``/catalog.jsonld``, ``/catalog.ttl``, ``/katalog`` and a dataset page, p50/p90 over
``--repeat``, each as a ratio to the floor's p50: the first request after the start computes
the figures, the others read them from the process's cache (30 s).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from bench_common import free_port, national_engine, percentiles, serve_geoservice, stop
from bench_indicators import sample_files, timed
from sqlalchemy import text

from geoservice.catalog import load_catalog
from geoservice.services.datasets.computed import all_figures
from geoservice.services.imports.indicators import import_indicators
from geoservice.settings import PROJECT_ROOT

PORT = free_port()  # beside a running service, and beside each other
P = (50, 90)


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
            by_code, _, _ = sample_files(engine, Path(folder))
            for period in ("2024", "2025"):
                import_indicators(engine, catalog, by_code, period=period, sample=True)
        with engine.connect() as conn:
            conn.execute(text("ANALYZE indicator_value"))
            conn.commit()
            values = conn.execute(text("SELECT count(*) FROM indicator_value")).scalar_one()
            floor = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                all_figures(conn)
                floor.append((time.perf_counter() - start) * 1000)
        anchor = statistics.median(floor)
        print(f"{values:,} SAMPLE indicator values; every boundary level of Indonesia")
        print(f"{'SQL floor: all_figures() bare':38} {percentiles(floor, P)}   1.00x")
        server = serve_geoservice(url, PORT)
        urls = {
            "GET /datasets": "/datasets",
            "GET /catalog.jsonld": "/catalog.jsonld",
            "GET /catalog.ttl": "/catalog.ttl",
            "GET /katalog": "/katalog",
            "GET /katalog/indicator-penduduk": "/katalog/indicator-penduduk",
        }
        with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=120) as client:
            cold, size = timed(client, "/catalog.jsonld", 1)
            ratio = cold[0] / anchor
            print(f"{'GET /catalog.jsonld, first (computes)':38} {cold[0]:10.1f} ms{'':36}"
                  f"{ratio:5.2f}x   {size:,} bytes")  # fmt: skip
            for name, path in urls.items():
                timed(client, path, 1)  # warm
                took, size = timed(client, path, args.repeat)
                ratio = statistics.median(took) / anchor
                print(f"{name:38} {percentiles(took, P)}   {ratio:5.2f}x   {size:,} bytes")
    finally:
        if server is not None:
            stop(server)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM indicator_value"))
            conn.execute(text("DELETE FROM indicator_import WHERE is_sample"))


if __name__ == "__main__":
    main()
