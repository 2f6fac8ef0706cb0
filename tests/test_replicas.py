"""Hot standbys behind the service, on PostgreSQL's own streaming replication: a real primary
(an embedded cluster of its own, on a free port) and a real hot standby of it
(``pg_basebackup -R``, ``recovery_min_apply_delay`` of a few seconds), the app served by
uvicorn. Selected by ``-k "replica or standby"``.

- anonymous reads (items, tiles, statistics, pages) are answered by the standby, changes by
  the primary (``X-Geoservice-Server``), and /health names both with their role and lag;
- read-your-writes: the PIC sees their edit at once, the public once the standby has applied
  it, and no stale tile after that (the cache drops it and does not refill it early);
- the standby stopped: reads fall back to the primary without an error;
- the primary stopped: changes get a 503 problem, reads keep coming from the standby;
- two service processes: one edit shows in both;
- ``geoservice serve --workers`` refuses pools that would not fit in ``max_connections``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import mapbox_vector_tile
import pytest
from sqlalchemy import Engine, text

from geoservice.cluster import EmbeddedCluster, StandbyCluster
from geoservice.db.migrations import upgrade
from geoservice.db.servers import connection_budget
from geoservice.db.session import make_engine
from geoservice.i18n import t
from geoservice.services.tile_cache import tiles_showing
from geoservice.settings import Settings
from tests.api.editing_world import OWN, World, build_world
from tests.support import free_port, serve_app, uvicorn_subprocess

#: the standby applies each commit this late
DELAY_S = 3.0
SERVER = "x-geoservice-server"


@dataclass
class Replicated:
    """The primary, its standby, the data and accounts on them."""

    primary: EmbeddedCluster
    standby: StandbyCluster
    engine: Engine
    world: World

    @property
    def url(self) -> str:
        return self.primary.url()

    def settings(self) -> dict[str, Any]:
        """The app's settings for this pair."""
        return {"replica_urls": self.standby.url(), "load_demo": False}

    def env(self) -> dict[str, str]:
        """The same for a uvicorn process."""
        return {"GEOSERVICE_REPLICA_URLS": self.standby.url()}

    def verified_point(self) -> tuple[int, str]:
        """A new published point in the PIC's kelurahan, already on the standby: its id and
        the address of a z14 tile that shows it."""
        fid = self.world.point(OWN, status="verified", nama=f"Posyandu Asal {time.time_ns()}")
        with self.engine.connect() as conn:
            lon, lat = conn.execute(
                text("SELECT ST_X(geom), ST_Y(geom) FROM facility WHERE id = :i"), {"i": fid}
            ).one()
        x, y = tiles_showing(lon, lat, 14)[0]
        _wait(lambda: self._on_standby(fid), DELAY_S + 10, "the standby never got the point")
        return fid, f"/collections/posyandu/tiles/WebMercatorQuad/14/{x}/{y}"

    def _on_standby(self, fid: int) -> bool:
        standby = make_engine(self.standby.url())
        try:
            with standby.connect() as conn:
                found = conn.execute(text("SELECT 1 FROM facility WHERE id = :i"), {"i": fid})
                return found.first() is not None
        finally:
            standby.dispose()


def _wait(condition: Callable[[], bool], seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.1)


@pytest.fixture(scope="module")
def replicated() -> Iterator[Replicated]:
    """A primary with the Kota Kediri demo and accounts, and its delayed hot standby. Their
    data lives beside the embedded cluster's, not under pytest's temporary folder, whose
    root pytest keeps closed to the postgres system user (when run as root)."""
    folder = Settings().data_dir.resolve() / f"test-replicas-{os.getpid()}"
    primary = EmbeddedCluster(folder, free_port())
    primary.start()
    engine = make_engine(primary.url())
    standby = StandbyCluster.of(primary, free_port(), f"{int(DELAY_S * 1000)}ms")
    try:
        upgrade(engine)
        world = build_world(engine, primary.url())
        standby.start()
        yield Replicated(primary, standby, engine, world)
    finally:
        engine.dispose()
        standby.stop()
        primary.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _health(base: str) -> dict[str, dict[str, Any]]:
    body = httpx.get(f"{base}/health", timeout=5).json()
    return {server["name"]: server for server in body["servers"]}


def _names(content: bytes) -> set[str]:
    layers = mapbox_vector_tile.decode(content)
    return {f["properties"]["nama"] for f in layers.get("posyandu", {"features": []})["features"]}


def test_anonymous_reads_are_served_by_the_standby(replicated: Replicated) -> None:
    with serve_app(replicated.url, **replicated.settings()) as base:
        servers = _health(base)
        assert servers["primary"]["role"] == "primary" and servers["primary"]["status"] == "ok"
        assert servers["replica-1"]["role"] == "replica"
        assert servers["replica-1"]["status"] == "ok"
        assert servers["replica-1"]["lag_seconds"] is not None
        for path in (
            "/collections/posyandu/items?limit=5",
            "/collections/kelurahan/items/35.71.01.1001",
            "/collections/kelurahan/tiles/WebMercatorQuad/12/3322/2137",  # the fast path
            "/tiles/WebMercatorQuad/12/3322/2137?lang=en",  # the route
            "/statistics?kode=35.71",
            "/search?q=Bandar",
        ):
            response = httpx.get(base + path, timeout=10)
            assert response.status_code in (200, 204), (path, response.text[:300])
            assert response.headers[SERVER] == "replica-1", path
        # a signed-in user's reads may come from the standby too, as long as they wrote nothing
        token = replicated.world.headers("pic_own")
        read = httpx.get(f"{base}/collections/posyandu/items?limit=1", headers=token)
        assert read.headers[SERVER] == "replica-1"


def test_read_your_writes_with_a_delayed_standby(replicated: Replicated) -> None:
    """The PIC sees their edit at once, the public after the standby's delay (the edited point
    is a draft again, so it leaves the public view), and then never a stale tile, though the
    tile was cached before the edit."""
    fid, tile = replicated.verified_point()
    item = f"/collections/posyandu/items/{fid}"
    with (
        serve_app(replicated.url, **replicated.settings()) as base,
        httpx.Client(base_url=base, timeout=10) as pic,
        httpx.Client(base_url=base, timeout=10) as public,
    ):
        old = public.get(item).json()["properties"]["nama"]
        assert public.get(tile).headers[SERVER] == "replica-1"
        assert public.get(tile).headers["x-cache"] == "HIT"
        headers = replicated.world.headers("pic_own")
        etag = pic.get(item, headers=headers).headers["etag"]
        new = f"Posyandu Baru {time.time_ns()}"
        patched = pic.patch(
            item,
            json={"properties": {"nama": new}},
            headers={**headers, "If-Match": etag, "Content-Type": "application/merge-patch+json"},
        )
        written = time.monotonic()
        assert patched.status_code == 200, patched.text
        assert patched.headers[SERVER] == "primary"
        assert "geoservice_lsn" in pic.cookies
        # the PIC at once, from the primary (the standby has not applied it yet)
        mine = pic.get(item, headers=headers)
        assert mine.json()["properties"]["nama"] == new
        assert mine.headers[SERVER] == "primary"
        # the public: the standby's old answer until its delay has passed
        early = public.get(item)
        if time.monotonic() - written < DELAY_S - 0.5:
            assert early.json()["properties"]["nama"] == old
            assert early.headers[SERVER] == "replica-1"
        # a changed point is a draft again until the walidata verifies it: once the standby
        # has the change, the public no longer sees the point
        _wait(lambda: public.get(item).status_code == 404, DELAY_S + 10, "the edit never came")
        assert time.monotonic() - written >= DELAY_S - 0.5
        # from now on no tile shows the old name: the cache dropped it and did not keep the
        # standby's stale rebuilds
        until, served = time.monotonic() + 1.5, set()
        while time.monotonic() < until:
            response = public.get(tile)
            served.add((response.headers.get(SERVER), response.headers["x-cache"]))
            names = _names(response.content)
            assert old not in names and new not in names, served
        assert ("replica-1", "MISS") in served or (None, "HIT") in served
        # once the standby has the change, the PIC's reads go back to it
        _wait(
            lambda: pic.get(item, headers=headers).headers[SERVER] == "replica-1",
            5,
            "the PIC's reads stayed on the primary",
        )


def test_standby_stopped_reads_fall_back_to_the_primary(replicated: Replicated) -> None:
    fid, tile = replicated.verified_point()
    paths = (f"/collections/posyandu/items/{fid}", tile, "/collections/posyandu/items?limit=3")
    with serve_app(replicated.url, **replicated.settings()) as base:
        assert httpx.get(base + paths[0]).headers[SERVER] == "replica-1"
        replicated.standby.stop()
        try:
            answered: set[str | None] = set()
            for _ in range(3):
                for path in paths:
                    response = httpx.get(base + path, timeout=10)
                    assert response.status_code == 200, (path, response.text[:300])
                    answered.add(response.headers.get(SERVER))
            assert "replica-1" not in answered and "primary" in answered
            assert _health(base)["replica-1"]["status"] == "unavailable"
        finally:
            replicated.standby.start()
        _wait(
            lambda: httpx.get(base + paths[0]).headers[SERVER] == "replica-1",
            10,
            "reads never went back to the standby",
        )


def test_primary_stopped_writes_get_503_reads_go_on_from_the_standby(
    replicated: Replicated,
) -> None:
    fid, _ = replicated.verified_point()
    item = f"/collections/posyandu/items/{fid}"
    with serve_app(replicated.url, **replicated.settings()) as base:
        headers = replicated.world.headers("admin")
        etag = httpx.get(base + item, headers=headers).headers["etag"]
        replicated.primary.stop()
        try:
            _wait(
                lambda: _health(base)["primary"]["status"] == "unavailable",
                5,
                "/health did not notice the primary had stopped",
            )
            health = httpx.get(f"{base}/health", timeout=5)
            assert health.status_code == 200 and health.json()["status"] == "degraded"
            for path in (item, "/collections/posyandu/items?limit=3", "/statistics?kode=35.71"):
                read = httpx.get(base + path, timeout=10)
                assert read.status_code == 200, (path, read.text[:300])
                assert read.headers[SERVER] == "replica-1"
            deleted = httpx.delete(base + item, headers={**headers, "If-Match": etag}, timeout=10)
            assert deleted.status_code == 503, deleted.text
            assert deleted.headers["content-type"] == "application/problem+json"
            assert deleted.json()["status"] == 503
        finally:
            replicated.primary.start()
        _wait(
            lambda: _health(base)["primary"]["status"] == "ok",
            10,
            "/health did not notice the primary was back",
        )


def test_two_service_processes_with_a_standby_both_show_one_edit(
    replicated: Replicated, tmp_path: Path
) -> None:
    fid, tile = replicated.verified_point()
    item = f"/collections/posyandu/items/{fid}"
    with (
        uvicorn_subprocess(replicated.url, tmp_path / "one.log", **replicated.env()) as one,
        uvicorn_subprocess(replicated.url, tmp_path / "two.log", **replicated.env()) as two,
    ):
        for process in (one, two):
            httpx.get(process.url + tile)
            cached = httpx.get(process.url + tile)
            assert cached.headers["x-cache"] == "HIT" and fid in _ids(cached.content)
        headers = replicated.world.headers("admin")
        etag = httpx.get(one.url + item, headers=headers).headers["etag"]
        deleted = httpx.delete(one.url + item, headers={**headers, "If-Match": etag}, timeout=10)
        assert deleted.status_code == 204, deleted.text
        for process in (one, two):
            _wait(
                lambda: httpx.get(process.url + item).status_code == 404,  # noqa: B023
                DELAY_S + 10,
                f"{process.url} kept answering the deleted point",
            )
        until = time.monotonic() + 1.0
        while time.monotonic() < until:
            for process in (one, two):
                response = httpx.get(process.url + tile, timeout=10)
                assert fid not in _ids(response.content), process.url


def _ids(content: bytes) -> set[int]:
    layers = mapbox_vector_tile.decode(content)
    return {f["id"] for layer in layers.values() for f in layer["features"]}


def test_workers_whose_pools_exceed_max_connections_are_refused_on_the_standby_too(
    replicated: Replicated,
) -> None:
    for name, url in (("primary", replicated.url), ("replica-1", replicated.standby.url())):
        engine = make_engine(url)
        try:
            few = connection_budget(engine, name, workers=2, max_active_requests=8)
            many = connection_budget(engine, name, workers=20, max_active_requests=8)
        finally:
            engine.dispose()
        assert few.fits and few.max_connections == 200
        assert not many.fits and many.needed == 20 * few.each
        message = t("replicas.too_many_connections", "en", **many.message_params())
        assert f"{many.needed} connections to {name}" in message


def test_replica_status_command_tells_how_far_the_standby_replayed(
    replicated: Replicated, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from geoservice.cli import app

    monkeypatch.setenv("GEOSERVICE_DATA_DIR", str(replicated.primary.data_dir))
    monkeypatch.setenv("GEOSERVICE_PG_PORT", str(replicated.primary.port))
    monkeypatch.setenv("GEOSERVICE_LANGUAGE", "en")
    port = str(replicated.standby.port)
    result = CliRunner().invoke(app, ["db", "replica", "status", "--port", port])
    assert result.exit_code == 0, result.output
    assert f"standby 127.0.0.1:{port}: running; WAL replayed up to" in result.output
    stopped = CliRunner().invoke(app, ["db", "replica", "status", "--port", str(free_port())])
    assert stopped.exit_code == 1 and "stopped" in stopped.output


def test_replica_workers_socket_gives_every_connection_tcp_nodelay() -> None:
    """``serve --workers`` listens on its own TCP socket: on uvicorn's (protocol 0) asyncio
    leaves Nagle on, and each answer's body waited for the client's delayed ACK."""
    import asyncio
    import socket

    from geoservice.cli.serve import tcp_socket

    async def accepted_nodelay() -> int:
        found: list[int] = []

        def connected(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            found.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        listening = tcp_socket("127.0.0.1", free_port())
        server = await asyncio.start_server(connected, sock=listening)
        async with server:
            _, writer = await asyncio.open_connection(*listening.getsockname())
            while not found:
                await asyncio.sleep(0.01)
            writer.close()
        return found[0]

    assert asyncio.run(accepted_nodelay()) != 0
