"""Generate the SAMPLE rasters of the Kota Kediri demo (geoservice/demo): a population grid and
a flood hazard map, 100 m cells in UTM zone 49S (EPSG:32749), as the GeoTIFFs WorldPop and
InaRISK publish.

Deterministic (fixed seed). The figures are invented: people per cell falling off from the city
centre with noise, scaled so that Kota Kediri holds about 290,000 people (its census order of
magnitude); flood classes 0-3 by the distance to a made-up river line through the city. They are
loaded as samples (``sample: true`` in layers/rasters/), and every title, legend and answer
says so.

    .venv/bin/python scripts/generate_demo_raster.py
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from rasterio.features import geometry_mask
from rasterio.transform import from_origin

DEMO = Path(__file__).resolve().parent.parent / "geoservice" / "demo"
POPULATION = DEMO / "sample_raster_penduduk.tif"
FLOOD = DEMO / "sample_raster_banjir.tif"
CELL = 100.0
TOTAL = 290_000
NODATA_POPULATION = -9999.0
NODATA_FLOOD = 255


def _grid() -> tuple[gpd.GeoSeries, rasterio.Affine, int, int]:
    city = gpd.read_file(DEMO / "kota_kediri_kabkota.geojson").to_crs(32749).geometry
    west, south, east, north = city.total_bounds
    west, north = np.floor(west / CELL) * CELL - 500, np.ceil(north / CELL) * CELL + 500
    width = int(np.ceil((east + 500 - west) / CELL))
    height = int(np.ceil((north - (south - 500)) / CELL))
    return city, from_origin(west, north, CELL, CELL), width, height


def main() -> None:
    rng = np.random.default_rng(2025)
    city, transform, width, height = _grid()
    cols, rows = np.meshgrid(np.arange(width) + 0.5, np.arange(height) + 0.5)
    xs, ys = transform * (cols, rows)
    centre = city.union_all().centroid
    distance = np.hypot(xs - centre.x, ys - centre.y)
    density = 80 * np.exp(-((distance / 3500) ** 2)) + 8
    people = density * rng.lognormal(0.0, 0.45, density.shape)
    inside = ~geometry_mask(list(city), (height, width), transform)
    people *= TOTAL / people[inside].sum()
    people = people.astype("float32")
    # a made-up river running north-south a little west of the centre, meandering
    river = shapely.LineString(
        [
            (centre.x - 600 + 400 * np.sin(k / 3), ys.max() - k * (ys.max() - ys.min()) / 20)
            for k in range(21)
        ]  # fmt: skip
    )
    near = shapely.distance(river, shapely.points(xs.ravel(), ys.ravel())).reshape(xs.shape)
    near = near + rng.normal(0, 120, near.shape)
    flood = np.select([near < 300, near < 700, near < 1200], [3, 2, 1], 0).astype("uint8")
    flood[-3:, :] = NODATA_FLOOD  # a strip without data, as survey maps have
    profile = {
        "driver": "GTiff", "width": width, "height": height, "count": 1, "crs": "EPSG:32749",
        "transform": transform, "compress": "deflate", "tiled": True,
    }  # fmt: skip
    tags = {"TIFFTAG_IMAGEDESCRIPTION": "CONTOH / SAMPLE: invented values, not a census"}
    with rasterio.open(
        POPULATION, "w", dtype="float32", nodata=NODATA_POPULATION, predictor=3, **profile
    ) as dst:
        dst.write(people, 1)
        dst.update_tags(**tags)
    with rasterio.open(FLOOD, "w", dtype="uint8", nodata=NODATA_FLOOD, **profile) as dst:
        dst.write(flood, 1)
        dst.update_tags(**tags)
    total = people[inside].sum()
    print(f"{POPULATION.name}: {width}x{height} cells, {total:,.0f} people in the city")
    print(f"{FLOOD.name}: classes {dict(zip(*np.unique(flood, return_counts=True), strict=True))}")


if __name__ == "__main__":
    main()
