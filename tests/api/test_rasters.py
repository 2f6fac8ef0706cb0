"""Rasters over HTTP on Kota Kediri, with the demo's sample grids imported in the test: the list
and its metadata, PNG tiles (colours, transparent nodata, ETag, cache, 304), TileJSON, legend,
point values, zonal statistics, the indicators they become, and a restricted raster that does
not exist for the public in any of them (nor in /statistics and its exports)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import morecantile
import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import Engine

from geoservice.catalog import load_catalog
from geoservice.demo import DEMO_DIR, RASTER_FILES
from geoservice.services.rasters import access, storage
from geoservice.settings import PROJECT_ROOT, Settings
from tests.api.editing_world import World, build_world
from tests.factories import layers_with_rasters
from tests.support import app_client, read_csv

KOTA = "35.71"
CENTRE = (112.0114, -7.8167)  # Kota Kediri, inside the grids
JAKARTA = (106.8272, -6.1754)  # outside them
RESTRICTED = "rahasia_malam"
RESTRICTED_YAML = """
id: rahasia_malam
title: {id: Cahaya malam (uji terbatas)}
source: uji
licence: terbatas
year: 2024
kind: density
unit: {id: nW/cm²/sr}
nodata: -9999
colormap: magma
rescale: [0, 100]
visibility: restricted
indicators:
  - {code: cahaya_malam, statistic: mean, title: {id: Cahaya malam}, unit: {id: nW}}
metadata:
  deskripsi: {id: Raster uji yang terbatas.}
  produsen_data: {nama: Dinas uji}
  frekuensi: tahunan
  tema: [lingkungan]
  sifat: terbatas
"""
TMS = morecantile.tms.get("WebMercatorQuad")


@pytest.fixture(scope="module")
def world(engine: Engine, database_url: str) -> World:
    return build_world(engine, database_url)


@pytest.fixture(scope="module")
def raster_client(
    world: World, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The app with the demo's rasters and a restricted one, imported and their indicators
    written for Kota Kediri."""
    folder = tmp_path_factory.mktemp("rasters")
    demo = {
        name: (PROJECT_ROOT / "layers" / "rasters" / f"{name}.yaml").read_text("utf-8")
        for name in RASTER_FILES
    }
    layers = layers_with_rasters(folder / "layers", {**demo, RESTRICTED: RESTRICTED_YAML})
    settings = Settings(database_url=database_url, layers_dir=layers, rasters_dir=folder / "cog")
    catalog = load_catalog(layers)
    files = {**RASTER_FILES, RESTRICTED: RASTER_FILES["contoh_penduduk"]}
    for raster_id, name in files.items():
        storage.import_raster(settings, catalog, raster_id, DEMO_DIR / name)
    for raster in catalog.rasters.values():
        assert access.write_indicators(world.engine, settings, raster, KOTA) > 0
    with app_client(database_url, layers_dir=layers, rasters_dir=folder / "cog") as client:
        yield client


def get(client: TestClient, world: World, role: str, path: str, **headers: str) -> Any:
    return client.get(path, headers=world.headers(role, **headers))


def tile_of(lon: float, lat: float, z: int) -> str:
    t = TMS.tile(lon, lat, z)
    return f"{t.z}/{t.x}/{t.y}"


def png(content: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(content))
    assert image.size == (256, 256)
    return np.asarray(image.convert("RGBA"))


@pytest.mark.parametrize(
    ("role", "restricted"),
    [("anonymous", False), ("pic_own", False), ("planner", True), ("admin", True)],
)
def test_the_list_per_role(
    raster_client: TestClient, world: World, role: str, restricted: bool
) -> None:
    body = get(raster_client, world, role, "/rasters").json()
    found = {r["id"]: r for r in body["rasters"]}
    assert set(found) == {"contoh_penduduk", "contoh_banjir"} | (
        {RESTRICTED} if restricted else set()
    )
    population = found["contoh_penduduk"]
    assert population["sample"] is True and "contoh" in population["title"]
    assert population["crs"] == "EPSG:32749" and population["resolution"] == [100.0, 100.0]
    assert len(population["sha256"]) == 64 and population["licence"] == "CC0-1.0"
    assert population["indicators"] == ["penduduk_grid", "penduduk_terpapar_banjir"]


def test_a_tile_is_a_png_with_transparent_nodata_and_is_cached(
    raster_client: TestClient, world: World
) -> None:
    # a z11 tile holds the whole grid and land beyond it: both colours and transparency
    url = f"/rasters/contoh_penduduk/tiles/WebMercatorQuad/{tile_of(*CENTRE, 11)}.png"
    first = get(raster_client, world, "anonymous", url)
    assert first.status_code == 200 and first.headers["content-type"] == "image/png"
    pixels = png(first.content)
    alpha = pixels[..., 3]
    assert (alpha == 0).mean() > 0.2 and (alpha == 255).mean() > 0.05
    assert first.headers["x-cache"] == "MISS"
    again = get(raster_client, world, "anonymous", url)
    assert again.headers["x-cache"] == "HIT" and again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    same = get(raster_client, world, "anonymous", url, **{"If-None-Match": first.headers["etag"]})
    assert same.status_code == 304 and not same.content
    assert "public" in first.headers["cache-control"]


def test_a_categorical_tile_uses_the_class_colours(raster_client: TestClient, world: World) -> None:
    url = f"/rasters/contoh_banjir/tiles/WebMercatorQuad/{tile_of(*CENTRE, 13)}.png"
    pixels = png(get(raster_client, world, "anonymous", url).content)
    legend = get(raster_client, world, "anonymous", "/rasters/contoh_banjir/legend").json()
    colours = {tuple(int(c["color"][i : i + 2], 16) for i in (1, 3, 5)) for c in legend["classes"]}
    seen = {tuple(p[:3]) for p in pixels.reshape(-1, 4) if p[3] == 255}
    assert seen and seen <= colours
    assert len(seen) >= 3  # the river's classes cross the centre of the city


def test_a_tile_outside_the_raster_is_transparent(raster_client: TestClient, world: World) -> None:
    url = f"/rasters/contoh_penduduk/tiles/WebMercatorQuad/{tile_of(*JAKARTA, 12)}.png"
    response = get(raster_client, world, "anonymous", url)
    assert response.status_code == 200
    assert (png(response.content)[..., 3] == 0).all()


def test_bad_tile_addresses_are_400(raster_client: TestClient, world: World) -> None:
    response = get(
        raster_client, world, "anonymous", "/rasters/contoh_banjir/tiles/WebMercatorQuad/3/9/0.png"
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


def test_tilejson_and_legend(raster_client: TestClient, world: World) -> None:
    tilejson = get(
        raster_client, world, "anonymous", "/rasters/contoh_penduduk/tiles/WebMercatorQuad"
    ).json()
    assert tilejson["tiles"][0].endswith(
        "/rasters/contoh_penduduk/tiles/WebMercatorQuad/{z}/{x}/{y}.png"
    )
    west, south, east, north = tilejson["bounds"]
    assert west < CENTRE[0] < east and south < CENTRE[1] < north
    assert "Data contoh" in tilejson["attribution"]
    legend = get(
        raster_client, world, "anonymous", "/rasters/contoh_penduduk/legend?lang=en"
    ).json()
    assert legend["type"] == "ramp" and legend["sample"] is True
    assert [s["value"] for s in legend["stops"]] == [0, 37.5, 75, 112.5, 150]
    assert legend["note"].startswith("Sample data")
    classes = get(raster_client, world, "anonymous", "/rasters/contoh_banjir/legend").json()
    assert [c["label"] for c in classes["classes"]] == ["Tidak rawan", "Rendah", "Sedang", "Tinggi"]


def test_the_value_at_a_point(raster_client: TestClient, world: World) -> None:
    inside = get(
        raster_client, world, "anonymous", "/rasters/contoh_penduduk/point?at=112.0114,-7.8167"
    )
    assert inside.status_code == 200 and inside.json()["value"] > 0
    assert inside.json()["sample"] is True
    flood = get(
        raster_client, world, "anonymous", "/rasters/contoh_banjir/point?at=112.0114,-7.8167"
    )
    assert flood.json()["class"] in {"Tidak rawan", "Rendah", "Sedang", "Tinggi"}
    outside = get(
        raster_client, world, "anonymous", "/rasters/contoh_penduduk/point?at=106.8272,-6.1754"
    )
    assert outside.status_code == 200 and outside.json()["value"] is None
    bad = get(raster_client, world, "anonymous", "/rasters/contoh_penduduk/point?at=utara")
    assert bad.status_code == 400 and "bujur,lintang" in bad.json()["detail"]


def test_statistics_per_kelurahan_and_the_total(raster_client: TestClient, world: World) -> None:
    body = get(
        raster_client, world, "anonymous", f"/rasters/contoh_penduduk/statistics?kode={KOTA}"
    ).json()
    assert len(body["areas"]) == 46
    assert {"kode", "nama", "sum", "mean", "cells"} <= set(body["areas"][0])
    summed = sum(a["sum"] for a in body["areas"])
    assert 250_000 < body["total"] < 330_000
    assert abs(summed - body["check"]["total_of_union"]) / body["total"] < 0.005
    assert body["check"]["gaps_km2"] > 0  # reported: the kota polygon is not its kelurahan's union
    flood = get(
        raster_client, world, "anonymous", f"/rasters/contoh_banjir/statistics?kode={KOTA}"
    ).json()
    for area in flood["areas"]:
        assert sum(area["shares"].values()) == pytest.approx(100.0)
    one = get(
        raster_client, world, "anonymous", "/rasters/contoh_penduduk/statistics?kode=35.71.01.1001"
    ).json()
    assert [a["kode"] for a in one["areas"]] == ["35.71.01.1001"]
    assert (
        get(
            raster_client, world, "anonymous", "/rasters/contoh_penduduk/statistics?kode=35.99"
        ).status_code
        == 404
    )
    assert (
        get(
            raster_client, world, "anonymous", "/rasters/contoh_penduduk/statistics?kode=x"
        ).status_code
        == 400
    )


def test_the_indicators_are_reused_by_choropleths_and_statistics(
    raster_client: TestClient, world: World
) -> None:
    stats = get(
        raster_client, world, "anonymous", f"/rasters/contoh_penduduk/statistics?kode={KOTA}"
    ).json()
    choropleth = get(
        raster_client,
        world,
        "anonymous",
        f"/indicators/penduduk_grid/choropleth?kode={KOTA}&period=2025",
    ).json()
    values = {f["properties"]["kode"]: f["properties"]["nilai"] for f in choropleth["features"]}
    assert values == pytest.approx({a["kode"]: a["sum"] for a in stats["areas"]}, rel=1e-6)
    kecamatan = get(
        raster_client, world, "anonymous",
        f"/indicators/penduduk_grid/choropleth?kode={KOTA}&period=2025&level=3",
    ).json()  # fmt: skip
    assert sum(f["properties"]["nilai"] for f in kecamatan["features"]) == pytest.approx(
        sum(values.values()), rel=1e-6
    )
    exposed = get(
        raster_client,
        world,
        "anonymous",
        f"/indicators/penduduk_terpapar_banjir/choropleth?kode={KOTA}",
    ).json()
    exposed_values = {
        f["properties"]["kode"]: f["properties"]["nilai"] for f in exposed["features"]
    }
    assert all(0 <= exposed_values[k] <= values[k] + 1e-6 for k in values)
    assert 0 < sum(exposed_values.values()) < sum(values.values())


RESTRICTED_URLS = [
    f"/rasters/{RESTRICTED}",
    f"/rasters/{RESTRICTED}/tiles/WebMercatorQuad/{tile_of(*CENTRE, 12)}.png",
    f"/rasters/{RESTRICTED}/tiles/WebMercatorQuad",
    f"/rasters/{RESTRICTED}/legend",
    f"/rasters/{RESTRICTED}/point?at=112.0114,-7.8167",
    f"/rasters/{RESTRICTED}/statistics?kode={KOTA}",
    "/indicators/cahaya_malam",
    f"/indicators/cahaya_malam/choropleth?kode={KOTA}",
]


@pytest.mark.parametrize("role", ["anonymous", "pic_own", "pic_other"])
@pytest.mark.parametrize("url", RESTRICTED_URLS)
def test_a_restricted_raster_does_not_exist_for_the_public(
    raster_client: TestClient, world: World, role: str, url: str
) -> None:
    response = get(raster_client, world, role, url)
    assert response.status_code == 404
    assert "rahasia_malam" in response.text or "cahaya_malam" in response.text


@pytest.mark.parametrize("role", ["planner", "admin"])
@pytest.mark.parametrize("url", RESTRICTED_URLS)
def test_planners_see_the_restricted_raster(
    raster_client: TestClient, world: World, role: str, url: str
) -> None:
    response = get(raster_client, world, role, url)
    assert response.status_code == 200
    assert "private" in response.headers["cache-control"]


@pytest.mark.parametrize(
    ("role", "shown"), [("anonymous", False), ("pic_own", False), ("planner", True)]
)
def test_exports_carry_the_restricted_raster_indicator_only_for_planners(
    raster_client: TestClient, world: World, role: str, shown: bool
) -> None:
    base = f"/statistics?kode={KOTA}&period=2024"
    rows = read_csv(get(raster_client, world, role, base + "&f=csv").content, "id")
    assert ("cahaya_malam" in rows[0]) is shown
    table = get(raster_client, world, role, base + "&f=json").json()
    assert ("cahaya_malam" in [c["name"] for c in table["columns"]]) is shown
    listed = get(raster_client, world, role, "/indicators").json()["indicators"]
    assert ("cahaya_malam" in [i["code"] for i in listed]) is shown


def test_a_raster_not_imported_is_404_saying_so(database_url: str, tmp_path: Path) -> None:
    layers = layers_with_rasters(
        tmp_path / "layers", {RESTRICTED: RESTRICTED_YAML.replace("restricted", "public")}
    )
    with app_client(database_url, layers_dir=layers, rasters_dir=tmp_path / "none") as client:
        listed = client.get("/rasters").json()["rasters"]
        assert [r["imported"] for r in listed] == [False]
        response = client.get(f"/rasters/{RESTRICTED}/legend")
        assert response.status_code == 200  # the declaration alone explains the colours
        response = client.get(f"/rasters/{RESTRICTED}/tiles/WebMercatorQuad/12/3322/2137.png")
        assert response.status_code == 404 and "belum diimpor" in response.json()["detail"]
