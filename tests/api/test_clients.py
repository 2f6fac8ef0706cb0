"""Real OGC API clients against a live server: GDAL's OAPIF driver and OWSLib."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.factories import fresh_demo
from tests.support import Subprocess, uvicorn_subprocess


@pytest.fixture(scope="module")
def demo_server(live_server: str, engine: Engine) -> Iterator[str]:
    fresh_demo(engine)
    yield live_server


def test_gdal_lists_collections_and_copies_kota_kediri(demo_server: str, tmp_path: Path) -> None:
    listing = subprocess.run(
        ["ogrinfo", "-ro", "-q", f"OAPIF:{demo_server}"], capture_output=True, text=True, check=True
    ).stdout
    for layer in ("provinsi", "kabkota", "kecamatan", "kelurahan", "posyandu", "rt"):
        assert f": {layer} (" in listing
    target = tmp_path / "kediri.gpkg"
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "GPKG",
            str(target),
            f"OAPIF:{demo_server}/collections/kelurahan",
            "kelurahan",
            "-where",
            "kode LIKE '35.71%'",
            "-oo",
            "PAGE_SIZE=20",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    info = subprocess.run(
        ["ogrinfo", "-so", str(target), "kelurahan"], capture_output=True, text=True, check=True
    ).stdout
    assert "Feature Count: 46" in info
    assert "Multi Polygon" in info and "kode: String" in info and "nama: String" in info


def test_owslib_reads_items(demo_server: str) -> None:
    from owslib.ogcapi.features import Features

    api = Features(demo_server)
    ids = [c["id"] for c in api.collections()["collections"]]
    assert ids[:4] == ["provinsi", "kabkota", "kecamatan", "kelurahan"]
    page = api.collection_items("kecamatan", limit=10)
    assert page["numberMatched"] == 3
    assert sorted(f["id"] for f in page["features"]) == ["35.71.01", "35.71.02", "35.71.03"]
    assert api.conformance()["conformsTo"]


@pytest.fixture(scope="module")
def logged_server(
    database_url: str, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Subprocess]:
    fresh_demo(engine)
    log = tmp_path_factory.mktemp("uvicorn") / "access.log"
    with uvicorn_subprocess(database_url, log) as server:
        yield server


def _layer_info(path: Path, layer: str) -> str:
    return subprocess.run(
        ["ogrinfo", "-so", str(path), layer], capture_output=True, text=True, check=True
    ).stdout


def test_gdal_without_page_size_keeps_every_attribute(
    logged_server: Subprocess, tmp_path: Path
) -> None:
    target = tmp_path / "posyandu.gpkg"
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "GPKG",
            str(target),
            f"OAPIF:{logged_server.url}/collections/posyandu",
            "posyandu",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    info = _layer_info(target, "posyandu")
    assert "Feature Count: 141" in info
    for field in (
        "nama: String",
        "strata: String",
        "alamat: String",
        "rw: Integer",
        "jumlah_kader: Integer",
        "hari_buka: String",
    ):
        assert field in info, field


def test_gdal_pushes_where_equality_to_the_server(
    logged_server: Subprocess, tmp_path: Path
) -> None:
    import httpx

    expected = httpx.get(
        f"{logged_server.url}/collections/posyandu/items", params={"strata": "Madya", "limit": 1}
    ).json()["numberMatched"]
    before = len(logged_server.requests())
    target = tmp_path / "madya.gpkg"
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "GPKG",
            str(target),
            f"OAPIF:{logged_server.url}/collections/posyandu",
            "posyandu",
            "-where",
            "strata = 'Madya'",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"Feature Count: {expected}" in _layer_info(target, "posyandu")
    items = [
        r
        for r in logged_server.requests()[before:]
        if r.startswith("GET /collections/posyandu/items")
    ]
    filtered = [r for r in items if "strata=Madya" in r]
    assert filtered, items
    # at most one page without the filter (GDAL's look at the first features), never all pages
    assert len(items) - len(filtered) <= 1, items


def test_owslib_creates_updates_and_deletes_with_if_match(
    logged_server: Subprocess, engine: Engine
) -> None:
    """OWSLib signed in with Basic (a username and an API token), each change naming the
    version it changes in If-Match, as docs/accounts-and-editing.md shows."""
    from owslib.ogcapi.features import Features
    from owslib.util import Authentication
    from sqlalchemy import text

    from geoservice.services import accounts, auth
    from geoservice.settings import Settings

    with engine.begin() as conn:
        accounts.add_user(
            conn, "pic.owslib", "pic", "uji-kata-sandi-2026", kelurahan=["35.71.01.1001"]
        )
        token = auth.create_token(conn, Settings(), "pic.owslib", "OWSLib")[1]
        lon, lat = conn.execute(
            text(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM admin_area"
                " WHERE code = '35.71.01.1001') s"
            )
        ).one()
    api = Features(logged_server.url, auth=Authentication("pic.owslib", token))
    api.headers = dict(api.headers)  # OWSLib's module-wide default dict otherwise
    point = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"nama": "Pos Kesehatan Warga Uji OWSLib", "strata": "Pratama"},
    }
    api.collection_item_create("posyandu", point)
    location, etag = api.response_headers["Location"], api.response_headers["ETag"]
    feature_id = location.rsplit("/", 1)[1]

    api.headers["Content-Type"] = "application/geo+json"
    api.headers["If-Match"] = etag
    point["properties"]["strata"] = "Madya"
    api.collection_item_update("posyandu", feature_id, json.dumps(point))
    assert api.response_headers["ETag"] != etag
    with pytest.raises(RuntimeError):  # the old version: 412
        api.collection_item_update("posyandu", feature_id, json.dumps(point))
    current = api.collection_item("posyandu", feature_id)  # its ETag: the current version
    assert current["properties"]["strata"] == "Madya"
    api.headers["If-Match"] = api.response_headers["ETag"]
    del api.headers["Content-Type"]
    api.collection_item_delete("posyandu", feature_id)
    with pytest.raises(RuntimeError):  # gone
        api.collection_item("posyandu", feature_id)


def test_gdal_and_owslib_read_the_published_profiles(demo_server: str) -> None:
    listing = subprocess.run(
        ["ogrinfo", "-ro", "-q", f"OAPIF:{demo_server}"], capture_output=True, text=True, check=True
    ).stdout
    assert ": profil_kelurahan (" in listing
    info = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", f"OAPIF:{demo_server}/collections/profil_kelurahan"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Feature Count: 3" in info and "Multi Polygon" in info
    assert "jumlah_rt: Integer" in info and "luas_wilayah_km2: Real" in info
    assert "jumlah_kk_miskin" not in info  # restricted: never for an anonymous client
    rows = subprocess.run(
        [
            "ogrinfo", "-ro", "-al", "-q", f"OAPIF:{demo_server}/collections/profil_kelurahan",
            "-where", "kode = '35.71.01.1001'",
        ],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "jumlah_rt (Integer) = 24" in rows and "nama (String) = Bandar Lor" in rows

    from owslib.ogcapi.features import Features

    api = Features(demo_server)
    assert "profil_kelurahan" in [c["id"] for c in api.collections()["collections"]]
    page = api.collection_items("profil_kelurahan", limit=10)
    assert sorted(f["id"] for f in page["features"]) == [
        "35.71.01.1001", "35.71.01.1002", "35.71.01.1004"
    ]  # fmt: skip
    assert all("jumlah_kk_miskin" not in f["properties"] for f in page["features"])
