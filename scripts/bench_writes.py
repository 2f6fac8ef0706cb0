"""Write latency of the editing API: p50/p90/p99 of creating and of updating a point.

One PIC client on loopback (keep-alive, bearer token) against ``geoservice.app`` under uvicorn
(one process, as ``geoservice serve`` runs it), on the benchmark database with the national
boundaries (83,246 desa/kelurahan, so the point-in-kelurahan lookup is the real one) and the
Kota Kediri sample points. Each create is checked (schema, coordinates, kelurahan, RT/RW and
near-duplicate rules), written with its history row, NOTIFYs the tile caches and drops the
process's tiles; each update is a JSON merge patch with If-Match. A second phase runs four
PICs in parallel. The points and accounts made here are deleted at the end.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from bench_common import (
    DEFAULT_DATA,
    free_port,
    national_engine,
    percentiles,
    serve_geoservice,
    stop,
)
from sqlalchemy import Engine, text

from geoservice.catalog import load_catalog
from geoservice.demo import DEMO_DIR
from geoservice.services import accounts, auth
from geoservice.services.imports.facilities import FacilityOptions, import_facilities
from geoservice.settings import PROJECT_ROOT, Settings

PORT = free_port()  # beside a running service, and beside each other
KELURAHAN = ["35.71.01.1001", "35.71.01.1002", "35.71.02.1001", "35.71.03.1001"]
GRID = """
SELECT ST_X(p), ST_Y(p) FROM admin_area a,
       ST_SquareGrid(0.0005, ST_Buffer(a.geom, -0.0005)) AS g,
       LATERAL ST_Centroid(g.geom) AS p
 WHERE a.code = :code AND ST_Covers(ST_Buffer(a.geom, -0.0005), p)
"""


#: The benchmark accounts' password (strong enough for the password rules).
BENCH_PASSWORD = "rumput-biru-jendela-88"


def prepare(engine: Engine, settings: Settings) -> dict[str, str]:
    """Kota Kediri sample points (once), one PIC per kelurahan with a token."""
    catalog = load_catalog(PROJECT_ROOT / "layers")
    with engine.connect() as conn:
        samples = conn.execute(text("SELECT count(*) FROM facility WHERE is_sample")).scalar_one()
    if not samples:
        options = FacilityOptions(status="verified", user="demo", is_sample=True)
        for layer in catalog:
            import_facilities(engine, layer, DEMO_DIR / f"sample_{layer.id}.geojson", options)
    cleanup(engine)
    tokens = {}
    with engine.begin() as conn:
        for n, code in enumerate(KELURAHAN):
            name = f"bench.pic{n}"
            accounts.add_user(conn, name, "pic", BENCH_PASSWORD, kelurahan=[code])
            tokens[code] = auth.create_token(conn, settings, name, "bench")[1]
    return tokens


def cleanup(engine: Engine) -> None:
    """Remove what earlier runs wrote."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "DELETE FROM facility_history WHERE facility_id IN "
                "(SELECT id FROM facility WHERE created_by LIKE 'bench.%')"
            )
        )
        conn.execute(text("DELETE FROM facility WHERE created_by LIKE 'bench.%'"))
        conn.execute(text("DELETE FROM app_user WHERE username LIKE 'bench.%'"))


def spots(engine: Engine, code: str) -> list[tuple[float, float]]:
    with engine.connect() as conn:
        return [(float(x), float(y)) for x, y in conn.execute(text(GRID), {"code": code})]


def run_pic(
    base: str, token: str, places: list[tuple[float, float]], tag: str
) -> dict[str, list[float]]:
    """Create a point at each place, then update each once: latencies in ms."""
    timings: dict[str, list[float]] = {"create": [], "update": []}
    created: list[str] = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for i, (lon, lat) in enumerate(places):
            body = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"nama": f"Posyandu Bench {tag} {i}", "strata": "Madya", "rw": 1},
            }
            start = time.perf_counter()
            response = client.post(
                "/collections/posyandu/items",
                json=body,
                headers={"Content-Type": "application/geo+json"},
            )
            timings["create"].append((time.perf_counter() - start) * 1000)
            if response.status_code != 201:
                raise RuntimeError(f"create failed: {response.status_code} {response.text}")
            created.append(response.headers["location"])
        for i, location in enumerate(created):
            start = time.perf_counter()
            response = client.patch(
                location,
                json={"properties": {"jumlah_kader": i % 50, "rw": 2}},
                headers={"Content-Type": "application/merge-patch+json", "If-Match": '"1"'},
            )
            timings["update"].append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"update failed: {response.status_code} {response.text}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="points per phase")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    engine = national_engine(args.data)
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url)
    tokens = prepare(engine, settings)
    places = {code: spots(engine, code) for code in KELURAHAN}
    server = serve_geoservice(url, PORT)
    base = f"http://127.0.0.1:{PORT}"
    try:
        first = KELURAHAN[0]
        run_pic(base, tokens[first], places[first][:20], "warm")  # connections, plans
        one = run_pic(base, tokens[first], places[first][20 : 20 + args.count], "one")
        per_pic = args.count // len(KELURAHAN)
        with ThreadPoolExecutor(len(KELURAHAN)) as pool:
            results = list(
                pool.map(
                    lambda code: run_pic(
                        base, tokens[code], places[code][-per_pic:], f"par {code}"
                    ),
                    KELURAHAN,
                )
            )
    finally:
        stop(server)
        cleanup(engine)
    print(f"\nwrites on the national boundaries, {time.strftime('%Y-%m-%d')}")
    print("one PIC, one request at a time:")
    print(f"  create  {percentiles(one['create'])}")
    print(f"  update  {percentiles(one['update'])}")
    print(f"{len(KELURAHAN)} PICs in parallel:")
    print(f"  create  {percentiles([t for r in results for t in r['create']])}")
    print(f"  update  {percentiles([t for r in results for t in r['update']])}")


if __name__ == "__main__":
    main()
