"""Rasters: the import's checks (a bad file is refused and leaves nothing behind), the COG it
writes, and zonal statistics whose answers are known exactly (a raster of ones gives each
polygon's area in cells, a half-covered cell counts half), in UTM as in degrees, with nodata,
categorical shares and weighted sums; on the real Kota Kediri polygons, mass conservation."""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin
from sqlalchemy import Engine, text

from geoservice.catalog import CatalogError, load_catalog
from geoservice.services.imports.readers import InputError
from geoservice.services.rasters import access, storage, zonal
from geoservice.settings import Settings
from tests.factories import layers_with_rasters, write_geotiff

COUNT = """
id: {id}
title: {{id: Uji {id}}}
source: uji
licence: CC0-1.0
year: 2025
kind: count
unit: {{id: jiwa per sel}}
nodata: -1
colormap: viridis
rescale: [0, 2]
visibility: {visibility}
indicators:
  - {{code: {id}_jumlah, statistic: sum, title: {{id: Jumlah}}, unit: {{id: jiwa}}}}
  - code: {id}_terpapar
    statistic: weighted_sum
    weights: {{raster: kelas, at_least: 2}}
    title: {{id: Terpapar}}
    unit: {{id: jiwa}}
metadata: {{deskripsi: {{id: Raster uji.}}, produsen_data: {{nama: Dinas uji}}, frekuensi: tahunan,
  tema: [sosial]}}
"""
CLASSES = """
id: kelas
title: {id: Kelas uji}
source: uji
licence: CC0-1.0
year: 2024
kind: categorical
unit: {id: kelas}
nodata: 255
classes:
  - {value: 1, label: {id: Rendah}, color: "#eeeeee"}
  - {value: 2, label: {id: Sedang}, color: "#888888"}
  - {value: 3, label: {id: Tinggi}, color: "#000000"}
indicators:
  - {code: kelas_tinggi, statistic: share, classes: [2, 3], title: {id: Rawan}, unit: {id: "%"}}
metadata: {deskripsi: {id: Raster uji.}, produsen_data: {nama: Dinas uji}, frekuensi: tahunan,
  tema: [lingkungan]}
"""
#: Kota Kediri in UTM zone 49S, with a margin: the grid of the rasters of ones.
UTM_ORIGIN = (604_000.0, 9_142_000.0)
CELL = 50.0


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    layers = layers_with_rasters(
        tmp_path / "layers",
        {
            "satu": COUNT.format(id="satu", visibility="public"),
            "rahasia": COUNT.format(id="rahasia", visibility="restricted"),
            "kelas": CLASSES,
        },
    )
    return Settings(layers_dir=layers, rasters_dir=tmp_path / "rasters")


def ones_utm(path: Path, nodata_cell: tuple[int, int] | None = None) -> Path:
    """A raster of ones covering Kota Kediri, 50 m cells in EPSG:32749."""
    data = np.ones((320, 320), dtype="float32")
    if nodata_cell is not None:
        data[nodata_cell] = -1
    return write_geotiff(path, data, "EPSG:32749", from_origin(*UTM_ORIGIN, CELL, CELL), -1)


def test_a_raster_of_ones_gives_each_kelurahan_its_area_in_cells(
    settings: Settings, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    catalog = load_catalog(settings.layers_dir)
    done = storage.import_raster(settings, catalog, "satu", ones_utm(tmp_path / "in.tif"))
    assert done.sha256 == hashlib.sha256(done.path.read_bytes()).hexdigest()
    with rasterio.open(done.path) as cog:
        assert cog.crs.to_epsg() == 32749  # counted on its own grid, never resampled
        assert cog.overviews(1)  # a COG with overviews
    areas = kediri[["kode", "nama", "geometry"]]
    table = zonal.zonal(done.path, areas, ["sum", "count", "mean"]).set_index("kode")
    expected = areas.to_crs(32749).set_index("kode").area / CELL / CELL
    assert np.allclose(table["sum"], expected.loc[table.index], rtol=1e-7, atol=0)
    assert np.allclose(table["mean"], 1.0)
    assert len(table) == 46 and expected.min() > 20  # every one a few dozen cells or more


def test_a_half_covered_cell_counts_half(tmp_path: Path) -> None:
    cell = 0.01
    path = write_geotiff(
        tmp_path / "deg.tif", np.ones((4, 4), "float32"), "EPSG:4326",
        from_origin(112.0, -7.8, cell, cell), -1,
    )  # fmt: skip
    # 2.5 cells wide and 1 high, inside the raster; and one cell half outside it
    boxes = [
        shapely.box(112.0, -7.8 - cell, 112.0 + 2.5 * cell, -7.8),
        shapely.box(112.0 + 3.5 * cell, -7.8 - 3 * cell, 112.0 + 4.5 * cell, -7.8 - 2 * cell),
    ]
    areas = gpd.GeoDataFrame({"kode": ["a", "b"]}, geometry=boxes, crs="EPSG:4326")
    table = zonal.zonal(path, areas, ["sum", "count"]).set_index("kode")
    assert table.loc["a", "sum"] == pytest.approx(2.5, rel=1e-9)
    assert table.loc["b", "sum"] == pytest.approx(0.5, rel=1e-9)


def test_nodata_cells_count_for_nothing(kediri: gpd.GeoDataFrame, tmp_path: Path) -> None:
    bandar_lor = kediri[kediri["kode"] == "35.71.01.1001"]
    centre = bandar_lor.to_crs(32749).geometry.iloc[0].representative_point()
    col = int((centre.x - UTM_ORIGIN[0]) // CELL)
    row = int((UTM_ORIGIN[1] - centre.y) // CELL)
    cell = shapely.box(
        UTM_ORIGIN[0] + col * CELL, UTM_ORIGIN[1] - (row + 1) * CELL,
        UTM_ORIGIN[0] + (col + 1) * CELL, UTM_ORIGIN[1] - row * CELL,
    )  # fmt: skip
    assert bandar_lor.to_crs(32749).geometry.iloc[0].contains(cell)  # wholly inside
    full = zonal.zonal(ones_utm(tmp_path / "full.tif"), bandar_lor, ["sum", "count"])
    holed = zonal.zonal(ones_utm(tmp_path / "hole.tif", (row, col)), bandar_lor, ["sum", "mean"])
    assert holed["sum"].iloc[0] == pytest.approx(full["sum"].iloc[0] - 1, rel=1e-9)
    assert holed["mean"].iloc[0] == pytest.approx(1.0)


def test_categorical_shares_and_the_weighted_sum(settings: Settings, tmp_path: Path) -> None:
    catalog = load_catalog(settings.layers_dir)
    transform = from_origin(112.0, -7.8, 0.01, 0.01)
    classes = np.array([[1, 2], [2, 3]], dtype="uint8")
    people = np.array([[10, 20], [30, 40]], dtype="float32")
    storage.import_raster(
        settings, catalog, "kelas",
        write_geotiff(tmp_path / "k.tif", classes, "EPSG:4326", transform, 255),
    )  # fmt: skip
    storage.import_raster(
        settings, catalog, "satu",
        write_geotiff(tmp_path / "p.tif", people, "EPSG:4326", transform, -1),
    )  # fmt: skip
    areas = gpd.GeoDataFrame(
        {"kode": ["all", "left"]},
        geometry=[shapely.box(112.0, -7.82, 112.02, -7.8), shapely.box(112.0, -7.82, 112.01, -7.8)],
        crs="EPSG:4326",
    )
    kelas = catalog.rasters["kelas"]
    table = zonal.zonal(storage.cog_path(settings, "kelas"), areas, zonal.OPERATIONS["categorical"])
    shares = {row["kode"]: zonal._shares(row, kelas) for _, row in table.iterrows()}
    assert shares["all"] == pytest.approx({"1": 25.0, "2": 50.0, "3": 25.0}, abs=1e-9)
    assert shares["left"] == pytest.approx({"1": 50.0, "2": 50.0, "3": 0.0}, abs=1e-9)
    weighted = zonal.weighted_zonal(
        storage.cog_path(settings, "satu"), storage.cog_path(settings, "kelas"), 2, areas
    ).set_index("kode")
    assert weighted.loc["all", "weighted_sum"] == pytest.approx(20 + 30 + 40)
    assert weighted.loc["left", "weighted_sum"] == pytest.approx(30)


BAD_FILES = {
    "no_crs": "raster.no_crs",
    "three_bands": "raster.bands",
    "not_a_tiff": "raster.unreadable",
    "no_nodata": "raster.nodata_differs",
    "outside": "raster.outside",
    "unknown_class": "raster.unknown_classes",
    "float_classes": "raster.categorical_dtype",
}


def _bad_file(kind: str, folder: Path) -> tuple[str, Path]:
    utm = from_origin(*UTM_ORIGIN, CELL, CELL)
    ones = np.ones((8, 8), "float32")
    path = folder / f"{kind}.tif"
    if kind == "no_crs":
        return "satu", write_geotiff(path, ones, None, utm, -1)
    if kind == "three_bands":
        return "satu", write_geotiff(path, np.stack([ones] * 3), "EPSG:32749", utm, -1)
    if kind == "not_a_tiff":
        path.write_text("kode,nama\n35.71.01.1001,Bandar Lor\n", encoding="utf-8")
        return "satu", path
    if kind == "no_nodata":  # the file says 0, the YAML -1
        return "satu", write_geotiff(path, ones, "EPSG:32749", utm, 0)
    if kind == "outside":  # Paris
        return "satu", write_geotiff(path, ones, "EPSG:4326", from_origin(2.3, 48.9, 0.01, 0.01))
    if kind == "unknown_class":
        data = np.full((8, 8), 7, dtype="uint8")
        return "kelas", write_geotiff(path, data, "EPSG:32749", utm, 255)
    return "kelas", write_geotiff(path, ones, "EPSG:32749", utm, 255)


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_file_is_refused_and_leaves_nothing_behind(
    settings: Settings, tmp_path: Path, kind: str
) -> None:
    catalog = load_catalog(settings.layers_dir)
    good = storage.import_raster(settings, catalog, "satu", ones_utm(tmp_path / "good.tif"))
    raster_id, path = _bad_file(kind, tmp_path)
    before = sorted(p.name for p in storage.raster_folder(settings).iterdir())
    with pytest.raises(InputError) as refused:
        storage.import_raster(settings, catalog, raster_id, path)
    assert refused.value.key == BAD_FILES[kind]
    assert refused.value.detail("id") and "{" not in refused.value.detail("en")
    assert sorted(p.name for p in storage.raster_folder(settings).iterdir()) == before
    assert storage.read_info(settings, "satu") == good.info  # the good one stays as it was


def test_rasters_are_named_by_registry_id_only(settings: Settings, tmp_path: Path) -> None:
    catalog = load_catalog(settings.layers_dir)
    with pytest.raises(InputError) as refused:
        storage.import_raster(settings, catalog, "../etc", ones_utm(tmp_path / "a.tif"))
    assert refused.value.key == "raster.unknown_id"
    assert not storage.raster_folder(settings).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (CLASSES.replace("kind: categorical", "kind: count"), "classes apply to a categorical"),
        (CLASSES.replace("classes: [2, 3]", "classes: [2, 9]"), "class 9 is not declared"),
        (COUNT.format(id="satu", visibility="public").replace("viridis", "pelangi"), "colormap"),
        (CLASSES.replace("kelas_tinggi", "penduduk"), "'penduduk' is already an indicator"),
        (COUNT.format(id="kelas", visibility="public"), "'kelas' is not categorical"),
    ],
)
def test_raster_files_are_validated(tmp_path: Path, body: str, message: str) -> None:
    layers = layers_with_rasters(tmp_path / "layers", {"kelas": body})
    with pytest.raises(CatalogError, match=message):
        load_catalog(layers)


def test_mass_conservation_on_kota_kediri(settings: Settings, kediri_db: Engine) -> None:
    """The sum over the 46 kelurahan of the demo's population grid equals the grid's own sum
    inside the kota within 0.5 %; the gaps and overlaps of the polygons explain the rest."""
    from geoservice.demo import DEMO_DIR, RASTER_FILES

    declared = COUNT.format(id="satu", visibility="public").replace("-1", "-9999")
    (settings.layers_dir / "rasters" / "satu.yaml").write_text(declared, encoding="utf-8")
    catalog = load_catalog(settings.layers_dir)
    storage.import_raster(settings, catalog, "satu", DEMO_DIR / RASTER_FILES["contoh_penduduk"])
    raster = catalog.rasters["satu"]
    with kediri_db.connect() as conn:
        stats = zonal.scope_statistics(conn, settings, raster, "35.71")
    assert len(stats.areas) == 46
    assert stats.total is not None and 250_000 < stats.total < 330_000
    summed = sum(a["sum"] for a in stats.areas)
    check = stats.check
    assert check["sum_of_areas"] == pytest.approx(summed)
    # over the union of the kelurahan only their overlaps (0.03 km² of 63) count twice
    assert abs(summed - check["total_of_union"]) / check["total_of_union"] < 0.005
    assert 0 < check["overlaps_km2"] < 0.1
    # the kota's own polygon is not the union of its kelurahan: 2.9 km² of it lie in none of
    # them and 3.1 km² of them outside it (the sources differ), so the two totals differ by
    # 0.57 %, no more than those slivers hold at the grid's densest
    assert 2 < check["gaps_km2"] < 4 and 2 < check["outside_km2"] < 4
    with rasterio.open(storage.cog_path(settings, "satu")) as grid:
        densest = float(grid.read(1, masked=True).max()) * 100  # people per km², 1 ha cells
    slivers = check["gaps_km2"] + check["outside_km2"] + check["overlaps_km2"]
    assert abs(summed - stats.total) < densest * slivers
    assert abs(check["difference_percent"]) < 1.0
    # and stored as indicator values of the raster's year, one per kelurahan
    written = access.write_indicators(kediri_db, settings, raster, scope="35.71")
    assert written == 46  # the weighted sum waits for the flood raster, not imported here
    with kediri_db.connect() as conn:
        stored = dict(
            conn.execute(
                text("SELECT kode, value FROM indicator_value WHERE indicator = 'satu_jumlah'")
            ).all()
        )
        period = conn.execute(
            text("SELECT DISTINCT period FROM indicator_value WHERE indicator = 'satu_jumlah'")
        ).scalar_one()
    assert period == "2025"
    assert stored == pytest.approx({a["kode"]: a["sum"] for a in stats.areas})


@pytest.mark.usefixtures("kediri_db")
def test_the_cli_imports_computes_and_refuses(
    settings: Settings, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from geoservice.cli import app

    for name, value in (("DATABASE_URL", database_url), ("LAYERS_DIR", settings.layers_dir),
                        ("RASTERS_DIR", settings.rasters_dir)):  # fmt: skip
        monkeypatch.setenv(f"GEOSERVICE_{name}", str(value))
    runner = CliRunner()
    ok = runner.invoke(app, ["import", "raster", "satu", str(ones_utm(tmp_path / "a.tif")),
                             "--lang", "en"])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert "EPSG:32749" in ok.output and "46 indicator values written" in ok.output
    assert "wait for raster kelas" in ok.output  # the weighted sum needs the flood classes
    digest = hashlib.sha256(storage.cog_path(settings, "satu").read_bytes()).hexdigest()
    assert digest in ok.output
    bad = runner.invoke(app, ["import", "raster", "satu", str(_bad_file("no_crs", tmp_path)[1])])
    assert bad.exit_code == 1 and "kesalahan" in bad.output and "CRS" in bad.output
    unknown = runner.invoke(app, ["import", "raster", "tidak_ada", str(tmp_path / "a.tif")])
    assert unknown.exit_code == 1 and "satu" in unknown.output  # names the declared ones
    assert sorted(p.name for p in storage.raster_folder(settings).iterdir()) == [
        "satu.json", "satu.tif",
    ]  # fmt: skip


def test_the_render_pool_refuses_at_once_when_full() -> None:
    import threading

    import anyio

    from geoservice.errors import ServiceBusy
    from geoservice.services.rasters.render import RenderPool

    pool = RenderPool(threads=1, queue=1)
    release = threading.Event()

    async def main() -> list[str]:
        outcomes: list[str] = []

        async def one() -> None:
            try:
                await pool.run(release.wait, 10)
                outcomes.append("served")
            except ServiceBusy:
                outcomes.append("busy")

        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(one)
            with anyio.fail_after(5):
                while "busy" not in outcomes:  # the third is refused while two hold the pool
                    await anyio.sleep(0.01)
            release.set()
        return outcomes

    assert sorted(anyio.run(main)) == ["busy", "served", "served"]
