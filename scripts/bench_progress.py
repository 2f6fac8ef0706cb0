"""Progress at national scale, on the benchmark database (83,246 desa/kelurahan): ``/progress``
for a kota, a province and the country, and the coordination report of a kota, beside the
PostgreSQL floor (the same aggregate, points per kelurahan and status, as one bare query).

Generated SAMPLE points (``--points``, 500,000 by default, ``is_sample``) across posyandu, rt
and pos_kamling, each at its kelurahan's point on surface with a random status, are inserted
before and deleted after. The campaigns are three written for the run (every kelurahan of the
country). Timings are of the service functions in process (JSON encoding included), p50 over
``--repeat``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_common import national_engine
from sqlalchemy import Connection, text

from geoservice.catalog import load_catalog
from geoservice.services.progress import figures, report
from geoservice.settings import PROJECT_ROOT

CAMPAIGNS = {
    "bench_posyandu": {"target": "posyandu", "expected": 3},
    "bench_rt": {"target": "rt", "expected": {"from_profile": "jumlah_rt"},
                 "numbering": {"number": "rt", "within": "rw"}},
    "bench_pos_kamling": {"target": "pos_kamling"},
}  # fmt: skip
INSERT = """
INSERT INTO facility (layer_id, geom, attributes, status, is_sample, created_by, updated_by)
SELECT (ARRAY['posyandu', 'rt', 'pos_kamling'])[1 + i % 3], a.spot,
       jsonb_build_object('nama', 'Contoh ' || i, 'rt', 1 + i % 7, 'rw', 1 + i % 3),
       (ARRAY['verified', 'verified', 'submitted', 'draft', 'rejected'])[1 + i % 5], true,
       'bench', 'bench'
  FROM generate_series(1::bigint, :n) AS i
  JOIN (SELECT row_number() OVER (ORDER BY code) - 1 AS k, ST_PointOnSurface(geom) AS spot
          FROM admin_area WHERE level = 4) a ON a.k = (i * 7919) % :areas
"""
FLOOR = """
SELECT kelurahan_code, layer_id, status, count(*) FROM facility
 WHERE kelurahan_code LIKE :kode AND deleted_at IS NULL GROUP BY 1, 2, 3
"""


def _remove_samples(conn: Connection) -> None:
    conn.execute(text("DELETE FROM facility WHERE is_sample AND created_by = 'bench'"))
    conn.execute(text("DELETE FROM facility_history WHERE changed_by = 'bench'"))


def p50(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    engine = national_engine()
    folder = Path(tempfile.mkdtemp()) / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", folder, ignore=shutil.ignore_patterns("campaigns"))
    (folder / "campaigns").mkdir()
    for name, body in CAMPAIGNS.items():
        full = {"id": name, "title": {"id": name}, "due": "2026-06-30", "sample": True, **body}
        (folder / "campaigns" / f"{name}.yaml").write_text(json.dumps(full))
    catalog = load_catalog(folder)
    with engine.begin() as conn:
        _remove_samples(conn)  # of an interrupted run
        areas = conn.execute(text("SELECT count(*) FROM admin_area WHERE level = 4")).scalar_one()
        start = time.perf_counter()
        conn.execute(text(INSERT), {"n": args.points, "areas": areas})
    print(f"{args.points:,} SAMPLE points over {areas:,} kelurahan in "
          f"{time.perf_counter() - start:.0f} s", flush=True)  # fmt: skip
    try:
        with engine.connect() as conn:
            conn.execute(text("ANALYZE facility"))
            conn.execute(text("ANALYZE facility_history"))
            print(f"{'what':<34}{'service p50':>14}{'floor p50':>12}{'ratio':>8}{'target':>9}")
            for label, kode, level, target in [
                ("/progress kota (35.71)", "35.71", 4, 0.3),
                ("/progress provinsi (35) by kec.", "35", 3, 2.0),
                ("/progress provinsi (35)", "35", 4, 2.0),
                ("/progress country by kab/kota", None, 2, 10.0),
                ("/progress country", None, 4, 10.0),
            ]:
                service = p50(
                    lambda k=kode, lv=level: json.dumps(figures.progress(conn, catalog, k, lv)),
                    args.repeat,
                )
                floor = p50(
                    lambda k=kode: conn.execute(text(FLOOR), {"kode": (k or "") + "%"}).all(),
                    args.repeat,
                )
                print(f"{label:<34}{service * 1000:>12.0f}ms{floor * 1000:>10.0f}ms"
                      f"{service / floor:>8.1f}{target * 1000:>7.0f}ms", flush=True)  # fmt: skip
            for f, build in (("xlsx", report.xlsx), ("pdf", report.pdf)):
                service = p50(lambda b=build: b(conn, catalog, "35.71"), args.repeat)
                print(f"{'report kota ' + f:<34}{service * 1000:>12.0f}ms{'':>12}{'':>8}"
                      f"{5000:>7}ms", flush=True)  # fmt: skip
    finally:
        with engine.begin() as conn:
            _remove_samples(conn)


if __name__ == "__main__":
    main()
