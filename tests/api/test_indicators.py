"""Indicators over HTTP on the Kota Kediri demo (its sample values for 2024 and 2025): who sees
which indicator in every format, small values withheld from the public, classes equal to
mapclassify's, aggregation, change maps, exports that read back, and the import upload."""

from __future__ import annotations

import io
import math
import re
from typing import Any

import geopandas as gpd
import mapbox_vector_tile
import mapclassify
import numpy as np
import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.api.editing_world import World, build_world
from tests.support import app_client, csv_float, read_csv

KOTA = "35.71"
MOJOROTO = "35.71.01"
PUBLIC = {"balita_stunting", "penduduk", "persen_miskin"}
RESTRICTED = "keluarga_desil_1"
#: declared by the demo's sample rasters (layers/rasters/); their values come with the rasters
RASTER_INDICATORS = {"penduduk_grid", "penduduk_terpapar_banjir", "persen_rawan_banjir"}
#: the zoom-12 tile over the middle of Kota Kediri
TILE = (12, 3322, 2137)


@pytest.fixture(scope="module")
def world(engine: Engine, database_url: str) -> World:
    return build_world(engine, database_url)


def raw(world: World, indicator: str, period: str) -> dict[str, float]:
    with world.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT kode, value FROM indicator_value WHERE indicator = :i AND period = :p"),
            {"i": indicator, "p": period},
        )
        return dict(rows.all())  # type: ignore[arg-type]


def get(world_client: TestClient, world: World, role: str, path: str) -> Any:
    return world_client.get(path, headers=world.headers(role))


def test_the_demo_has_sample_values(world: World) -> None:
    assert len(raw(world, "penduduk", "2025")) == 46
    assert len(raw(world, RESTRICTED, "2024")) == 46


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", PUBLIC),
        ("pic_own", PUBLIC),
        ("planner", PUBLIC | {RESTRICTED}),
        ("admin", PUBLIC | {RESTRICTED}),
    ],
)
def test_the_list_per_role(
    world_client: TestClient, world: World, role: str, expected: set
) -> None:
    body = get(world_client, world, role, "/indicators").json()
    tables = [i for i in body["indicators"] if i["code"] not in RASTER_INDICATORS]
    assert {i["code"] for i in tables} == expected
    assert all(i["periods"] == ["2024", "2025"] for i in tables)


RESTRICTED_URLS = [
    f"/indicators/{RESTRICTED}",
    f"/indicators/{RESTRICTED}/choropleth?kode={KOTA}",
    f"/indicators/{RESTRICTED}/tiles/WebMercatorQuad/{TILE[0]}/{TILE[1]}/{TILE[2]}",
    f"/planner?indikator={RESTRICTED}",
]


@pytest.mark.parametrize("role", ["anonymous", "pic_own"])
@pytest.mark.parametrize("url", RESTRICTED_URLS)
def test_a_restricted_indicator_does_not_exist_for_the_public(
    world_client: TestClient, world: World, role: str, url: str
) -> None:
    response = get(world_client, world, role, url)
    assert response.status_code == 404
    assert RESTRICTED in response.text  # "no indicator 'keluarga_desil_1'": nothing more


@pytest.mark.parametrize("url", RESTRICTED_URLS)
def test_planners_see_the_restricted_indicator(
    world_client: TestClient, world: World, url: str
) -> None:
    assert get(world_client, world, "planner", url).status_code == 200


def _exports(world_client: TestClient, world: World, role: str) -> dict[str, Any]:
    """The per-kelurahan table of Kota Kediri in every format, for ``role``."""
    out: dict[str, Any] = {}
    base = f"/statistics?kode={KOTA}&period=2025"
    out["json"] = get(world_client, world, role, base + "&f=json").json()
    out["csv"] = read_csv(get(world_client, world, role, base + "&f=csv").content, "id")
    book = openpyxl.load_workbook(
        io.BytesIO(get(world_client, world, role, base + "&f=xlsx").content)
    )
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    out["xlsx"] = [dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(2)]
    gpkg = get(world_client, world, role, base + "&f=gpkg").content
    out["gpkg"] = gpd.read_file(io.BytesIO(gpkg))
    out["html"] = get(world_client, world, role, base + "&f=html").text
    out["choropleth"] = get(
        world_client, world, role, f"/indicators/penduduk/choropleth?kode={KOTA}&period=2025"
    ).json()
    tile = get(
        world_client,
        world,
        role,
        "/indicators/balita_stunting/tiles/WebMercatorQuad/{}/{}/{}".format(*TILE),
    )
    out["tile"] = mapbox_vector_tile.decode(tile.content)["balita_stunting"]["features"]
    page = get(world_client, world, role, "/planner").text
    out["planner"] = page
    return out


@pytest.fixture(scope="module")
def exports(world_client: TestClient, world: World) -> dict[str, dict[str, Any]]:
    return {
        role: _exports(world_client, world, role) for role in ("anonymous", "pic_own", "planner")
    }


@pytest.mark.parametrize("role", ["anonymous", "pic_own"])
def test_no_format_carries_the_restricted_indicator(exports: dict, role: str) -> None:
    got = exports[role]
    assert RESTRICTED not in [c["name"] for c in got["json"]["columns"]]
    assert RESTRICTED not in got["csv"][0]
    assert RESTRICTED not in got["xlsx"][0]
    assert RESTRICTED not in got["gpkg"].columns
    assert "Keluarga desil 1" not in got["html"]
    assert RESTRICTED not in got["choropleth"]["features"][0]["properties"]
    assert RESTRICTED not in got["planner"] and "Keluarga desil 1" not in got["planner"]


def test_only_planners_and_admins_get_the_import_form(exports: dict) -> None:
    assert 'id="import-form"' not in exports["anonymous"]["planner"]
    assert 'id="import-form"' not in exports["pic_own"]["planner"]
    assert 'id="import-form"' in exports["planner"]["planner"]


def test_planners_get_it_in_every_format(exports: dict, world: World) -> None:
    got = exports["planner"]
    values = raw(world, RESTRICTED, "2025")
    assert {r["kode"]: r[RESTRICTED] for r in got["json"]["rows"]} == values
    assert {r["kode"]: csv_float(r[RESTRICTED]) for r in got["csv"]} == values
    assert {r["kode"]: r[RESTRICTED] for r in got["xlsx"]} == values
    assert dict(zip(got["gpkg"].kode, got["gpkg"][RESTRICTED], strict=True)) == values
    assert "Keluarga desil 1" in got["html"] and RESTRICTED in got["planner"]
    assert "Kota Kediri (35.71)" in got["html"]
    props = {f["properties"]["kode"]: f["properties"] for f in got["choropleth"]["features"]}
    assert {k: p[RESTRICTED] for k, p in props.items()} == values


def test_small_values_are_withheld_from_anonymous_users_only(exports: dict, world: World) -> None:
    values = raw(world, "balita_stunting", "2025")
    small = {code for code, v in values.items() if v < 5}
    assert small, "the demo has kelurahan with fewer than 5 stunted children"
    anonymous, pic, planner = exports["anonymous"], exports["pic_own"], exports["planner"]
    for rows in (anonymous["json"]["rows"], anonymous["xlsx"]):
        assert {r["kode"] for r in rows if r["balita_stunting"] is None} == small
    assert {r["kode"] for r in anonymous["csv"] if r["balita_stunting"] == ""} == small
    assert anonymous["json"]["withheld"] == len(small)
    assert {
        f["properties"]["kode"] for f in anonymous["tile"] if "nilai" not in f["properties"]
    } <= small
    assert all(f["properties"].get("nilai", 5) >= 5 for f in anonymous["tile"])
    props = [f["properties"] for f in anonymous["choropleth"]["features"]]
    assert {p["kode"] for p in props if p["balita_stunting"] is None} == small
    # signed-in users, planners or PICs, see the real figures
    for signed_in in (pic, planner):
        assert {r["kode"]: r["balita_stunting"] for r in signed_in["json"]["rows"]} == values
    assert any(f["properties"].get("nilai", 9) < 5 for f in planner["tile"])


def test_withheld_values_stay_withheld_in_the_choropleth_and_its_classes(
    world_client: TestClient,
) -> None:
    url = f"/indicators/balita_stunting/choropleth?kode={KOTA}&period=2025&k=4"
    body = world_client.get(url).json()
    hidden = [f["properties"] for f in body["features"] if f["properties"]["disembunyikan"]]
    assert hidden and all(p["nilai"] is None and p["kelas"] is None for p in hidden)
    assert all(p["warna"] == body["classification"]["no_data_color"] for p in hidden)
    assert body["classification"]["legend"][0]["lower"] >= 5  # the breaks reveal nothing
    assert body["classification"]["withheld"] == len(hidden)


def test_an_aggregate_holding_a_withheld_value_is_withheld_too(
    world_client: TestClient, world: World
) -> None:
    values = raw(world, "balita_stunting", "2025")
    url = f"/indicators/balita_stunting/choropleth?kode={KOTA}&period=2025&level=3"
    public = {f["id"]: f["properties"] for f in world_client.get(url).json()["features"]}
    internal = {
        f["id"]: f["properties"]
        for f in world_client.get(url, headers=world.headers("planner")).json()["features"]
    }
    for kecamatan, props in public.items():
        parts = [v for code, v in values.items() if code.startswith(kecamatan + ".")]
        assert internal[kecamatan]["nilai"] == sum(parts)
        # else the public could subtract the shown kelurahan and get the withheld ones back
        hidden = min(parts) < 5
        assert props["disembunyikan"] is hidden
        assert props["nilai"] == (None if hidden else sum(parts))
    assert any(p["disembunyikan"] for p in public.values())


@pytest.mark.parametrize("method", ["quantiles", "equal_interval", "fisher_jenks", "std_mean"])
@pytest.mark.parametrize("k", [3, 5, 7])
def test_classes_equal_mapclassify(
    world_client: TestClient, world: World, method: str, k: int
) -> None:
    url = f"/indicators/persen_miskin/choropleth?kode={KOTA}&period=2025&method={method}&k={k}"
    body = world_client.get(url).json()
    features = body["features"]
    y = np.array([f["properties"]["nilai"] for f in features])
    assert sorted(y) == sorted(raw(world, "persen_miskin", "2025").values())
    classifier = {
        "quantiles": lambda: mapclassify.Quantiles(y, k=k),
        "equal_interval": lambda: mapclassify.EqualInterval(y, k=k),
        "fisher_jenks": lambda: mapclassify.FisherJenks(y, k=k),
        "std_mean": lambda: mapclassify.StdMean(y),
    }[method]()
    assert [f["properties"]["kelas"] for f in features] == classifier.yb.tolist()
    assert body["classification"]["breaks"] == pytest.approx(classifier.bins.tolist())
    assert [row["count"] for row in body["classification"]["legend"]] == classifier.counts.tolist()
    colours = [row["color"] for row in body["classification"]["legend"]]
    assert len(set(colours)) == len(colours)
    assert all(f["properties"]["warna"] == colours[f["properties"]["kelas"]] for f in features)


def test_kecamatan_and_kota_figures_are_aggregated(world_client: TestClient, world: World) -> None:
    people = raw(world, "penduduk", "2025")
    share = raw(world, "persen_miskin", "2025")
    body = world_client.get(f"/indicators/penduduk/choropleth?kode={KOTA}&level=3").json()
    sums = {f["properties"]["kode"]: f["properties"]["nilai"] for f in body["features"]}
    assert sums == {
        kec: sum(v for code, v in people.items() if code.startswith(kec + "."))
        for kec in ("35.71.01", "35.71.02", "35.71.03")
    }
    body = world_client.get("/indicators/persen_miskin/choropleth?kode=35.71&level=2").json()
    [kota] = body["features"]
    expected = sum(share[c] * people[c] for c in people) / sum(people.values())
    assert kota["properties"]["nilai"] == pytest.approx(expected)
    assert kota["properties"]["jumlah_desa"] == 46 == kota["properties"]["desa_berdata"]


def test_a_change_map_between_two_periods(world_client: TestClient, world: World) -> None:
    before, after = raw(world, "persen_miskin", "2024"), raw(world, "persen_miskin", "2025")
    url = f"/indicators/persen_miskin/choropleth?kode={KOTA}&period=2025&compare=2024"
    body = world_client.get(url).json()
    assert body["classification"]["compare"] == "2024"
    for f in body["features"]:
        p = f["properties"]
        assert p["nilai_awal"] == before[p["kode"]] and p["nilai_akhir"] == after[p["kode"]]
        assert p["nilai"] == pytest.approx(after[p["kode"]] - before[p["kode"]])


def test_popups_carry_facility_counts(world_client: TestClient, world: World) -> None:
    body = world_client.get(f"/indicators/penduduk/choropleth?kode={KOTA}").json()
    with world.engine.connect() as conn:
        expected = dict(
            conn.execute(
                text(
                    "SELECT kelurahan_code, count(*) FROM facility WHERE layer_id = 'posyandu' "
                    "AND status = 'verified' AND deleted_at IS NULL GROUP BY 1"
                )
            ).all()
        )
    got = {f["properties"]["kode"]: f["properties"]["jumlah_posyandu"] for f in body["features"]}
    assert got == {code: expected.get(code, 0) for code in got}
    assert body["classification"]["sample"] is True  # the demo's values are samples


@pytest.mark.parametrize(
    ("query", "headers", "locale"),
    [
        ("", {}, "id"),  # Bahasa by default
        ("&lang=en", {}, "en"),
        ("", {"Accept-Language": "en-US,en;q=0.9"}, "en"),
        ("&lang=en&locale=id", {}, "id"),  # an explicit locale wins over the language
        ("&locale=en", {}, "en"),  # plain RFC 4180 for machines
    ],
)
def test_csv_opens_in_excel_in_its_locale(
    client: TestClient, world: World, query: str, headers: dict[str, str], locale: str
) -> None:
    """``id``: ';' between cells and decimal ',' (Excel set to Indonesian reads a ',' file as
    one column); ``en``: ',' and '.'; both UTF-8 with a byte-order mark, whole numbers
    without '.0'."""
    answer = client.get(
        f"/statistics?kode={KOTA}&period=2025&f=csv{query}",
        headers={**world.headers("planner"), **headers},
    )
    assert answer.status_code == 200
    assert answer.content.startswith(b"\xef\xbb\xbf")
    separator, decimal = (";", ",") if locale == "id" else (",", ".")
    assert answer.content.decode("utf-8").splitlines()[0].count(separator) >= 10
    rows = read_csv(answer.content, locale)
    assert len(rows) == 46
    people = raw(world, "penduduk", "2025")
    assert {r["kode"]: r["penduduk"] for r in rows} == {k: str(int(v)) for k, v in people.items()}
    assert all(re.fullmatch(r"[0-9]+", r["jumlah_posyandu"]) for r in rows)
    rates = [r["posyandu_per_1000"] for r in rows if r["posyandu_per_1000"]]
    assert rates and all(re.fullmatch(rf"[0-9]+(\{decimal}[0-9]+)?", rate) for rate in rates)
    assert any(decimal in rate for rate in rates)
    assert not any(re.search(r"[0-9]\.0(?![0-9])", cell) for r in rows for cell in r.values())


def test_exports_read_back_equal(exports: dict, world: World) -> None:
    got = exports["planner"]
    rows = got["json"]["rows"]
    assert len(rows) == 46
    columns = [c["name"] for c in got["json"]["columns"]]
    assert list(got["csv"][0]) == columns and list(got["xlsx"][0]) == columns
    for source in (
        got["csv"],
        got["xlsx"],
        got["gpkg"].drop(columns="geometry").to_dict("records"),
    ):
        for mine, theirs in zip(rows, source, strict=True):
            for name in columns:
                a, b = mine[name], theirs[name]
                if a is None and isinstance(b, float):
                    assert math.isnan(b), (name, a, b)  # a GeoPackage's empty number
                elif isinstance(a, (int, float)) and a is not None:
                    number = csv_float(b) if isinstance(b, str) else float(b)
                    assert number == pytest.approx(a), (name, a, b)
                else:
                    assert (a or "") == (b or ""), (name, a, b)
    gpkg = got["gpkg"]
    assert gpkg.crs.to_epsg() == 4326 and gpkg.geometry.is_valid.all() and len(gpkg) == 46
    people = raw(world, "penduduk", "2025")
    first = rows[0]
    assert first["posyandu_per_1000"] == pytest.approx(
        first["jumlah_posyandu"] * 1000 / people[first["kode"]], abs=1e-3
    )


@pytest.mark.usefixtures("world")
def test_tiles_have_etags_and_answer_304(world_client: TestClient) -> None:
    path = "/indicators/penduduk/tiles/WebMercatorQuad/{}/{}/{}".format(*TILE)
    first = world_client.get(path)
    tag = first.headers["etag"]
    again = world_client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert "max-age=60" in again.headers["cache-control"]
    other = world_client.get(path + "?period=2024", headers={"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag
    assert other.content != first.content


def test_tiles_carry_value_class_and_colour(world_client: TestClient, world: World) -> None:
    z, x, y = TILE
    response = world_client.get(f"/indicators/penduduk/tiles/WebMercatorQuad/{z}/{x}/{y}")
    assert response.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    features = mapbox_vector_tile.decode(response.content)["penduduk"]["features"]
    values = raw(world, "penduduk", "2025")
    assert len(features) > 10
    for f in features:
        p = f["properties"]
        assert p["nilai"] == values[p["kode"]] and f["id"] == int(p["kode"].replace(".", ""))
        assert re.fullmatch(r"#[0-9a-f]{6}", p["warna"]) and 0 <= p["kelas"] <= 4
    # lower zooms show kecamatan, then kabupaten/kota, with their sums (as the boundary tiles)
    low = world_client.get("/indicators/penduduk/tiles/WebMercatorQuad/7/103/66").content
    kecamatan = mapbox_vector_tile.decode(low)["penduduk"]["features"]
    assert sorted(f["properties"]["kode"] for f in kecamatan) == [
        "35.71.01",
        "35.71.02",
        "35.71.03",
    ]
    lowest = world_client.get("/indicators/penduduk/tiles/WebMercatorQuad/5/25/16").content
    [kota] = mapbox_vector_tile.decode(lowest)["penduduk"]["features"]
    assert kota["properties"]["kode"] == KOTA
    assert kota["properties"]["nilai"] == sum(values.values())


def test_tilejson_names_the_tiles_with_the_query(world_client: TestClient) -> None:
    body = world_client.get(
        "/indicators/persen_miskin/tiles/WebMercatorQuad?period=2024&k=3"
    ).json()
    assert body["tilejson"] == "3.0.0"
    [template] = body["tiles"]
    assert template.endswith(
        "/indicators/persen_miskin/tiles/WebMercatorQuad/{z}/{x}/{y}?period=2024&k=3"
    )
    west, south, east, north = body["bounds"]
    assert 111.9 < west < east < 112.2 and -7.9 < south < north < -7.7  # Kota Kediri
    tile = world_client.get(template.replace("{z}/{x}/{y}", "/".join(map(str, TILE))))
    layer = mapbox_vector_tile.decode(tile.content)["persen_miskin"]
    assert set(body["vector_layers"][0]["fields"]) == set(layer["features"][0]["properties"])
    assert {f["properties"]["kelas"] for f in layer["features"]} <= {0, 1, 2}


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/indicators/tidak_ada", 404, "tidak_ada"),
        ("/indicators/penduduk/choropleth?kode=35.7", 400, "35.7"),
        ("/indicators/penduduk/choropleth?k=1", 400, "k"),
        ("/indicators/penduduk/choropleth?k=x", 400, "k"),
        ("/indicators/penduduk/choropleth?method=jenks", 400, "method"),
        ("/indicators/penduduk/choropleth?period=1999", 404, "2024, 2025"),
        ("/indicators/penduduk/choropleth?period=2025&compare=2025", 400, "2025"),
        ("/indicators/penduduk/choropleth?level=5", 400, "level"),
        ("/indicators/penduduk/choropleth?scheme=Pelangi", 400, "Pelangi"),
        ("/indicators/penduduk/tiles/WebMercatorQuad/3/9/0", 400, "9"),
        ("/statistics?f=pdf", 400, "f"),
        ("/statistics?kode=abc", 400, "abc"),
        ("/statistics?period=%C4%80%F3%B7%AB%8D&f=csv", 404, "2024, 2025"),
    ],
)
def test_bad_requests_get_problems(
    world_client: TestClient, url: str, status: int, words: str
) -> None:
    response = world_client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"]


@pytest.mark.parametrize(
    ("api", "page"),
    [
        ("k=1", "kelas=1"),
        ("k=10", "kelas=10"),
        ("k=x", "kelas=x"),
        ("method=jenks", "metode=jenks"),
    ],
)
def test_the_planner_page_refuses_what_the_api_refuses(
    world_client: TestClient, api: str, page: str
) -> None:
    # the page reads the API's ChoroplethQuery under its Bahasa names: no silent clamping
    browser = {"accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
    from_api = world_client.get(f"/indicators/penduduk/choropleth?{api}", headers=browser)
    from_page = world_client.get(f"/planner?indikator=penduduk&{page}", headers=browser)
    assert from_api.status_code == from_page.status_code == 400
    assert from_page.headers["content-type"].startswith("text/html")
    assert 'id="kelas"' not in from_page.text  # the error page, not the map


def test_the_planner_page_keeps_the_chosen_method_and_classes(world_client: TestClient) -> None:
    page = world_client.get("/planner?indikator=penduduk&metode=fisher_jenks&kelas=7").text
    assert '<option value="7" selected>' in page
    assert re.search(r'<option value="fisher_jenks"[^>]*selected', page)


# -- the import upload ---------------------------------------------------------------------------

PARTIAL = (
    "kelurahan;kecamatan;penduduk;persen_miskin\n"
    "Bandar Lor;Mojoroto;1.000;10\n"
    "Kel. Bandar Kidul;Mojoroto;3.000;20\n"
)


def _upload(
    world_client: TestClient, world: World, role: str, content: str, lang: str = "id", **form: str
) -> Any:
    return world_client.post(
        f"/indicators/import?lang={lang}",
        headers=world.headers(role),
        files={"file": ("data kelurahan.csv", content.encode(), "text/csv")},
        data=form,
    )


def _values(world: World) -> list[tuple]:
    with world.engine.connect() as conn:
        return conn.execute(text("SELECT * FROM indicator_value ORDER BY 1, 2, 3")).all()


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("pic_own", 403)])
def test_only_planners_and_admins_import(
    world_client: TestClient, world: World, role: str, status: int
) -> None:
    before = _values(world)
    response = _upload(world_client, world, role, PARTIAL, period="2023")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert _values(world) == before


def test_a_dry_run_reports_and_writes_nothing(world_client: TestClient, world: World) -> None:
    before = _values(world)
    response = _upload(
        world_client, world, "planner", PARTIAL, period="2023", dry_run="true", kode=KOTA
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["written"] is False and body["matches"] == {"nama": 2}
    assert [r["kode"] for r in body["rows_detail"]] == ["35.71.01.1001", "35.71.01.1002"]
    assert _values(world) == before


def test_an_upload_with_a_bad_row_is_refused_with_its_report(
    world_client: TestClient, world: World
) -> None:
    before = _values(world)
    bad = PARTIAL + "Bandar;Mojoroto;5;1\n"
    response = _upload(world_client, world, "planner", bad, period="2023", lang="en")
    assert response.status_code == 422
    problem = response.json()
    assert problem["detail"] == "indicator import failed: 1 problem(s) on rows 4; nothing was saved"
    [issue] = problem["report"]["issues"]
    assert issue["row"] == 4 and issue["problem"] == "indicator.unmatched_kelurahan"
    assert "Bandar Lor" in issue["message"]
    assert _values(world) == before


def test_a_partial_period_aggregates_honestly(world_client: TestClient, world: World) -> None:
    response = _upload(world_client, world, "admin", PARTIAL, period="2023")
    assert response.status_code == 200 and response.json()["values"]["inserted"] == 4
    try:
        body = world_client.get(
            f"/indicators/penduduk/choropleth?kode={MOJOROTO}&level=3&period=2023"
        ).json()
        [mojoroto] = body["features"]
        # 2 of the 14 kelurahan of Mojoroto: no sum pretends to be the kecamatan's
        assert mojoroto["properties"]["nilai"] is None
        assert (mojoroto["properties"]["desa_berdata"], mojoroto["properties"]["jumlah_desa"]) == (
            2,
            14,
        )
        body = world_client.get(
            f"/indicators/persen_miskin/choropleth?kode={MOJOROTO}&level=3&period=2023"
        ).json()
        # a rate is weighted by the population of the kelurahan that have both
        assert body["features"][0]["properties"]["nilai"] == pytest.approx(
            (1000 * 10 + 3000 * 20) / 4000
        )
    finally:
        with world.engine.begin() as conn:
            conn.execute(text("DELETE FROM indicator_value WHERE period = '2023'"))


def test_uploads_have_their_own_size_limit(database_url: str, world: World) -> None:
    # 1.4 MB (a long note column): over the 1 MB edits may send, under the uploads' limit
    big = "kode,penduduk,catatan\n35.71.01.1001,1," + "x" * 1_400_000 + "\n"
    with app_client(database_url, max_upload_mb=1) as limited:
        response = _upload(limited, world, "planner", big, period="2030", dry_run="true")
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
    with app_client(database_url) as default:
        response = _upload(default, world, "planner", big, period="2030", dry_run="true")
        assert response.status_code == 200, response.text[:300]
        assert response.json()["rows"] == 1 and response.json()["written"] is False


def test_import_upload_proposes_and_takes_a_column_map(
    world_client: TestClient, world: World
) -> None:
    content = "kelurahan;Jumlah Penduduk;Persentase Miskin\nBandar Lor;8.817;12,5\n"
    unmapped = _upload(
        world_client, world, "planner", content, lang="en", period="2029", dry_run="true"
    )
    assert unmapped.status_code == 400
    detail = unmapped.json()["detail"]
    assert "Jumlah Penduduk=penduduk; Persentase Miskin=persen_miskin" in detail
    assert "--map" not in detail  # the upload's own field syntax, not the command line's
    assert unmapped.json()["proposals"] == [
        {
            "column": "Jumlah Penduduk",
            "indicator": "penduduk",
            "title": {"id": "Jumlah penduduk", "en": "Population"},
            "score": 100.0,
        },
        {
            "column": "Persentase Miskin",
            "indicator": "persen_miskin",
            "title": {
                "id": "Persentase penduduk miskin dan rentan",
                "en": "Poor and vulnerable residents",
            },
            "score": 100.0,
        },
    ]
    # one column mapped: the other is still proposed in the report
    partly = _upload(
        world_client, world, "planner", content, period="2029", dry_run="true",
        map="Jumlah Penduduk=penduduk",
    )  # fmt: skip
    assert partly.status_code == 200, partly.text
    body = partly.json()
    assert body["indicators"] == ["penduduk"]
    assert [p["column"] for p in body["proposals"]] == ["Persentase Miskin"]
    mapped = _upload(
        world_client, world, "planner", content, period="2029",
        map='{"Jumlah Penduduk": "penduduk", "Persentase Miskin": "persen_miskin"}',
    )  # fmt: skip
    assert mapped.status_code == 200, mapped.text
    assert mapped.json()["values"]["inserted"] == 2
    bad = _upload(world_client, world, "planner", content, period="2029", map="Jumlah Penduduk")
    assert bad.status_code == 400 and "Jumlah Penduduk=penduduk" in bad.json()["detail"]
