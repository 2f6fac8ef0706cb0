"""The embedded cluster: created under a data folder, started, reused, stopped."""

from __future__ import annotations

import shutil
import uuid

import psycopg
import pytest

from geoservice.cluster import EmbeddedCluster
from geoservice.settings import Settings


@pytest.mark.slow
def test_cluster_lifecycle() -> None:
    if not Settings().embedded:
        pytest.skip("GEOSERVICE_DATABASE_URL points at an external server")
    # Beside the real cluster: pytest's tmp folders are private to root, and when we run as root
    # the postgres user must be able to reach the data folder.
    data = Settings().data_dir / f"test-cluster-{uuid.uuid4().hex[:8]}"
    cluster = EmbeddedCluster(data_dir=data, port=55499)
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
