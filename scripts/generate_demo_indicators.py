"""Generate the SAMPLE indicator values of the Kota Kediri demo (geoservice/demo).

Deterministic (fixed seed). The figures are invented: plausible sizes for a kelurahan of Kota
Kediri, with the poverty share higher towards the city's edge, for periods 2024 and 2025. They
are loaded as a sample import (``is_sample``), and the planner page says so.

    .venv/bin/python scripts/generate_demo_indicators.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import numpy as np

DEMO = Path(__file__).resolve().parent.parent / "geoservice" / "demo"


def main() -> None:
    rng = np.random.default_rng(2025)
    areas = gpd.read_file(DEMO / "kota_kediri_desa_kelurahan.geojson").sort_values("kode")
    centre = areas.to_crs(32749).union_all().centroid
    distance = areas.to_crs(32749).centroid.distance(centre).to_numpy()
    edge = distance / distance.max()
    rows = []
    for (_, area), far in zip(areas.iterrows(), edge, strict=True):
        people = int(rng.integers(3_000, 16_000))
        poor = float(np.clip(6 + 22 * far + rng.normal(0, 3), 2, 45))
        stunting_rate = float(np.clip(0.04 + 0.1 * far + rng.normal(0, 0.02), 0.0, 0.25))
        small = rng.random() < 0.15  # a few kelurahan with very few cases (withheld publicly)
        for year, growth, change in (("2024", 1.0, 0.0), ("2025", 1.012, -1.2)):
            pop = round(people * growth)
            share = round(max(poor + change + rng.normal(0, 0.8), 1.0), 1)
            families = round(pop / 3.5 * share / 100 * 0.3)
            stunted = int(rng.integers(0, 5)) if small else round(pop * 0.085 * stunting_rate)
            rows.append([area["kode"], area["nama"], year, pop, families, share, stunted])
    with (DEMO / "sample_indicators.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["kode", "kelurahan", "periode", "penduduk", "keluarga_desil_1", "persen_miskin",
             "balita_stunting"]
        )  # fmt: skip
        for row in rows:
            # Indonesian decimals, as offices write them; the importer reads them so
            writer.writerow([*row[:5], str(row[5]).replace(".", ","), row[6]])


if __name__ == "__main__":
    main()
