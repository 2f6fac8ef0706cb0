"""Helpers of the tests: the demo's files, throwaway databases, the app as a TestClient, served by
uvicorn in a thread or in its own process, and small queries. Fixtures are in conftest.py; data
the tests make is in factories.py."""

from __future__ import annotations

import csv
import io
import re
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus as unquote

import psycopg
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from geoservice.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

DEMO = PROJECT_ROOT / "geoservice" / "demo"
KEDIRI_KELURAHAN = DEMO / "kota_kediri_desa_kelurahan.geojson"
KEDIRI_KECAMATAN = DEMO / "kota_kediri_kecamatan.geojson"
KEDIRI_KOTA = DEMO / "kota_kediri_kabkota.geojson"
JAWA_TIMUR = DEMO / "jawa_timur_provinsi.geojson"
KEDIRI_PARENTS = [JAWA_TIMUR, KEDIRI_KOTA, KEDIRI_KECAMATAN]
#: Boundaries of Kota Palembang and Kota Pangkalpinang (MIT, see tests/data/README.md).
CITIES = PROJECT_ROOT / "tests" / "data" / "cities"


def _admin_url(url: str) -> str:
    return (
        make_url(url)
        .set(drivername="postgresql", database="postgres")
        .render_as_string(hide_password=False)
    )


def create_database(server_url: str, prefix: str = "geoservice_test") -> str:
    """A new empty database on the server; returns its SQLAlchemy URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_admin_url(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    """Drop the database of ``url``."""
    name = make_url(url).database
    with psycopg.connect(_admin_url(server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def app_client(database_url: str, **settings: Any) -> Iterator[TestClient]:
    """A TestClient of the app on ``database_url`` with the project's layers, lifespan run."""
    from fastapi.testclient import TestClient

    from geoservice.app import create_app

    settings.setdefault("layers_dir", PROJECT_ROOT / "layers")
    config = Settings(database_url=database_url, **settings)
    with TestClient(create_app(config)) as client:
        yield client


def count(engine: Engine, sql: str, **params: object) -> int:
    """A scalar from ``sql``."""
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def table_fingerprint(engine: Engine) -> tuple[str, str, str]:
    """md5 of every row of the three tables: equal fingerprints mean unchanged tables."""
    with engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(
                text(
                    "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                    f"FROM {tbl} t"
                )
            ).scalar_one()
            for tbl in ("admin_area", "facility", "facility_history")
        )


def read_csv(content: bytes, locale: str = "id") -> list[dict[str, str]]:
    """A CSV the service wrote, as rows: UTF-8 after a byte-order mark (asserted), cells
    separated as ``locale`` separates them (``;`` for id, ``,`` for en)."""
    body = content.decode("utf-8")
    assert body.startswith("\ufeff"), "every CSV starts with a byte-order mark"
    separator = ";" if locale == "id" else ","
    return list(csv.DictReader(io.StringIO(body[1:]), delimiter=separator))


def csv_float(cell: str, locale: str = "id") -> float:
    """A number cell of a CSV in ``locale`` (decimal ``,`` for id)."""
    return float(cell.replace(",", ".") if locale == "id" else cell)


def free_port() -> int:
    """A loopback TCP port that nobody listens on (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_app(database_url: str, **settings: Any) -> Iterator[str]:
    """The app served by uvicorn on a free port in a thread; yields its base URL."""
    import threading
    import time

    import uvicorn

    from geoservice.app import UVICORN_LOOP, create_app

    port = free_port()
    settings.setdefault("layers_dir", PROJECT_ROOT / "layers")
    config = Settings(database_url=database_url, **settings)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config), host="127.0.0.1", port=port, log_level="warning", loop=UVICORN_LOOP
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class Subprocess:
    """A service run by uvicorn in its own process: its base URL and its log (uvicorn's
    access log names every request it received, query string included)."""

    url: str
    log: Path

    def requests(self) -> list[str]:
        """The request lines of the access log so far (``GET /path?query``)."""
        found = re.findall(
            r'"((?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) [^ "]+)', self.log.read_text()
        )
        return [unquote(line) for line in found]


def wait_until_serving(
    process: subprocess.Popen[bytes], url: str, log: Path, deadline: float
) -> None:
    """Poll ``url``/health until it answers 200; RuntimeError with the log's end when the
    process exits or ``deadline`` (``time.monotonic()``) passes first."""
    import time

    import httpx

    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start: {log.read_text()[-2000:]}")
        time.sleep(0.1)


@contextmanager
def uvicorn_subprocess(database_url: str, log: Path, **env: str) -> Iterator[Subprocess]:
    """``uvicorn --factory geoservice.app:create_app`` on a free port, configured through
    the environment as in production; stopped (SIGTERM, then waited for) at the end."""
    import os
    import subprocess
    import sys
    import time

    port = free_port()
    environment = {
        **os.environ,
        "GEOSERVICE_DATABASE_URL": database_url,
        "GEOSERVICE_LAYERS_DIR": str(PROJECT_ROOT / "layers"),
        "GEOSERVICE_LOAD_DEMO": "false",
        **env,
    }
    from geoservice.app import UVICORN_LOOP

    command = [sys.executable, "-m", "uvicorn", "--factory", "geoservice.app:create_app"]
    command += ["--loop", UVICORN_LOOP]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, url, log, time.monotonic() + 60)
        yield Subprocess(url, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
