"""The map pages over HTTP: who may open which page, what each embeds, that every asset comes
from the service, and the kelurahan search. (What the pages do in a browser: tests/browser.)"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
import shapely
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.editing_world import OTHER, OWN, PASSWORD, World, build_world, sign_in

USERNAMES = {"pic_own": "pic.own", "pic_other": "pic.other", "planner": "perencana.uji"}
USERNAMES["admin"] = "admin.uji"


@pytest.fixture(scope="module")
def world(engine: Engine, database_url: str) -> World:
    return build_world(engine, database_url)


def _as(fresh_world_client: TestClient, role: str) -> TestClient:
    if role != "anonymous":
        assert sign_in(fresh_world_client, USERNAMES[role]).status_code == 303
    return fresh_world_client


def _config(page: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="geoservice-config">(.*?)</script>', page, re.S
    )
    assert found is not None
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    ("role", "path"),
    [("anonymous", "/map"), ("pic_own", "/editor"), ("admin", "/review")],
)
def test_every_script_and_stylesheet_comes_from_the_service(
    fresh_world_client: TestClient, role: str, path: str
) -> None:
    page = _as(fresh_world_client, role).get(path)
    assert page.status_code == 200, page.text
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page.text)
    assert any("/static/leaflet/leaflet.js" in s for s in sources)
    assert all(s.startswith("http://testserver/") for s in sources), sources
    for source in sources:
        assert fresh_world_client.get(source).status_code == 200, source
    # folium's own CDN defaults (jQuery, Bootstrap, Font Awesome) are not on the page
    assert "cdn" not in page.text.lower() and "jquery" not in page.text.lower()
    # the page stays zoomable: folium's viewport tag (user-scalable=no) is dropped
    assert "user-scalable=no" not in page.text


def test_the_editor_page_loads_geoman_and_the_public_map_vectorgrid(
    fresh_world_client: TestClient,
) -> None:
    public = fresh_world_client.get("/map").text
    assert "static/vendor/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js" in public
    assert "collections/kelurahan/tiles/WebMercatorQuad/{z}/{x}/{y}" in public
    editor = _as(fresh_world_client, "pic_own").get("/editor").text
    assert "static/vendor/leaflet-geoman-free/dist/leaflet-geoman.min.js" in editor
    assert "leaflet-geoman.css" in editor


@pytest.mark.parametrize(
    ("role", "path", "parts"),
    [
        ("anonymous", "/map", set()),
        ("pic_own", "/editor", {"outline"}),
        ("admin", "/review", {"points"}),
    ],
)
def test_map_pages_hand_folium_objects_to_the_page_scripts_by_role(
    fresh_world_client: TestClient, role: str, path: str, parts: set[str]
) -> None:
    """The page scripts get the map and its groups from a hand-over, never by folium's names."""
    page = _as(fresh_world_client, role).get(path).text
    config = _config(page)
    assert not {"map", "groups", *parts} & config.keys()
    found = re.findall(
        r"window\.geoservice\.register\(\{map: (\w+), groups: \{(.*?)\}, parts: \{(.*?)\}\}\);",
        page,
    )
    assert len(found) == 1
    map_name, groups_text, parts_text = found[0]
    groups = dict(re.findall(r'"(\w+)": (\w+)', groups_text))
    handed = dict(re.findall(r'"(\w+)": (\w+)', parts_text))
    defined = dict(re.findall(r"var (\w+) = (L\.\w+)\(", page))
    assert defined[map_name] == "L.map"
    layers = {layer["id"] for layer in config["layers"]} if path != "/review" else set()
    assert groups.keys() == layers
    assert all(defined[name] == "L.featureGroup" for name in groups.values())
    assert handed.keys() == parts
    assert all(name in defined for name in handed.values())
    # common.js, folium's script, the hand-over, then the page's own: each sees those before
    script = {"/map": "publicmap.js", "/editor": "editor.js", "/review": "review.js"}[path]
    order = [
        page.index("/common.js"),
        page.index(f"var {map_name} = L.map("),
        page.index("window.geoservice.register("),
        page.index(f"/{script}"),
    ]
    assert order == sorted(order)


def test_public_map_embeds_public_attributes_only(fresh_world_client: TestClient) -> None:
    config = _config(fresh_world_client.get("/map").text)
    posyandu = next(layer for layer in config["layers"] if layer["id"] == "posyandu")
    names = [a["name"] for a in posyandu["attributes"]]
    assert "nama" in names and "kontak" not in names  # kontak is restricted
    assert "csrf" not in config
    assert config["labels"]["legend"] == "Legenda"


def test_public_map_deep_link_opens_on_the_kelurahan(fresh_world_client: TestClient) -> None:
    page = fresh_world_client.get("/map", params={"kelurahan": OWN})
    assert page.status_code == 200
    config = _config(page.text)
    assert config["highlight"]["nama"] == "Bandar Lor"
    assert config["highlight"]["kecamatan"] == "Mojoroto"
    west, south, east, north = config["highlight"]["bbox"]
    assert f"[[{south}, {west}], [{north}, {east}]]" in page.text  # fitBounds on it


def test_public_map_with_an_unknown_kelurahan_says_so(fresh_world_client: TestClient) -> None:
    page = fresh_world_client.get("/map", params={"kelurahan": "35.71.09.9999", "lang": "en"})
    assert page.status_code == 404
    assert "There is no desa/kelurahan with code 35.71.09.9999" in page.text
    assert "folium-map" in page.text  # still a usable map


def test_editor_sends_anonymous_users_to_sign_in(fresh_world_client: TestClient) -> None:
    response = fresh_world_client.get("/editor", params={"kelurahan": OWN}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == (
        "/login?lang=id&next=%2Feditor%3Fkelurahan%3D35.71.01.1001"
    )


@pytest.mark.parametrize(
    ("role", "query", "status", "text"),
    [
        ("pic_own", {}, 200, "Bandar Lor"),
        ("pic_own", {"kelurahan": OWN}, 200, "Bandar Lor"),
        (
            "pic_own",
            {"kelurahan": OTHER},
            403,
            "tidak ditugaskan untuk kelurahan Semampir (35.71.02.1001)",
        ),
        ("pic_other", {}, 200, "Semampir"),
        ("planner", {}, 403, "hanya dapat melihat data"),
        ("admin", {"kelurahan": OTHER}, 200, "Semampir"),
        ("admin", {"kelurahan": "35.71.09.9999"}, 404, "Tidak ada desa/kelurahan"),
    ],
)
def test_editor_access_per_role(
    fresh_world_client: TestClient, role: str, query: dict, status: int, text: str
) -> None:
    page = _as(fresh_world_client, role).get("/editor", params=query)
    assert page.status_code == status
    assert text in page.text
    if status == 200:
        config = _config(page.text)
        assert config["csrf"] == fresh_world_client.get("/auth/me").json()["csrf_token"]
        assert page.headers["cache-control"] == "no-store"
        posyandu = next(layer for layer in config["layers"] if layer["id"] == "posyandu")
        nama = next(a for a in posyandu["attributes"] if a["name"] == "nama")
        strata = next(a for a in posyandu["attributes"] if a["name"] == "strata")
        assert nama["required"] and strata["enum"] == ["Pratama", "Madya", "Purnama", "Mandiri"]
        assert "kontak" in [a["name"] for a in posyandu["attributes"]]  # editors see all


def test_admin_without_a_kelurahan_goes_to_the_review(fresh_world_client: TestClient) -> None:
    response = _as(fresh_world_client, "admin").get("/editor", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/review?lang=id"


@pytest.mark.parametrize(("role", "status"), [("pic_own", 403), ("planner", 403), ("admin", 200)])
def test_review_is_for_admins(fresh_world_client: TestClient, role: str, status: int) -> None:
    assert _as(fresh_world_client, role).get("/review").status_code == status


def test_review_lists_the_submitted_points(fresh_world_client: TestClient, world: World) -> None:
    fid = world.point(OWN, status="submitted", nama="Posyandu Menunggu")
    page = _as(fresh_world_client, "admin").get("/review")
    assert "Posyandu Menunggu" in page.text
    assert f'data-id="{fid}"' in page.text
    assert f'data-etag="&#34;{world.version(fid)}&#34;"' in page.text
    config = _config(page.text)
    entry = next(e for e in config["queue"] if e["kelurahan"] == OWN)
    assert any(p["id"] == fid for p in entry["points"])


@pytest.mark.parametrize(("role", "status"), [("pic_own", 403), ("planner", 403), ("admin", 200)])
def test_accounts_page_is_for_admins(
    fresh_world_client: TestClient, role: str, status: int
) -> None:
    page = _as(fresh_world_client, role).get("/accounts")
    assert page.status_code == status
    # only an admin's header links to it
    assert ('href="http://testserver/accounts?lang=id"' in page.text) == (role == "admin")
    if status == 403:
        assert "hanya untuk admin (walidata)" in page.text


def test_accounts_page_sends_anonymous_visitors_to_sign_in(fresh_world_client: TestClient) -> None:
    response = fresh_world_client.get("/accounts", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?lang=id&next=%2Faccounts"


def test_accounts_page_lists_every_account_with_its_kelurahan_by_name(
    fresh_world_client: TestClient,
) -> None:
    page = _as(fresh_world_client, "admin").get("/accounts")
    rows = dict(re.findall(r'<tr data-username="([^"]+)"[^>]*>(.*?)</tr>', page.text, re.S))
    assert set(USERNAMES.values()) <= set(rows)
    assert "Bandar Lor" in rows["pic.own"] and f'data-code="{OWN}"' in rows["pic.own"]
    assert "PIC kelurahan" in rows["pic.own"] and "Perencana" in rows["perencana.uji"]
    assert 'class="grant' not in rows["perencana.uji"]  # only PICs are granted kelurahan
    # an admin can disable others and set their password, but not their own from here
    for control in ('class="toggle"', 'class="password'):
        assert control in rows["pic.own"] and control not in rows["admin.uji"]
    assert "Minimal 10 karakter" in page.text  # passwords.MIN_PASSWORD_LENGTH
    assert _config(page.text)["csrf"]  # the script's writes carry the session's token
    assert page.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("query", "first", "all_start"),
    [
        ("bandar", "Bandar Lor", None),
        ("  BANDAR   kidul ", "Bandar Kidul", None),
        ("35.71.02", None, "35.71.02."),
        ("semampir", "Semampir", None),
    ],
)
def test_search_finds_kelurahan_by_name_or_code(
    fresh_world_client: TestClient, query: str, first: str | None, all_start: str | None
) -> None:
    response = fresh_world_client.get("/search", params={"q": query})
    assert response.status_code == 200
    found = response.json()["kelurahan"]
    assert found
    if first:
        assert found[0]["nama"] == first
        assert found[0]["kabkota"] == "Kota Kediri" and found[0]["kecamatan"]
    if all_start:
        assert all(area["kode"].startswith(all_start) for area in found)
    assert all(len(area["bbox"]) == 4 for area in found)


def test_search_exact_name_ranks_first(fresh_world_client: TestClient) -> None:
    found = fresh_world_client.get("/search", params={"q": "bandar lor"}).json()["kelurahan"]
    assert [a["nama"] for a in found] == ["Bandar Lor"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "2 sampai 80 karakter"),
        ({"q": "a"}, "2 sampai 80 karakter"),
        ({"q": "x" * 81}, "2 sampai 80 karakter"),
        ({"q": "bandar", "limit": "0"}, "limit"),
        ({"q": "bandar", "limit": "banyak"}, "limit"),
    ],
)
def test_search_refuses_bad_input_with_a_problem(
    fresh_world_client: TestClient, params: dict, message: str
) -> None:
    response = fresh_world_client.get("/search", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert message in response.json()["detail"]


def test_search_at_a_point_names_the_kelurahan_there(
    fresh_world_client: TestClient, kediri: gpd.GeoDataFrame
) -> None:
    areas = kediri.set_index("kode").geometry
    inside = areas["35.71.01.1001"].representative_point()
    found = fresh_world_client.get("/search", params={"at": f"{inside.x},{inside.y}"}).json()[
        "kelurahan"
    ]
    assert [(a["kode"], a["nama"], a["kecamatan"], a["kabkota"]) for a in found] == [
        ("35.71.01.1001", "Bandar Lor", "Mojoroto", "Kota Kediri")
    ]
    # a corner that Bandar Lor and Bandar Kidul share: both
    lor, kidul = (
        set(map(tuple, shapely.get_coordinates(areas[code])))
        for code in ("35.71.01.1001", "35.71.01.1002")
    )
    x, y = sorted(lor & kidul)[0]
    found = fresh_world_client.get("/search", params={"at": f"{x},{y}"}).json()["kelurahan"]
    assert [a["nama"] for a in found] == ["Bandar Lor", "Bandar Kidul"]
    # the sea off Java: nothing, and no error
    assert fresh_world_client.get("/search", params={"at": "112.0,-6.5"}).json() == {
        "kelurahan": []
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"at": "112.01"}, "bujur,lintang"),
        ({"at": "112.01,-7.8,3"}, "bujur,lintang"),
        ({"at": "timur,selatan"}, "bujur,lintang"),
        ({"at": "-7.8,112.01"}, "bujur,lintang"),  # latitude first: out of range
        ({"at": "nan,-7.8"}, "bujur,lintang"),
        ({"at": "112.01,-7.8", "q": "bandar"}, "tidak keduanya"),
    ],
)
def test_search_at_refuses_bad_points(
    fresh_world_client: TestClient, params: dict, message: str
) -> None:
    response = fresh_world_client.get("/search", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert message in response.json()["detail"]


def test_search_wildcards_are_literal(fresh_world_client: TestClient) -> None:
    assert fresh_world_client.get("/search", params={"q": "%%"}).json() == {"kelurahan": []}
    assert fresh_world_client.get("/search", params={"q": "__"}).json() == {"kelurahan": []}


def test_pages_and_scripts_are_gzipped_but_tiles_are_not(fresh_world_client: TestClient) -> None:
    gzip = {"Accept-Encoding": "gzip"}
    script = fresh_world_client.get(
        "/static/vendor/leaflet-geoman-free/dist/leaflet-geoman.min.js", headers=gzip
    )
    assert script.headers["content-encoding"] == "gzip"
    assert fresh_world_client.get("/map", headers=gzip).headers["content-encoding"] == "gzip"
    tile = fresh_world_client.get(
        "/collections/kelurahan/tiles/WebMercatorQuad/12/3322/2137", headers=gzip
    )
    assert tile.status_code == 200 and "content-encoding" not in tile.headers


def test_a_pic_of_two_kelurahan_switches_between_them(
    fresh_world_client: TestClient, engine: Engine
) -> None:
    from geoservice.services import accounts

    with engine.begin() as conn:
        accounts.add_user(conn, "pic.dua", "pic", PASSWORD, kelurahan=[OWN, OTHER])
    assert sign_in(fresh_world_client, "pic.dua").status_code == 303
    page = fresh_world_client.get("/editor")
    assert page.status_code == 200 and "Bandar Lor" in page.text  # the first by code
    switcher = re.search(r'<select id="kelurahan-switch".*?</select>', page.text, re.S)
    assert switcher is not None
    options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]+)</option>', switcher.group(0))
    assert options == [(OWN, " selected", "Bandar Lor"), (OTHER, "", "Semampir")]
    assert "Semampir" in fresh_world_client.get("/editor", params={"kelurahan": OTHER}).text


def test_public_map_header_shows_who_is_signed_in_and_is_not_stored(
    fresh_world_client: TestClient,
) -> None:
    anonymous = fresh_world_client.get("/map")
    assert anonymous.headers["cache-control"] == "no-cache"
    assert "Masuk sebagai" not in anonymous.text
    page = _as(fresh_world_client, "pic_own").get("/map")
    assert "Masuk sebagai pic.own" in page.text  # with a sign-out form holding the CSRF token
    assert page.headers["cache-control"] == "no-store"
    assert "csrf" not in _config(page.text)  # the map itself stays the public view
