"""HTML pages for people: negotiated by f=html or a browser's Accept, Leaflet served by the
service itself (no CDN), in Bahasa Indonesia by default and English on request."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PAGES = [
    "/",
    "/collections",
    "/collections/kelurahan",
    "/collections/posyandu",
    "/collections/kelurahan/items",
    "/collections/posyandu/items?limit=50",
    "/collections/kelurahan/items/35.71.01.1001",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_use_only_assets_of_the_service(demo_client: TestClient, path: str) -> None:
    response = demo_client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="id">' in page
    assert "http://testserver/static/leaflet/leaflet.js" in page
    # every script and stylesheet comes from this service
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("http://testserver/") for s in sources), sources
    for asset in (
        "/static/leaflet/leaflet.js",
        "/static/leaflet/leaflet.css",
        "/static/geoservice/map.js",
    ):
        assert demo_client.get(asset).status_code == 200


def test_items_page_embeds_the_features_for_its_map(demo_client: TestClient) -> None:
    page = demo_client.get("/collections/kelurahan/items", params={"f": "html", "kode": "35.71.02"})
    embedded = re.search(
        r'<script type="application/json" id="features">(.*?)</script>', page.text, re.S
    )
    assert embedded is not None
    collection = json.loads(embedded.group(1))
    assert collection["numberMatched"] == 17 and len(collection["features"]) == 10
    assert 'id="map"' in page.text and "Berikutnya" in page.text  # a next page, in Indonesian
    assert collection["features"][0]["properties"]["nama"] in page.text


@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        (
            "/collections/kelurahan/items/35.71.01.1001",
            "id",
            "Bandar Lor · Desa/Kelurahan 35.71.01.1001",
        ),
        (
            "/collections/kecamatan/items/35.71.01",
            "en",
            "Mojoroto · Districts (kecamatan) 35.71.01",
        ),
    ],
)
def test_a_feature_page_is_headed_by_the_feature_s_name(
    demo_client: TestClient, path: str, lang: str, heading: str
) -> None:
    page = demo_client.get(path, params={"f": "html", "lang": lang}).text
    assert f"<h1>{heading}</h1>" in page


def test_a_point_page_is_headed_by_its_name_and_layer(demo_client: TestClient) -> None:
    point = demo_client.get("/collections/posyandu/items", params={"limit": 1}).json()["features"][
        0
    ]
    page = demo_client.get(f"/collections/posyandu/items/{point['id']}", params={"f": "html"}).text
    assert f"<h1>{point['properties']['nama']} · Posyandu {point['id']}</h1>" in page


def test_english_on_request(demo_client: TestClient) -> None:
    page = demo_client.get("/collections", params={"f": "html", "lang": "en"}).text
    assert '<html lang="en">' in page and "Villages (desa/kelurahan)" in page


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("*/*", "application/geo+json"),
        ("application/json", "application/geo+json"),
        # folium's GeoJSON loader (jQuery's $.ajax with dataType json)
        ("application/json, text/javascript, */*; q=0.01", "application/geo+json"),
        ("application/geo+json, text/html;q=0.5", "application/geo+json"),
        (BROWSER, "text/html; charset=utf-8"),
    ],
)
def test_accept_negotiation(demo_client: TestClient, accept: str, expected: str) -> None:
    response = demo_client.get("/collections/kelurahan/items", headers={"Accept": accept})
    assert response.headers["content-type"] == expected


def test_unknown_format_is_a_400(demo_client: TestClient) -> None:
    for path in ("/collections", "/collections/kelurahan/items", "/"):
        response = demo_client.get(path, params={"f": "xml"})
        assert response.status_code == 400, path
        assert "html" in response.json()["detail"]


def test_a_browser_gets_an_error_page_and_programs_get_problem_json(
    demo_client: TestClient,
) -> None:
    path = "/collections/posyandu/items/999999"
    page = demo_client.get(path, headers={"Accept": BROWSER})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Tidak ditemukan" in page.text and 'role="alert"' in page.text
    assert "999999" in page.text  # the problem's own words, in the page's language
    english = demo_client.get(path + "?lang=en", headers={"Accept": BROWSER})
    assert "<h1>Not found" in english.text
    for accept in ("application/json", "application/geo+json", "*/*"):
        answer = demo_client.get(path, headers={"Accept": accept})
        assert answer.headers["content-type"] == "application/problem+json", accept
    assert demo_client.get(path + "?f=json", headers={"Accept": BROWSER}).headers[
        "content-type"
    ] == ("application/problem+json")


def test_static_assets_have_versioned_urls_kept_for_a_year(demo_client: TestClient) -> None:
    page = demo_client.get("/map").text
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+/static/[^"]+)"', page)
    assert sources and all("?v=" in s for s in sources), sources
    for source in sources:
        answer = demo_client.get(source)
        assert answer.status_code == 200, source
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    # a URL without its version is checked every time (its ETag answers 304)
    bare = demo_client.get("/static/geoservice/common.js")
    assert bare.headers["cache-control"] == "no-cache"
    again = demo_client.get(
        "/static/geoservice/common.js", headers={"If-None-Match": bare.headers["etag"]}
    )
    assert again.status_code == 304


def test_the_sign_in_page_prefetches_the_editor(demo_client: TestClient) -> None:
    """A PIC types while the editor's scripts arrive: on a slow link the editor is usable
    sooner after Masuk (scripts/bench_pages)."""
    page = demo_client.get("/login?next=/editor").text
    prefetched = re.findall(r'<link rel="prefetch" href="([^"]+)">', page)
    assert any("/editor.js?v=" in url for url in prefetched), prefetched
    assert any("leaflet-geoman.min.js?v=" in url for url in prefetched), prefetched
    assert (
        re.findall(r'<link rel="prefetch"', demo_client.get("/login?next=/collections").text) == []
    )
