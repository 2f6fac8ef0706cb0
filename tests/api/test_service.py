"""/health, /collections and problem JSON, against the real test database."""

from __future__ import annotations

from fastapi.testclient import TestClient

from geoservice.app import create_app
from geoservice.db.migrations import head_revision
from geoservice.settings import PROJECT_ROOT, Settings


def test_health_reports_versions(fresh_demo_client: TestClient) -> None:
    response = fresh_demo_client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["postgresql"].split(".")[0].isdigit()
    assert body["database"]["postgis"].startswith("3.")
    assert body["database"]["revision"] == head_revision()


def test_health_is_503_problem_json_when_database_is_down() -> None:
    # nothing listens on port 9 (discard) of localhost
    settings = Settings(
        database_url="postgresql://nobody:secret@127.0.0.1:9/none",
        layers_dir=PROJECT_ROOT / "layers",
    )
    with TestClient(create_app(settings)) as fresh_demo_client:
        response = fresh_demo_client.get("/health", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/database-unavailable")
    assert body["title"] == "Database unavailable"
    # the driver's reason (host, port, user) is logged, never told to the client
    assert "127.0.0.1" not in body["detail"] and "nobody" not in body["detail"]
    assert body["detail"] == "The database cannot be reached at the moment. Try again shortly."


def test_collections_lists_levels_and_layers_with_counts(fresh_demo_client: TestClient) -> None:
    response = fresh_demo_client.get("/collections")
    assert response.status_code == 200
    collections = {c["id"]: c for c in response.json()["collections"]}
    assert list(collections) == [
        "provinsi",
        "kabkota",
        "kecamatan",
        "kelurahan",
        "kantor_kelurahan",
        "pos_kamling",
        "posyandu",
        "rt",
        "profil_kelurahan",  # the verified profiles of the sample form
    ]
    counts = {cid: c["geoservice:count"] for cid, c in collections.items()}
    assert counts["kelurahan"] == 46 and counts["kecamatan"] == 3 and counts["kabkota"] == 1
    assert counts["kantor_kelurahan"] == 46
    assert collections["posyandu"]["title"] == "Posyandu"
    west, south, east, north = collections["kelurahan"]["extent"]["spatial"]["bbox"][0]
    assert 111.9 < west < east < 112.1 and -7.9 < south < north < -7.7
    english = fresh_demo_client.get("/collections", params={"lang": "en"}).json()["collections"]
    assert english[3]["title"] == "Villages (desa/kelurahan)"


def test_one_collection_and_unknown_ones(fresh_demo_client: TestClient) -> None:
    assert fresh_demo_client.get("/collections/rt").json()["id"] == "rt"
    response = fresh_demo_client.get(
        "/collections/sekolah", headers={"Accept-Language": "en-US,en"}
    )
    assert response.status_code == 404
    body = response.json()
    assert body["status"] == 404 and body["instance"] == "/collections/sekolah"
    assert "'sekolah' does not exist" in body["detail"] and "posyandu" in body["detail"]


def test_unknown_path_and_method(fresh_demo_client: TestClient) -> None:
    missing = fresh_demo_client.get("/tidak-ada")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["detail"] == "Alamat /tidak-ada tidak ada di layanan ini."
    wrong = fresh_demo_client.delete("/health")
    assert wrong.status_code == 405 and wrong.json()["status"] == 405
    assert wrong.headers["allow"] == "GET"
    assert wrong.json()["detail"] == "Metode DELETE tidak tersedia untuk /health."
