"""Reading GIS files in batches (what lets the boundary import write while it reads): every row
once, in file order, with the file's CRS applied, for the streamed formats and the others."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geoservice.services.imports.readers import InputError, read_vector_batches
from tests.support import KEDIRI_KELURAHAN


@pytest.mark.parametrize("suffix", [".gpkg", ".parquet", ".geojson"])
def test_batches_hold_every_row_once_in_file_order(tmp_path: Path, suffix: str) -> None:
    kediri = gpd.read_file(KEDIRI_KELURAHAN)
    path = tmp_path / f"kediri{suffix}"
    if suffix == ".parquet":
        kediri.to_parquet(path)
    else:
        kediri.to_file(path)
    read = read_vector_batches(path, 10)
    batches = list(read.batches)
    assert read.rows == len(kediri) == 46
    assert [len(b) for b in batches] == [10, 10, 10, 10, 6]
    joined = pd.concat(batches, ignore_index=True)
    assert joined["kode"].tolist() == kediri["kode"].tolist()
    assert all(b.crs.to_epsg() == 4326 for b in batches)
    assert shapely.equals_exact(
        joined.geometry.to_numpy(), kediri.geometry.to_numpy(), tolerance=1e-9
    ).all()


def test_a_projected_geopackage_is_reprojected_batch_by_batch(tmp_path: Path) -> None:
    kediri = gpd.read_file(KEDIRI_KELURAHAN)
    path = tmp_path / "kediri_utm.gpkg"
    kediri.to_crs(32749).to_file(path)
    read = read_vector_batches(path, 20)
    joined = pd.concat(list(read.batches), ignore_index=True)
    assert read.notes == [("file.reprojected", {"crs": "EPSG:32749"})]  # once, not per batch
    assert joined.crs.to_epsg() == 4326
    assert (
        shapely.hausdorff_distance(joined.geometry.to_numpy(), kediri.geometry.to_numpy()) < 1e-6
    ).all()


def test_a_geopackage_with_several_layers_needs_one_named(tmp_path: Path) -> None:
    kediri = gpd.read_file(KEDIRI_KELURAHAN)
    path = tmp_path / "two.gpkg"
    kediri.to_file(path, layer="kelurahan")
    kediri.head(3).to_file(path, layer="contoh")
    with pytest.raises(InputError) as caught:
        read_vector_batches(path, 10)
    assert caught.value.key == "file.layer_required"
    read = read_vector_batches(path, 10, layer="contoh")
    assert read.rows == 3 and sum(len(b) for b in read.batches) == 3
