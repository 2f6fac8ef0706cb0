"""The walidata's review shows what a submission holds and what changed since the version the
public sees: attributes old → new and metres moved (issue 21)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api.editing_world import OWN, World, sign_in


def _submit_a_change(client: TestClient, world: World) -> int:
    """A published posyandu that its PIC renames, gives an address, moves 60 m and submits."""
    fid = world.point(OWN, status="verified", nama="Posyandu Mawar", alamat="Jl. Lama 1")
    lon, lat = world.spot(OWN)
    pic = world.headers("pic_own")
    changed = client.put(
        f"/collections/posyandu/items/{fid}",
        json={
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"nama": "Posyandu Mawar Indah", "alamat": None, "rw": 3},
        },
        headers={**pic, "If-Match": '"1"', "Content-Type": "application/geo+json"},
    )
    assert changed.status_code == 200, changed.text
    submitted = client.post(
        f"/collections/posyandu/items/{fid}/submit", headers={**pic, "If-Match": '"2"'}
    )
    assert submitted.status_code == 200, submitted.text
    return fid


def test_the_queue_says_what_changed_since_the_published_version(
    client: TestClient, world: World
) -> None:
    fid = _submit_a_change(client, world)
    new = world.point(OWN, status="submitted", nama="Posyandu Baru Sekali")
    queue = client.get("/submissions", headers=world.headers("admin")).json()["kelurahan"]
    points = {p["id"]: p for k in queue for p in k["points"]}
    changed = points[fid]
    assert changed["properties"]["nama"] == "Posyandu Mawar Indah"
    published = changed["published"]
    assert {(c["property"], c["old"], c["new"]) for c in published["changes"]} == {
        ("nama", "Posyandu Mawar", "Posyandu Mawar Indah"),
        ("alamat", "Jl. Lama 1", None),
        ("rw", None, 3),
    }
    assert published["moved_m"] > 50  # the world's spots are at least 60 m apart
    assert points[new]["published"] is None  # never published: a new point


def test_the_review_page_shows_old_and_new(client: TestClient, world: World) -> None:
    fid = _submit_a_change(client, world)
    assert sign_in(client, "admin.uji").status_code == 303
    page = client.get("/review").text
    item = re.search(
        rf'data-id="{fid}".*?</li>\s*</ul>|data-id="{fid}".*?class="result"', page, re.S
    )
    assert item is not None
    text = item.group(0)
    assert "<del>Posyandu Mawar</del> → <ins>Posyandu Mawar Indah</ins>" in text
    assert "<del>Jl. Lama 1</del> → <ins>(kosong)</ins>" in text
    assert "Dipindah" in text and " m</li>" in text
    assert "<dt>Nama posyandu</dt><dd>Posyandu Mawar Indah</dd>" in text
