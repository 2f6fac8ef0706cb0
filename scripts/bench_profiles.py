"""Published kelurahan profiles at provincial scale, on the benchmark database (83,246
desa/kelurahan): every desa of Provinsi Jawa Timur (8,492) gets a verified SAMPLE profile of
the form ``profil_kelurahan`` and a SAMPLE population, then, through ``geoservice.app`` under
uvicorn on loopback (p50/p90 over --repeat), each published output beside its anchor, the
output it is built like, as a ratio from the same run:

- the OGC API collection ``profil_kelurahan`` (1,000 features, derived fields computed by
  PostGIS per row) against the boundary collection ``kelurahan`` (the same 1,000 polygons);
- the published endpoint of Kota Surabaya against the same kelurahan's boundary items;
- a profile field's choropleth of Jawa Timur against the population indicator's;
- ``/statistics`` of Kota Surabaya (JSON, XLSX) with the profile columns against the same
  table before any profile was verified.

The profiles and values are invented (SAMPLE) and deleted at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from bench_common import free_port, national_engine, percentiles, serve_geoservice, stop, timed
from sqlalchemy import Table, insert, text

from geoservice.catalog import load_catalog
from geoservice.db.models import KelurahanProfile
from geoservice.services.imports.indicators import import_indicators
from geoservice.settings import PROJECT_ROOT

PORT = free_port()  # beside a running service, and beside each other
P = (50, 90)
FORM = "profil_kelurahan"
PROFILE: Table = KelurahanProfile.__table__  # type: ignore[assignment]


def sample_profiles(engine, codes: list[str]) -> None:  # type: ignore[no-untyped-def]
    """A verified SAMPLE profile for every code (values that pass the form's checks)."""
    rng = random.Random(22)
    now = dt.datetime.now(dt.UTC)
    rows = []
    for code in codes:
        rw = rng.randint(2, 12)
        rt = rw * rng.randint(3, 8)
        values = {
            "batas_utara": "Desa contoh utara", "batas_selatan": "Desa contoh selatan",
            "batas_timur": "Sungai contoh", "batas_barat": "Desa contoh barat",
            "topografi": rng.choice(["dataran", "perbukitan", "bantaran_sungai"]),
            "jumlah_rw": rw, "jumlah_rt": rt, "jumlah_kk": rt * rng.randint(40, 90),
            "jumlah_kk_miskin": rng.randint(5, 200), "jumlah_posyandu": rng.randint(1, 12),
            "sarana_ibadah": ["masjid", "musala"], "jumlah_masjid": rng.randint(1, 9),
            "ada_pasar": rng.random() < 0.4, "jumlah_sd": rng.randint(1, 8),
        }  # fmt: skip
        rows.append(
            {
                "form_id": FORM, "kelurahan_code": code, "period": "2025", "values": values,
                "status": "verified", "verified_values": values, "verified_version": 1,
                "verified_by": "contoh", "verified_at": now, "is_sample": True,
                "created_by": "contoh", "updated_by": "contoh",
            }
        )  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(PROFILE), rows)
        conn.execute(text("ANALYZE kelurahan_profile"))


def row(label: str, times: list[float], size: int) -> float:
    print(f"{label:52} {size / 1024:8.1f}KB  {percentiles(times, P)}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="requests per measurement")
    args = parser.parse_args()
    engine = national_engine()
    catalog = load_catalog(PROJECT_ROOT / "layers")
    clean = "DELETE FROM kelurahan_profile; TRUNCATE indicator_value, indicator_import"
    with engine.begin() as conn:
        for statement in clean.split(";"):
            conn.execute(text(statement))
        codes = list(
            conn.execute(
                text("SELECT code FROM admin_area WHERE level = 4 AND code LIKE '35.%' ORDER BY 1")
            ).scalars()
        )
    url = engine.url.render_as_string(hide_password=False)
    server = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "penduduk.csv"
            rng = random.Random(23)
            path.write_text(
                "kode;penduduk\n" + "".join(f"{c};{rng.randint(800, 30_000)}\n" for c in codes)
            )
            import_indicators(engine, catalog, path, period="2025", sample=True)
        server = serve_geoservice(url, PORT)
        client = httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=300)
        stats = {
            "json": "/statistics?kode=35.78&period=2025",
            "xlsx": "/statistics?kode=35.78&period=2025&f=xlsx",
        }
        before = {f: timed(client, u, args.repeat) for f, u in stats.items()}
        start = time.perf_counter()
        sample_profiles(engine, codes)
        seconds = time.perf_counter() - start
        print(f"{len(codes):,} verified SAMPLE profiles written in {seconds:.1f} s")
        pairs = {
            "collection, 1,000 features of Jawa Timur": (
                f"/collections/{FORM}/items?kode=35&limit=1000",
                "/collections/kelurahan/items?kode=35&limit=1000",
            ),
            "published GeoJSON, Kota Surabaya (154)": (
                f"/profiles/{FORM}/kelurahan?kode=35.78&period=2025",
                "/collections/kelurahan/items?kode=35.78&limit=1000",
            ),
            "choropleth of Jawa Timur (8,492 desa)": (
                f"/profiles/{FORM}/fields/jumlah_rt/choropleth?kode=35",
                "/indicators/penduduk/choropleth?kode=35",
            ),
        }
        print(
            f"\n{'request (anchor below it)':52} {'size':>10}  server time ({args.repeat} requests)"
        )
        for label, (mine, anchor) in pairs.items():
            ours = row(label, *timed(client, mine, args.repeat))
            theirs = row("  anchor: " + anchor.split("?")[0], *timed(client, anchor, args.repeat))
            print(f"{'':52} {'':10}  ratio {ours / theirs:.2f}x the anchor's median")
        for f, u in stats.items():
            ours = row(
                f"/statistics Kota Surabaya {f}, with profiles", *timed(client, u, args.repeat)
            )
            theirs = row("  anchor: the same before any profile", *before[f])
            print(f"{'':52} {'':10}  ratio {ours / theirs:.2f}x the anchor's median")
        client.close()
    finally:
        if server is not None:
            stop(server)
        with engine.begin() as conn:
            for statement in clean.split(";"):
                conn.execute(text(statement))


if __name__ == "__main__":
    main()
