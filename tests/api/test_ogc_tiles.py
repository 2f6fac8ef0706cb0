"""OGC API - Tiles: tiling schemes, tileset lists and metadata (also valid TileJSON 3.0),
204 for empty tiles, .mvt/.pbf names, and RFC 7946 ring orientation of every GeoJSON polygon."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator
from shapely.geometry import LinearRing

from tests.support import serve_app

#: What TileJSON 3.0.0 requires (github.com/mapbox/tilejson-spec, 3.0.0/schema.json).
TILEJSON = {
    "type": "object",
    "required": ["tilejson", "tiles", "vector_layers"],
    "properties": {
        "tilejson": {"type": "string", "pattern": r"^3\.[0-9]+\.[0-9]+$"},
        "tiles": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "vector_layers": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "fields"],
                "properties": {
                    "id": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                    "minzoom": {"type": "integer", "minimum": 0, "maximum": 30},
                    "maxzoom": {"type": "integer", "minimum": 0, "maximum": 30},
                },
            },
        },
        "bounds": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
        "center": {"type": "array", "minItems": 3, "maxItems": 3, "items": {"type": "number"}},
        "minzoom": {"type": "integer", "minimum": 0, "maximum": 30},
        "maxzoom": {"type": "integer", "minimum": 0, "maximum": 30},
        "scheme": {"enum": ["xyz", "tms"]},
    },
}
EMPTY = "/collections/kelurahan/tiles/WebMercatorQuad/1/0/0"  # the demo lies in 1/1/1
FULL = "/collections/kelurahan/tiles/WebMercatorQuad/12/3322/2137"


def test_the_tiling_scheme(demo_client: TestClient) -> None:
    listed = demo_client.get("/tileMatrixSets").json()["tileMatrixSets"]
    assert [s["id"] for s in listed] == ["WebMercatorQuad"]
    quad = demo_client.get(listed[0]["links"][0]["href"]).json()
    assert quad["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    matrices = quad["tileMatrices"]
    assert [m["id"] for m in matrices] == [str(z) for z in range(23)]
    assert matrices[0]["scaleDenominator"] == pytest.approx(559082264.028717)
    assert matrices[0]["cellSize"] == pytest.approx(156543.033928041)
    assert all(m["matrixWidth"] == m["matrixHeight"] == 2**z for z, m in enumerate(matrices))


@pytest.mark.parametrize("collection", ["kelurahan", "posyandu", None])
def test_tileset_lists_lead_to_tiles(demo_client: TestClient, collection: str | None) -> None:
    prefix = f"/collections/{collection}" if collection else ""
    tilesets = demo_client.get(f"{prefix}/tiles").json()["tilesets"]
    assert len(tilesets) == 1 and tilesets[0]["dataType"] == "vector"
    self_link = next(link["href"] for link in tilesets[0]["links"] if link["rel"] == "self")
    tileset = demo_client.get(self_link).json()
    Draft7Validator(TILEJSON).validate(tileset)  # TileJSON for MapLibre ...
    assert tileset["tileMatrixSetURI"].endswith("/WebMercatorQuad")  # ... and OGC clients
    template = next(link for link in tileset["links"] if link["rel"] == "item")
    assert template["templated"] is True
    url = template["href"].format(tileMatrix=12, tileCol=3322, tileRow=2137)
    tile = demo_client.get(url)
    assert tile.status_code == 200 and tile.headers["content-type"].startswith(
        "application/vnd.mapbox-vector-tile"
    )
    assert tile.content, "Kota Kediri lies in 12/3322/2137"
    assert tile.content == demo_client.get(tileset["tiles"][0].format(z=12, x=3322, y=2137)).content


def test_landing_collection_and_conformance_name_the_tiles(demo_client: TestClient) -> None:
    rels = {link["rel"] for link in demo_client.get("/").json()["links"]}
    ogc = "http://www.opengis.net/def/rel/ogc/1.0/"
    assert {f"{ogc}tilesets-vector", f"{ogc}tiling-schemes"} <= rels
    links = demo_client.get("/collections/kelurahan").json()["links"]
    assert any(link["rel"] == f"{ogc}tilesets-vector" for link in links)
    classes = demo_client.get("/conformance").json()["conformsTo"]
    tiles = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"
    for name in ("core", "tileset", "tilesets-list", "geodata-tilesets", "dataset-tilesets", "mvt"):
        assert tiles + name in classes


def _statuses(get: Any) -> None:
    for path in (EMPTY, EMPTY + ".mvt", "/tiles/WebMercatorQuad/1/0/0"):
        for _ in range(2):  # built, then from the cache
            empty = get(path)
            assert empty.status_code == 204, path
            assert empty.content == b"" and "content-type" not in empty.headers
            assert empty.headers["etag"]
    full = get(FULL)
    assert full.status_code == 200 and full.content
    for suffix in (".mvt", ".pbf"):
        named = get(FULL + suffix)
        assert named.status_code == 200 and named.content == full.content, suffix


def test_empty_tiles_are_204_and_suffixes_work_through_the_routes(demo_client: TestClient) -> None:
    _statuses(demo_client.get)


def test_empty_tiles_are_204_and_suffixes_work_on_the_fast_path(database_url: str) -> None:
    with serve_app(database_url) as url, httpx.Client(base_url=url) as http:
        _statuses(http.get)
        assert http.get(EMPTY).headers["x-cache"] == "HIT"  # the fast path's cache answered
        head = http.head(EMPTY)
        assert head.status_code == 204


def _rings_follow_the_right_hand_rule(geometry: dict[str, Any]) -> None:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    assert polygons
    for polygon in polygons:
        exterior, *holes = polygon
        assert LinearRing(exterior).is_ccw
        assert not any(LinearRing(hole).is_ccw for hole in holes)


def test_geojson_polygons_have_counterclockwise_exterior_rings(demo_client: TestClient) -> None:
    for params in ({"limit": 100}, {"limit": 100, "simplify": 200}):
        body = demo_client.get("/collections/kelurahan/items", params=params).json()
        for feature in body["features"]:
            _rings_follow_the_right_hand_rule(feature["geometry"])
    one = demo_client.get("/collections/kecamatan/items/35.71.01").json()
    _rings_follow_the_right_hand_rule(one["geometry"])
    choropleth = demo_client.get("/indicators/persen_miskin/choropleth", params={"kode": "35.71"})
    assert choropleth.status_code == 200
    for feature in choropleth.json()["features"]:
        _rings_follow_the_right_hand_rule(feature["geometry"])
