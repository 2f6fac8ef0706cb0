"""The profile API: forms listed, values read with an ETag, written with a merge patch and
If-Match, submitted, verified and rejected; every role against its own and another kelurahan;
restricted fields never reach anonymous readers."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.editing_world import OTHER, OWN, ROLES, World

PATCH = {"Content-Type": "application/merge-patch+json"}
FORM = "profil_kelurahan"
COMPLETE = {
    "batas_utara": "Kel. Ngronggo",
    "batas_selatan": "Kel. Semampir",
    "batas_timur": "Sungai Brantas",
    "batas_barat": "Kel. Pocanan",
    "jumlah_rw": 4,
    "jumlah_rt": 19,
    "jumlah_kk": 1250,
    "jumlah_kk_miskin": 130,
}
#: a fresh period for every test that writes, so tests do not see each other's profiles
_PERIODS = itertools.count(2031)


def url(code: str = OWN, period: int | str | None = None, step: str = "") -> str:
    query = "" if period is None else f"?period={period}"
    return f"/kelurahan/{code}/profile/{FORM}{'/' + step if step else ''}{query}"


def put_values(
    client: TestClient,
    world: World,
    role: str,
    code: str,
    period: int,
    values: dict[str, Any],
    etag: str = '"0"',
) -> Any:
    return client.patch(
        url(code, period),
        json={"values": values},
        headers=world.headers(role, **PATCH, **{"If-Match": etag}),
    )


def test_forms_are_listed_with_their_fields(client: TestClient, world: World) -> None:
    anonymous = client.get("/profiles").json()["forms"]
    signed_in = client.get("/profiles", headers=world.headers("planner")).json()["forms"]
    [form] = [f for f in signed_in if f["id"] == FORM]
    fields = {f["id"]: f for s in form["sections"] for f in s["fields"]}
    assert form["period"] == "yearly" and form["sample"] is True
    assert fields["jumlah_rt"]["kode_referensi"] == "PK-2.1.2"
    assert fields["jumlah_rt"]["unit"] == "RT" and fields["jumlah_rt"]["derived"] is False
    assert fields["jumlah_rt_peta"]["derived"] is True
    assert fields["jumlah_kk_miskin"]["visibility"] == "restricted"
    [public] = [f for f in anonymous if f["id"] == FORM]
    public_fields = {f["id"] for s in public["sections"] for f in s["fields"]}
    assert public_fields == set(fields) - {"jumlah_kk_miskin"}


#: who may change the profile of OWN (the PIC of OTHER, planners and anonymous may not)
WRITE = {"anonymous": 401, "pic_own": 200, "pic_other": 403, "planner": 403, "admin": 200}


@pytest.mark.parametrize("role", ROLES)
def test_write_matrix(client: TestClient, world: World, role: str) -> None:
    period = next(_PERIODS)
    answer = put_values(client, world, role, OWN, period, {"jumlah_rw": 3})
    assert answer.status_code == WRITE[role], answer.text
    if answer.status_code == 200:
        assert answer.headers["ETag"] == '"1"'
        assert answer.json()["values"] == {"jumlah_rw": 3}
        assert answer.json()["status"] == "draft"
    else:
        assert answer.headers["content-type"] == "application/problem+json"


#: submit: the kelurahan's editors; verify and reject: admins only
STEPS = {
    "submit": {"anonymous": 401, "pic_own": 200, "pic_other": 403, "planner": 403, "admin": 200},
    "verify": {"anonymous": 401, "pic_own": 403, "pic_other": 403, "planner": 403, "admin": 200},
    "reject": {"anonymous": 401, "pic_own": 403, "pic_other": 403, "planner": 403, "admin": 200},
}


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("role", ROLES)
def test_workflow_matrix(client: TestClient, world: World, role: str, step: str) -> None:
    period = next(_PERIODS)
    assert put_values(client, world, "pic_own", OWN, period, COMPLETE).status_code == 200
    etag = '"1"'
    if step != "submit":
        submitted = client.post(
            url(OWN, period, "submit"), headers=world.headers("pic_own", **{"If-Match": etag})
        )
        assert submitted.status_code == 200, submitted.text
        etag = submitted.headers["ETag"]
    answer = client.post(
        url(OWN, period, step),
        json={"reason": "Jumlah RT belum sesuai peta"},
        headers=world.headers(role, **{"If-Match": etag}),
    )
    assert answer.status_code == STEPS[step][role], answer.text
    if answer.status_code == 200:
        status = {"submit": "submitted", "verify": "verified", "reject": "rejected"}[step]
        assert answer.json()["status"] == status


#: what each role reads of OWN's profile: the current draft, or the public verified view
READ = {
    "anonymous": "public",
    "pic_own": "internal",
    "pic_other": "public",
    "planner": "internal",
    "admin": "internal",
}


def _values(document: Any) -> list[Any]:
    """Every scalar of a JSON document, at any depth."""
    if isinstance(document, dict):
        return [v for value in document.values() for v in _values(value)]
    if isinstance(document, list):
        return [v for value in document for v in _values(value)]
    return [document]


@pytest.mark.parametrize("role", ROLES)
def test_read_matrix_and_restricted_fields(client: TestClient, world: World, role: str) -> None:
    period = next(_PERIODS)
    assert put_values(client, world, "pic_own", OWN, period, COMPLETE).status_code == 200
    client.post(url(OWN, period, "submit"), headers=world.headers("pic_own", **{"If-Match": '"1"'}))
    verified = client.post(
        url(OWN, period, "verify"), headers=world.headers("admin", **{"If-Match": '"2"'})
    )
    assert verified.status_code == 200, verified.text
    # a newer draft after the verification: only internal readers see it
    changed = put_values(client, world, "pic_own", OWN, period, {"jumlah_rt": 20}, '"3"')
    assert changed.status_code == 200, changed.text
    answer = client.get(url(OWN, period), headers=world.headers(role))
    assert answer.status_code == 200
    body = answer.json()
    if READ[role] == "internal":
        assert body["values"]["jumlah_rt"] == 20 and body["status"] == "draft"
        assert body["values"]["jumlah_kk_miskin"] == 130
        assert body["changes_since_verified"] == [{"field": "jumlah_rt", "old": 19, "new": 20}]
        assert answer.headers["ETag"] == '"4"'
    else:
        assert body["status"] == "verified" and body["values"]["jumlah_rt"] == 19
        assert "jumlah_kk_miskin" not in body["values"]
        # the restricted value nowhere in the answer (as a value: "130" can be part of a
        # timestamp's microseconds)
        assert 130 not in _values(body) and "miskin" not in answer.text
        assert {"version", "differences", "previous", "changes_since_verified"}.isdisjoint(body)
        assert answer.headers["ETag"] == '"p3"'
    again = client.get(
        url(OWN, period), headers=world.headers(role, **{"If-None-Match": answer.headers["ETag"]})
    )
    assert again.status_code == 304


def test_nothing_verified_reads_as_empty_for_the_public(client: TestClient, world: World) -> None:
    period = next(_PERIODS)
    assert put_values(client, world, "pic_own", OWN, period, COMPLETE).status_code == 200
    body = client.get(url(OWN, period)).json()
    assert body["values"] == {} and body["status"] is None


def test_if_match_is_required_and_checked(client: TestClient, world: World) -> None:
    period = next(_PERIODS)
    headers = world.headers("pic_own", **PATCH)
    missing = client.patch(url(OWN, period), json={"values": {"jumlah_rw": 2}}, headers=headers)
    assert missing.status_code == 428
    assert put_values(client, world, "pic_own", OWN, period, {"jumlah_rw": 2}).status_code == 200
    stale = put_values(client, world, "pic_own", OWN, period, {"jumlah_rw": 5})  # If-Match "0"
    assert stale.status_code == 412 and stale.json()["current_etag"] == '"1"'
    star = client.patch(url(OWN, period), json={"values": {}}, headers={**headers, "If-Match": "*"})
    assert star.status_code == 428
    step = client.post(url(OWN, period, "submit"), headers=world.headers("pic_own"))
    assert step.status_code == 428


def test_unknown_fields_and_bad_values_are_named_in_plain_words(
    client: TestClient, world: World
) -> None:
    period = next(_PERIODS)
    answer = put_values(
        client,
        world,
        "pic_own",
        OWN,
        period,
        {"jumlah_rw": "empat", "jumlah_rt": -1, "warna": "merah", "luas_wilayah_km2": 3},
    )
    assert answer.status_code == 422
    errors = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert errors == {
        "jumlah_rw": "Jumlah RW: isi dengan bilangan bulat, misalnya 12.",
        "jumlah_rt": "Jumlah RT: paling sedikit 1.",
        "warna": "'warna': isian ini tidak ada dalam formulir.",
        "luas_wilayah_km2": "Luas wilayah (dari peta): angka ini dihitung otomatis dari peta "
        "dan data lain, jadi tidak perlu diisi.",
    }
    english = client.patch(
        url(OWN, period) + "&lang=en",
        json={"values": {"jumlah_rw": 0}},
        headers=world.headers("pic_own", **PATCH, **{"If-Match": '"0"'}),
    )
    assert english.json()["errors"] == [
        {"field": "jumlah_rw", "message": "Number of RW: must be at least 1."}
    ]


def test_submit_asks_for_every_required_field(client: TestClient, world: World) -> None:
    period = next(_PERIODS)
    assert put_values(client, world, "pic_own", OWN, period, {"jumlah_rw": 4}).status_code == 200
    answer = client.post(
        url(OWN, period, "submit"), headers=world.headers("pic_own", **{"If-Match": '"1"'})
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [
        "batas_utara",
        "batas_selatan",
        "batas_timur",
        "batas_barat",
        "jumlah_rt",
        "jumlah_kk",
    ]
    assert answer.json()["errors"][0]["message"] == "Batas sebelah utara: wajib diisi."


def test_merge_patch_clears_with_null_and_keeps_the_rest(client: TestClient, world: World) -> None:
    period = next(_PERIODS)
    put_values(client, world, "pic_own", OWN, period, {"jumlah_rw": 4, "jumlah_rt": 19})
    answer = put_values(client, world, "pic_own", OWN, period, {"jumlah_rt": None}, '"1"')
    assert answer.json()["values"] == {"jumlah_rw": 4}
    same = put_values(client, world, "pic_own", OWN, period, {"jumlah_rw": 4}, '"2"')
    assert same.headers["ETag"] == '"2"'  # nothing changed: no new version
    for body in ([1], {"values": [1]}, {"values": {}, "status": "verified"}):
        bad = client.patch(
            url(OWN, period),
            json=body,
            headers=world.headers("pic_own", **PATCH, **{"If-Match": '"2"'}),
        )
        assert bad.status_code == 400, body


def test_reject_needs_a_reason_and_history_keeps_every_version(
    client: TestClient, world: World
) -> None:
    period = next(_PERIODS)
    put_values(client, world, "pic_own", OWN, period, COMPLETE)
    client.post(url(OWN, period, "submit"), headers=world.headers("pic_own", **{"If-Match": '"1"'}))
    headers = world.headers("admin", **{"If-Match": '"2"'})
    no_reason = client.post(url(OWN, period, "reject"), json={"reason": " "}, headers=headers)
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    rejected = client.post(
        url(OWN, period, "reject"), json={"reason": "RT 19? peta 0"}, headers=headers
    )
    assert rejected.json()["rejection_reason"] == "RT 19? peta 0"
    twice = client.post(
        url(OWN, period, "verify"), headers=world.headers("admin", **{"If-Match": '"3"'})
    )
    assert twice.status_code == 409
    fixed = put_values(client, world, "pic_own", OWN, period, {"jumlah_rt": 18}, '"3"')
    assert fixed.json()["status"] == "draft" and fixed.json()["rejection_reason"] is None
    history = client.get(url(OWN, period, "history"), headers=world.headers("pic_own")).json()
    assert [(v["version"], v["operation"], v["changed_by"]) for v in history["versions"]] == [
        (1, "create", "pic.own"),
        (2, "submit", "pic.own"),
        (3, "reject", "admin.uji"),
        (4, "update", "pic.own"),
    ]
    assert history["versions"][3]["changes"] == [{"field": "jumlah_rt", "old": 19, "new": 18}]
    other = client.get(url(OWN, period, "history"), headers=world.headers("pic_other"))
    assert other.status_code == 403


def test_the_walidata_queue_shows_changed_fields(client: TestClient, world: World) -> None:
    period = next(_PERIODS)
    put_values(client, world, "pic_own", OWN, period, {**COMPLETE, "jumlah_rt": 17})
    client.post(url(OWN, period, "submit"), headers=world.headers("pic_own", **{"If-Match": '"1"'}))
    queue = client.get("/profiles/submissions", headers=world.headers("admin")).json()["profiles"]
    [item] = [p for p in queue if p["period"] == str(period)]
    assert item["kelurahan"]["kode"] == OWN and item["etag"] == '"2"'
    # compared with the last verified profile of an earlier period: what changed since
    [rt] = [c for c in item["changes"] if c["field"] == "jumlah_rt"]
    assert rt["new"] == 17 and rt["old"] in (19, 24)
    review = client.get("/review", headers=world.headers("admin")).text
    assert "Profil menunggu verifikasi" in review
    assert f"profil?kelurahan={OWN}&form={FORM}&period={period}" in review
    theirs = client.get("/profiles/submissions", headers=world.headers("pic_other")).json()
    assert all(p["kelurahan"]["kode"] == OTHER for p in theirs["profiles"])
    assert client.get("/profiles/submissions").status_code == 401


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/kelurahan/{OWN}/profile/profil_lain", 404),
        (f"/kelurahan/35.71.01.1999/profile/{FORM}", 404),
        (f"/kelurahan/35.71/profile/{FORM}", 400),
        (f"/kelurahan/{OWN}/profile/{FORM}?period=2025-Q1", 400),
    ],
)
def test_unknown_form_kelurahan_or_period(client: TestClient, path: str, status: int) -> None:
    answer = client.get(path)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 303), ("pic_own", 200), ("pic_other", 200), ("planner", 200), ("admin", 200)],
)
def test_the_profile_page(client: TestClient, world: World, role: str, status: int) -> None:
    answer = client.get(f"/profil?kelurahan={OWN}", headers=world.headers(role),
                        follow_redirects=False)  # fmt: skip
    assert answer.status_code == status
    if status == 303:
        assert answer.headers["location"].startswith("/login?")
        return
    page = answer.text
    assert "Batas dan luas wilayah" in page and 'id="f-jumlah_rt"' in page
    assert page.count('<fieldset class="section"') == 4
    assert "profile.js" in page and "<script>" not in page
