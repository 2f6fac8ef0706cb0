"""Data the tests start from: empty tables, the demo (Kota Kediri and its sample points), GeoTIFFs
and layer folders with rasters."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
from affine import Affine
from sqlalchemy import Engine, text

from geoservice.catalog import load_catalog
from geoservice.settings import PROJECT_ROOT


def empty_tables(engine: Engine) -> None:
    """Empty every data table (areas with their tile geometry, facilities, history, accounts)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "TRUNCATE quality_decision, kelurahan_profile_history, kelurahan_profile, "
                "review_item, "
                "indicator_value, indicator_import, facility_history, "
                "facility, admin_area_generalized, user_kelurahan, "
                "web_session, api_token, login_failure, app_user, admin_area RESTART IDENTITY"
            )
        )


def fresh_demo(engine: Engine) -> None:
    """Empty tables, then the demo data (Kota Kediri and its sample points)."""
    from geoservice.demo import load_demo

    empty_tables(engine)
    load_demo(engine, load_catalog(PROJECT_ROOT / "layers"))


def write_geotiff(
    path: Path,
    data: np.ndarray,
    crs: str | None,
    transform: Affine,
    nodata: float | None = None,
    **options: Any,
) -> Path:
    """A GeoTIFF of ``data`` (one band, or bands first) at ``path``; ``crs`` None for none."""
    import rasterio

    bands = data if data.ndim == 3 else data[np.newaxis]
    profile: dict[str, Any] = {
        "driver": "GTiff", "width": bands.shape[2], "height": bands.shape[1],
        "count": bands.shape[0], "dtype": str(bands.dtype), "transform": transform,
    }  # fmt: skip
    if crs is not None:
        profile["crs"] = crs
    if nodata is not None:
        profile["nodata"] = nodata
    with rasterio.open(path, "w", **profile, **options) as dst:
        dst.write(bands)
    return path


def layers_with_rasters(folder: Path, rasters: dict[str, str]) -> Path:
    """A copy of the project's layers in ``folder`` with the raster files ``rasters`` (id ->
    YAML text) in place of the demo's."""
    shutil.copytree(PROJECT_ROOT / "layers", folder, ignore=shutil.ignore_patterns("rasters"))
    (folder / "rasters").mkdir()
    for raster_id, body in rasters.items():
        (folder / "rasters" / f"{raster_id}.yaml").write_text(body, encoding="utf-8")
    return folder
