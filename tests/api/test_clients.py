"""Real OGC API clients against a live server: GDAL's OAPIF driver and OWSLib."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.conftest import fresh_demo


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
