"""One geoservice process under growing load, on the national boundaries with the Kota Kediri
sample points: for each of a z14 tile, a 1,000-feature page and the public map page, wrk at
4, 16, 64 and 256 connections, printing requests/s, p50/p99 latency and the answers that were
not 2xx/3xx (503 from the admission queue apart from the rest) and socket errors.

- geoservice: ``geoservice.app`` under uvicorn (one process, as ``geoservice serve`` runs it,
  without access log), default settings (8 requests at once, 100 queued for up to 5 s);
- the z14 tiles: every composite z14 tile over Kota Kediri, round robin (the tile cache is
  warm after the first pass, as on a public map's announcement day);
- the page: ``/collections/kelurahan/items?limit=1000`` at five offsets (2.3 MB each);
- ``/map``: the public map's HTML.

wrk runs with ``--timeout 10s`` (as in issue 17, where 64 connections on the page got 21
answers in 10 s); a request it gives up on counts as a timeout.
Usage: ./scripts/bench_load [--duration 10]
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from bench_common import DEFAULT_DATA, free_port, national_engine, serve_geoservice, stop, tile_of
from sqlalchemy import text

from geoservice.catalog import load_catalog
from geoservice.demo import DEMO_DIR
from geoservice.services.imports.facilities import FacilityOptions, import_facilities
from geoservice.settings import PROJECT_ROOT

PORT = free_port()  # beside a running service, and beside each other
THREADS = 2
CONNECTIONS = (4, 16, 64, 256)
#: counts answers by kind in each wrk thread and prints the sums at the end
COUNTER = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; busy = 0; failed = 0; other = 0 end
function response(status, headers, body)
  if status < 400 then ok = ok + 1
  elseif status == 503 then busy = busy + 1
  elseif status >= 500 then failed = failed + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local t = {ok = 0, busy = 0, failed = 0, other = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format("COUNTS %d %d %d %d\\n", t.ok, t.busy, t.failed, t.other))
  io.write(string.format("PCT %f %f\\n", latency:percentile(50), latency:percentile(99)))
end
"""


def wrk(base: str, paths: list[str], connections: int, duration: int) -> dict[str, float]:
    """requests/s, p50/p99 (ms), answers by kind and socket errors of one wrk run."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n")
        script.write(
            "i = 0\nrequest = function()\n  i = i % #paths + 1\n"
            '  return wrk.format("GET", paths[i])\nend\n' + COUNTER
        )
    command = [
        "wrk", f"-t{min(THREADS, connections)}", f"-c{connections}", f"-d{duration}s",
        "--timeout", "10s", "-s", script.name, base,
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    ok, busy, failed, other = map(int, re.search(r"COUNTS (\d+) (\d+) (\d+) (\d+)", out).groups())  # type: ignore[union-attr]
    p50, p99 = map(float, re.search(r"PCT ([\d.]+) ([\d.]+)", out).groups())  # type: ignore[union-attr]
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = sum(map(int, sockets.groups())) if sockets else 0
    timeouts = int(sockets.group(4)) if sockets else 0
    # wrk's percentiles are in microseconds
    return {
        "rate": rate, "p50": p50 / 1000, "p99": p99 / 1000, "ok": ok, "busy": busy,
        "failed": failed, "other": other, "socket": errors, "timeouts": timeouts,
    }  # fmt: skip


def prepare(engine: object) -> None:
    """The Kota Kediri sample points on the national boundaries (once, as bench_writes)."""
    from sqlalchemy import Engine

    assert isinstance(engine, Engine)
    with engine.connect() as conn:
        samples = conn.execute(text("SELECT count(*) FROM facility WHERE is_sample")).scalar_one()
    if not samples:
        options = FacilityOptions(status="verified", user="demo", is_sample=True)
        for layer in load_catalog(PROJECT_ROOT / "layers"):
            import_facilities(engine, layer, DEMO_DIR / f"sample_{layer.id}.geojson", options)


def health_during(base: str, run: Callable[[], dict[str, float]]) -> dict[str, float]:
    """``run()``, with /health asked every 0.2 s meanwhile; adds the slowest answer's seconds
    (``health``) and the count of answers other than 200 (``health_failed``)."""
    times: list[float] = []
    failures = 0
    done = threading.Event()

    def probe() -> None:
        nonlocal failures
        while not done.is_set():
            started = time.monotonic()
            try:
                urllib.request.urlopen(f"{base}/health", timeout=30).read()
            except OSError:
                failures += 1
            times.append(time.monotonic() - started)
            done.wait(0.2)

    thread = threading.Thread(target=probe)
    thread.start()
    try:
        result = run()
    finally:
        done.set()
        thread.join()
    return {**result, "health": max(times, default=0.0), "health_failed": failures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    engine = national_engine(args.data)
    prepare(engine)
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    (x0, y0), (x1, y1) = tile_of(111.95, -7.76, 14), tile_of(112.08, -7.88, 14)
    targets = {
        "z14 tile": [
            f"/tiles/WebMercatorQuad/14/{x}/{y}"
            for x in range(x0, x1 + 1)
            for y in range(y0, y1 + 1)
        ],
        "1,000-feature page": [
            f"/collections/kelurahan/items?limit=1000&offset={o}"
            for o in (0, 20_000, 40_000, 60_000, 80_000)
        ],
        "/map": ["/map"],
    }
    server = serve_geoservice(url, PORT)
    base = f"http://127.0.0.1:{PORT}"
    rows = []
    try:
        for paths in targets.values():  # warm: connections, plans, the map's opening view
            for path in paths:
                urllib.request.urlopen(base + path, timeout=60).read()
        for name, paths in targets.items():
            for connections in CONNECTIONS:
                load = functools.partial(wrk, base, paths, connections, args.duration)
                result = health_during(base, load)
                rows.append((name, connections, result))
                print(name, connections, result, flush=True)
    finally:
        stop(server)
    print(
        f"\none process, wrk -t{THREADS} -d{args.duration}s --timeout 10s, "
        f"{time.strftime('%Y-%m-%d')}\n"
    )
    print(
        "| what | connections | requests/s | p50 | p99 | 2xx/3xx | 503 | other 5xx | 4xx "
        "| socket errors (timeouts) | /health slowest |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, connections, r in rows:
        failed = f" ({int(r['health_failed'])} failed)" if r["health_failed"] else ""
        print(
            f"| {name} | {connections} | {r['rate']:,.0f} | {r['p50']:,.1f} ms | "
            f"{r['p99']:,.0f} ms | {r['ok']:,.0f} | {r['busy']:,.0f} | {r['failed']:.0f} | "
            f"{r['other']:.0f} | {r['socket']:.0f} ({r['timeouts']:.0f}) | "
            f"{r['health'] * 1000:,.0f} ms{failed} |"
        )


if __name__ == "__main__":
    main()
