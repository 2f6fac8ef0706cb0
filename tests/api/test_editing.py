"""Who may do what to facility points: every role x endpoint x own/other kelurahan, and the
rules every write obeys (If-Match, validation, duplicates, verification, history)."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.api.editing_world import GEOJSON, OTHER, OWN, ROLES, World, feature
from tests.support import app_client, count, read_csv, table_fingerprint

PATCH = {"Content-Type": "application/merge-patch+json"}


def _if_match(world: World, fid: int) -> dict[str, str]:
    return {"If-Match": f'"{world.version(fid)}"'}


# Each operation prepares its target in a kelurahan (a point stored directly, or a position),
# then makes the request as a role.
Prepare = Callable[[World, str], Any]
Act = Callable[[TestClient, World, str, Any], Any]


def _spot(w: World, kelurahan: str) -> Any:
    return w.spot(kelurahan)


def _published(w: World, kelurahan: str) -> Any:
    return w.point(kelurahan)


def _in(status: str, deleted: bool = False) -> Prepare:
    return lambda w, kelurahan: w.point(kelurahan, status=status, deleted=deleted)


def _create(c: TestClient, w: World, role: str, spot: Any) -> Any:
    lon, lat = spot
    body = feature(lon, lat, nama=f"Posyandu Baru {lon:.5f}", strata="Madya")
    return c.post("/collections/posyandu/items", json=body, headers=w.headers(role, **GEOJSON))


def _replace(c: TestClient, w: World, role: str, fid: Any) -> Any:
    lon, lat = w.spot(OWN)
    body = feature(lon, lat, nama=f"Posyandu Pindah {lon:.5f}", rw=2)
    headers = w.headers(role, **GEOJSON, **_if_match(w, fid))
    return c.put(f"/collections/posyandu/items/{fid}", json=body, headers=headers)


def _patch(c: TestClient, w: World, role: str, fid: Any) -> Any:
    headers = w.headers(role, **PATCH, **_if_match(w, fid))
    return c.patch(
        f"/collections/posyandu/items/{fid}", json={"properties": {"rw": 7}}, headers=headers
    )


def _delete(c: TestClient, w: World, role: str, fid: Any) -> Any:
    return c.delete(
        f"/collections/posyandu/items/{fid}", headers=w.headers(role, **_if_match(w, fid))
    )


def _step(step: str) -> Act:
    def act(c: TestClient, w: World, role: str, fid: Any) -> Any:
        headers = w.headers(role, **_if_match(w, fid))
        body = None
        if step == "reject":
            body = {"reason": "titik salah tempat"}
            headers["Content-Type"] = "application/json"
        return c.post(f"/collections/posyandu/items/{fid}/{step}", json=body, headers=headers)

    return act


def _history(c: TestClient, w: World, role: str, fid: Any) -> Any:
    return c.get(f"/collections/posyandu/items/{fid}/history", headers=w.headers(role))


def _change_log(c: TestClient, w: World, role: str, kelurahan: Any) -> Any:
    return c.get(f"/kelurahan/{kelurahan}/changes?f=csv", headers=w.headers(role))


def _read(c: TestClient, w: World, role: str, fid: Any) -> Any:
    return c.get(f"/collections/posyandu/items/{fid}", headers=w.headers(role))


OPERATIONS: dict[str, tuple[Prepare, Act]] = {
    "create": (_spot, _create),
    "replace": (_published, _replace),
    "patch": (_published, _patch),
    "delete": (_published, _delete),
    "submit": (_in("draft"), _step("submit")),
    "verify": (_in("submitted"), _step("verify")),
    "reject": (_in("submitted"), _step("reject")),
    "restore": (_in("verified", deleted=True), _step("restore")),
    "history": (_published, _history),
    "change_log": (lambda w, kelurahan: kelurahan, _change_log),
    "read_draft": (_in("draft"), _read),
}

# Expected status per operation for: anonymous, the PIC of the point's kelurahan, the PIC of
# another kelurahan, a planner, an admin. The targets of replace, patch, delete and history
# are published points, which another PIC sees and gets 403 for; drafts and submitted points
# are invisible to another PIC (404, as if they did not exist).
EXPECTED: dict[str, tuple[int, int, int, int, int]] = {
    "create": (401, 201, 403, 403, 201),
    "replace": (401, 200, 403, 403, 200),
    "patch": (401, 200, 403, 403, 200),
    "delete": (401, 204, 403, 403, 204),
    "submit": (401, 200, 404, 403, 200),
    "verify": (401, 403, 404, 403, 200),
    "reject": (401, 403, 404, 403, 200),
    "restore": (401, 403, 403, 403, 200),
    "history": (401, 200, 403, 200, 200),
    "change_log": (401, 200, 403, 200, 200),
    "read_draft": (404, 200, 404, 200, 200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_role_matrix(
    client: TestClient, world: World, engine: Engine, operation: str, role: str
) -> None:
    """Every target lies in Bandar Lor: pic_own's kelurahan, not pic_other's."""
    expected = EXPECTED[operation][ROLES.index(role)]
    prepare, act = OPERATIONS[operation]
    target = prepare(world, OWN)
    before = table_fingerprint(engine)
    response = act(client, world, role, target)
    assert response.status_code == expected, (operation, role, response.text)
    if expected >= 400:
        problem = response.json()
        assert problem["status"] == expected and problem["detail"]
        assert response.headers["content-type"] == "application/problem+json"
        assert table_fingerprint(engine) == before, "a refused request changed the database"
    else:
        wrote = operation in (
            "create",
            "replace",
            "patch",
            "delete",
            "submit",
            "verify",
            "reject",
            "restore",
        )
        assert (table_fingerprint(engine) != before) == wrote


def test_pic_cannot_move_own_point_into_another_kelurahan(
    client: TestClient, world: World, engine: Engine
) -> None:
    fid = world.point(OWN)
    lon, lat = world.spot(OTHER)
    before = table_fingerprint(engine)
    response = client.put(
        f"/collections/posyandu/items/{fid}",
        json=feature(lon, lat, nama="Posyandu Kabur"),
        headers=world.headers("pic_own", **GEOJSON, **_if_match(world, fid)),
    )
    assert response.status_code == 403
    assert "Semampir (35.71.02.1001)" in response.json()["detail"]
    assert table_fingerprint(engine) == before


def test_kelurahan_is_derived_from_the_point_never_from_the_input(
    client: TestClient, world: World
) -> None:
    lon, lat = world.spot(OWN)
    body = feature(lon, lat, nama="Posyandu Kode Palsu", kode_kelurahan=OTHER, status="verified")
    response = client.post(
        "/collections/posyandu/items", json=body, headers=world.headers("pic_own", **GEOJSON)
    )
    assert response.status_code == 201, response.text
    properties = response.json()["properties"]
    assert properties["kode_kelurahan"] == OWN
    assert properties["status"] == "draft"


# -- If-Match ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("if_match", "status"),
    [(None, 428), ("*", 428), ('"999"', 412), ('W/"1"', 412), ("1", 412), ('"1"', 200)],
)
def test_if_match_is_required_and_must_be_current(
    client: TestClient, world: World, engine: Engine, if_match: str | None, status: int
) -> None:
    fid = world.point(OWN)
    before = table_fingerprint(engine)
    headers = world.headers("pic_own", **PATCH)
    if if_match is not None:
        headers["If-Match"] = if_match
    response = client.patch(
        f"/collections/posyandu/items/{fid}", json={"properties": {"rw": 5}}, headers=headers
    )
    assert response.status_code == status, response.text
    if status == 200:
        assert response.headers["etag"] == '"2"'
    else:
        assert table_fingerprint(engine) == before
    if status == 412 and if_match == '"999"':
        assert response.json()["current_etag"] == '"1"'


def test_get_gives_the_etag_a_write_needs(client: TestClient, world: World) -> None:
    fid = world.point(OWN)
    got = client.get(f"/collections/posyandu/items/{fid}", headers=world.headers("pic_own"))
    assert got.headers["etag"] == '"1"' and got.headers["cache-control"].startswith("private")
    response = client.delete(
        f"/collections/posyandu/items/{fid}",
        headers=world.headers("pic_own", **{"If-Match": got.headers["etag"]}),
    )
    assert response.status_code == 204


# -- bodies --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"type": "Feature",', "bukan JSON yang valid"),
        (b"[1, 2]", "harus objek JSON, bukan list"),
        (b'{"type": "FeatureCollection", "features": []}', "bukan 'FeatureCollection'"),
        (b'{"type": "Feature", "properties": {}}', "tidak punya geometry"),
        (
            b'{"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[1,2]]}}',
            "harus Point, bukan 'LineString'",
        ),
        (
            b'{"type": "Feature", "geometry": {"type": "Point", "coordinates": ["112", -7.8]}}',
            'Koordinat ["112", -7.8] tidak valid',
        ),
        (
            b'{"type": "Feature", "geometry": {"type": "Point", "coordinates": [112.0]}}',
            "Koordinat [112.0] tidak valid",
        ),
        (
            b'{"type": "Feature", "geometry": {"type": "Point", "coordinates": [112, -7.8]},'
            b' "properties": "nama"}',
            "properties harus objek JSON, bukan str",
        ),
        (b'{"type": "\xc3\x28"}', "UTF-8"),
    ],
)
def test_malformed_geojson_is_400_with_the_reason(
    client: TestClient, world: World, engine: Engine, body: bytes, reason: str
) -> None:
    before = table_fingerprint(engine)
    response = client.post(
        "/collections/posyandu/items", content=body, headers=world.headers("pic_own", **GEOJSON)
    )
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    assert table_fingerprint(engine) == before


def test_wrong_media_type_is_415(client: TestClient, world: World) -> None:
    response = client.post(
        "/collections/posyandu/items",
        content=b"nama=x",
        headers=world.headers("pic_own", **{"Content-Type": "application/x-www-form-urlencoded"}),
    )
    assert response.status_code == 415
    assert "application/geo+json" in response.json()["detail"]


def test_body_over_the_limit_is_413(database_url: str, world: World, engine: Engine) -> None:
    lon, lat = world.spot(OWN)
    body = json.dumps(feature(lon, lat, nama="x", alamat="y" * 3000)).encode()
    before = table_fingerprint(engine)
    with app_client(database_url, max_body_kb=2) as small:
        declared = small.post(
            "/collections/posyandu/items", content=body, headers=world.headers("pic_own", **GEOJSON)
        )
        streamed = small.post(
            "/collections/posyandu/items",
            content=iter([body[:1500], body[1500:]]),  # chunked: no Content-Length
            headers=world.headers("pic_own", **GEOJSON),
        )
    for response in (declared, streamed):
        assert response.status_code == 413, response.text
        assert response.json()["detail"] == "Isi permintaan lebih dari 2 KB."
    assert table_fingerprint(engine) == before


def test_attribute_and_coordinate_errors_are_listed_together(
    client: TestClient, world: World, engine: Engine
) -> None:
    lon, lat = world.spot(OWN)
    body = feature(lat, lon, strata="Sangat Baik", rw=0, jumlah_kader="banyak", warna="biru")
    before = table_fingerprint(engine)
    response = client.post(
        "/collections/posyandu/items?lang=en",
        json=body,
        headers=world.headers("pic_own", **GEOJSON),
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"geometry", "strata", "rw", "jumlah_kader", "warna", "nama"}
    assert "look swapped" in errors["geometry"] and "[longitude, latitude]" in errors["geometry"]
    assert errors["strata"] == "Stratum: must be one of Pratama, Madya, Purnama, Mandiri"
    assert errors["rw"] == "RW (community unit): must be at least 1"
    assert errors["nama"] == "Name: is required"
    assert table_fingerprint(engine) == before


def test_a_point_outside_every_kelurahan_is_422(client: TestClient, world: World) -> None:
    # in Indonesia, far from Kota Kediri (the only boundaries loaded)
    response = client.post(
        "/collections/posyandu/items",
        json=feature(106.8272, -6.1754, nama="Posyandu Monas"),
        headers=world.headers("admin", **GEOJSON),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "geometry"


def test_rt_rw_unique_within_a_kelurahan(client: TestClient, world: World) -> None:
    world.point(OWN, layer="rt", rt=41, rw=9)
    lon, lat = world.spot(OWN)
    response = client.post(
        "/collections/rt/items",
        json=feature(lon, lat, rt=41, rw=9),
        headers=world.headers("pic_own", **GEOJSON),
    )
    assert response.status_code == 422
    assert "RW/RT = 9/41 sudah dipakai di kelurahan 35.71.01.1001" in response.json()["detail"]
    # the same numbers in another kelurahan are another RT
    lon, lat = world.spot(OTHER)
    elsewhere = client.post(
        "/collections/rt/items",
        json=feature(lon, lat, rt=41, rw=9),
        headers=world.headers("pic_other", **GEOJSON),
    )
    assert elsewhere.status_code == 201, elsewhere.text


def test_one_kantor_kelurahan_per_kelurahan(client: TestClient, world: World) -> None:
    lon, lat = world.spot(OWN)  # the demo already has Bandar Lor's office
    response = client.post(
        "/collections/kantor_kelurahan/items",
        json=feature(lon, lat, nama="Kantor Kedua"),
        headers=world.headers("pic_own", **GEOJSON),
    )
    assert response.status_code == 422
    assert "sudah memiliki 1 titik" in response.json()["detail"]


def test_near_duplicate_needs_confirmation(client: TestClient, world: World) -> None:
    lon, lat = world.spot(OWN)
    first = feature(lon, lat, nama="Posyandu Melati Indah 3")
    created = client.post(
        "/collections/posyandu/items", json=first, headers=world.headers("pic_own", **GEOJSON)
    )
    assert created.status_code == 201
    near = feature(lon + 0.0001, lat, nama="Posyandu Melati Indah  3")  # ~11 m, extra space
    refused = client.post(
        "/collections/posyandu/items", json=near, headers=world.headers("pic_own", **GEOJSON)
    )
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["duplicates"][0]["id"] == created.json()["id"]
    assert 5 < problem["duplicates"][0]["distance_m"] < 20
    confirmed = client.post(
        "/collections/posyandu/items?allow_duplicate=true",
        json=near,
        headers=world.headers("pic_own", **GEOJSON),
    )
    assert confirmed.status_code == 201
    # numbers are compared as numbers: 4 and IV are one, III (22 m from 4) is another; at
    # the very same spot a similar name is a duplicate whatever its number
    for name, spot, status in (
        ("Posyandu Melati Indah 4", (lon + 0.0002, lat), 201),
        ("Posyandu Melati Indah IV", (lon + 0.0003, lat), 409),
        ("Posyandu Melati Indah III", (lon + 0.0004, lat), 201),
        ("Posyandu Melati Indah Tujuh", (lon + 0.0002, lat), 409),
    ):
        answer = client.post(
            "/collections/posyandu/items",
            json=feature(*spot, nama=name),
            headers=world.headers("pic_own", **GEOJSON),
        )
        assert answer.status_code == status, (name, answer.text)


# -- injection-looking text ------------------------------------------------------------------------

NASTY = [
    "'; DROP TABLE facility; --",
    '<script>alert("x")</script>',
    "Robert'); DELETE FROM app_user WHERE ('1'='1",
    "%s %(nama)s {nama} $1 \\x00",
    "' OR 1=1 --",
]


@pytest.mark.parametrize("text_value", NASTY)
def test_injection_looking_text_is_stored_and_returned_verbatim(
    client: TestClient, world: World, engine: Engine, text_value: str
) -> None:
    lon, lat = world.spot(OWN)
    body = feature(
        lon, lat, nama=text_value, alamat=text_value, hari_buka=text_value[:60], strata="Madya"
    )
    response = client.post(
        "/collections/posyandu/items", json=body, headers=world.headers("admin", **GEOJSON)
    )
    assert response.status_code == 201, response.text
    fid = response.json()["id"]
    stored = client.get(f"/collections/posyandu/items/{fid}", headers=world.headers("admin"))
    props = stored.json()["properties"]
    assert (props["nama"], props["alamat"], props["hari_buka"]) == (
        text_value,
        text_value,
        text_value[:60],
    )
    by_equality = client.get(
        "/collections/posyandu/items",
        params={"nama": text_value, "limit": 5},
        headers=world.headers("admin"),
    )
    assert [f["id"] for f in by_equality.json()["features"]] == [fid]
    # CQL2 JSON: pygeofilter's CQL2 text parser has no escape for a quote inside a string
    cql = {"op": "=", "args": [{"property": "alamat"}, text_value]}
    by_cql = client.get(
        "/collections/posyandu/items",
        params={"filter": json.dumps(cql), "filter-lang": "cql2-json", "limit": 5},
        headers=world.headers("admin"),
    )
    assert by_cql.status_code == 200, by_cql.text
    assert [f["id"] for f in by_cql.json()["features"]] == [fid]
    assert count(engine, "SELECT count(*) FROM app_user") >= 4


# -- verification and publication --------------------------------------------------------------


def _tile_of(lon: float, lat: float, z: int = 16) -> tuple[int, int, int]:
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return z, int((lon + 180) / 360 * n), int(y)


def _tile_ids(client: TestClient, lon: float, lat: float) -> tuple[set[int], str]:
    """Ids in the anonymous z16 tile of the point, and whether it came from the cache."""
    import mapbox_vector_tile

    z, x, y = _tile_of(lon, lat)
    response = client.get(f"/collections/posyandu/tiles/WebMercatorQuad/{z}/{x}/{y}")
    layers = mapbox_vector_tile.decode(response.content) if response.content else {}
    ids = {f["id"] for f in layers.get("posyandu", {}).get("features", [])}
    return ids, response.headers["x-cache"]


def test_verification_workflow_publishes_only_verified_points(
    client: TestClient, world: World
) -> None:
    lon, lat = world.spot(OWN)
    pic, admin = world.headers("pic_own"), world.headers("admin")
    created = client.post(
        "/collections/posyandu/items",
        json=feature(lon, lat, nama="Posyandu Alur Verifikasi", kontak="0812 3456 7890"),
        headers={**pic, **GEOJSON},
    )
    fid = created.json()["id"]
    assert client.get(f"/collections/posyandu/items/{fid}").status_code == 404
    assert fid not in _tile_ids(client, lon, lat)[0]
    # the tile without the draft is cached: once the listener has also applied the draft's
    # notification (it may drop the tile just built, after the in-process invalidation)
    deadline = time.monotonic() + 10
    while _tile_ids(client, lon, lat)[1] != "HIT":
        assert time.monotonic() < deadline, "the tile without the draft never stayed cached"

    def step(name: str, headers: dict[str, str], **body: Any) -> Any:
        extra = {"Content-Type": "application/json"} if body else {}
        return client.post(
            f"/collections/posyandu/items/{fid}/{name}",
            json=body or None,
            headers={**headers, **extra, **_if_match(world, fid)},
        )

    assert step("verify", admin).status_code == 409  # a draft is not submitted yet
    assert step("submit", pic).json()["properties"]["status"] == "submitted"
    no_reason = step("reject", admin, reason="  ")
    assert no_reason.status_code == 422
    rejected = step("reject", admin, reason="Nama tidak sesuai papan posyandu")
    assert rejected.json()["properties"]["status"] == "rejected"
    seen_by_pic = client.get(f"/collections/posyandu/items/{fid}", headers=pic).json()
    assert seen_by_pic["properties"]["alasan_penolakan"] == "Nama tidak sesuai papan posyandu"
    fixed = client.patch(
        f"/collections/posyandu/items/{fid}",
        json={"properties": {"nama": "Posyandu Alur Verifikasi Baru"}},
        headers={**pic, **PATCH, **_if_match(world, fid)},
    ).json()["properties"]
    assert (fixed["status"], fixed["alasan_penolakan"]) == ("draft", None)
    assert step("submit", pic).status_code == 200
    assert step("verify", admin).json()["properties"]["status"] == "verified"

    public = client.get(f"/collections/posyandu/items/{fid}")
    assert public.status_code == 200
    assert "kontak" not in public.json()["properties"]  # restricted attribute
    assert "status" not in public.json()["properties"]
    published_ids, cache = _tile_ids(client, lon, lat)
    assert cache == "MISS"  # the cached tile without the point was dropped at the verification
    assert fid in published_ids

    history = client.get(f"/collections/posyandu/items/{fid}/history", headers=pic).json()
    operations = [v["operation"] for v in history["versions"]]
    assert operations == ["create", "submit", "reject", "update", "submit", "verify"]
    assert [v["changed_by"] for v in history["versions"]] == [
        "pic.own",
        "pic.own",
        "admin.uji",
        "pic.own",
        "pic.own",
        "admin.uji",
    ]
    assert history["versions"][3]["changes"] == [
        {
            "property": "nama",
            "old": "Posyandu Alur Verifikasi",
            "new": "Posyandu Alur Verifikasi Baru",
        }
    ]


def test_soft_delete_and_restore(client: TestClient, world: World, engine: Engine) -> None:
    fid = world.point(OWN)
    deleted = client.delete(
        f"/collections/posyandu/items/{fid}",
        headers=world.headers("pic_own", **_if_match(world, fid)),
    )
    assert deleted.status_code == 204
    assert client.get(f"/collections/posyandu/items/{fid}").status_code == 404
    assert (
        client.get(f"/collections/posyandu/items/{fid}", headers=world.headers("admin")).status_code
        == 404
    )
    assert count(engine, "SELECT count(*) FROM facility WHERE id = :i", i=fid) == 1
    restored = client.post(
        f"/collections/posyandu/items/{fid}/restore",
        headers=world.headers("admin", **_if_match(world, fid)),
    )
    assert restored.status_code == 200
    assert client.get(f"/collections/posyandu/items/{fid}").status_code == 200
    operations = [
        v["operation"]
        for v in client.get(
            f"/collections/posyandu/items/{fid}/history", headers=world.headers("planner")
        ).json()["versions"]
    ]
    assert operations == ["create", "delete", "restore"]


def test_change_log_of_a_kelurahan_includes_points_that_left_it(
    client: TestClient, world: World
) -> None:
    fid = world.point(OWN)
    lon, lat = world.spot(OTHER)
    moved = client.put(
        f"/collections/posyandu/items/{fid}",
        json=feature(lon, lat, nama="Posyandu Pindah Kelurahan"),
        headers=world.headers("admin", **GEOJSON, **_if_match(world, fid)),
    )
    assert moved.status_code == 200
    assert moved.json()["properties"]["kode_kelurahan"] == OTHER
    log = client.get(f"/kelurahan/{OWN}/changes", headers=world.headers("pic_own")).json()
    mine = [c for c in log["changes"] if c["id"] == fid]
    assert [c["operation"] for c in mine] == ["create", "update"]
    assert mine[1]["kelurahan"] == OTHER and mine[1]["previous_kelurahan"] == OWN
    assert mine[1]["moved_m"] > 100
    csv_text = client.get(
        f"/kelurahan/{OWN}/changes?f=csv&lang=en", headers=world.headers("pic_own")
    ).content.decode("utf-8")
    header = csv_text.splitlines()[0]
    # English: RFC 4180's ',' (Bahasa's ';' is the default)
    assert header.startswith("\ufeffchanged_at,layer,id,version,operation,changed_by")
    assert any(
        line.startswith(f"{m['changed_at']},posyandu,{fid},2,updated")
        for m in mine[1:]
        for line in csv_text.splitlines()
    )
    bad_date = client.get(f"/kelurahan/{OWN}/changes?since=kemarin", headers=world.headers("admin"))
    assert bad_date.status_code == 400


def test_pic_reads_drafts_and_restricted_attributes_of_its_own_kelurahan_only(
    client: TestClient, world: World
) -> None:
    own = world.point(OWN, status="draft", nama="Posyandu Draf Sendiri", kontak="0812345678")
    other = world.point(OTHER, status="draft", nama="Posyandu Draf Lain", kontak="0812345679")
    published = world.point(OTHER, nama="Posyandu Terbit Lain", kontak="0812345670")
    page = client.get(
        "/collections/posyandu/items",
        params={"limit": 10000, "status": "draft"},
        headers=world.headers("pic_own"),
    ).json()
    ids = {f["id"] for f in page["features"]}
    assert own in ids and other not in ids
    seen = client.get(
        f"/collections/posyandu/items/{published}", headers=world.headers("pic_own")
    ).json()["properties"]
    assert "kontak" not in seen  # another kelurahan: the public attributes only
    mine = client.get(f"/collections/posyandu/items/{own}", headers=world.headers("pic_own"))
    assert mine.json()["properties"]["kontak"] == "0812345678"


@pytest.fixture(scope="module")
def restricted_points(world: World) -> dict[str, int]:
    """A draft and a published point with a restricted attribute in each kelurahan."""
    return {
        f"{status}_{side}": world.point(
            kelurahan, status=status, nama=f"Posyandu Unduh {status} {side}", kontak=f"08{n}"
        )
        for n, (status, side, kelurahan) in enumerate(
            (s, side, k)
            for s in ("draft", "verified")
            for side, k in (("own", OWN), ("other", OTHER))
        )
    }


def _downloaded(answer: Any, output: str) -> dict[int, dict[str, Any]]:
    """A page of items in any format, as properties by id (an empty cell is None)."""
    import io

    import geopandas as gpd
    import openpyxl

    if output == "json":
        return {f["id"]: f["properties"] for f in answer.json()["features"]}
    if output == "csv":
        rows: list[dict[str, Any]] = read_csv(answer.content, "id")
    elif output == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).worksheets[0]
        header = [c.value for c in sheet[1]]
        rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(2, values_only=True)]
    else:
        frame = gpd.read_file(io.BytesIO(answer.content))
        assert frame.crs.to_epsg() == 4326 and (frame.geom_type == "Point").all()
        rows = frame.drop(columns="geometry").astype(object).to_dict("records")
    return {
        int(row.pop("id")): {k: None if v in ("", None) or v != v else v for k, v in row.items()}
        for row in rows
    }


#: Per role: which of the four points it gets, and whose kontak (the restricted attribute).
SEES = {
    "anonymous": ({"verified_own", "verified_other"}, set()),
    "pic_own": ({"draft_own", "verified_own", "verified_other"}, {"draft_own", "verified_own"}),
    "pic_other": (
        {"draft_other", "verified_own", "verified_other"},
        {"draft_other", "verified_other"},
    ),
    "planner": (
        {"draft_own", "draft_other", "verified_own", "verified_other"},
        {"draft_own", "draft_other", "verified_own", "verified_other"},
    ),
    "admin": (
        {"draft_own", "draft_other", "verified_own", "verified_other"},
        {"draft_own", "draft_other", "verified_own", "verified_other"},
    ),
}


@pytest.mark.parametrize("output", ["json", "csv", "xlsx", "gpkg"])
@pytest.mark.parametrize("role", ROLES)
def test_downloads_follow_the_viewer_rules_of_the_json(
    client: TestClient, world: World, restricted_points: dict[str, int], role: str, output: str
) -> None:
    """Restricted attributes and unpublished points reach a file only for those who read
    them in the GeoJSON: a PIC in its own kelurahan, planners and admins."""
    ids = ",".join(str(fid) for fid in restricted_points.values())
    answer = client.get(
        "/collections/posyandu/items",
        params={"ids": ids, "f": output, "sortby": "nama"},
        headers=world.headers(role),
    )
    assert answer.status_code == 200, answer.text
    got = _downloaded(answer, output)
    points, contacts = SEES[role]
    by_id = {fid: name for name, fid in restricted_points.items()}
    assert {by_id[fid] for fid in got} == points
    assert {by_id[fid] for fid, props in got.items() if props.get("kontak")} == contacts
    for fid, props in got.items():
        assert props["nama"] == f"Posyandu Unduh {by_id[fid].replace('_', ' ')}"
        if by_id[fid] in contacts:
            assert props["kontak"] == f"08{list(restricted_points).index(by_id[fid])}"
    if role == "anonymous" and output != "json":
        assert not {"kontak", "status", "versi"} & set(next(iter(got.values())))


@pytest.mark.parametrize(("collection", "status"), [("kelurahan", 405), ("puskesmas", 404)])
def test_writes_on_boundaries_are_405_and_on_unknown_collections_404(
    client: TestClient, world: World, collection: str, status: int
) -> None:
    response = client.post(
        f"/collections/{collection}/items",
        json=feature(112.0, -7.8, nama="x"),
        headers=world.headers("admin", **GEOJSON),
    )
    assert response.status_code == status
    if status == 405:
        assert response.headers["allow"] == "GET, HEAD"


@pytest.mark.usefixtures("world")
def test_history_rows_match_versions(engine: Engine) -> None:
    with engine.connect() as conn:
        gaps = conn.execute(
            text(
                "SELECT count(*) FROM facility f WHERE f.version <> "
                "(SELECT count(*) FROM facility_history h WHERE h.facility_id = f.id)"
            )
        ).scalar_one()
    assert gaps == 0


def test_submissions_queue_per_kelurahan(client: TestClient, world: World) -> None:
    own = world.point(OWN, status="submitted", nama="Posyandu Antre Sendiri")
    other = world.point(OTHER, status="submitted", nama="Posyandu Antre Lain")

    def queue(role: str, query: str = "") -> dict[str, list[dict[str, Any]]]:
        response = client.get(f"/submissions{query}", headers=world.headers(role))
        assert response.status_code == 200, response.text
        return {k["kelurahan"]: k["points"] for k in response.json()["kelurahan"]}

    admin = queue("admin")
    assert own in [p["id"] for p in admin[OWN]] and other in [p["id"] for p in admin[OTHER]]
    point = next(p for p in admin[OWN] if p["id"] == own)
    assert point["name"] == "Posyandu Antre Sendiri" and point["etag"] == '"1"'
    assert set(queue("pic_own")) == {OWN}
    assert set(queue("admin", "?kode=35.71.02")) == {OTHER}
    assert client.get("/submissions").status_code == 401
    assert client.get("/submissions?kode=abc", headers=world.headers("admin")).status_code == 400


def test_kantor_name_is_checked_against_its_kelurahan_on_edits(
    client: TestClient, world: World
) -> None:
    with world.engine.connect() as conn:
        office = conn.execute(
            text(
                "SELECT id FROM facility WHERE layer_id = 'kantor_kelurahan' "
                "AND kelurahan_code = :k"
            ),
            {"k": OWN},
        ).scalar_one()
    url = f"/collections/kantor_kelurahan/items/{office}"

    def rename(name: str, query: str = "") -> Any:
        return client.patch(
            url + query,
            json={"properties": {"nama": name}},
            headers=world.headers(
                "pic_own",
                **{"Content-Type": "application/merge-patch+json"},
                **{"If-Match": f'"{world.version(office)}"'},
            ),
        )

    other = rename("KANTOR LURAH SEMAMPIR")
    assert other.status_code == 422
    assert other.json()["errors"] == [
        {
            "field": "nama",
            "message": "nama 'KANTOR LURAH SEMAMPIR' menyebut Semampir (35.71.02.1001), tetapi "
            "titiknya berada di Bandar Lor (35.71.01.1001); periksa letak titik atau namanya",
        }
    ]
    no_place = rename("GEDUNG KANTOR LURAH")
    assert no_place.status_code == 409
    problem = no_place.json()
    assert (problem["problem"], problem["field"], problem["confirm"]) == (
        "name.no_place",
        "nama",
        "allow_duplicate=true",
    )
    assert problem["detail"] == (
        "Periksa nama: nama 'GEDUNG KANTOR LURAH' tidak menyebut kelurahan; titiknya berada di "
        "Bandar Lor (35.71.01.1001). Jika memang benar, simpan sekali lagi untuk menegaskannya."
    )
    assert rename("GEDUNG KANTOR LURAH", "?allow_duplicate=true").status_code == 200
    assert rename("Kantor Kelurahan Bandar Lorr").status_code == 200  # a variant: accepted


def test_import_duplicates_of_stored_points_wait_in_the_quality_queue(
    client: TestClient, world: World, tmp_path: Path
) -> None:
    from geoservice.catalog import load_catalog
    from geoservice.services.imports.facilities import import_facilities

    stored = world.point(OTHER, nama="Posyandu Kenanga 2")
    with world.engine.connect() as conn:
        lon, lat = conn.execute(
            text("SELECT ST_X(geom), ST_Y(geom) FROM facility WHERE id = :i"), {"i": stored}
        ).one()
    path = tmp_path / "posyandu.csv"
    path.write_text(f"nama,lat,lon\nPosyandu Kenanga Dua,{lat + 0.0001},{lon}\n")
    catalog = load_catalog(world.settings.layers_dir)
    report = import_facilities(world.engine, catalog.layers["posyandu"], path)
    assert (report.inserted, report.reviews) == (1, 1)

    answers = {role: client.get("/quality", headers=world.headers(role)) for role in ROLES}
    assert answers["anonymous"].status_code == 401
    assert answers["pic_own"].json() == {"items": []}
    (item,) = answers["admin"].json()["items"]
    assert item["point"]["name"] == "Posyandu Kenanga Dua"
    assert (item["kind"], item["kelurahan"], item["kelurahan_name"], item["other"]) == (
        "near_duplicate",
        OTHER,
        "Semampir",
        {"id": stored, "name": "Posyandu Kenanga 2"},
    )
    assert item["source"] == "posyandu.csv" and 10 < item["distance_m"] < 12
    assert answers["pic_other"].json()["items"] == [item]
    assert answers["planner"].json()["items"] == [item]
