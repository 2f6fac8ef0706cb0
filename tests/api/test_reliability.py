"""Under load and faults the service keeps answering: real uvicorn processes on loopback, a
few seconds each.

- 100 concurrent readers: every answer is a 2xx/3xx or a fast 503 problem with Retry-After,
  never another 5xx, and ``/health`` answers within a second throughout;
- a database outage, then an edit in another process: no stale tile afterwards.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import mapbox_vector_tile
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from geoservice.db.session import make_engine
from geoservice.services.tile_cache import tiles_showing
from geoservice.settings import PROJECT_ROOT
from tests.api.editing_world import World
from tests.support import free_port, wait_until_serving

READERS = 100
SECONDS = 4.0
#: what the readers ask for: a 1,000-feature page (all 46 kelurahan of the demo), points,
#: a tile (first built, then cached), the public map's page and its point query
PATHS = (
    "/collections/kelurahan/items?limit=1000",
    "/collections/posyandu/items?limit=100&bbox=111.9,-7.9,112.1,-7.7",
    "/collections/kelurahan/tiles/WebMercatorQuad/14/13289/8548",
    "/map",
    "/collections/kelurahan/items?limit=10&lang=en",
)


#: asks for argv[3] every 0.1 s for argv[2] seconds, printing status and time of each
PROBER = """
import sys, time, httpx
base, stop, path = sys.argv[1], time.monotonic() + float(sys.argv[2]), sys.argv[3]
with httpx.Client(base_url=base, timeout=60) as client:
    while time.monotonic() < stop:
        started = time.monotonic()
        status = client.get(path).status_code
        print(status, time.monotonic() - started, flush=True)
        time.sleep(0.1)
"""


@contextmanager
def uvicorn_processes(database_url: str, count: int = 1, **env: str) -> Iterator[list[str]]:
    """``count`` processes of the app, each uvicorn with one worker (as ``geoservice serve``
    runs it), on free loopback ports; yields their base URLs and stops them at the end."""
    environment = {
        **os.environ,
        "GEOSERVICE_DATABASE_URL": database_url,
        "GEOSERVICE_LAYERS_DIR": str(PROJECT_ROOT / "layers"),
        "GEOSERVICE_LOAD_DEMO": "false",
        **env,
    }
    started: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    try:
        for _ in range(count):
            port = free_port()
            log = Path(os.environ.get("TMPDIR", "/tmp")) / f"geoservice-uvicorn-{port}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "uvicorn", "geoservice.app:create_app", "--factory"]
                    + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                    env=environment,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            started.append((process, f"http://127.0.0.1:{port}", log))
        deadline = time.monotonic() + 120  # importing takes 5-15 s on a busy 2-core machine
        for process, base, log in started:
            wait_until_serving(process, base, log, deadline)
        yield [base for _, base, _ in started]
    finally:
        for process, _, log in started:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.unlink(missing_ok=True)


@contextmanager
def uvicorn_process(database_url: str, **env: str) -> Iterator[str]:
    """One process of the app (see :func:`uvicorn_processes`)."""
    with uvicorn_processes(database_url, 1, **env) as [base]:
        yield base


@dataclass
class Load:
    """What the readers got, and the times of the probes (answered in their own process,
    which the readers' work in this one cannot slow)."""

    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    #: /health: status and seconds of each answer
    health: list[tuple[int, float]] = field(default_factory=list)
    #: a 10-feature page (which waits in the queue with the others)
    page: list[tuple[int, float]] = field(default_factory=list)


async def _load(base: str, readers: int, seconds: float) -> Load:
    """``readers`` clients asking for :data:`PATHS` in turn for ``seconds``, and two probes
    asking for /health and a page every 0.1 s."""
    load = Load()
    with httpx.Client(base_url=base, timeout=60) as warm:
        for path in PATHS:  # the first request of each kind imports and prepares things
            warm.get(path)
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=readers, max_keepalive_connections=readers)
    probes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", PROBER, base, str(seconds), path, stdout=asyncio.subprocess.PIPE
        )
        for path in ("/health", "/collections/kelurahan/items?limit=10&f=json")
    ]
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def reader(number: int) -> None:
            turn = number
            while time.monotonic() < stop:
                response = await client.get(PATHS[turn % len(PATHS)])
                turn += 1
                load.statuses[response.status_code] += 1
                if response.status_code >= 500:
                    kind = response.headers.get("content-type", "")
                    if response.status_code != 503 or kind != "application/problem+json":
                        load.problems.append(f"{response.status_code} {kind} {response.text[:200]}")
                    elif "retry-after" not in response.headers:
                        load.problems.append("503 without Retry-After")

        await asyncio.gather(*(reader(i) for i in range(readers)))
    for probe, times in zip(probes, (load.health, load.page), strict=True):
        out, _ = await probe.communicate()
        for line in out.decode().splitlines():
            status, took = line.split()
            times.append((int(status), float(took)))
    return load


@pytest.mark.usefixtures("world")
def test_100_concurrent_readers_get_answers_and_health_stays_quick(database_url: str) -> None:
    with uvicorn_process(database_url) as base:
        load = asyncio.run(_load(base, READERS, SECONDS))
    assert not load.problems, load.problems[:5]
    assert set(load.statuses) <= {200, 503}, load.statuses
    assert load.statuses[200] >= READERS, load.statuses  # pages, not only refusals
    assert len(load.health) >= SECONDS / 0.1 / 4, load.health  # it kept answering
    assert {s for s, _ in load.health} == {200}, load.health
    assert max(t for _, t in load.health) < 1.0, sorted(load.health)[-5:]
    # a page waits its turn, at most the 5 s of GEOSERVICE_QUEUE_SECONDS: never a 30 s hang
    assert {s for s, _ in load.page} <= {200, 503}, load.page
    assert max(t for _, t in load.page) < 5 + 2, sorted(load.page)[-5:]


@pytest.mark.usefixtures("world")
def test_beyond_the_queue_the_answer_is_a_fast_503_with_retry_after(database_url: str) -> None:
    # two requests at a time and four waiting: most of 100 readers are turned away at once
    env = {
        "GEOSERVICE_MAX_ACTIVE_REQUESTS": "2",
        "GEOSERVICE_MAX_QUEUED_REQUESTS": "4",
        "GEOSERVICE_QUEUE_SECONDS": "1",
    }
    with uvicorn_process(database_url, **env) as base:
        load = asyncio.run(_load(base, READERS, 3.0))
    assert not load.problems, load.problems[:5]
    assert set(load.statuses) == {200, 503}, load.statuses
    assert load.statuses[503] >= READERS / 4, load.statuses  # (cached tiles skip the queue)
    assert max(t for _, t in load.page) < 1 + 1, sorted(load.page)[-5:]  # 1 s in the queue
    assert max(t for _, t in load.health) < 1.0, sorted(load.health)[-5:]


# -- no stale tile after an outage ---------------------------------------------------------------


def _tile_ids(content: bytes) -> set[int]:
    layers = mapbox_vector_tile.decode(content)
    return {f["id"] for layer in layers.values() for f in layer["features"]}


def test_after_an_outage_no_process_answers_a_stale_tile(
    database_url: str, server_url: str, engine: Engine, world: World
) -> None:
    """Two processes; the database goes away (every connection cut, new ones refused) long
    enough for their listeners to have retried, comes back, and one process deletes a point
    at once: the other's tiles never show it again, although it had the tile cached."""
    fid = world.point(status="verified")
    version = world.version(fid)
    with engine.connect() as conn:
        lon, lat = conn.execute(
            text("SELECT ST_X(geom), ST_Y(geom) FROM facility WHERE id = :i"), {"i": fid}
        ).one()
    (x, y) = tiles_showing(lon, lat, 14)[0]
    tile = f"/collections/posyandu/tiles/WebMercatorQuad/14/{x}/{y}"
    database = make_url(database_url).database
    with uvicorn_processes(database_url, 2) as (reader, writer):
        assert fid in _tile_ids(httpx.get(reader + tile).content)
        cached = httpx.get(reader + tile)
        assert cached.headers["x-cache"] == "HIT" and fid in _tile_ids(cached.content)
        server = make_engine(
            make_url(server_url).set(database="postgres").render_as_string(hide_password=False)
        )
        with server.connect() as admin:
            admin.execution_options(isolation_level="AUTOCOMMIT")
            admin.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false'))
            try:
                admin.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"
                    ),
                    {"d": database},
                )
                # the outage: while it lasts, the reader never answers from its cache
                outage_ends = time.monotonic() + 3
                while time.monotonic() < outage_ends:
                    response = httpx.get(reader + tile, timeout=10)
                    assert response.status_code == 503, response.headers
            finally:
                admin.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true'))
        server.dispose()
        # back: the writer deletes the point at once (its pool reconnects)
        deleted = httpx.delete(
            f"{writer}/collections/posyandu/items/{fid}",
            headers=world.headers("admin", **{"If-Match": f'"{version}"'}),
            timeout=10,
        )
        assert deleted.status_code == 204, deleted.text
        answers: Counter[int] = Counter()
        until = time.monotonic() + 3
        while time.monotonic() < until:
            response = httpx.get(reader + tile, timeout=10)
            answers[response.status_code] += 1
            if response.status_code == 200:
                assert fid not in _tile_ids(response.content), answers
        assert answers[200] > 0, answers
