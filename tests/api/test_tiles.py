"""Vector tiles decoded with mapbox-vector-tile: complete, matching their TileJSON, cacheable."""

from __future__ import annotations

import math

import mapbox_vector_tile
import pytest
from fastapi.testclient import TestClient

KEDIRI = (112.01, -7.82)


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def _decode(demo_client: TestClient, collection: str, z: int, x: int, y: int) -> dict:
    response = demo_client.get(f"/collections/{collection}/tiles/WebMercatorQuad/{z}/{x}/{y}")
    if response.status_code == 204:  # an empty tile
        assert response.content == b""
        return {}
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.content)


@pytest.mark.parametrize("z", [8, 9, 10, 11])
def test_tile_holds_every_kelurahan(demo_client: TestClient, z: int) -> None:
    x, y = _tile_of(*KEDIRI, z)
    layer = _decode(demo_client, "kelurahan", z, x, y)["kelurahan"]
    codes = {f["properties"]["kode"] for f in layer["features"]}
    assert len(codes) == 46  # tiny ones become points rather than disappearing
    assert all(f["id"] == int(f["properties"]["kode"].replace(".", "")) for f in layer["features"])
    assert all("ringkasan" not in f["properties"] for f in layer["features"])


@pytest.mark.parametrize(
    ("z", "summaries"),
    [
        # z1-2: the tiles of Kota Kediri reach the antimeridian, where their margin wraps
        (1, {"35.71": 46}),
        (2, {"35.71": 46}),
        (3, {"35.71": 46}),
        (5, {"35.71": 46}),
        (7, {"35.71.01": 14, "35.71.02": 17, "35.71.03": 15}),
    ],
)
def test_low_zoom_kelurahan_tile_counts_them_in_coarser_areas(
    demo_client: TestClient, z: int, summaries: dict[str, int]
) -> None:
    x, y = _tile_of(*KEDIRI, z)
    layer = _decode(demo_client, "kelurahan", z, x, y)["kelurahan"]
    found = {f["properties"]["kode"]: f["properties"] for f in layer["features"]}
    assert {code: p["jumlah"] for code, p in found.items()} == summaries
    assert all(p["ringkasan"] is True for p in found.values())
    tilejson = demo_client.get("/collections/kelurahan/tiles/WebMercatorQuad").json()
    assert {"jumlah", "ringkasan"} <= set(tilejson["vector_layers"][0]["fields"])


def test_tiles_at_zoom_13_together_hold_every_kelurahan_once_per_tile(
    demo_client: TestClient,
) -> None:
    z = 13
    (x0, y0), (x1, y1) = _tile_of(111.95, -7.76, z), _tile_of(112.08, -7.88, z)
    seen: set[str] = set()
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            layers = _decode(demo_client, "kelurahan", z, x, y)
            features = layers.get("kelurahan", {"features": []})["features"]
            ids = [f["id"] for f in features]
            assert len(ids) == len(set(ids))
            seen |= {f["properties"]["kode"] for f in features}
    assert len(seen) == 46


def test_point_tile_fields_match_tilejson_and_hide_restricted(demo_client: TestClient) -> None:
    tilejson = demo_client.get("/collections/posyandu/tiles/WebMercatorQuad").json()
    assert tilejson["tilejson"] == "3.0.0"
    (layer_info,) = tilejson["vector_layers"]
    assert layer_info["id"] == "posyandu" and "kontak" not in layer_info["fields"]
    x, y = _tile_of(*KEDIRI, 11)
    template = tilejson["tiles"][0]
    path = template.split("://", 1)[1].split("/", 1)[1].format(z=11, x=x, y=y)
    layer = mapbox_vector_tile.decode(demo_client.get("/" + path).content)["posyandu"]
    assert len(layer["features"]) > 100
    for feature in layer["features"]:
        assert set(feature["properties"]) <= set(layer_info["fields"])
        assert feature["properties"]["contoh"] is True


@pytest.mark.parametrize("z", [1, 2])
def test_point_tiles_hold_every_point_also_where_their_margin_wraps(
    demo_client: TestClient, z: int
) -> None:
    # the z1 and z2 tiles of Kota Kediri end at the antimeridian
    x, y = _tile_of(*KEDIRI, z)
    layer = _decode(demo_client, "posyandu", z, x, y)["posyandu"]
    items = demo_client.get("/collections/posyandu/items", params={"limit": 1}).json()
    assert len(layer["features"]) == items["numberMatched"] > 100


def test_etag_head_and_not_modified(demo_client: TestClient) -> None:
    x, y = _tile_of(*KEDIRI, 12)
    url = f"/collections/kecamatan/tiles/WebMercatorQuad/12/{x}/{y}"
    first = demo_client.get(url)
    tag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public")
    head = demo_client.head(url)
    assert head.status_code == 200 and head.headers["etag"] == tag
    assert head.headers["content-length"] == str(len(first.content)) and head.content == b""
    again = demo_client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/collections/kelurahan/tiles/WebMercatorQuad/3/9/1", 400),
        ("/collections/kelurahan/tiles/WebMercatorQuad/23/0/0", 400),
        ("/collections/kelurahan/tiles/WebMercatorQuad/a/0/0", 400),
        ("/collections/sekolah/tiles/WebMercatorQuad/1/0/0", 404),
    ],
)
def test_bad_tile_requests(demo_client: TestClient, path: str, status: int) -> None:
    response = demo_client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("z", "level"), [(5, "provinsi"), (7, "kabkota"), (10, "kecamatan"), (13, "kelurahan")]
)
def test_composite_tile_carries_the_level_of_its_zoom_and_every_layer(
    demo_client: TestClient, z: int, level: str
) -> None:
    x, y = _tile_of(*KEDIRI, z)
    response = demo_client.get(f"/tiles/WebMercatorQuad/{z}/{x}/{y}")
    assert response.status_code == 200
    layers = mapbox_vector_tile.decode(response.content)
    boundary_levels = {"provinsi", "kabkota", "kecamatan", "kelurahan"} & set(layers)
    assert boundary_levels == {level}
    assert {"posyandu", "rt", "pos_kamling", "kantor_kelurahan"} <= set(layers)
    tilejson = demo_client.get("/tiles/WebMercatorQuad").json()
    fields = {layer["id"]: set(layer["fields"]) for layer in tilejson["vector_layers"]}
    for name, layer in layers.items():
        for feature in layer["features"]:
            assert set(feature["properties"]) <= fields[name]


def test_style_uses_the_layer_styles_and_only_local_sources(demo_client: TestClient) -> None:
    style = demo_client.get("/styles/default/style.json").json()
    assert style["version"] == 8
    (source,) = style["sources"].values()
    assert source["url"].startswith("http://testserver/")
    assert "sprite" not in style and "glyphs" not in style  # nothing from another host
    circles = {layer["id"]: layer for layer in style["layers"] if layer["type"] == "circle"}
    assert circles["posyandu"]["paint"]["circle-color"] == "#f783ac"  # layers/posyandu.yaml
    tilejson_layers = {
        layer["id"] for layer in demo_client.get("/tiles/WebMercatorQuad").json()["vector_layers"]
    }
    assert {layer["source-layer"] for layer in style["layers"] if "source-layer" in layer} <= (
        tilejson_layers
    )
