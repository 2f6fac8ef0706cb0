"""Service workers and a hot standby under load, on the national boundaries (83,246
desa/kelurahan, the benchmark database of bench_common): uncached vector tiles per second and
items pages per second with 1 and 2 uvicorn workers, each with and without a hot standby
taking the anonymous reads, in one run on this machine, as ratios to one worker without one.

- geoservice: as ``geoservice serve --workers N`` runs it (one uvicorn process, or N
  workers on one TCP_NODELAY socket, ``geoservice.cli.serve.run_workers``), no access log,
  the tile cache off (``GEOSERVICE_TILE_CACHE_MB=0``) so that every tile is built by
  PostGIS: the work a standby can take over;
- the standby: ``geoservice db replica``'s (``pg_basebackup -R`` of the embedded cluster, on
  GEOSERVICE_PG_PORT + 10), created when missing and stopped afterwards if started here;
- the tiles: the composite tiles of z12-z14 over Jakarta and Kota Kediri, round robin;
- the pages: ``/collections/kelurahan/items?limit=100`` at ten offsets;
- the load: a lean asyncio HTTP/1.1 client in this process (keep-alive, CONNECTIONS
  connections), for DURATION seconds per case and list.

Both servers and the load run on the same machine (2 cores for this project): a standby adds
no CPU here, it only shares it; on separate machines its reads add to the primary's.
Usage: ./scripts/bench_replicas [--duration 10] [--connections 8]
"""

from __future__ import annotations

import argparse
import asyncio
import time
import urllib.request
from dataclasses import dataclass

from bench_common import DATABASE, JAKARTA, KEDIRI, free_port, national_engine, serve, stop, tile_of
from sqlalchemy.engine import make_url

from geoservice.app import UVICORN_LOOP
from geoservice.cluster import EmbeddedCluster, StandbyCluster
from geoservice.db.servers import connections_per_process
from geoservice.settings import PROJECT_ROOT, Settings

PORT = free_port()  # beside a running service, and beside each other
CASES = [(1, False), (2, False), (1, True), (2, True)]


@dataclass
class Rate:
    """Answers per second of one list, and the failures."""

    per_second: float
    failed: int


async def _client(paths: list[str], start: int, until: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    i = start
    try:
        while time.monotonic() < until:
            path = paths[i % len(paths)]
            i += 1
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            counts[0 if status in (200, 204) else 1] += 1
    finally:
        writer.close()


async def _load(paths: list[str], seconds: float, connections: int) -> Rate:
    counts = [0, 0]
    began = time.monotonic()
    until = began + seconds
    await asyncio.gather(*(_client(paths, n * 7, until, counts) for n in range(connections)))
    return Rate(counts[0] / (time.monotonic() - began), counts[1])


def _tiles() -> list[str]:
    paths = []
    for lon, lat in (JAKARTA, KEDIRI):
        for z in (12, 13, 14):
            x0, y0 = tile_of(lon, lat, z)
            paths += [
                f"/tiles/WebMercatorQuad/{z}/{x}/{y}"
                for x in range(x0 - 2, x0 + 3)
                for y in range(y0 - 2, y0 + 3)
            ]
    return paths


def _command(workers: int) -> list[str]:
    """One process as ``geoservice serve`` runs it (uvicorn), or its workers (run_workers)."""
    if workers == 1:
        return [
            str(PROJECT_ROOT / ".venv/bin/uvicorn"), "geoservice.app:create_app", "--factory",
            "--port", str(PORT), "--log-level", "warning", "--no-access-log",
            "--loop", UVICORN_LOOP,
        ]  # fmt: skip
    launch = (
        "from geoservice.cli.serve import run_workers; "
        f"run_workers('127.0.0.1', {PORT}, {workers}, access_log=False)"
    )
    return [str(PROJECT_ROOT / ".venv/bin/python"), "-c", launch]


def _standby(settings: Settings) -> tuple[StandbyCluster, bool]:
    primary = EmbeddedCluster.from_settings(settings)
    standby = StandbyCluster.of(primary, settings.pg_port + 10)
    return standby, standby.start()


def _server_of(path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30) as response:
        return str(response.headers.get("x-geoservice-server"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    settings = Settings()
    if not settings.embedded:
        raise SystemExit("bench_replicas makes its standby of the embedded cluster")
    engine = national_engine()
    primary_url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    standby, started = _standby(settings)
    replica_url = make_url(standby.url()).set(database=DATABASE)
    tiles = _tiles()
    pages = [f"/collections/kelurahan/items?limit=100&offset={n * 8000}" for n in range(10)]
    print(
        f"{len(tiles)} tiles, {len(pages)} pages; {args.connections} connections, "
        f"{args.duration:.0f} s per case; each worker opens up to "
        f"{connections_per_process(settings.max_active_requests)} connections per server",
        flush=True,
    )
    results: dict[tuple[int, bool], tuple[Rate, Rate, str]] = {}
    try:
        for workers, replica in CASES:
            env = {
                "GEOSERVICE_DATABASE_URL": primary_url,
                "GEOSERVICE_TILE_CACHE_MB": "0",
                "GEOSERVICE_LOAD_DEMO": "false",
                "GEOSERVICE_REPLICA_URLS": (
                    replica_url.render_as_string(hide_password=False) if replica else ""
                ),
            }
            process = serve(_command(workers), env, PORT)
            try:
                time.sleep(2)  # every worker up and its standby checked
                answered = _server_of(tiles[0])
                asyncio.run(_load(tiles, 2, args.connections))  # warm the servers' caches
                tile_rate = asyncio.run(_load(tiles, args.duration, args.connections))
                page_rate = asyncio.run(_load(pages, args.duration, args.connections))
            finally:
                stop(process)
            results[(workers, replica)] = (tile_rate, page_rate, answered)
            print(
                f"  {workers} worker(s), standby {'yes' if replica else 'no '}: "
                f"{tile_rate.per_second:7.1f} tiles/s  {page_rate.per_second:6.1f} pages/s "
                f"(answered by {answered})",
                flush=True,
            )
    finally:
        if started:
            standby.stop()
    base_tiles, base_pages, _ = results[(1, False)]
    print()
    print("| workers | standby | tiles/s | ratio | items pages/s | ratio | failed | answered by |")
    print("|---|---|---|---|---|---|---|---|")
    for (workers, replica), (tile_rate, page_rate, answered) in results.items():
        print(
            f"| {workers} | {'yes' if replica else 'no'} | {tile_rate.per_second:.1f} | "
            f"{tile_rate.per_second / base_tiles.per_second:.2f} | {page_rate.per_second:.1f} | "
            f"{page_rate.per_second / base_pages.per_second:.2f} | "
            f"{tile_rate.failed + page_rate.failed} | {answered} |"
        )


if __name__ == "__main__":
    main()
