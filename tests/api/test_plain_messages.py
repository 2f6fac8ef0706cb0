"""Every message a person can see is written for that person (issue 21): the problems of the
editing, account and import routes, provoked one by one, name fields by their titles and
kelurahan by their names, and hold no regular expression, API parameter name, English word in
Bahasa text, Python repr or raw message key."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.api.editing_world import GEOJSON, OTHER, OWN, World, feature

#: what a person must never read: a regular expression, an API name, a Python repr, a key
JARGON = [
    r"\^.*\$",
    r"\[0-9",
    r"allow_duplicate",
    r"If-Match",
    r"body\.",
    r"\bquery\.",
    r"String should",
    r"Input should",
    r"\['",
    r"\b[a-z]+\.[a-z_]+\.[a-z_]+\b",  # a message key such as edit.near_duplicate
    r"\bNone\b",
    r"Traceback",
]
#: English words that must not appear in Bahasa text
ENGLISH = ["the", "must", "should", "invalid", "required", "field", "value", "error", "not"]


def _check(text: str, where: str) -> None:
    for pattern in JARGON:
        assert not re.search(pattern, text), f"{where}: {pattern!r} in {text!r}"
    words = set(re.findall(r"[A-Za-z]+", text.lower()))
    english = words & set(ENGLISH)
    assert not english, f"{where}: English {english} in {text!r}"


def _texts(body: dict[str, Any]) -> list[str]:
    texts = [body.get("title", ""), body.get("detail", "")]
    texts += [e.get("message", "") for e in body.get("errors", []) if isinstance(e, dict)]
    return [t for t in texts if t]


Case = Callable[[TestClient, World], httpx.Response]


def _post(client: TestClient, world: World, role: str, body: Any, path: str = "") -> httpx.Response:
    return client.post(
        f"/collections/posyandu/items{path}", json=body, headers=world.headers(role, **GEOJSON)
    )


CASES: dict[str, Case] = {
    "required and enum and range": lambda c, w: _post(
        c, w, "pic_own", feature(*w.spot(OWN), strata="Besar", rw=0)
    ),
    "pattern": lambda c, w: _post(c, w, "pic_own", feature(*w.spot(OWN), nama="A", kontak="x?")),
    "unknown attribute": lambda c, w: _post(c, w, "pic_own", feature(*w.spot(OWN), nama="A", x=1)),
    "other kelurahan": lambda c, w: _post(c, w, "pic_own", feature(*w.spot(OTHER), nama="Satu")),
    "outside Indonesia": lambda c, w: _post(c, w, "pic_own", feature(10.0, 50.0, nama="Jauh")),
    "not a feature": lambda c, w: _post(c, w, "pic_own", {"type": "Point"}),
    "no If-Match": lambda c, w: c.put(
        f"/collections/posyandu/items/{w.point(OWN)}",
        json=feature(*w.spot(OWN), nama="Tanpa Versi"),
        headers=w.headers("pic_own", **GEOJSON),
    ),
    "stale If-Match": lambda c, w: c.put(
        f"/collections/posyandu/items/{w.point(OWN)}",
        json=feature(*w.spot(OWN), nama="Versi Lama"),
        headers=w.headers("pic_own", **GEOJSON, **{"If-Match": '"7"'}),
    ),
    "planner writes": lambda c, w: _post(c, w, "planner", feature(*w.spot(OWN), nama="Dua")),
    "anonymous writes": lambda c, w: _post(c, w, "anonymous", feature(*w.spot(OWN), nama="Tiga")),
    "reject without reason": lambda c, w: c.post(
        f"/collections/posyandu/items/{w.point(OWN, status='submitted')}/reject",
        json={"reason": ""},
        headers=w.headers("admin", **{"If-Match": '"1"'}),
    ),
    "account with a bad code": lambda c, w: c.post(
        "/users",
        json={
            "username": "pic.baru",
            "role": "pic",
            "password": "kopi-hujan-sawah-17",
            "kelurahan": ["35.71"],
        },
        headers=w.headers("admin"),
    ),  # fmt: skip
    "account with a weak password": lambda c, w: c.post(
        "/users",
        json={"username": "pic.baru", "role": "pic", "password": "password12"},
        headers=w.headers("admin"),
    ),
    "account with an unknown role": lambda c, w: c.post(
        "/users",
        json={"username": "pic.baru", "role": "lurah", "password": "kopi-hujan-sawah-17"},
        headers=w.headers("admin"),
    ),
    "grant an unknown kelurahan": lambda c, w: c.put(
        "/users/pic.own/kelurahan/35.71.09.1999", headers=w.headers("admin")
    ),
    "import without a file": lambda c, w: c.post(
        "/indicators/import", data={"period": "2025"}, headers=w.headers("planner")
    ),
    "import of a wrong kind of file": lambda c, w: c.post(
        "/indicators/import",
        files={"file": ("data.pdf", b"%PDF", "application/pdf")},
        headers=w.headers("planner"),
    ),
    "import of a broken workbook": lambda c, w: c.post(
        "/indicators/import",
        files={"file": ("data.xlsx", b"PK\x03\x04 rusak", "application/octet-stream")},
        headers=w.headers("planner"),
    ),
    "import with bad rows": lambda c, w: c.post(
        "/indicators/import",
        files={
            "file": (
                "data.csv",
                b"kode;periode;penduduk\n35.71.01.1001;2025;1234.5\nAntah Berantah;2025;10\n",
                "text/csv",
            )
        },
        headers=w.headers("planner"),
    ),  # fmt: skip
}


@pytest.mark.parametrize("case", list(CASES))
def test_problems_read_as_plain_bahasa(client: TestClient, world: World, case: str) -> None:
    answer = CASES[case](client, world)
    assert 400 <= answer.status_code < 500, (case, answer.status_code, answer.text)
    body = answer.json()
    texts = _texts(body)
    assert texts, body
    for text in texts:
        _check(text, case)


def test_a_bad_code_is_explained_with_an_example(client: TestClient, world: World) -> None:
    answer = CASES["account with a bad code"](client, world)
    assert answer.status_code == 400
    assert "\u201c35.71\u201d bukan kode Kemendagri" in answer.json()["detail"]
    assert answer.json()["errors"][0]["loc"] == ["body", "kelurahan", "0"]  # for programs
