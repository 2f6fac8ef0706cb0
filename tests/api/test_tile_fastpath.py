"""The anonymous tile fast path (asyncpg, before routing) over real HTTP: the bytes the routes
build, for every kind of tile, and the routes' answer whenever it cannot build one."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine, text

from geoservice.app import TILE_POOL_NAME
from geoservice.catalog import Catalog
from geoservice.db.read_pool import ReadPool
from geoservice.services import tiles
from geoservice.services.tile_cache import COMPOSITE, TileCache
from geoservice.services.viewer import Viewer
from geoservice.web.tile_fastpath import TileFastPath
from tests.factories import fresh_demo
from tests.support import free_port, serve_app

#: (collection or None for the composite tile, z, x, y) over Kota Kediri, one of each SQL:
#: generalized boundary bands with summaries, stored boundaries, facility layers, and empty.
ADDRESSES = [
    (None, 14, 13289, 8549),
    (None, 9, 415, 267),
    ("kelurahan", 14, 13289, 8549),
    ("kelurahan", 12, 3322, 2137),
    ("kelurahan", 7, 103, 66),
    ("kecamatan", 10, 830, 534),
    ("provinsi", 5, 25, 16),
    ("posyandu", 13, 6644, 4274),
    ("rt", 15, 26579, 17098),
    ("posyandu", 14, 0, 0),
]


@pytest.fixture(scope="module")
def server(database_url: str, engine: Engine) -> Iterator[str]:
    fresh_demo(engine)
    with serve_app(database_url) as url:
        yield url


def _get(url: str, method: str = "GET") -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(urllib.request.Request(url, method=method)) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def _tile_pool_connections(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"),
                {"name": TILE_POOL_NAME},
            ).scalar_one()
        )


def test_the_fast_path_answers_the_bytes_the_routes_build(
    server: str, engine: Engine, catalog: Catalog
) -> None:
    assert _tile_pool_connections(engine) == 0  # nothing opened at start
    for collection_id, z, x, y in ADDRESSES:
        members = tiles.members(catalog, collection_id, z, x, y)
        with engine.connect() as conn:
            expected = tiles.build(conn, members, z, x, y, Viewer())
        prefix = f"/collections/{collection_id}" if collection_id else ""
        url = f"{server}{prefix}/tiles/WebMercatorQuad/{z}/{x}/{y}"
        body, headers = _get(url)
        assert (body, headers["x-cache"]) == (expected, "MISS"), (collection_id, z, x, y)
        assert (body != b"") == (x > 0), "only the tile at 0/0 is empty"
        assert headers["etag"] == tiles.etag(expected)
        again, headers = _get(url)
        assert (again, headers["x-cache"]) == (expected, "HIT")
        empty, headers = _get(url, "HEAD")
        assert (empty, headers["etag"]) == (b"", tiles.etag(expected))
    assert _tile_pool_connections(engine) > 0  # the tiles came from the fast path's pool


def test_what_the_fast_path_cannot_answer_goes_to_the_routes(server: str) -> None:
    # an unknown collection and an address outside the tile matrix: the routes' problem JSON
    for path, status in (
        ("/collections/sekolah/tiles/WebMercatorQuad/14/13289/8549", 404),
        ("/collections/kelurahan/tiles/WebMercatorQuad/3/8/0", 400),
    ):
        with pytest.raises(urllib.error.HTTPError) as failure:
            _get(server + path)
        assert failure.value.code == status
        assert failure.value.headers["content-type"] == "application/problem+json"


def test_an_unreachable_database_leaves_the_tile_to_the_routes(catalog: Catalog) -> None:
    port = free_port()  # nobody listens there

    async def build() -> object:
        pool = ReadPool(
            f"postgresql://nobody@127.0.0.1:{port}/none", max_size=2, acquire_timeout=2, timeout=2
        )
        state = SimpleNamespace(
            catalog=catalog, tile_pool=pool, tile_pool_loop=asyncio.get_running_loop()
        )
        try:
            return await TileFastPath(None, TileCache()).build(
                state, (COMPOSITE, 14, 13289, 8549, False)
            )
        finally:
            await pool.close()

    assert asyncio.run(build()) is None  # the route then answers 503 with its problem JSON
