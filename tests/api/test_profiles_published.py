"""Published profiles: verified fields beside the indicators (/statistics and its files), as
an OGC API collection, in the planner's choropleths and popups; restricted fields reach no
anonymous reader in any format, and derived values equal PostGIS's."""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import text

from tests.api.editing_world import OWN, World

FORM = "profil_kelurahan"
RESTRICTED = ("jumlah_kk_miskin", "Jumlah KK miskin", "Poor households")
#: the demo's verified sample profiles of 2025
SAMPLED = ("35.71.01.1001", "35.71.01.1002", "35.71.01.1004")

pytestmark = pytest.mark.usefixtures("world")

ANONYMOUS_URLS = (
    f"/profiles/{FORM}/kelurahan?period=2025",
    f"/profiles/{FORM}/kelurahan?period=2025&f=csv",
    "/statistics?kode=35.71&period=2025",
    "/statistics?kode=35.71&period=2025&f=csv",
    "/statistics?kode=35.71&period=2025&f=html",
    f"/collections/{FORM}/items?limit=100",
    f"/collections/{FORM}/items?limit=100&f=csv",
    f"/collections/{FORM}/items?limit=100&f=html",
    f"/collections/{FORM}/items/{OWN}",
    f"/collections/{FORM}/schema",
    f"/collections/{FORM}/queryables",
    "/collections",
    "/indicators/penduduk/choropleth?kode=35.71&period=2025",
    f"/profiles/{FORM}/fields/jumlah_rt/choropleth?kode=35.71&period=2025",
    "/planner?kode=35.71",
    "/planner?kode=35.71&indikator=profil_kelurahan.jumlah_rt",
    "/openapi.json",
)


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    )


@pytest.mark.parametrize("url", ANONYMOUS_URLS)
def test_restricted_fields_reach_no_anonymous_reader(client: TestClient, url: str) -> None:
    answer = client.get(url)
    assert answer.status_code == 200, answer.text
    for word in RESTRICTED:
        assert word not in answer.text


@pytest.mark.parametrize(
    "url", ["/statistics?kode=35.71&period=2025&f=xlsx", f"/collections/{FORM}/items?f=xlsx"]
)
def test_restricted_fields_are_not_in_anonymous_workbooks(client: TestClient, url: str) -> None:
    answer = client.get(url)
    assert answer.status_code == 200, answer.text
    found = _xlsx_text(answer.content)
    assert "jumlah_rt" in found
    for word in RESTRICTED:
        assert word not in found


@pytest.mark.parametrize("role", ["planner", "admin"])
def test_planners_and_admins_read_the_restricted_fields(
    client: TestClient, world: World, role: str
) -> None:
    headers = world.headers(role)
    stats = client.get("/statistics?kode=35.71&period=2025", headers=headers).json()
    assert stats["rows"][0][f"{FORM}_jumlah_kk_miskin"] == 210  # Bandar Lor's sample
    book = _xlsx_text(
        client.get("/statistics?kode=35.71&period=2025&f=xlsx", headers=headers).content
    )
    assert "Jumlah KK miskin (profil)" in book
    item = client.get(f"/collections/{FORM}/items/{OWN}", headers=headers).json()
    assert item["properties"]["jumlah_kk_miskin"] == 210
    # a PIC is no planner: the published profile of others' (and their own) is the public one
    pic = client.get("/statistics?kode=35.71&period=2025", headers=world.headers("pic_own"))
    assert f"{FORM}_jumlah_kk_miskin" not in pic.text


def _postgis(world: World) -> dict[str, dict[str, float]]:
    """What PostGIS says of the sampled kelurahan: true area, verified RT points, population."""
    with world.engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT a.code, ST_Area(a.geom::geography) / 1e6,"
                " (SELECT count(*) FROM facility f WHERE f.kelurahan_code = a.code"
                "   AND f.layer_id = 'rt' AND f.status = 'verified' AND f.deleted_at IS NULL),"
                " (SELECT value FROM indicator_value v WHERE v.indicator = 'penduduk'"
                "   AND v.kode = a.code AND v.period = '2025')"
                " FROM admin_area a WHERE a.code = ANY(:codes)"
            ),
            {"codes": list(SAMPLED)},
        ).all()
    return {
        code: {"luas_wilayah_km2": round(area, 4), "jumlah_rt_peta": rt, "jumlah_penduduk": pop}
        for code, area, rt, pop in found
    }


def test_derived_values_in_the_published_outputs_equal_postgis(
    client: TestClient, world: World
) -> None:
    world.point(OWN, status="verified", layer="rt", rt=931, rw=9)  # one more RT on the map
    world.point(OWN, status="draft", layer="rt", rt=932, rw=9)  # a draft does not count
    expected = _postgis(world)
    published = client.get(f"/profiles/{FORM}/kelurahan?period=2025").json()["features"]
    items = client.get(f"/collections/{FORM}/items?period=2025").json()["features"]
    stats = {r["kode"]: r for r in client.get("/statistics?kode=35.71&period=2025").json()["rows"]}
    assert sorted(f["id"] for f in published) == sorted(f["id"] for f in items) == list(SAMPLED)
    for features in (published, items):
        for feature in features:
            props = feature["properties"]
            want = expected[feature["id"]]
            assert props["luas_wilayah_km2"] == want["luas_wilayah_km2"]
            assert props["jumlah_rt_peta"] == want["jumlah_rt_peta"]
            assert props["jumlah_penduduk"] == round(want["jumlah_penduduk"])
            assert props["contoh"] is True
    for code, want in expected.items():
        assert stats[code][f"{FORM}_luas_wilayah_km2"] == want["luas_wilayah_km2"]
        assert stats[code][f"{FORM}_jumlah_rt_peta"] == want["jumlah_rt_peta"]
        # and the profile's own reading agrees
        own = client.get(f"/kelurahan/{code}/profile/{FORM}?period=2025").json()["derived"]
        assert own["luas_wilayah_km2"]["value"] == want["luas_wilayah_km2"]
        assert own["jumlah_rt_peta"]["value"] == want["jumlah_rt_peta"]
    # a kelurahan without a verified profile has no profile cells
    empty = stats["35.71.03.1001"]
    assert empty[f"{FORM}_jumlah_rt"] is None and empty[f"{FORM}_luas_wilayah_km2"] is None


def test_statistics_columns_have_the_field_title_and_unit(client: TestClient) -> None:
    body = client.get("/statistics?kode=35.71&period=2025&lang=en").json()
    columns = {c["name"]: c for c in body["columns"]}
    rt = columns[f"{FORM}_jumlah_rt"]
    assert rt["title"] == "Number of RT (profile)" and rt["unit"] == "RT"
    assert "Kelurahan profile (sample) 2025" in rt["source"] and "PK-2.1.2" in rt["source"]
    assert body["rows"][0][f"{FORM}_sarana_ibadah"] == "masjid musala gereja"
    text_csv = client.get("/statistics?kode=35.71&period=2025&f=csv").text
    assert f"{FORM}_jumlah_rt" in text_csv.splitlines()[0]


def test_the_collection_is_listed_paged_filtered_and_has_a_period(client: TestClient) -> None:
    listing = client.get("/collections").json()["collections"]
    (entry,) = [c for c in listing if c["id"] == FORM]
    assert entry["geoservice:count"] == 3 and entry["title"].endswith("2025")
    assert not any("tilesets" in link["rel"] for link in entry["links"])
    assert client.get(f"/collections/{FORM}").json()["id"] == FORM
    page = client.get(f"/collections/{FORM}/items?limit=2").json()
    assert page["numberMatched"] == 3 and page["numberReturned"] == 2
    assert any(link["rel"] == "next" for link in page["links"])
    first = page["features"][0]
    assert first["geometry"]["type"] == "MultiPolygon" and first["properties"]["periode"] == "2025"
    assert list(first["properties"])[:3] == ["kode", "nama", "periode"]
    filtered = client.get(f"/collections/{FORM}/items", params={"filter": "jumlah_rt > 20"}).json()
    assert {f["id"] for f in filtered["features"]} == {
        f["id"]
        for f in client.get(f"/collections/{FORM}/items").json()["features"]
        if f["properties"]["jumlah_rt"] > 20
    }
    ordered = client.get(f"/collections/{FORM}/items?sortby=-luas_wilayah_km2").json()["features"]
    areas = [f["properties"]["luas_wilayah_km2"] for f in ordered]
    assert areas == sorted(areas, reverse=True)
    assert client.get(f"/collections/{FORM}/items?topografi=dataran").json()["numberMatched"] >= 1
    # a yes/no field is filtered as the boolean it is, whatever the case of true/false
    every = client.get(f"/collections/{FORM}/items").json()["features"]
    with_market = {f["id"] for f in every if f["properties"]["ada_pasar"] is True}
    for value in ("true", "True", "TRUE"):
        answer = client.get(f"/collections/{FORM}/items", params={"ada_pasar": value}).json()
        assert {f["id"] for f in answer["features"]} == with_market, value
    without = client.get(f"/collections/{FORM}/items", params={"ada_pasar": "False"}).json()
    assert {f["id"] for f in without["features"]} == {
        f["id"] for f in every if f["properties"]["ada_pasar"] is False
    }
    assert client.get(f"/collections/{FORM}/items?period=2024").json()["numberMatched"] == 0
    assert client.get(f"/collections/{FORM}/items?period=20x5").status_code == 400
    assert client.get(f"/collections/{FORM}/items/35.71.03.1001").status_code == 404
    assert client.get("/collections/kelurahan/items?period=2025").status_code == 400
    assert client.get(f"/collections/{FORM}/tiles").status_code == 404
    schema = client.get(f"/collections/{FORM}/schema").json()["properties"]
    assert schema["jumlah_rt"]["type"] == "integer" and schema["jumlah_rt"]["x-ogc-unit"] == "RT"
    assert schema["sarana_ibadah"]["type"] == "array"


def test_a_numeric_field_is_a_choropleth(client: TestClient, world: World) -> None:
    body = client.get(f"/profiles/{FORM}/fields/jumlah_rt/choropleth?kode=35.71").json()
    meta = body["classification"]
    assert meta["indicator"] == f"{FORM}.jumlah_rt" and meta["title"] == "Jumlah RT (profil)"
    assert meta["period"] == "2025" and meta["sample"] is True
    by_code = {f["id"]: f["properties"] for f in body["features"]}
    assert len(by_code) == 46
    published = client.get(f"/profiles/{FORM}/kelurahan?period=2025").json()["features"]
    for feature in published:
        assert by_code[feature["id"]]["nilai"] == feature["properties"]["jumlah_rt"]
        assert by_code[feature["id"]]["kelas"] is not None
    assert by_code["35.71.03.1001"]["nilai"] is None
    assert sum(row["count"] for row in meta["legend"]) == 3
    derived = client.get(f"/profiles/{FORM}/fields/luas_wilayah_km2/choropleth?kode=35.71")
    assert derived.status_code == 200
    restricted = f"/profiles/{FORM}/fields/jumlah_kk_miskin/choropleth?kode=35.71"
    assert client.get(restricted).status_code == 404
    assert client.get(restricted, headers=world.headers("planner")).status_code == 200
    assert client.get(f"/profiles/{FORM}/fields/batas_utara/choropleth").status_code == 404
    compared = client.get(f"/profiles/{FORM}/fields/jumlah_rt/choropleth?compare=2024")
    assert compared.status_code == 400


def test_the_planner_offers_profile_fields_and_hands_over_their_titles(
    client: TestClient, world: World
) -> None:
    page = client.get("/planner?kode=35.71").text
    assert f'value="{FORM}.jumlah_rt"' in page and "Jumlah RT (profil)" in page
    assert f'value="{FORM}.jumlah_kk_miskin"' not in page
    planner = client.get("/planner?kode=35.71", headers=world.headers("planner")).text
    assert f'value="{FORM}.jumlah_kk_miskin"' in planner
    chosen = client.get(f"/planner?kode=35.71&indikator={FORM}.jumlah_rt").text
    assert f'<option value="{FORM}.jumlah_rt" selected>' in chosen
    choropleth = client.get("/indicators/penduduk/choropleth?kode=35.71&period=2025").json()
    own = next(f for f in choropleth["features"] if f["id"] == OWN)["properties"]
    assert own["profil"][FORM]["periode"] == "2025"
    assert own["profil"][FORM]["nilai"]["jumlah_rt"] == 24


@pytest.mark.parametrize(
    "url", ["/statistics?kode=35.71&period=2025&f=gpkg", f"/collections/{FORM}/items?f=gpkg"]
)
def test_restricted_fields_are_not_in_anonymous_geopackages(
    client: TestClient, url: str, tmp_path: Path
) -> None:
    answer = client.get(url)
    assert answer.status_code == 200, answer.text
    path = tmp_path / "out.gpkg"
    path.write_bytes(answer.content)
    frame = gpd.read_file(path)
    columns = " ".join(frame.columns)
    assert "jumlah_rt" in columns and "jumlah_kk_miskin" not in columns
