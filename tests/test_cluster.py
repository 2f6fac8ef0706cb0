"""The embedded cluster: created under a data folder, started, reused, stopped, also by a
`geoservice serve` that receives SIGTERM."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest

from geoservice.cluster import EmbeddedCluster
from geoservice.settings import Settings
from tests.support import free_port


@pytest.mark.slow
def test_cluster_lifecycle() -> None:
    if not Settings().embedded:
        pytest.skip("GEOSERVICE_DATABASE_URL points at an external server")
    # Beside the real cluster: pytest's tmp folders are private to root, and when we run as root
    # the postgres user must be able to reach the data folder.
    data = Settings().data_dir / f"test-cluster-{uuid.uuid4().hex[:8]}"
    cluster = EmbeddedCluster(data_dir=data, port=free_port())
    try:
        assert cluster.start() is True
        assert cluster.running()
        assert oct(cluster.password_file.stat().st_mode)[-3:] == "600"
        url = cluster.url().replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE kept (x int)")
        assert cluster.start() is False  # already running: nothing to do
        cluster.stop()
        assert not cluster.running()
        assert cluster.start() is True  # restart reuses the data
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT count(*) FROM kept").fetchone() == (0,)
    finally:
        cluster.stop()
        shutil.rmtree(data, ignore_errors=True)


@pytest.mark.slow
def test_serve_stopped_by_sigterm_stops_the_cluster_it_started() -> None:
    if not Settings().embedded:
        pytest.skip("GEOSERVICE_DATABASE_URL points at an external server")
    data = Settings().data_dir / f"test-serve-{uuid.uuid4().hex[:8]}"
    port = free_port()
    pg_port = free_port()  # not a fixed one: test runs of other checkouts share the machine
    env = {
        **{k: v for k, v in os.environ.items() if k != "GEOSERVICE_DATABASE_URL"},
        "GEOSERVICE_DATA_DIR": str(data),
        "GEOSERVICE_PG_PORT": str(pg_port),
        "GEOSERVICE_PORT": str(port),
        "GEOSERVICE_LOAD_DEMO": "false",
    }
    service = subprocess.Popen(
        [str(Path(sys.executable).with_name("geoservice")), "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    cluster = EmbeddedCluster(data_dir=data, port=pg_port)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert service.poll() is None, service.stdout.read()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the service did not start"
                time.sleep(0.5)
        assert cluster.running()
        service.send_signal(signal.SIGTERM)
        output, _ = service.communicate(timeout=60)
        assert service.returncode == 128 + signal.SIGTERM, output
        assert "PostgreSQL stopped" in output
        assert not cluster.running()
    finally:
        if service.poll() is None:
            service.kill()
        cluster.stop()
        shutil.rmtree(data, ignore_errors=True)
