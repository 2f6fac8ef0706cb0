"""QGIS as a user of the service: Debian 12's QGIS 3.22 (``python3-qgis`` and
``qgis-providers``, installed by ``./scripts/test``) run headless by ``/usr/bin/python3`` on
``tests/api/qgis_probe.py`` against the service in its own uvicorn process.

QGIS loads the posyandu layer through its OAPIF provider, its features and fields agree with
the API's, it renders them, and with a "Basic" authentication configuration (a username and
an API token) it reads a restricted attribute the anonymous layer does not get.

QGIS 3.22 cannot edit: its OAPIF provider reads only (editing OGC API layers came with QGIS
3.32, qgis/QGIS#52504), and a test says so; the writes are tested with OWSLib, and the
``OPTIONS`` a newer QGIS asks before it edits are tested in test_cors.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from tests.api.editing_world import OWN, World
from tests.support import Subprocess, uvicorn_subprocess

QGIS_PYTHON = "/usr/bin/python3"
PROBE = Path(__file__).with_name("qgis_probe.py")
COLLECTION = "posyandu"


def _qgis_missing() -> str | None:
    """Why QGIS cannot run here, or None."""
    try:
        found = subprocess.run(
            [QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{QGIS_PYTHON} cannot run: {exc}"
    if found.returncode != 0:
        return (
            f"{QGIS_PYTHON} cannot import qgis.core (install Debian's python3-qgis and "
            "qgis-providers: ./scripts/test does)"
        )
    return None


MISSING = _qgis_missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]


@pytest.fixture(scope="module")
def server(
    world: World, engine: Engine, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Subprocess]:
    """The demo with a restricted attribute (kontak) on the published posyandu of Bandar Lor,
    served by uvicorn in its own process."""
    assert world.tokens  # the demo and the accounts exist before the kontak is set
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE facility SET attributes = attributes || "
                "jsonb_build_object('kontak', '0354 ' || id) "
                "WHERE layer_id = :layer AND status = 'verified' AND kelurahan_code = :code"
            ),
            {"layer": COLLECTION, "code": OWN},
        )
    log = tmp_path_factory.mktemp("qgis-server") / "uvicorn.log"
    with uvicorn_subprocess(database_url, log) as service:
        yield service


@pytest.fixture(scope="module")
def probed(server: Subprocess, world: World, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """What QGIS found, anonymously and as pic.own (who reads Bandar Lor's kontak)."""
    work = tmp_path_factory.mktemp("qgis")
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(work),  # QGIS writes its settings under the home folder
        "XDG_RUNTIME_DIR": str(work),
        "PYTHONPATH": "",  # Debian's python with Debian's packages, not the venv's
    }
    environment.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        [QGIS_PYTHON, str(PROBE), server.url, COLLECTION, "pic.own", world.tokens["pic_own"],
         str(work)],
        capture_output=True, text=True, timeout=300, env=environment, cwd=work,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, (done.stdout[-2000:], done.stderr[-2000:])
    (work / "result.json").write_text(lines[-1])  # kept for reading a failure
    result = json.loads(lines[-1])
    result["work"] = str(work)
    result["requests"] = server.requests()
    return result


def _api(server: Subprocess, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every feature's properties as the API gives them to this caller, as QGIS writes
    them in text (a JSON null is None)."""
    body = httpx.get(
        f"{server.url}/collections/{COLLECTION}/items",
        params={"limit": 10000},
        headers=headers or {},
        timeout=30,
    ).json()
    return [
        {name: None if value is None else str(value) for name, value in f["properties"].items()}
        for f in body["features"]
    ]


def _same(qgis: list[dict[str, Any]], api: list[dict[str, Any]]) -> None:
    """QGIS read the API's features: the same number, each with the same attributes."""
    assert len(qgis) == len(api) > 0

    def key(props: dict[str, Any]) -> str:
        return json.dumps(props, sort_keys=True)

    # a restricted attribute of another kelurahan's point is left out of the JSON (None here)
    names = set().union(*api)
    assert sorted(key({n: f[n] for n in names}) for f in qgis) == sorted(
        key({n: f.get(n) for n in names}) for f in api
    )


def test_qgis_is_debians_3_22_with_the_oapif_provider(probed: Any) -> None:
    assert probed["version"].startswith("3.22"), probed["version"]
    assert "OAPIF" in probed["providers"]


def test_qgis_loads_every_feature_and_attribute_the_api_gives(
    probed: Any, server: Subprocess
) -> None:
    layer = probed["anonymous"]
    assert layer["valid"], layer["error"]
    expected = _api(server)
    assert set(layer["fields"]) == set().union(*expected)  # every attribute, none restricted
    assert "kontak" not in layer["fields"] and "status" not in layer["fields"]
    _same(layer["features"], expected)
    # QGIS built its fields from the schema and read pages of the items
    assert any(
        line.startswith(f"GET /collections/{COLLECTION}/items") for line in probed["requests"]
    )


def test_qgis_renders_the_layer(probed: Any) -> None:
    assert probed["anonymous"]["painted"] > 1000  # 141 point symbols on 256 x 256
    assert (Path(probed["work"]) / "anonymous.png").stat().st_size > 0


def test_qgis_signs_in_with_basic_and_reads_a_restricted_attribute(
    probed: Any, server: Subprocess, world: World
) -> None:
    assert not probed["auth_disabled"] and probed["auth_stored"]
    layer = probed["signed_in"]
    assert layer["valid"], layer["error"]
    assert "kontak" in layer["fields"] and "kontak" not in probed["anonymous"]["fields"]
    expected = _api(server, {"Authorization": f"Bearer {world.tokens['pic_own']}"})
    _same(layer["features"], expected)
    contacts = sorted(f["kontak"] for f in layer["features"] if f["kontak"])
    assert contacts == sorted(f["kontak"] for f in expected if f.get("kontak"))
    assert contacts, "QGIS read Bandar Lor's kontak, which the anonymous layer has not"


def test_qgis_3_22_cannot_edit_ogc_api_layers(probed: Any) -> None:
    """QGIS 3.22's OAPIF provider offers no writes, even signed in as the kelurahan's PIC
    (editing came with QGIS 3.32); the service's Part 4 writes are tested with OWSLib."""
    assert probed["editable"] is False
