"""The tile cache: hits without the database, and exactly the changed tiles dropped when any
connection commits a change (PostgreSQL NOTIFY), so the next request shows the edit."""

from __future__ import annotations

import math
import re

import mapbox_vector_tile
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from geoservice.services.imports.boundaries import BoundaryOptions, import_boundaries
from geoservice.services.tile_cache import CachedTile, TileCache, tiles_showing
from geoservice.settings import PROJECT_ROOT
from tests.support import CITIES, KEDIRI_KECAMATAN

Z = 15
DERIVE = BoundaryOptions(derive_parents=True, allow_partial_parents=True)


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def _posyandu(engine: Engine) -> tuple[int, float, float]:
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT id, ST_X(geom), ST_Y(geom) FROM facility "
                "WHERE layer_id = 'posyandu' AND status = 'verified' ORDER BY id LIMIT 1"
            )
        ).one()
    return int(row[0]), float(row[1]), float(row[2])


def _names(response: bytes) -> set[str]:
    layers = mapbox_vector_tile.decode(response)
    return {f["properties"]["nama"] for f in layers.get("posyandu", {"features": []})["features"]}


def test_second_request_is_a_hit_with_the_same_bytes(fresh_demo_client: TestClient) -> None:
    url = "/collections/kelurahan/tiles/WebMercatorQuad/11/1661/1068"
    first, second = fresh_demo_client.get(url), fresh_demo_client.get(url)
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
    not_modified = fresh_demo_client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert not_modified.status_code == 304 and not_modified.headers["x-cache"] == "HIT"
    head = fresh_demo_client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(first.content))
    # a request with a query string is not answered from the fast path, but from the route
    assert fresh_demo_client.get(url + "?lang=en").headers["x-cache"] == "HIT"


def test_an_edit_committed_elsewhere_drops_exactly_its_tiles(
    fresh_demo_client: TestClient, engine: Engine
) -> None:
    fid, lon, lat = _posyandu(engine)
    (x, y), (far_x, far_y) = _tile_of(lon, lat, Z), _tile_of(lon + 0.05, lat, Z)
    near = f"/collections/posyandu/tiles/WebMercatorQuad/{Z}/{x}/{y}"
    composite = f"/tiles/WebMercatorQuad/{Z}/{x}/{y}"
    far = f"/collections/posyandu/tiles/WebMercatorQuad/{Z}/{far_x}/{far_y}"
    before = fresh_demo_client.get(near)
    for url in (near, composite, far):
        fresh_demo_client.get(url)
        assert fresh_demo_client.get(url).headers["x-cache"] == "HIT"
    cache: TileCache = fresh_demo_client.app.state.tile_cache  # type: ignore[attr-defined]
    generation = cache.generation
    with engine.begin() as conn:  # another connection, as another process or a CLI would
        conn.execute(
            text(
                "UPDATE facility SET attributes = attributes || "
                "jsonb_build_object('nama', 'Posyandu Baru') WHERE id = :id"
            ),
            {"id": fid},
        )
    assert cache.wait_for_change(generation, timeout=5)
    after = fresh_demo_client.get(near)
    assert after.headers["x-cache"] == "MISS"
    assert "Posyandu Baru" in _names(after.content) - _names(before.content)
    assert fresh_demo_client.get(composite).headers["x-cache"] == "MISS"
    assert (
        fresh_demo_client.get(far).headers["x-cache"] == "HIT"
    )  # a tile the point is not in stays


def test_a_boundary_import_drops_the_boundary_tiles(
    fresh_demo_client: TestClient, engine: Engine
) -> None:
    url = "/collections/kecamatan/tiles/WebMercatorQuad/12/3322/2137"
    posyandu = "/collections/posyandu/tiles/WebMercatorQuad/12/3322/2137"
    for u in (url, url, posyandu, posyandu):
        fresh_demo_client.get(u)
    cache: TileCache = fresh_demo_client.app.state.tile_cache  # type: ignore[attr-defined]
    generation = cache.generation
    import geopandas as gpd

    renamed = gpd.read_file(KEDIRI_KECAMATAN)
    renamed.loc[0, "nama"] = "Kecamatan Berganti Nama"
    path = PROJECT_ROOT / ".geoservice" / "test-renamed-kecamatan.geojson"
    path.parent.mkdir(exist_ok=True)
    renamed.to_file(path)
    try:
        assert import_boundaries(engine, [path])[0].updated == 1
    finally:
        path.unlink()
    assert cache.wait_for_change(generation, timeout=5)
    assert fresh_demo_client.get(url).headers["x-cache"] == "MISS"
    assert fresh_demo_client.get(posyandu).headers["x-cache"] == "HIT"


def test_a_tile_built_before_an_invalidation_is_not_stored() -> None:
    cache = TileCache()
    key = ("posyandu", 15, 1, 1, False)
    generation = cache.generation
    cache.invalidate_points("posyandu", [(112.0, -7.8)])  # an edit commits during the build
    cache.put(key, CachedTile(b"stale", '"x"'), generation)
    assert cache.get(key) is None
    cache.put(key, CachedTile(b"fresh", '"y"'), cache.generation)
    assert cache.get(key) == CachedTile(b"fresh", '"y"')


def test_a_point_on_a_tile_edge_is_in_both_tiles() -> None:
    # 112.5 degrees east is the edge between x = 26623 and 26624 at zoom 15
    assert [x for x, _ in tiles_showing(112.5, -7.8, 15)] == [26623, 26624]
    assert len(tiles_showing(112.51, -7.8, 15)) == 1
    assert tiles_showing(0.0, 0.0, 0) == [(0, 0)]


def test_the_cache_stays_within_its_size() -> None:
    cache = TileCache(max_bytes=1600)
    for i in range(17):
        cache.put(("kelurahan", 20, i, 0, False), CachedTile(b"x" * 90, str(i)), 0)
    assert len(cache) == 17  # 1,530 bytes
    assert cache.get(("kelurahan", 20, 0, 0, False)) is not None  # now the most recent
    cache.put(("kelurahan", 20, 99, 0, False), CachedTile(b"x" * 90, "new"), 0)
    assert len(cache) == 17
    assert cache.get(("kelurahan", 20, 1, 0, False)) is None  # least recently used went first
    assert cache.get(("kelurahan", 20, 0, 0, False)) is not None
    cache.put(("kelurahan", 20, 98, 0, False), CachedTile(b"x" * 101, "big"), 0)
    assert cache.get(("kelurahan", 20, 98, 0, False)) is None  # over 1/16 of the cache


@pytest.mark.parametrize(
    "path",
    [
        "/collections/kelurahan/tiles/WebMercatorQuad/13/6644/4274",
        "/collections/posyandu/tiles/WebMercatorQuad/13/6644/4274",
        "/tiles/WebMercatorQuad/13/6644/4274",
        "/tiles/WebMercatorQuad/7/103/66",
    ],
)
def test_the_fast_path_and_the_routes_build_the_same_tiles(
    fresh_demo_client: TestClient, path: str
) -> None:
    """Anonymous requests without a query string are built on the asyncio pool before routing;
    others by the FastAPI routes. Same SQL, same bytes."""
    cache: TileCache = fresh_demo_client.app.state.tile_cache  # type: ignore[attr-defined]
    cache.clear()
    fast = fresh_demo_client.get(path)
    cache.clear()
    routed = fresh_demo_client.get(path, params={"lang": "id"})
    assert fast.status_code == routed.status_code == 200
    assert fast.content == routed.content and len(fast.content) > 0
    assert fast.headers["etag"] == routed.headers["etag"]


def _opening_bounds(page: str) -> list[float]:
    found = re.search(r"fitBounds\(\s*\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]", page)
    assert found, "the map fits no bounds"
    return [float(v) for v in found.groups()]


def test_a_boundary_import_moves_the_public_maps_opening_view(
    fresh_demo_client: TestClient, engine: Engine
) -> None:
    south, west, north, east = _opening_bounds(fresh_demo_client.get("/map").text)
    assert 111.9 < west < east < 112.2 and -7.9 < south < north < -7.7  # Kota Kediri
    cache: TileCache = fresh_demo_client.app.state.tile_cache  # type: ignore[attr-defined]
    generation = cache.generation
    palembang = [
        CITIES / f"kota_palembang_{level}.geojson"
        for level in ("kabkota", "kecamatan", "desa_kelurahan")
    ]
    assert all(r.written for r in import_boundaries(engine, palembang, DERIVE))
    assert cache.wait_for_change(generation, timeout=5)
    south, west, north, east = _opening_bounds(fresh_demo_client.get("/map").text)
    assert west < 105 and east > 112 and north > -3.1  # Kediri and Palembang (104.7 E, 3 S)
