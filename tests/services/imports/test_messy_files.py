"""Messy real files: projected coordinates without a CRS, a --crs that would override the
file's, and coordinate cells that are not decimal degrees (quoted in the row errors)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from sqlalchemy import Engine

from geoservice.catalog import Catalog
from geoservice.services.imports.boundaries import BoundaryOptions, import_boundaries
from geoservice.services.imports.facilities import FacilityOptions, import_facilities
from geoservice.services.imports.readers import InputError
from tests.services.imports.test_facilities import issue_rows, spots_inside


def _geojson_without_crs(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    """The features' coordinates as they are, with no ``crs`` member (GeoJSON then means WGS 84)."""
    body = json.loads(gdf.to_json(drop_id=True))
    body.pop("crs", None)
    path.write_text(json.dumps(body))
    return path


@pytest.mark.parametrize(
    ("epsg", "likely"),
    [
        (32749, "EPSG:32749 (UTM 49S: Jawa Tengah, Yogyakarta, Jawa Timur"),
        (3857, "EPSG:3857 (Web Mercator)"),
    ],
)
def test_projected_geojson_without_crs_is_one_message_naming_the_likely_crs(
    kediri_db: Engine,
    kediri: gpd.GeoDataFrame,
    catalog: Catalog,
    tmp_path: Path,
    epsg: int,
    likely: str,
) -> None:
    points = gpd.GeoDataFrame(
        {"nama": ["Posyandu Melati", "Posyandu Mawar"]},
        geometry=[shapely.Point(p) for p in spots_inside(kediri, "35.71.02.1005")[:2]],
        crs=4326,
    ).to_crs(epsg)
    path = _geojson_without_crs(points, tmp_path / "posyandu.geojson")
    with pytest.raises(InputError) as error:
        import_facilities(kediri_db, catalog.layers["posyandu"], path)
    assert error.value.key == "file.projected_without_crs"
    assert likely in error.value.message("en")
    assert "bukan derajat" in error.value.message("id")
    # told the CRS, the same file loads (a GeoJSON's implied WGS 84 is no declared CRS)
    report = import_facilities(
        kediri_db, catalog.layers["posyandu"], path, FacilityOptions(crs=f"EPSG:{epsg}")
    )
    assert report.inserted == 2, report.as_dict("en")

    boundaries = _geojson_without_crs(kediri.to_crs(epsg), tmp_path / "batas.geojson")
    with pytest.raises(InputError) as error:
        import_boundaries(kediri_db, [boundaries])
    assert error.value.key == "file.projected_without_crs"


def test_crs_does_not_override_a_declared_one_without_force(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "batas.gpkg"
    kediri.to_crs(32749).to_file(path, engine="pyogrio")
    with pytest.raises(InputError) as error:
        import_boundaries(kediri_db, [path], BoundaryOptions(crs="EPSG:32750"))
    assert error.value.message("en") == (
        f"file {path} declares CRS EPSG:32749; --crs EPSG:32750 does not override it without "
        "--force-crs"
    )
    same = import_boundaries(kediri_db, [path], BoundaryOptions(crs="EPSG:32749"))
    assert same[0].written and same[0].issues == []
    forced = import_boundaries(kediri_db, [path], BoundaryOptions(crs="EPSG:32750", force_crs=True))
    assert forced[0].written  # 6 degrees further east, as the walidata insisted
    assert ("file.reprojected", {"crs": "EPSG:32750"}) in forced[0].notes


def test_row_errors_quote_the_coordinate_cells(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, catalog: Catalog, tmp_path: Path
) -> None:
    lon, lat = spots_inside(kediri, "35.71.02.1005")[0]
    path = tmp_path / "posyandu.csv"
    path.write_text(
        "nama;lintang;bujur\n"
        f"Posyandu Satu;{lat};106.924.134021\n"  # thousands separators
        f"Posyandu Dua;7°49'S;{lon}\n"  # degrees, minutes
        f"Posyandu Tiga;{round(lat * 1_000_000)};{round(lon * 1_000_000)}\n"  # lost decimals
        f"Posyandu Empat;;{lon}\n",
        encoding="utf-8",
    )
    report = import_facilities(kediri_db, catalog.layers["posyandu"], path)
    assert issue_rows(report, "id") == [
        (
            2,
            None,
            "error",
            "coord.missing",
            f"koordinat kosong atau bukan angka desimal (kolom lintang/bujur: '{lat} / "
            "106.924.134021')",
        ),
        (
            3,
            None,
            "error",
            "coord.missing",
            f"koordinat kosong atau bukan angka desimal (kolom lintang/bujur: '7°49'S / {lon}')",
        ),
        (
            4,
            None,
            "error",
            "coord.lost_decimal",
            f"koordinat '{round(lat * 1_000_000)} / {round(lon * 1_000_000)}' (kolom "
            "lintang/bujur) tampaknya kehilangan tanda desimalnya (mis. angka dari Excel); tulis "
            "dalam derajat desimal, mis. -7,816612",
        ),
        (
            5,
            None,
            "error",
            "coord.missing",
            f"koordinat kosong atau bukan angka desimal (kolom lintang/bujur: ' / {lon}')",
        ),
    ]
