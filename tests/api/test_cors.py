"""CORS on every read, preflights, and ``OPTIONS`` naming the methods a caller may use."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.api.editing_world import OTHER, OWN, World
from tests.support import app_client, serve_app

pytestmark = pytest.mark.usefixtures("world")  # the demo, its accounts and their tokens
PORTAL = "https://satudata.kedirikota.go.id"
READS = [
    "/",
    "/conformance",
    "/collections",
    "/collections/posyandu",
    "/collections/posyandu/items",
    "/collections/posyandu/items?f=csv",
    "/collections/posyandu/queryables",
    "/styles/default/style.json",
    "/tiles/WebMercatorQuad",
    "/collections/kelurahan/tiles/WebMercatorQuad",
    "/collections/kelurahan/tiles/WebMercatorQuad/12/3322/2137",
    "/api",
    "/statistics?kode=35.71",
    "/collections/sekolah/items",  # a 404 problem is readable too
]


@pytest.mark.parametrize("path", READS)
def test_every_read_may_be_read_from_any_origin(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Origin": PORTAL})
    assert response.headers["access-control-allow-origin"] == "*", path
    assert "access-control-allow-credentials" not in response.headers
    assert "ETag" in response.headers["access-control-expose-headers"]
    # no Origin, no CORS headers: nothing changes for other clients
    assert "access-control-allow-origin" not in client.get(path).headers


def test_a_preflight_is_answered(client: TestClient) -> None:
    response = client.options(
        "/collections/posyandu/items",
        headers={
            "Origin": PORTAL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "if-match"} <= {h.strip() for h in allowed.split(",")}
    assert "access-control-allow-credentials" not in response.headers


@pytest.fixture(scope="module")
def listed(database_url: str) -> Iterator[TestClient]:
    with app_client(database_url, cors_origins=f"{PORTAL}, http://localhost:5173") as c:
        yield c


def test_listed_origins_get_credentials_and_others_nothing(listed: TestClient) -> None:
    ok = listed.get("/collections", headers={"Origin": PORTAL})
    assert ok.headers["access-control-allow-origin"] == PORTAL
    assert ok.headers["access-control-allow-credentials"] == "true"
    assert "Origin" in ok.headers["vary"]
    other = listed.get("/collections", headers={"Origin": "https://evil.example"})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
    assert "Origin" in other.headers["vary"]
    preflight = listed.options(
        "/collections",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert "access-control-allow-origin" not in preflight.headers


def test_tiles_of_the_fast_path_carry_cors(database_url: str) -> None:
    with serve_app(database_url) as url, httpx.Client(base_url=url) as http:
        for _ in range(2):  # built, then from the cache
            tile = http.get("/tiles/WebMercatorQuad/12/3322/2137", headers={"Origin": PORTAL})
            assert tile.status_code == 200
            assert tile.headers["access-control-allow-origin"] == "*"
        assert tile.headers["x-cache"] == "HIT"
    with serve_app(database_url, cors_origins=PORTAL) as url, httpx.Client(base_url=url) as http:
        tile = http.get("/tiles/WebMercatorQuad/12/3322/2137", headers={"Origin": PORTAL})
        assert tile.headers["access-control-allow-origin"] == PORTAL
        other = http.get("/tiles/WebMercatorQuad/12/3322/2137", headers={"Origin": "https://x.id"})
        assert "access-control-allow-origin" not in other.headers


def _allow(response: httpx.Response) -> set[str]:
    assert response.status_code == 204, response.text
    return {m.strip() for m in response.headers["allow"].split(",")}


READ = {"GET", "HEAD", "OPTIONS"}
WRITE = {"PUT", "PATCH", "DELETE"}


@pytest.mark.parametrize(
    ("role", "items", "own", "other"),
    [
        ("anonymous", READ, READ, READ),
        ("planner", READ, READ, READ),
        ("pic_own", READ | {"POST"}, READ | WRITE, READ),
        ("admin", READ | {"POST"}, READ | WRITE, READ | WRITE),
    ],
)
def test_options_name_the_methods_this_caller_may_use(
    world: World,
    client: TestClient,
    role: str,
    items: set[str],
    own: set[str],
    other: set[str],
) -> None:
    headers = world.headers(role)
    assert _allow(client.options("/collections/posyandu/items", headers=headers)) == items
    assert _allow(client.options("/collections/kelurahan/items", headers=headers)) == READ
    for kelurahan, expected in ((OWN, own), (OTHER, other)):
        point = world.point(kelurahan)
        path = f"/collections/posyandu/items/{point}"
        assert _allow(client.options(path, headers=headers)) == expected, kelurahan
    draft = world.point(OTHER, status="draft")
    answer = client.options(f"/collections/posyandu/items/{draft}", headers=headers)
    assert answer.status_code == (404 if role in ("anonymous", "pic_own") else 204)


def test_head_answers_like_get(client: TestClient) -> None:
    for path in ("/collections/posyandu/items", "/collections/kelurahan/items/35.71.01.1001"):
        head, get = client.head(path), client.get(path)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["etag"] == get.headers["etag"]
