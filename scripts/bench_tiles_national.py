"""Vector tiles on national data: size, time and features of fixed tiles over Kota Kediri,
Jakarta and the whole country, per collection and composite.

Loads the national boundaries once into the database ``geoservice_tiles`` (kept for later runs).
Times are the median of 3 builds in PostGIS through the service's own tile functions.
Issue 3's budget: every tile <= 500 KB; national z5 <= 200 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import mapbox_vector_tile
from bench_common import DEFAULT_DATA, INDONESIA, JAKARTA, KEDIRI, national_engine, tile_of

from geoservice.catalog import load_catalog
from geoservice.services import features, tiles
from geoservice.services.viewer import Viewer
from geoservice.settings import Settings

#: (collection or "composite", z, (lon, lat) inside the tile, what it covers)
TILES = [
    ("kelurahan", 5, INDONESIA, "national z5: Jawa, Bali, southern Kalimantan"),
    ("composite", 5, INDONESIA, "the same, composite (provinsi level)"),
    ("kelurahan", 8, KEDIRI, "z8 around Kota Kediri"),
    ("composite", 8, JAKARTA, "z8 around Jakarta, composite (kabkota level)"),
    ("kelurahan", 10, JAKARTA, "z10 Jakarta"),
    ("kelurahan", 10, KEDIRI, "z10 Kota Kediri"),
    ("kelurahan", 12, KEDIRI, "z12 Kota Kediri"),
    ("kelurahan", 14, KEDIRI, "z14 Kota Kediri"),
    ("kelurahan", 14, JAKARTA, "z14 Jakarta"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    settings = Settings()
    engine = national_engine(args.data_dir)
    catalog = load_catalog(settings.layers_dir)
    viewer = Viewer()
    print(f"{'tile':34} {'KB':>8} {'ms':>7} {'features':>9}  covers")
    for name, z, (lon, lat), covers in TILES:
        x, y = tile_of(lon, lat, z)
        times, content = [], b""
        for _ in range(3):
            with engine.connect() as conn:
                start = time.perf_counter()
                members = tiles.members(catalog, None if name == "composite" else name, z, x, y)
                content = tiles.build(conn, members, z, x, y, viewer)
                times.append(time.perf_counter() - start)
        count = sum(len(layer["features"]) for layer in mapbox_vector_tile.decode(content).values())
        label = f"{name} {z}/{x}/{y}"
        print(
            f"{label:34} {len(content) / 1024:8.1f} {statistics.median(times) * 1000:7.0f} "
            f"{count:9,}  {covers}"
        )
    print()
    print("largest tile per zoom over Jawa (the densest island), every tile built once:")
    print(f"{'collection':12} {'z':>3} {'tiles':>6} {'max KB':>8} {'ms':>6} {'features':>9}")
    west, south, east, north = 105.0, -8.9, 114.7, -5.8
    for name in ("kelurahan", "kecamatan"):
        collection = features.resolve(catalog, name)
        for z in range(0, 11):
            (x0, y0), (x1, y1) = tile_of(west, north, z), tile_of(east, south, z)
            largest, largest_ms, largest_count, built = b"", 0.0, 0, 0
            with engine.connect() as conn:
                for x in range(x0, x1 + 1):
                    for y in range(y0, y1 + 1):
                        start = time.perf_counter()
                        content = tiles.tile(conn, collection, z, x, y, viewer)
                        elapsed = time.perf_counter() - start
                        built += 1
                        if len(content) > len(largest):
                            largest, largest_ms = content, elapsed
            largest_count = sum(
                len(layer["features"]) for layer in mapbox_vector_tile.decode(largest).values()
            )
            print(
                f"{name:12} {z:3} {built:6} {len(largest) / 1024:8.1f} "
                f"{largest_ms * 1000:6.0f} {largest_count:9,}"
            )
    engine.dispose()


if __name__ == "__main__":
    main()
