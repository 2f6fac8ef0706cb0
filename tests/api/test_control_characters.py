"""Text PostgreSQL cannot store (NUL) and control characters no name holds: refused with a
precise problem, never a 500, and nothing written. Schemathesis found the first one in /search."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.editing_world import GEOJSON, World, feature
from tests.support import count, table_fingerprint


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/search", {"q": "bandar\x00lor"}, "q"),
        ("/collections/kelurahan/items", {"nama": "\x00"}, "nama"),
        ("/collections/kelurahan/items", {"kode": "35.71\x00"}, "kode"),
        ("/indicators/penduduk/choropleth", {"period": "2025\x00"}, "period"),
    ],
)
@pytest.mark.usefixtures("world")
def test_a_nul_in_a_query_parameter_is_a_400_naming_it(
    client: TestClient, path: str, params: dict[str, str], name: str
) -> None:
    response = client.get(path, params=params, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == (
        f"Parameter {name} contains a NUL character (0x00), which cannot be searched."
    )


@pytest.mark.parametrize("bad", ["Posyandu \x00 Mawar", "Posyandu\x07Mawar", "Posyandu\x1bMawar"])
def test_a_point_named_with_a_control_character_is_refused_per_field(
    client: TestClient, engine: Engine, world: World, bad: str
) -> None:
    before = table_fingerprint(engine)
    lon, lat = world.spot()
    body = feature(lon, lat, nama=bad, strata="Madya")
    response = client.post(
        "/collections/posyandu/items", json=body, headers=world.headers("pic_own", **GEOJSON)
    )
    assert response.status_code == 422
    [problem] = response.json()["errors"]
    assert problem["field"] == "nama"
    assert "karakter kendali" in problem["message"]
    assert table_fingerprint(engine) == before


def test_a_tab_or_line_break_in_a_name_is_kept_as_text(client: TestClient, world: World) -> None:
    lon, lat = world.spot()
    body = feature(lon, lat, nama="Posyandu\tMawar", strata="Madya")
    response = client.post(
        "/collections/posyandu/items", json=body, headers=world.headers("pic_own", **GEOJSON)
    )
    assert response.status_code == 201, response.text


def test_a_rejection_reason_with_nul_is_refused_and_the_point_unchanged(
    client: TestClient, engine: Engine, world: World
) -> None:
    fid = world.point(status="submitted")
    version = world.version(fid)
    response = client.post(
        f"/collections/posyandu/items/{fid}/reject",
        json={"reason": "Nama \x00 tidak sesuai"},
        headers={**world.headers("admin"), "If-Match": f'"{version}"'},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"
    status = "SELECT count(*) FROM facility WHERE id = :i AND status = 'submitted'"
    assert count(engine, status, i=fid) == 1 and world.version(fid) == version


def test_a_token_name_with_nul_is_a_400(client: TestClient, world: World) -> None:
    response = client.post(
        "/auth/tokens", json={"name": "QGIS\x00"}, headers=world.headers("admin")
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["loc"] == ["body", "name"]


def test_any_other_text_with_nul_is_a_400_and_writes_nothing(
    client: TestClient, engine: Engine, world: World
) -> None:
    # the account's full name has no check of its own: the handler of last resort answers
    body = {
        "username": "nul.test",
        "password": "rahasia-panjang-123",
        "role": "planner",
        "full_name": "Nama \x00 Lengkap",
    }
    response = client.post("/users", json=body, headers=world.headers("admin"))
    assert response.status_code == 400
    assert "NUL (0x00)" in response.json()["detail"]
    assert count(engine, "SELECT count(*) FROM app_user WHERE username = 'nul.test'") == 0
