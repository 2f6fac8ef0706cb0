"""The Kota Kediri demo: real boundaries, marked sample points, loaded once."""

from __future__ import annotations

from sqlalchemy import Engine, text

from geoservice.catalog import Catalog
from geoservice.demo import load_demo
from tests.support import count


def test_demo_gives_46_kelurahan_in_3_kecamatan(clean_db: Engine, catalog: Catalog) -> None:
    summary = load_demo(clean_db, catalog)

    assert summary.loaded
    with clean_db.connect() as conn:
        levels = dict(conn.execute(text("SELECT level, count(*) FROM admin_area GROUP BY 1")).all())
        per_kecamatan = conn.execute(
            text(
                "SELECT parent_code, count(*) FROM admin_area WHERE level = 4 GROUP BY 1 ORDER BY 1"
            )
        ).all()
    assert levels == {1: 1, 2: 1, 3: 3, 4: 46}
    assert [code for code, _ in per_kecamatan] == ["35.71.01", "35.71.02", "35.71.03"]
    assert sum(n for _, n in per_kecamatan) == 46
    assert count(clean_db, "SELECT count(*) FROM admin_area WHERE kind = 'kelurahan'") == 46


def test_sample_points_are_marked_and_inside_their_kelurahan(
    clean_db: Engine, catalog: Catalog
) -> None:
    summary = load_demo(clean_db, catalog)

    assert set(summary.points) == {"kantor_kelurahan", "pos_kamling", "posyandu", "rt"}
    assert count(clean_db, "SELECT count(*) FROM facility WHERE NOT is_sample") == 0
    assert (
        count(
            clean_db,
            "SELECT count(*) FROM facility "
            "WHERE coalesce(attributes->>'nama', '') NOT LIKE 'Contoh%'",
        )
        == 0
    )
    # every kelurahan has its (sample) kantor
    assert (
        count(
            clean_db,
            "SELECT count(DISTINCT kelurahan_code) FROM facility "
            "WHERE layer_id = 'kantor_kelurahan'",
        )
        == 46
    )


def test_demo_loads_only_into_an_empty_database(clean_db: Engine, catalog: Catalog) -> None:
    load_demo(clean_db, catalog)
    total = count(clean_db, "SELECT count(*) FROM facility")
    again = load_demo(clean_db, catalog)
    assert not again.loaded
    assert count(clean_db, "SELECT count(*) FROM facility") == total
