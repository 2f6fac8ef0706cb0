"""ogctests (a black-box OGC API tester from PyPI): every test of features/core passes
against the service run by uvicorn in its own process."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from sqlalchemy import Engine

from geoservice.settings import PROJECT_ROOT
from tests.factories import fresh_demo
from tests.support import uvicorn_subprocess

WHEELS = PROJECT_ROOT / ".geoservice" / "ogctests"


def test_ogctests_features_core_passes_every_test(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    wheels = sorted(WHEELS.glob("ogctests-0.1.15-*.whl"))
    assert wheels, "the ogctests wheel is missing: ./scripts/test fetches it (tests/ogctests.txt)"
    with zipfile.ZipFile(wheels[0]) as wheel:
        wheel.extractall(tmp_path / "ogctests")
    suite = tmp_path / "ogctests" / "ogctests" / "features" / "core"
    fresh_demo(engine)
    with uvicorn_subprocess(database_url, tmp_path / "uvicorn.log") as server:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", str(suite), "-q", "-p", "no:cacheprovider"],
            cwd=tmp_path / "ogctests",
            env={**os.environ, "INSTANCE_URL": server.url},
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert run.returncode == 0, run.stdout[-4000:]
    assert "29 passed" in run.stdout, run.stdout[-2000:]
