"""OGC API - Features items on the Kota Kediri demo: paging, filters, visibility, bad input."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import geopandas as gpd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from geoservice.api.features import FORMATS
from tests.factories import fresh_demo
from tests.support import app_client, read_csv


@pytest.fixture(scope="module")
def demo_client(database_url: str, engine: Engine) -> Iterator[TestClient]:
    fresh_demo(engine)
    with engine.begin() as conn:  # one draft point with a restricted attribute
        conn.execute(
            text(
                "INSERT INTO facility (layer_id, geom, attributes, kelurahan_code, status) "
                "SELECT 'posyandu', ST_PointOnSurface(geom), "
                '\'{"nama": "Posyandu Draf", "kontak": "0812 3456 789"}\', \'\', \'draft\' '
                "FROM admin_area WHERE code = '35.71.01.1001'"
            )
        )
        conn.execute(
            text(
                'UPDATE facility SET attributes = attributes || \'{"kontak": "0354 123456"}\' '
                "WHERE layer_id = 'posyandu' AND status = 'verified'"
            )
        )
    with app_client(database_url) as test_client:
        yield test_client


def test_landing_and_conformance(demo_client: TestClient) -> None:
    links = {link["rel"]: link["href"] for link in demo_client.get("/").json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(links)
    assert demo_client.get(links["data"]).status_code == 200
    api = demo_client.get(links["service-desc"])
    assert api.status_code == 200 and "/collections/{collectionId}/items" in api.json()["paths"]
    classes = demo_client.get("/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in classes


def test_the_api_document_is_valid_openapi_30(demo_client: TestClient) -> None:
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation import OpenAPIV30SpecValidator

    for path in ("/api", "/openapi.json"):
        document = demo_client.get(path).json()
        assert document["openapi"] == "3.0.3"
        validate(document, cls=OpenAPIV30SpecValidator)  # raises on anything 3.0 lacks
    classes = demo_client.get("/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html" in classes


def test_openapi_31_constructs_are_rewritten() -> None:
    from geoservice.web.openapi import downgrade

    schema = {
        "components": {
            "schemas": {
                "A": {
                    "properties": {
                        "n": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                        "r": {"anyOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}]},
                        "k": {"const": "x", "examples": ["x"]},
                        "m": {"type": "number", "exclusiveMinimum": 0},
                    }
                }
            }
        }
    }
    props = downgrade(schema)["components"]["schemas"]["A"]["properties"]
    assert props["n"] == {"type": "integer", "nullable": True}
    assert props["r"] == {"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": True}
    assert props["k"] == {"enum": ["x"], "example": "x"}
    assert props["m"] == {"type": "number", "minimum": 0, "exclusiveMinimum": True}


def test_paging_walks_every_kelurahan_once(demo_client: TestClient) -> None:
    url: str | None = "/collections/kelurahan/items?limit=10"
    ids: list[str] = []
    while url:
        page = demo_client.get(url)
        assert page.status_code == 200
        assert page.headers["content-type"] == "application/geo+json"
        body = page.json()
        assert body["numberMatched"] == 46
        assert body["numberReturned"] == len(body["features"])
        ids += [f["id"] for f in body["features"]]
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
    assert len(ids) == 46 and len(set(ids)) == 46 and ids == sorted(ids)


def test_large_matches_are_estimated_and_say_so(
    demo_client: TestClient, engine: Engine, database_url: str
) -> None:
    """Above ``exact_count_below`` rows numberMatched is the planner's estimate, marked as such;
    paging still reaches every feature (next while pages are full)."""
    with engine.begin() as conn:
        conn.execute(text("ANALYZE admin_area"))  # as autovacuum does after a load

    exact = demo_client.get("/collections/kelurahan/items?limit=10").json()
    assert "numberMatchedEstimated" not in exact
    with app_client(database_url, exact_count_below=5) as estimating:
        url: str | None = "/collections/kelurahan/items?limit=10"
        ids: list[str] = []
        while url:
            body = estimating.get(url).json()
            assert body["numberMatchedEstimated"] is True
            assert body["numberMatched"] >= len(ids) + body["numberReturned"]
            ids += [f["id"] for f in body["features"]]
            url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
        assert len(set(ids)) == 46
        small = estimating.get("/collections/kelurahan/items", params={"kode": "35.71.01.1001"})
        assert small.json()["numberMatched"] == 1 and "numberMatchedEstimated" not in small.json()


def test_kode_prefix_bbox_and_properties(demo_client: TestClient, kediri: gpd.GeoDataFrame) -> None:
    body = demo_client.get(
        "/collections/kelurahan/items",
        params={"kode": "35.71.02", "limit": 100, "properties": "kode,nama"},
    ).json()
    expected = sorted(kediri.loc[kediri["kode"].str.startswith("35.71.02."), "kode"])
    assert [f["id"] for f in body["features"]] == expected
    assert all(set(f["properties"]) == {"kode", "nama"} for f in body["features"])

    one = kediri.set_index("kode").loc["35.71.03.1005"].geometry.point_on_surface()
    box = f"{one.x - 1e-4},{one.y - 1e-4},{one.x + 1e-4},{one.y + 1e-4}"
    hits = demo_client.get("/collections/kelurahan/items", params={"bbox": box}).json()
    assert "35.71.03.1005" in [f["id"] for f in hits["features"]]
    assert hits["numberMatched"] <= 3


def test_coordinates_have_at_most_7_decimals(demo_client: TestClient) -> None:
    raw = demo_client.get("/collections/kecamatan/items").text
    decimals = [len(d) for d in re.findall(r"-?\d+\.(\d+)", raw.split('"features"')[1])]
    assert decimals and max(decimals) <= 7


def test_one_feature_by_its_code(demo_client: TestClient) -> None:
    feature = demo_client.get("/collections/kecamatan/items/35.71.01").json()
    assert feature["type"] == "Feature" and feature["id"] == "35.71.01"
    assert feature["properties"]["kode_induk"] == "35.71"
    assert feature["geometry"]["type"] == "MultiPolygon"


def test_anonymous_sees_verified_points_and_public_attributes(
    demo_client: TestClient, engine: Engine
) -> None:
    body = demo_client.get("/collections/posyandu/items", params={"limit": 1000}).json()
    names = [f["properties"]["nama"] for f in body["features"]]
    assert body["numberMatched"] == len(names) == 141
    assert "Posyandu Draf" not in names
    assert all("kontak" not in f["properties"] for f in body["features"])
    assert all(f["properties"]["contoh"] is True for f in body["features"])
    with engine.connect() as conn:
        draft_id = conn.execute(text("SELECT id FROM facility WHERE status = 'draft'")).scalar()
    assert demo_client.get(f"/collections/posyandu/items/{draft_id}").status_code == 404
    too_much = demo_client.get("/collections/posyandu/items", params={"properties": "kontak"})
    assert too_much.status_code == 400


def test_property_equality_filters_and_unknown_parameters(demo_client: TestClient) -> None:
    body = demo_client.get(
        "/collections/posyandu/items",
        params={"strata": "Madya", "limit": 500},
        headers={"Accept": "application/json"},
    )
    assert body.status_code == 200 and body.headers["content-type"] == "application/geo+json"
    features = body.json()["features"]
    assert features and all(f["properties"]["strata"] == "Madya" for f in features)
    rt = demo_client.get("/collections/rt/items", params={"rw": "2", "limit": 1000}).json()
    assert rt["features"] and all(f["properties"]["rw"] == 2 for f in rt["features"])
    # a parameter the API does not define is a 400 naming it (and so is a restricted
    # attribute for a reader who cannot see it)
    for unknown in ("foo", "kontak"):
        wrong = demo_client.get(
            "/collections/posyandu/items", params={unknown: "x"}, headers={"Accept-Language": "en"}
        )
        assert (
            wrong.status_code == 400 and f"unknown parameters: {unknown}" in wrong.json()["detail"]
        )


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"limit": "0"}, "limit '0'"),
        ({"limit": "10001"}, "limit '10001'"),
        ({"limit": "sepuluh"}, "limit 'sepuluh'"),
        ({"offset": "-1"}, "offset '-1'"),
        ({"bbox": "112,-7.9,111,-7.7"}, "bbox '112,-7.9,111,-7.7'"),
        ({"bbox": "a,b,c,d"}, "bbox 'a,b,c,d'"),
        ({"kode": "35.71%"}, "kode '35.71%'"),
        ({"properties": "nama,luas"}, "unknown properties: luas"),
        ({"limit": "\u00b2"}, "limit '\u00b2'"),
        ({"simplify": "0"}, "simplify '0'"),
        ({"simplify": "nan"}, "simplify 'nan'"),
        ({"simplify": "1e9"}, "simplify '1e9'"),
        ({"f": "csv", "locale": "fr"}, "locale"),
    ],
)
def test_bad_parameters_are_400_problems(
    demo_client: TestClient, params: dict[str, str], fragment: str
) -> None:
    response = demo_client.get(
        "/collections/kelurahan/items", params=params, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert fragment in response.json()["detail"]


def test_simplify_keeps_every_area_with_fewer_vertices(demo_client: TestClient) -> None:
    def vertices(body: dict) -> int:
        return sum(
            len(ring)
            for f in body["features"]
            for polygon in f["geometry"]["coordinates"]
            for ring in polygon
        )

    full = demo_client.get("/collections/kelurahan/items", params={"limit": 100}).json()
    overview = demo_client.get(
        "/collections/kelurahan/items", params={"limit": 100, "simplify": 200}
    ).json()
    assert [f["id"] for f in overview["features"]] == [f["id"] for f in full["features"]]
    assert len(overview["features"]) == 46
    assert {f["geometry"]["type"] for f in overview["features"]} == {"MultiPolygon"}
    assert vertices(overview) < vertices(full) / 2  # 728 of 2,161 at 200 m
    assert all(len(ring) >= 4 for f in overview["features"]  # rings never collapse
               for polygon in f["geometry"]["coordinates"] for ring in polygon)  # fmt: skip


@pytest.mark.parametrize(
    "path",
    [
        "/collections/kelurahan/items?kode=35.71.01",
        "/collections/kelurahan/items?kode=35.71.01&f=csv",
        "/collections/kelurahan/items/35.71.01.1001",
    ],
)
def test_items_have_etags_and_answer_304(demo_client: TestClient, path: str) -> None:
    first = demo_client.get(path)
    tag = first.headers["etag"]
    assert tag.startswith('W/"') and first.headers["cache-control"] == "public, no-cache"
    assert demo_client.get(path).headers["etag"] == tag  # stable, timeStamp aside
    again = demo_client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    other = demo_client.get(path.replace("35.71.01", "35.71.02"))
    assert other.headers["etag"] != tag


def test_unknown_collection_and_item_are_404(demo_client: TestClient) -> None:
    assert demo_client.get("/collections/sekolah/items").status_code == 404
    missing = demo_client.get("/collections/kelurahan/items/99.99.99.9999")
    assert missing.status_code == 404 and "99.99.99.9999" in missing.json()["detail"]
    # letters, digits int() refuses (superscript two), and more than a bigint holds
    for odd in ("abc", "\u00b2", "9" * 30):
        response = demo_client.get(f"/collections/rt/items/{odd}")
        assert response.status_code == 404, odd
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("params", "check"),
    [
        (
            {"filter": "strata = 'Madya' AND rw > 1"},
            lambda p: p["strata"] == "Madya" and p["rw"] > 1,
        ),
        (
            {"filter": "nama LIKE 'Contoh Posyandu M%'"},
            lambda p: p["nama"].startswith("Contoh Posyandu M"),
        ),
        ({"filter": "jumlah_kader BETWEEN 5 AND 7"}, lambda p: 5 <= p["jumlah_kader"] <= 7),
        (
            {"filter": "strata IN ('Pratama', 'Mandiri')"},
            lambda p: p["strata"] in ("Pratama", "Mandiri"),
        ),
        (
            {"filter": '{"op": "=", "args": [{"property": "rw"}, 2]}', "filter-lang": "cql2-json"},
            lambda p: p["rw"] == 2,
        ),
        (
            {"filter": "kode_kelurahan = '35.71.01.1001'"},
            lambda p: p["kode_kelurahan"] == "35.71.01.1001",
        ),
    ],
)
def test_cql2_filters(demo_client: TestClient, params: dict[str, str], check: Any) -> None:
    body = demo_client.get("/collections/posyandu/items", params={**params, "limit": 1000}).json()
    assert body["features"], params
    assert all(check(f["properties"]) for f in body["features"])
    unfiltered = demo_client.get("/collections/posyandu/items").json()["numberMatched"]
    assert body["numberMatched"] < unfiltered


def test_cql2_spatial_filter_matches_bbox_parameter(demo_client: TestClient) -> None:
    box = "112.0,-7.83,112.02,-7.81"
    by_param = demo_client.get("/collections/kelurahan/items", params={"bbox": box, "limit": 100})
    by_cql = demo_client.get(
        "/collections/kelurahan/items",
        params={"filter": f"S_INTERSECTS(geometry, BBOX({box}))", "limit": 100},
    )
    ids = [f["id"] for f in by_param.json()["features"]]
    assert ids and ids == [f["id"] for f in by_cql.json()["features"]]


def test_every_spatial_form_gives_the_same_posyandu(demo_client: TestClient) -> None:
    """The bbox parameter, CQL2 text BBOX and POLYGON, CQL2-JSON bbox and Polygon: one box,
    the same rows (CQL2-JSON's bbox was once read with its axes crossed)."""
    west, south, east, north = 112.0, -7.83, 112.02, -7.81
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    wkt = ", ".join(f"{x} {y}" for x, y in ring)

    def as_json(literal: object) -> dict[str, str]:
        expression = {"op": "s_intersects", "args": [{"property": "geometry"}, literal]}
        return {"filter": json.dumps(expression), "filter-lang": "cql2-json"}

    forms = {
        "bbox": {"bbox": f"{west},{south},{east},{north}"},
        "text BBOX": {"filter": f"S_INTERSECTS(geometry, BBOX({west},{south},{east},{north}))"},
        "text POLYGON": {"filter": f"S_INTERSECTS(geometry, POLYGON(({wkt})))"},
        "json bbox": as_json({"bbox": [west, south, east, north]}),
        "json Polygon": as_json({"type": "Polygon", "coordinates": [ring]}),
    }
    found = {}
    for name, params in forms.items():
        response = demo_client.get("/collections/posyandu/items", params={**params, "limit": 1000})
        assert response.status_code == 200, (name, response.text)
        found[name] = sorted(f["id"] for f in response.json()["features"])
    assert len(found["bbox"]) == 30
    assert all(ids == found["bbox"] for ids in found.values()), {
        k: len(v) for k, v in found.items()
    }


def test_sortby(demo_client: TestClient) -> None:
    body = demo_client.get(
        "/collections/kelurahan/items", params={"sortby": "-nama", "limit": 100}
    ).json()
    names = [f["properties"]["nama"] for f in body["features"]]
    assert len(names) == 46 and names == sorted(names, reverse=True)
    rt = demo_client.get(
        "/collections/rt/items", params={"sortby": "rw,-rt", "limit": 10, "kode": "35.71.01.1001"}
    ).json()
    keys = [(f["properties"]["rw"], -f["properties"]["rt"]) for f in rt["features"]]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"filter": "strata ="}, "cannot be parsed"),
        ({"filter": "warna = 'merah'"}, "unknown properties: warna"),
        ({"filter": "kontak = '1'"}, "unknown properties: kontak"),  # restricted: not for anonymous
        ({"filter": "nama > 5"}, "another type"),
        ({"filter": "rw = 1", "filter-lang": "ecql"}, "filter-lang 'ecql'"),
        ({"filter": "0.0", "filter-lang": "cql2-json"}, "float"),  # a bare value: no condition
        ({"sortby": "-luas"}, "unknown properties: luas"),
    ],
)
def test_bad_filters_are_400(
    demo_client: TestClient, params: dict[str, str], fragment: str
) -> None:
    response = demo_client.get(
        "/collections/posyandu/items", params=params, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400, response.text
    assert fragment in response.json()["detail"]


def test_queryables_list_what_filters_accept(demo_client: TestClient) -> None:
    response = demo_client.get("/collections/posyandu/queryables")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/schema+json"
    props = response.json()["properties"]
    assert props["strata"]["enum"] == ["Pratama", "Madya", "Purnama", "Mandiri"]
    assert props["rw"]["type"] == "integer" and "kontak" not in props
    for name in props:  # each queryable is accepted by a filter
        if name != "geometry":
            ok = demo_client.get(
                "/collections/posyandu/items", params={"filter": f"{name} IS NULL"}
            )
            assert ok.status_code == 200, (name, ok.text)
    areas = demo_client.get("/collections/kelurahan/queryables").json()["properties"]
    assert {"kode", "nama", "tingkat", "jenis", "kode_induk", "geometry"} == set(areas)


def test_csv_output_for_reports(demo_client: TestClient) -> None:
    response = demo_client.get(
        "/collections/kelurahan/items", params={"f": "csv", "limit": 100, "sortby": "nama"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = read_csv(response.content, "id")  # Bahasa by default: ';' between cells
    assert len(rows) == 46
    assert list(rows[0]) == ["id", "kode", "nama", "tingkat", "jenis", "kode_induk", "wkt"]
    assert [r["nama"] for r in rows] == sorted(r["nama"] for r in rows)
    assert all(r["wkt"].startswith("MULTIPOLYGON") and r["id"] == r["kode"] for r in rows)

    points = demo_client.get(
        "/collections/posyandu/items",
        params={"filter": "strata = 'Mandiri'", "limit": 1000, "locale": "en"},
        headers={"Accept": "text/csv"},
    )
    table = read_csv(points.content, "en")
    assert table and all(r["strata"] == "Mandiri" and r["wkt"].startswith("POINT") for r in table)
    assert "kontak" not in table[0]

    wrong = demo_client.get("/collections/posyandu/items", params={"f": "xml"})
    assert wrong.status_code == 400 and "xml" in wrong.json()["detail"]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GPKG = "application/geopackage+sqlite3"


def test_xlsx_and_geopackage_downloads_hold_the_same_page(demo_client: TestClient) -> None:
    """Planners' downloads: the features, filters and paging of the GeoJSON."""
    import io

    import openpyxl

    params = {"filter": "strata = 'Mandiri'", "limit": 1000, "sortby": "nama"}
    page = demo_client.get("/collections/posyandu/items", params=params).json()["features"]
    assert page
    book = demo_client.get("/collections/posyandu/items", params={**params, "f": "xlsx"})
    assert book.status_code == 200 and book.headers["content-type"] == XLSX
    assert 'filename="posyandu.xlsx"' in book.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[0] == "id" and header[-1] == "wkt" and "kontak" not in header
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(2, values_only=True)]
    assert [r["id"] for r in rows] == [f["id"] for f in page]
    assert [r["nama"] for r in rows] == [f["properties"]["nama"] for f in page]
    assert all(r["strata"] == "Mandiri" and r["wkt"].startswith("POINT") for r in rows)

    gpkg = demo_client.get("/collections/posyandu/items", params={**params, "f": "gpkg"})
    assert gpkg.status_code == 200 and gpkg.headers["content-type"] == GPKG
    frame = gpd.read_file(io.BytesIO(gpkg.content))
    assert frame.crs.to_epsg() == 4326 and list(frame["id"]) == [f["id"] for f in page]
    first = page[0]["geometry"]["coordinates"]
    assert (frame.geometry[0].x, frame.geometry[0].y) == pytest.approx(first, abs=1e-6)
    # in a projected CRS the file says so (x, y: easting, northing)
    utm = demo_client.get(
        "/collections/posyandu/items", params={**params, "f": "gpkg", "crs": "EPSG:32749"}
    )
    projected = gpd.read_file(io.BytesIO(utm.content))
    assert projected.crs.to_epsg() == 32749 and 500_000 < projected.geometry[0].x < 700_000
    # by Accept too; a boundary's XLSX leaves out the WKT an Excel cell cannot hold
    areas = demo_client.get(
        "/collections/kelurahan/items", params={"limit": 100}, headers={"Accept": XLSX}
    )
    area_sheet = openpyxl.load_workbook(io.BytesIO(areas.content)).worksheets[0]
    assert [c.value for c in area_sheet[1]] == [
        "id",
        "kode",
        "nama",
        "tingkat",
        "jenis",
        "kode_induk",
    ]
    assert area_sheet.max_row == 1 + 46
    boundaries = demo_client.get("/collections/kelurahan/items?f=gpkg&limit=100&kode=35.71.01")
    shapes = gpd.read_file(io.BytesIO(boundaries.content))
    mojoroto = demo_client.get("/collections/kelurahan/items?limit=100&kode=35.71.01").json()
    assert list(shapes["id"]) == [f["id"] for f in mojoroto["features"]]
    assert (shapes.geom_type == "MultiPolygon").all()
    html_page = demo_client.get("/collections/posyandu/items?f=html").text
    assert "f=xlsx" in html_page and "f=gpkg" in html_page and "f=csv" in html_page


def test_every_feature_carries_every_attribute_it_may_show(
    demo_client: TestClient, engine: Engine
) -> None:
    """An unset attribute is null, not absent: GDAL and QGIS build their fields from the
    first features they read."""
    with engine.connect() as conn:  # the demo's posyandu have no alamat
        point = conn.execute(
            text(
                "SELECT min(id) FROM facility WHERE layer_id = 'posyandu' AND status = 'verified'"
                " AND NOT attributes ? 'alamat'"
            )
        ).scalar_one()
    public = {"nama", "strata", "alamat", "rw", "jumlah_kader", "hari_buka", "kode_kelurahan"}
    body = demo_client.get("/collections/posyandu/items", params={"limit": 1000}).json()
    keys = {frozenset(f["properties"]) for f in body["features"]}
    assert len(keys) == 1 and public <= set(next(iter(keys))) and "kontak" not in next(iter(keys))
    one = demo_client.get(f"/collections/posyandu/items/{point}").json()["properties"]
    assert "alamat" in one and one["alamat"] is None


def test_collections_link_their_schemas(demo_client: TestClient) -> None:
    from jsonschema import Draft202012Validator

    collection = demo_client.get("/collections/posyandu").json()
    links = {link["rel"]: link["href"] for link in collection["links"]}
    rels = "http://www.opengis.net/def/rel/ogc/1.0/"
    for rel in ("describedby", f"{rels}schema", f"{rels}queryables", f"{rels}sortables"):
        response = demo_client.get(links[rel])
        assert response.status_code == 200, rel
        assert response.headers["content-type"] == "application/schema+json"
        Draft202012Validator.check_schema(response.json())
    schema = demo_client.get(links["describedby"]).json()
    assert schema["properties"]["id"]["x-ogc-role"] == "id"
    assert schema["properties"]["geometry"]["x-ogc-role"] == "primary-geometry"
    assert schema["properties"]["nama"]["maxLength"] == 120 and "nama" in schema["required"]
    assert "kontak" not in schema["properties"]  # restricted: not in the public view
    items = demo_client.get("/collections/posyandu/items", params={"limit": 1000}).json()
    assert set(items["features"][0]["properties"]) == set(schema["properties"]) - {
        "id",
        "geometry",
    }
    sortables = demo_client.get(links[f"{rels}sortables"]).json()["properties"]
    for name in sortables:  # each sortable sorts
        ok = demo_client.get("/collections/posyandu/items", params={"sortby": f"-{name}"})
        assert ok.status_code == 200, (name, ok.text)
    area = demo_client.get("/collections/kelurahan/schema").json()["properties"]
    assert area["geometry"]["format"] == "geometry-multipolygon"
    classes = demo_client.get("/conformance").json()["conformsTo"]
    part4 = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/"
    assert f"{part4}create-replace-delete" in classes and f"{part4}update" in classes


def test_ids_pick_features(demo_client: TestClient) -> None:
    some = demo_client.get("/collections/posyandu/items", params={"limit": 3}).json()["features"]
    wanted = [some[0]["id"], some[2]["id"]]
    body = demo_client.get(
        "/collections/posyandu/items", params={"ids": f"{wanted[0]},{wanted[1]},abc"}
    ).json()
    assert [f["id"] for f in body["features"]] == wanted and body["numberMatched"] == 2
    areas = demo_client.get("/collections/kecamatan/items", params={"ids": "35.71.02"}).json()
    assert [f["id"] for f in areas["features"]] == ["35.71.02"]


def test_datetime_is_the_last_change(demo_client: TestClient, engine: Engine) -> None:
    import datetime as dt

    total = demo_client.get("/collections/posyandu/items").json()["numberMatched"]
    with engine.begin() as conn:  # two points changed now, after every other one
        rows = conn.execute(
            text(
                'UPDATE facility SET attributes = attributes || \'{"alamat": "Jl. Uji"}\' '
                "WHERE id IN (SELECT id FROM facility WHERE layer_id = 'posyandu'"
                " AND status = 'verified' ORDER BY id DESC LIMIT 2) RETURNING id, updated_at"
            )
        ).all()
    changed = sorted(r[0] for r in rows)
    when: dt.datetime = rows[0][1]
    just_before = (when - dt.timedelta(milliseconds=1)).isoformat()

    def ids(value: str) -> list[int]:
        params = {"datetime": value, "limit": 1000}
        response = demo_client.get("/collections/posyandu/items", params=params)
        assert response.status_code == 200, (value, response.text)
        return sorted(f["id"] for f in response.json()["features"])

    assert ids(when.isoformat()) == changed
    assert ids(when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")) == changed
    assert ids(f"{when.isoformat()}/..") == changed
    assert len(ids(f"../{just_before}")) == total - 2
    assert set(changed) <= set(ids(when.astimezone(dt.UTC).date().isoformat()))
    assert ids("../2020-12-31") == [] and len(ids("2020-01-01/..")) == total
    for bad in ("kemarin", "2020-13-01", "../..", "2021-01-01/2020-01-01", "a/b/c"):
        response = demo_client.get("/collections/posyandu/items", params={"datetime": bad})
        assert response.status_code == 400, bad
        assert response.headers["content-type"] == "application/problem+json"


def test_crs_and_bbox_crs(demo_client: TestClient) -> None:
    """Part 2: EPSG:4326 latitude first, UTM 49S and TM-3 in metres (checked with pyproj),
    Content-Crs, bbox-crs in each; an unsupported CRS is a 400 naming the supported ones."""
    from pyproj import Transformer

    path = "/collections/posyandu/items"
    plain = demo_client.get(path, params={"limit": 1000})
    assert plain.headers["content-crs"] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    lonlat = {f["id"]: f["geometry"]["coordinates"] for f in plain.json()["features"]}
    latlon = demo_client.get(path, params={"limit": 1000, "crs": "EPSG:4326"})
    assert latlon.headers["content-crs"] == "<http://www.opengis.net/def/crs/EPSG/0/4326>"
    for f in latlon.json()["features"]:
        assert f["geometry"]["coordinates"] == lonlat[f["id"]][::-1]
    for code in (32749, 23835):
        uri = f"http://www.opengis.net/def/crs/EPSG/0/{code}"
        answer = demo_client.get(path, params={"limit": 1000, "crs": uri})
        assert answer.headers["content-crs"] == f"<{uri}>"
        to_metres = Transformer.from_crs("OGC:CRS84", f"EPSG:{code}", always_xy=True)
        metres = {f["id"]: f["geometry"]["coordinates"] for f in answer.json()["features"]}
        for fid, (lon, lat) in lonlat.items():
            x, y = to_metres.transform(lon, lat)
            assert abs(metres[fid][0] - x) < 0.01 and abs(metres[fid][1] - y) < 0.01
    one = next(iter(lonlat))
    item = demo_client.get(f"{path}/{one}", params={"crs": "EPSG:4326"})
    assert item.json()["geometry"]["coordinates"] == lonlat[one][::-1]
    assert item.headers["content-crs"] == "<http://www.opengis.net/def/crs/EPSG/0/4326>"

    west, south, east, north = 112.0, -7.83, 112.02, -7.81
    expected = sorted(
        fid for fid, (x, y) in lonlat.items() if west <= x <= east and south <= y <= north
    )
    by_latlon = demo_client.get(
        path,
        params={"bbox": f"{south},{west},{north},{east}", "bbox-crs": "EPSG:4326", "limit": 1000},
    )
    assert sorted(f["id"] for f in by_latlon.json()["features"]) == expected
    utm = Transformer.from_crs("OGC:CRS84", "EPSG:32749", always_xy=True)
    inside = [utm.transform(*lonlat[fid]) for fid in expected]
    box = (  # the points' box in UTM, 1 m wider
        min(x for x, _ in inside) - 1,
        min(y for _, y in inside) - 1,
        max(x for x, _ in inside) + 1,
        max(y for _, y in inside) + 1,
    )
    local = sorted(
        fid
        for fid, xy in lonlat.items()
        if box[0] <= utm.transform(*xy)[0] <= box[2] and box[1] <= utm.transform(*xy)[1] <= box[3]
    )
    by_utm = demo_client.get(
        path,
        params={"bbox": ",".join(map(str, box)), "bbox-crs": "EPSG:32749", "limit": 1000},
    )
    assert sorted(f["id"] for f in by_utm.json()["features"]) == local and set(expected) <= set(
        local
    )
    for params in ({"crs": "EPSG:2000"}, {"bbox-crs": "EPSG:9999", "bbox": "1,2,3,4"}):
        wrong = demo_client.get(path, params=params, headers={"Accept-Language": "en"})
        assert wrong.status_code == 400
        assert "http://www.opengis.net/def/crs/EPSG/0/23830" in wrong.json()["detail"]
    # outside what PROJ can project: a 400, not the database's error
    far = demo_client.get(
        "/collections/provinsi/items",
        params={"bbox": "1e9,1e9,2e9,2e9", "bbox-crs": "EPSG:32749"},
        headers={"Accept-Language": "en"},
    )
    assert far.status_code == 400 and "outside the area" in far.json()["detail"]
    assert "crs" not in answer.json()["features"][0]["geometry"]  # no GeoJSON 2008 member
    collection = demo_client.get("/collections/posyandu").json()
    assert "http://www.opengis.net/def/crs/EPSG/0/32754" in collection["crs"]
    assert collection["storageCrs"] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def test_the_api_document_says_what_clients_act_on(demo_client: TestClient) -> None:
    document = demo_client.get("/api").json()
    paths = document["paths"]
    items = paths["/collections/{collectionId}/items"]["get"]
    params = {p["name"]: p for p in items["parameters"]}
    assert params["collectionId"]["in"] == "path"
    assert params["limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 10000,
        "default": 10,
    }
    assert params["filter-lang"]["schema"]["enum"] == ["cql2-text", "cql2-json"]
    assert params["f"]["schema"]["enum"] == ["json", "geojson", "csv", "xlsx", "gpkg", "html"]
    assert params["f"]["schema"]["enum"] == list(FORMATS)  # what the route accepts
    assert params["locale"]["schema"]["enum"] == ["id", "en"]
    assert set(items["responses"]["200"]["content"]) >= {
        "application/geo+json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/geopackage+sqlite3",
    }
    assert "http://www.opengis.net/def/crs/EPSG/0/4326" in params["crs"]["schema"]["enum"]
    assert "422" not in items["responses"]  # FastAPI's; the service answers 400
    assert {"400", "404", "503"} <= set(items["responses"])
    posyandu = {p["name"]: p for p in paths["/collections/posyandu/items"]["get"]["parameters"]}
    assert posyandu["strata"]["schema"]["enum"] == ["Pratama", "Madya", "Purnama", "Mandiri"]
    assert posyandu["rw"]["schema"]["type"] == "integer" and "kontak" not in posyandu
    assert "kode_induk" in {
        p["name"] for p in paths["/collections/kelurahan/items"]["get"]["parameters"]
    }
    item = "/collections/{collectionId}/items/{featureId}"
    assert "ETag" in paths[item]["get"]["responses"]["200"]["headers"]
    for method in ("put", "patch", "delete"):
        operation = paths[item][method]
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in operation["parameters"])
        assert {"401", "403", "404", "412", "422", "428"} <= set(operation["responses"]), method
    post = paths["/collections/{collectionId}/items"]["post"]["responses"]
    assert {"400", "401", "403", "405", "409", "413", "415", "422"} <= set(post)
    problem = post["409"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer" and schemes["basic"]["scheme"] == "basic"
    assert schemes["cookie"] == {**schemes["cookie"], "in": "cookie", "name": "geoservice_session"}
    assert {} in document["security"]
