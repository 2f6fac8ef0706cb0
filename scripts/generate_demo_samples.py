"""Generate the SAMPLE facility points of the Kota Kediri demo (geoservice/demo/sample_*.geojson).

Deterministic (fixed seed): random points inside each kelurahan, names starting "Contoh" so
nobody mistakes them for surveyed data. Per kelurahan: 1 kantor kelurahan, 2-4 posyandu,
1-3 pos kamling and 4-9 RT in 2-3 RW.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geoservice.settings import PROJECT_ROOT

DEMO = PROJECT_ROOT / "geoservice" / "demo"
STRATA = ["Pratama", "Madya", "Purnama", "Mandiri"]
FLOWERS = ["Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Flamboyan", "Cempaka", "Teratai"]


def points_in(polygon: shapely.Geometry, count: int, rng: np.random.Generator) -> list:
    """``count`` random points inside ``polygon``, at least ~45 m apart."""
    inner = polygon.buffer(-0.0002) if polygon.buffer(-0.0002).area > 0 else polygon
    minx, miny, maxx, maxy = inner.bounds
    found: list = []
    for _ in range(100_000):
        p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if inner.contains(p) and all(p.distance(q) > 0.0004 for q in found):
            found.append(p)
            if len(found) == count:
                break
    return found


def main() -> None:
    rng = np.random.default_rng(3571)
    kel = gpd.read_file(DEMO / "kota_kediri_desa_kelurahan.geojson").sort_values("kode")
    rows: dict[str, list[dict]] = {
        "kantor_kelurahan": [],
        "posyandu": [],
        "pos_kamling": [],
        "rt": [],
    }
    for _, area in kel.iterrows():
        n_pos, n_kam, n_rw = rng.integers(2, 5), rng.integers(1, 4), rng.integers(2, 4)
        n_rt = [int(rng.integers(2, 4)) for _ in range(n_rw)]
        pts = points_in(area.geometry, 1 + n_pos + n_kam + sum(n_rt), rng)
        it = iter(pts)
        rows["kantor_kelurahan"].append(
            {
                "nama": f"Contoh Kantor Kelurahan {area.nama}",
                "alamat": f"Jl. Contoh No. 1, {area.nama}",
                "jam_layanan": "Senin-Jumat 08.00-15.00",
                "geometry": next(it),
            }
        )
        flowers = rng.permutation(FLOWERS)
        for i in range(n_pos):
            rows["posyandu"].append(
                {
                    "nama": f"Contoh Posyandu {flowers[i]} {i + 1}",
                    "strata": str(rng.choice(STRATA)),
                    "rw": i % n_rw + 1,
                    "jumlah_kader": int(rng.integers(5, 15)),
                    "hari_buka": "Selasa minggu ke-2",
                    "geometry": next(it),
                }
            )
        for i in range(n_kam):
            rows["pos_kamling"].append(
                {
                    "nama": f"Contoh Pos Kamling RW {i + 1:02d}",
                    "rw": i + 1,
                    "rt": 1,
                    "kondisi": str(rng.choice(["Baik", "Baik", "Rusak ringan"])),
                    "aktif": True,
                    "geometry": next(it),
                }
            )
        for rw, count in enumerate(n_rt, start=1):
            for rt in range(1, count + 1):
                rows["rt"].append(
                    {
                        "rt": rt,
                        "rw": rw,
                        "nama": f"Contoh RT {rt:02d}/RW {rw:02d} {area.nama}",
                        "jumlah_kk": int(rng.integers(30, 120)),
                        "geometry": next(it),
                    }
                )
    for layer, records in rows.items():
        gdf = gpd.GeoDataFrame(records, crs=4326)
        gdf["geometry"] = shapely.set_precision(gdf.geometry.values, 1e-6)
        target = DEMO / f"sample_{layer}.geojson"
        gdf.to_file(target, driver="GeoJSON", engine="pyogrio")
        print(f"{target.relative_to(PROJECT_ROOT)}: {len(gdf)} SAMPLE points")


if __name__ == "__main__":
    main()
