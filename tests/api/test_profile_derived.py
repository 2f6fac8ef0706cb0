"""Derived profile fields equal what PostGIS and the layers say, and typed counts that disagree
with the map are reported as differences to explain."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from pyproj import Geod
from shapely.geometry import shape
from sqlalchemy import text

from tests.api.editing_world import OWN, World

FORM = "profil_kelurahan"
PATCH = {"Content-Type": "application/merge-patch+json"}


def _verified_counts(world: World) -> dict[str, int]:
    with world.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT layer_id, count(*) FROM facility WHERE kelurahan_code = :k"
                " AND status = 'verified' AND deleted_at IS NULL GROUP BY layer_id"
            ),
            {"k": OWN},
        ).all()
    return {layer: int(n) for layer, n in rows}


def test_derived_fields_equal_postgis_and_the_layers(client: TestClient, world: World) -> None:
    # points that must not count: a draft, a deleted one, a submitted one
    world.point(OWN, status="draft", layer="rt", rt=901, rw=9)
    world.point(OWN, status="verified", layer="rt", deleted=True, rt=902, rw=9)
    world.point(OWN, status="submitted", layer="posyandu")
    world.point(OWN, status="verified", layer="posyandu")
    counts = _verified_counts(world)
    body = client.get(f"/kelurahan/{OWN}/profile/{FORM}?period=2025").json()
    derived = {k: v["value"] for k, v in body["derived"].items()}
    assert derived["jumlah_rt_peta"] == counts.get("rt", 0)
    assert derived["jumlah_posyandu_peta"] == counts["posyandu"] >= 1
    assert derived["jumlah_pos_kamling_peta"] == counts.get("pos_kamling", 0)
    with world.engine.connect() as conn:
        area, geojson = conn.execute(
            text(
                "SELECT ST_Area(geom::geography) / 1e6, ST_AsGeoJSON(geom) FROM admin_area"
                " WHERE code = :k"
            ),
            {"k": OWN},
        ).one()
        population = conn.execute(
            text(
                "SELECT value FROM indicator_value WHERE indicator = 'penduduk' AND kode = :k"
                " AND period = '2025'"
            ),
            {"k": OWN},
        ).scalar_one()
    assert derived["luas_wilayah_km2"] == round(area, 4)
    # and an independent geodesic computation agrees (pyproj on the same ellipsoid)
    geod_area = abs(Geod(ellps="WGS84").geometry_area_perimeter(shape(json.loads(geojson)))[0])
    assert abs(derived["luas_wilayah_km2"] - geod_area / 1e6) / derived["luas_wilayah_km2"] < 1e-4
    assert body["derived"]["jumlah_penduduk"] == {"value": round(population), "period": "2025"}
    # a period without its own indicator value takes the latest earlier one
    later = client.get(f"/kelurahan/{OWN}/profile/{FORM}?period=2027").json()
    assert later["derived"]["jumlah_penduduk"]["period"] == "2025"


def test_typed_counts_that_disagree_with_the_map_are_differences(
    client: TestClient, world: World
) -> None:
    verified_rt = _verified_counts(world)["rt"]
    assert verified_rt >= 1  # the demo's sample RT points
    typed = verified_rt + 5
    answer = client.patch(
        f"/kelurahan/{OWN}/profile/{FORM}?period=2026",
        json={"values": {"jumlah_rw": 1, "jumlah_rt": typed}},
        headers=world.headers("pic_own", **PATCH, **{"If-Match": '"0"'}),
    )
    assert answer.status_code == 200, answer.text
    differences = answer.json()["differences"]
    assert differences == [
        {
            "field": "jumlah_rt",
            "typed": typed,
            "derived_field": "jumlah_rt_peta",
            "derived": verified_rt,
            "difference": 5,
            "message": f"Jumlah RT diisi {typed}, sedangkan di peta ada {verified_rt} (RT "
            "terverifikasi di peta); mohon periksa atau jelaskan selisihnya.",
        }
    ]
    agreed = client.patch(
        f"/kelurahan/{OWN}/profile/{FORM}?period=2026",
        json={"values": {"jumlah_rt": verified_rt}},
        headers=world.headers("pic_own", **PATCH, **{"If-Match": answer.headers["ETag"]}),
    )
    assert agreed.json()["differences"] == []
    # the public never sees differences (they are for the PIC and the walidata)
    assert "differences" not in client.get(f"/kelurahan/{OWN}/profile/{FORM}?period=2026").json()


def test_the_demo_profiles_are_verified_samples(client: TestClient, world: World) -> None:
    public = client.get(f"/kelurahan/{OWN}/profile/{FORM}?period=2025").json()
    assert public["sample"] is True and public["status"] == "verified"
    assert public["values"]["jumlah_rt"] == 24 and "jumlah_kk_miskin" not in public["values"]
    internal = client.get(
        f"/kelurahan/{OWN}/profile/{FORM}?period=2025", headers=world.headers("admin")
    ).json()
    assert internal["values"]["jumlah_kk_miskin"] == 210
    rt = {d["field"]: d for d in internal["differences"]}["jumlah_rt"]
    assert rt["difference"] == 24 - _verified_counts(world)["rt"]
    with world.engine.connect() as conn:
        samples = conn.execute(
            text("SELECT count(*) FROM kelurahan_profile WHERE is_sample AND period = '2025'")
        ).scalar_one()
    assert samples == 3


def test_a_new_period_is_compared_with_the_last_verified_one(
    client: TestClient, world: World
) -> None:
    path = f"/kelurahan/{OWN}/profile/{FORM}"
    last = client.get(f"{path}?period=2025", headers=world.headers("admin")).json()["values"]
    answer = client.patch(
        f"{path}?period=2029",
        json={"values": {**last, "jumlah_rt": 25}},
        headers=world.headers("pic_own", **PATCH, **{"If-Match": '"0"'}),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["changes_since_verified"] == [{"field": "jumlah_rt", "old": 24, "new": 25}]


def test_verified_public_fields_are_published_for_gis_and_spreadsheets(
    client: TestClient, world: World
) -> None:
    import csv
    import io

    import geopandas as gpd

    answer = client.get(f"/profiles/{FORM}/kelurahan?period=2025&kode=35.71")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/geo+json"
    frame = gpd.read_file(io.BytesIO(answer.content))  # GDAL's GeoJSON driver reads it
    assert list(frame["kode"]) == ["35.71.01.1001", "35.71.01.1002", "35.71.01.1004"]
    assert frame.geometry.geom_type.unique().tolist() == ["MultiPolygon"]
    assert "jumlah_kk_miskin" not in frame.columns and "miskin" not in answer.text
    assert frame.set_index("kode").loc[OWN, "jumlah_rt"] == 24
    assert frame["contoh"].all()
    signed_in = client.get(
        f"/profiles/{FORM}/kelurahan?period=2025", headers=world.headers("admin")
    )
    assert signed_in.content == answer.content  # the same for everyone: published is public
    table = client.get(f"/profiles/{FORM}/kelurahan?period=2025&f=csv")
    rows = list(csv.DictReader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert [r["kode"] for r in rows] == list(frame["kode"])
    assert rows[0]["sarana_ibadah"] == "masjid musala gereja"
    assert client.get(f"/profiles/{FORM}/kelurahan?period=2030").json()["features"] == []
