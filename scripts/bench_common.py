"""What the national benchmarks share: the database ``geoservice_tiles`` with the whole country
loaded once (kept for later runs), and tile arithmetic."""

from __future__ import annotations

import math
import os
import signal
import socket
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from geoservice.app import UVICORN_LOOP
from geoservice.cluster import database_url
from geoservice.db.migrations import upgrade
from geoservice.db.session import make_engine
from geoservice.services.imports.boundaries import BoundaryOptions, import_boundaries
from geoservice.settings import PROJECT_ROOT, Settings

DATABASE = "geoservice_tiles"
FILES = ["provinsi", "kabkota", "kecamatan", "desa_kelurahan"]
DEFAULT_DATA = PROJECT_ROOT.parent / "shared/data/wilayah"
KEDIRI, JAKARTA, INDONESIA = (112.01, -7.82), (106.83, -6.19), (112.0, -7.5)


def national_url() -> str:
    """SQLAlchemy URL of the benchmark database (created when missing)."""
    server = make_url(database_url(Settings()))
    admin = server.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    return server.set(database=DATABASE).render_as_string(hide_password=False)


def national_engine(data_dir: Path = DEFAULT_DATA) -> Engine:
    """An engine on the benchmark database, migrated, with the national boundaries loaded."""
    engine = make_engine(national_url())
    upgrade(engine)
    with engine.connect() as conn:
        areas = conn.execute(text("SELECT count(*) FROM admin_area")).scalar_one()
    if areas < 90_000:
        print("loading the national boundaries (once) ...", flush=True)
        paths = [data_dir / f"{name}.parquet" for name in FILES]
        import_boundaries(engine, paths, BoundaryOptions(derive_parents=True))
        with engine.connect() as conn:
            conn.execute(text("ANALYZE admin_area"))
            conn.execute(text("ANALYZE admin_area_generalized"))
            conn.commit()
    return engine


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The WebMercatorQuad tile of zoom ``z`` holding the point."""
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def serve(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """Start a server and wait until it answers."""
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/collections", timeout=5)
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{command[0]} did not start")


def serve_geoservice(database_url: str, port: int, **env: str) -> subprocess.Popen[bytes]:
    """``geoservice.app`` under uvicorn (one process, as ``geoservice serve`` runs it) on
    ``database_url``; ``env`` adds GEOSERVICE_* settings."""
    command = [
        str(PROJECT_ROOT / ".venv/bin/uvicorn"), "geoservice.app:create_app", "--factory",
        "--port", str(port), "--log-level", "warning", "--no-access-log", "--loop", UVICORN_LOOP,
    ]  # fmt: skip
    return serve(command, {"GEOSERVICE_DATABASE_URL": database_url, **env}, port)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started by :func:`serve`."""
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=20)


def percentiles(values: list[float], points: tuple[int, ...] = (50, 90, 99)) -> str:
    """``p50 … ms  p90 … ms  p99 … ms  (n=…)`` of millisecond ``values``."""
    q = statistics.quantiles(values, n=100, method="inclusive")
    cells = "   ".join(f"p{p} {q[p - 1]:6.1f} ms" for p in points)
    return f"{cells}   (n={len(values)})"


def free_port() -> int:
    """A TCP port free on loopback now, so a benchmark runs beside a running service."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def timed(client: httpx.Client, url: str, repeat: int) -> tuple[list[float], int]:
    """``repeat`` GETs of ``url``: their times (ms) and the size of the answer."""
    values, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        values.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code} {response.text[:300]}")
        size = len(response.content)
    return values, size
