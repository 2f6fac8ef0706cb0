"""Bad input is always a 4xx: JSON nested thousands deep, integers of thousands of digits, lone
UTF-16 surrogates and CQL2 filters of thousands of clauses, over every write route and filter.
Each of them once answered 500 (RecursionError, Python's 4,300-digit limit, psycopg's UTF-8
encoder); none may write anything."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from geoservice.errors import BadRequest
from geoservice.input_limits import MAX_CQL2_CLAUSES, MAX_CQL2_DEPTH, MAX_JSON_DEPTH
from tests.api.editing_world import GEOJSON, World, feature
from tests.support import count, table_fingerprint

DEEP = b"[" * 2000 + b"]" * 2000  # 4 KB
MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


def _accounts(engine: Engine) -> tuple[int, int, str]:
    users = count(engine, "SELECT count(*) FROM app_user")
    tokens = count(engine, "SELECT count(*) FROM api_token")
    with engine.connect() as conn:
        from sqlalchemy import text

        hashes = conn.execute(
            text("SELECT md5(string_agg(password_hash, '' ORDER BY username)) FROM app_user")
        ).scalar_one()
    return users, tokens, hashes


def _routes(world: World) -> list[tuple[str, str, dict[str, str], dict[str, Any]]]:
    """Every route that reads a JSON body: method, path, headers, a valid body."""
    fid = world.point(status="submitted")
    version = world.version(fid)
    lon, lat = world.spot()
    point = feature(lon, lat, nama="Posyandu Uji", strata="Madya")
    item = f"/collections/posyandu/items/{fid}"
    if_match = {"If-Match": f'"{version}"'}
    return [
        ("POST", "/collections/posyandu/items", world.headers("pic_own", **GEOJSON), point),
        ("PUT", item, world.headers("admin", **GEOJSON, **if_match), point),
        ("PATCH", item, world.headers("admin", **MERGE_PATCH, **if_match), {"properties": {}}),
        ("POST", f"{item}/reject", world.headers("admin", **if_match), {"reason": "Salah"}),
        ("POST", "/users", world.headers("admin"), {"username": "u.uji", "role": "planner"}),
        ("PATCH", "/users/perencana.uji", world.headers("admin"), {"disabled": False}),
        ("POST", "/auth/tokens", world.headers("planner"), {"name": "QGIS"}),
        ("POST", "/auth/password", world.headers("planner"), {"current": "x", "new": "y"}),
    ]


def _first_string_field(body: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """``body`` with its first string value (depth first) replaced by a marker, and its path."""
    copy = json.loads(json.dumps(body))
    stack: list[tuple[list[str], Any]] = [([], copy)]
    while stack:
        path, node = stack.pop(0)
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and key != "type":
                    node[key] = "@@MARK@@"
                    return [*path, key], copy
                stack.append(([*path, key], value))
    node = copy.setdefault("properties", {})
    node["nama"] = "@@MARK@@"
    return ["properties", "nama"], copy


@pytest.mark.parametrize("kind", ["deep", "digits", "surrogate"])
def test_every_json_route_answers_bad_bodies_with_a_4xx_and_writes_nothing(
    client: TestClient, engine: Engine, world: World, kind: str
) -> None:
    for method, path, headers, body in _routes(world):
        before = table_fingerprint(engine), _accounts(engine)
        if kind == "deep":
            content = DEEP
        elif kind == "digits":
            content = json.dumps({**body, "n": 1}).replace('"n": 1', '"n": ' + "7" * 5000).encode()
        else:
            field, marked = _first_string_field(body)
            content = json.dumps(marked).replace("@@MARK@@", "\\ud800").encode()
        headers = {"Content-Type": "application/json", **headers, "Accept-Language": "en"}
        response = client.request(method, path, content=content, headers=headers)
        label = f"{kind} {method} {path}: {response.status_code} {response.text[:300]}"
        assert response.headers["content-type"] == "application/problem+json", label
        if kind == "deep":
            assert response.status_code == 400, label
            assert f"deeper than {MAX_JSON_DEPTH} levels" in response.json()["detail"], label
        elif kind == "digits":
            assert response.status_code == 400, label
            assert "more than 100 digits" in response.json()["detail"], label
        else:
            assert response.status_code == 422, label
            [problem] = response.json()["errors"]
            assert problem["field"] == ".".join(field), label
            assert "surrogate" in problem["message"], label
        assert (table_fingerprint(engine), _accounts(engine)) == before, label


def test_a_surrogate_pair_is_text_like_any_other(client: TestClient, world: World) -> None:
    lon, lat = world.spot()
    content = json.dumps(feature(lon, lat, nama="Posyandu @@", strata="Madya"))
    content = content.replace("@@", "\\ud83c\\udf3c")  # a blossom, escaped as JSON allows
    response = client.post(
        "/collections/posyandu/items",
        content=content.encode(),
        headers=world.headers("pic_own", **GEOJSON),
    )
    assert response.status_code == 201, response.text
    assert response.json()["properties"]["nama"] == "Posyandu \U0001f33c"


@pytest.mark.parametrize(
    ("properties", "field", "message"),
    [
        ({"rw": 10**12}, "rw", "between -2147483648 and 2147483647"),
        ({"rw": -(2**31) - 1}, "rw", "between -2147483648 and 2147483647"),
        ({"kontak": "1" * 2001}, "kontak", "at most 2000 characters"),
    ],
)
def test_attributes_past_the_limits_are_a_422_naming_the_field(
    client: TestClient,
    engine: Engine,
    world: World,
    properties: dict[str, Any],
    field: str,
    message: str,
) -> None:
    before = table_fingerprint(engine)
    lon, lat = world.spot()
    body = feature(lon, lat, nama="Posyandu Batas", strata="Madya", **properties)
    response = client.post(
        "/collections/posyandu/items",
        json=body,
        headers=world.headers("pic_own", **GEOJSON, **{"Accept-Language": "en"}),
    )
    assert response.status_code == 422, response.text
    problems = {p["field"]: p["message"] for p in response.json()["errors"]}
    assert message in problems[field]
    assert table_fingerprint(engine) == before


@pytest.mark.parametrize("field", ["period", "kode", "sheet"])
@pytest.mark.parametrize("value", ["\x00", "9" * 5000, "\ud800"])
def test_indicator_import_form_fields_are_never_a_500(
    client: TestClient, engine: Engine, world: World, field: str, value: str
) -> None:
    before = count(engine, "SELECT count(*) FROM indicator_value")
    data = {"dry_run": "false", field: value.encode("utf-8", errors="surrogatepass")}
    files = {"file": ("nilai.csv", b"kode;periode;penduduk\n35.71.01.1001;2025;100\n")}
    response = client.post(
        "/indicators/import", data=data, files=files, headers=world.headers("planner")
    )
    assert response.status_code < 500, response.text
    if field == "sheet" and response.status_code == 200:
        return  # a CSV file has no sheets: the field is ignored
    assert response.status_code >= 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert count(engine, "SELECT count(*) FROM indicator_value") == before


# -- CQL2 ----------------------------------------------------------------------------------------


def _items(client: TestClient, **params: str) -> Any:
    response = client.get(
        "/collections/kelurahan/items", params={"limit": "100", "lang": "en", **params}
    )
    return response


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(f["properties"]["nama"] for f in response.json()["features"])


def _compact(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


@pytest.mark.usefixtures("world")
def test_a_flat_or_chain_up_to_the_limit_is_valid_cql2(client: TestClient) -> None:
    # compact, so that the URL stays under httpx's limit of 64 KB per URL component (this
    # 1,000-clause filter makes a 15 KB URL, which uvicorn with httptools serves as well)
    wanted = "nama='Bandar Lor' OR nama='Semampir'"
    text = " OR ".join(["tingkat=9"] * (MAX_CQL2_CLAUSES - 2) + [wanted])
    assert _names(_items(client, filter=text)) == ["Bandar Lor", "Semampir"]
    names = [f"Tidak Ada {i}" for i in range(250)] + ["Bandar Lor", "Semampir"]
    ops = {"op": "or", "args": [{"op": "=", "args": [{"property": "nama"}, n]} for n in names]}
    response = _items(client, **{"filter": _compact(ops), "filter-lang": "cql2-json"})
    assert _names(response) == ["Bandar Lor", "Semampir"]


def test_a_cql2_json_chain_is_parsed_without_recursion_up_to_the_limit(catalog: Any) -> None:
    from geoservice.services import feature_query, features
    from geoservice.services.viewer import Viewer

    collection = features.resolve(catalog, "kelurahan")
    clause = {"op": "=", "args": [{"property": "tingkat"}, 4]}
    ok = _compact({"op": "or", "args": [clause] * MAX_CQL2_CLAUSES})
    tree = feature_query.parse_filter(ok, "cql2-json", collection, Viewer())
    depth, stack = 0, [(1, tree)]
    while stack:
        level, node = stack.pop()
        depth = max(depth, level)
        children = getattr(node, "get_sub_nodes", lambda: [])() or []
        stack.extend((level + 1, child) for child in children)
    assert depth <= 14  # log2(1000) levels of OR, then the comparison
    too_many = _compact({"op": "or", "args": [clause] * (MAX_CQL2_CLAUSES + 1)})
    with pytest.raises(BadRequest, match=f"more than {MAX_CQL2_CLAUSES} clauses"):
        feature_query.parse_filter(too_many, "cql2-json", collection, Viewer())


@pytest.mark.usefixtures("world")
def test_a_flat_and_chain_with_between_means_what_it_says(client: TestClient) -> None:
    short = "tingkat BETWEEN 1 AND 4 AND nama = 'Bandar Lor' OR nama = 'Semampir' AND tingkat = 4"
    expected = ["Bandar Lor", "Semampir"]
    assert _names(_items(client, filter=short)) == expected
    # the same filter with 900 more clauses that hold everywhere
    long = " AND ".join(["tingkat >= 1"] * 900) + " AND " + short
    assert _names(_items(client, filter=long)) == expected
    # OR binds looser than AND: this one keeps only Semampir
    narrow = "nama = 'Bandar Lor' AND tingkat = 3 OR nama = 'Semampir'"
    assert _names(_items(client, filter=narrow)) == ["Semampir"]
    quoted = "nama = 'Bandar Lor OR Semampir' OR nama = 'Semampir'"
    assert _names(_items(client, filter=quoted)) == ["Semampir"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"filter": " OR ".join(["tingkat=4"] * (MAX_CQL2_CLAUSES + 1))},
            f"more than {MAX_CQL2_CLAUSES} clauses",
        ),
        (
            {"filter": " AND ".join(["tingkat=4"] * (MAX_CQL2_CLAUSES + 1))},
            f"more than {MAX_CQL2_CLAUSES} clauses",
        ),
        (
            {"filter": "(" * (MAX_CQL2_DEPTH + 1) + "tingkat = 4" + ")" * (MAX_CQL2_DEPTH + 1)},
            f"deeper than {MAX_CQL2_DEPTH} levels",
        ),
        ({"filter": "NOT " * 3000 + "tingkat = 4"}, "CQL2"),
        (
            {"filter": '{"op":"not","args":[' * 200 + "true" + "]}" * 200},
            "CQL2",
        ),
        (
            {
                "filter": '{"op":"not","args":[' * 200 + "true" + "]}" * 200,
                "filter-lang": "cql2-json",
            },
            "deeper than",
        ),
        ({"filter": "tingkat = " + "9" * 5000}, "CQL2"),
        (
            {"filter": '{"op":"=","args":[{"property":"tingkat"},' + "9" * 5000 + "]}"},
            "CQL2",
        ),
        (
            {
                "filter": '{"op":"=","args":[{"property":"tingkat"},' + "9" * 5000 + "]}",
                "filter-lang": "cql2-json",
            },
            "more than 100 digits",
        ),
    ],
    ids=[
        "or-chain",
        "and-chain",
        "parentheses",
        "nots",
        "json-as-text",
        "json-deep",
        "text-digits",
        "json-as-text-digits",
        "json-digits",
    ],
)
@pytest.mark.usefixtures("world")
def test_cql2_past_the_limits_is_a_400(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    response = _items(client, **params)
    assert response.status_code == 400, response.text[:500]
    assert response.headers["content-type"] == "application/problem+json"
    assert message in response.json()["detail"]


@pytest.mark.usefixtures("world")
def test_a_lone_surrogate_in_a_cql2_json_filter_is_a_422_naming_it(client: TestClient) -> None:
    ops = '{"op": "=", "args": [{"property": "nama"}, "\\ud800"]}'
    response = _items(client, **{"filter": ops, "filter-lang": "cql2-json"})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "filter.args.1"
