"""Progress of the data collection on a world built here: two kelurahan of Kota Kediri emptied
of the demo's points, then given exact points and a profile; campaigns written for the test
(one past its deadline, two still open). Every figure is reconciled with raw counts; roles
against the JSON and the public view; the quality queue finds the RT gap and the doubled RT,
and a decision is never asked again."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from geoservice.services.progress.figures import today
from geoservice.settings import PROJECT_ROOT
from tests.api.editing_world import OTHER, OWN, ROLES, World, build_world
from tests.support import app_client

PATCH = {"Content-Type": "application/merge-patch+json"}
FORM = "profil_kelurahan"
DAY = today()


def _campaigns(folder: Path) -> None:
    folder.mkdir()
    due_past = DAY - dt.timedelta(days=10)
    due_open = DAY + dt.timedelta(days=30)
    files = {
        "uji_posyandu": {
            "title": {"id": "Uji posyandu"}, "target": "posyandu", "scope": [OWN, OTHER],
            "expected": 3, "due": due_past.isoformat(), "timely_days": 2,
            "frekuensi": "yearly",
        },
        "uji_rt": {
            "title": {"id": "Uji RT"}, "target": "rt", "scope": [OWN, OTHER],
            "expected": {"from_profile": "jumlah_rt"}, "due": due_open.isoformat(),
            "frekuensi": "quarterly",
            "numbering": {"number": "rt", "within": "rw", "within_expected": "jumlah_rw"},
        },
        "uji_profil": {
            "title": {"id": "Uji profil"}, "target": FORM, "scope": [OWN, OTHER],
            "due": due_open.isoformat(),
        },
    }  # fmt: skip
    for name, body in files.items():
        (folder / f"{name}.yaml").write_text(json.dumps({"id": name, **body}))


@pytest.fixture(scope="module")
def layers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("progress") / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", folder, ignore=shutil.ignore_patterns("campaigns"))
    _campaigns(folder / "campaigns")
    return folder


def _point(engine: Engine, layer: str, lon: float, lat: float, status: str, **attrs: Any) -> int:
    with engine.begin() as conn:
        return int(
            conn.execute(
                text(
                    "INSERT INTO facility (layer_id, geom, attributes, status, created_by,"
                    " updated_by) VALUES (:l, ST_SetSRID(ST_MakePoint(:x, :y), 4326),"
                    " CAST(:a AS jsonb), :s, 'uji', 'uji') RETURNING id"
                ),
                {"l": layer, "x": lon, "y": lat, "a": json.dumps(attrs), "s": status},
            ).scalar_one()
        )


@pytest.fixture(scope="module")
def built(engine: Engine, database_url: str, layers: Path) -> Iterator[tuple[World, TestClient]]:
    world = build_world(engine, database_url)
    with engine.begin() as conn:
        conn.execute(
            text("DELETE FROM facility WHERE kelurahan_code = ANY(:c)"), {"c": [OWN, OTHER]}
        )
    lon, lat = world.spot(OWN)
    ids = {
        "melati": _point(engine, "posyandu", lon, lat, "verified", nama="Posyandu Melati 1"),
        # 3 m away, the same name written differently: a near-duplicate
        "melati2": _point(
            engine, "posyandu", lon + 0.00003, lat, "verified", nama="Posyandu Melati Satu"
        ),
    }
    others = [("verified", "Posyandu Mawar"), ("submitted", "Posyandu Anggrek"),
              ("draft", "Posyandu Kenanga"), ("rejected", "Posyandu Dahlia")]  # fmt: skip
    for status, name in others:
        ids[name] = _point(engine, "posyandu", *world.spot(OWN), status, nama=name)
    # RT: RW 1 has RT 1 twice and RT 3 (RT 2 missing); RW 2 has none
    ids["rt1"] = _point(engine, "rt", *world.spot(OWN), "verified", rt=1, rw=1, nama="RT 1")
    ids["rt1b"] = _point(engine, "rt", *world.spot(OWN), "submitted", rt=1, rw=1, nama="RT 1b")
    ids["rt3"] = _point(engine, "rt", *world.spot(OWN), "verified", rt=3, rw=1, nama="RT 3")
    with app_client(database_url, layers_dir=layers) as client:
        period = str(DAY.year)
        url = f"/kelurahan/{OWN}/profile/{FORM}?period={period}"
        values = {"batas_utara": "Kel. Ngronggo", "batas_selatan": "Kel. Semampir",
                  "batas_timur": "Sungai Brantas", "batas_barat": "Kel. Pocanan",
                  "jumlah_rw": 2, "jumlah_rt": 3, "jumlah_kk": 300}  # fmt: skip
        put = client.patch(
            url,
            json={"values": values},
            headers=world.headers("pic_own", **PATCH, **{"If-Match": '"0"'}),
        )
        assert put.status_code == 200, put.text
        sent = client.post(
            url.replace("?", "/submit?"),
            headers=world.headers("pic_own", **{"If-Match": put.headers["ETag"]}),
        )
        assert sent.status_code == 200, sent.text
        done = client.post(
            url.replace("?", "/verify?"),
            headers=world.headers("admin", **{"If-Match": sent.headers["ETag"]}),
        )
        assert done.status_code == 200, done.text
        world.ids = ids  # type: ignore[attr-defined]
        yield world, client


def _areas(client: TestClient, world: World, **query: Any) -> dict[str, Any]:
    answer = client.get("/progress", params={"kode": "35.71", **query},
                        headers=world.headers("admin"))  # fmt: skip
    assert answer.status_code == 200, answer.text
    return {a["kode"]: a for a in answer.json()["areas"]}


def test_the_json_shape_and_exact_figures(built: tuple[World, TestClient], engine: Engine) -> None:
    world, client = built
    areas = _areas(client, world)
    assert set(areas) == {OWN, OTHER}
    own, other = areas[OWN], areas[OTHER]
    assert {"kode", "nama", "layers", "profile", "late_days", "last_change", "pics"} <= set(own)
    assert own["nama"] == "Bandar Lor" and set(own["layers"]) == {"posyandu", "rt"}
    keys = {"verified", "submitted", "draft", "rejected", "expected", "completeness"}
    assert keys <= set(own["layers"]["posyandu"]) and keys <= set(own["profile"][FORM])
    posyandu = own["layers"]["posyandu"]
    assert {k: posyandu[k] for k in keys} == {"verified": 3, "submitted": 1, "draft": 1,
        "rejected": 1, "expected": 3, "completeness": 1.0}  # fmt: skip
    # raw counts agree
    with engine.connect() as conn:
        counted = conn.execute(
            text(
                "SELECT status, count(*) FROM facility WHERE kelurahan_code = :k AND"
                " layer_id = 'posyandu' AND deleted_at IS NULL GROUP BY 1"
            ),
            {"k": OWN},
        )
        raw = {row[0]: row[1] for row in counted}
    assert raw == {"verified": 3, "submitted": 1, "draft": 1, "rejected": 1}
    # completed today, after the deadline (due 10 days ago + 2 days of grace): 8 days late
    assert posyandu["timeliness"] == "late" and posyandu["late_days"] == 8
    assert posyandu["freshness"] == "fresh" and posyandu["last_change"] is not None
    # RT: the expected count is the verified profile's jumlah_rt (3); the doubled RT is waiting
    rt = own["layers"]["rt"]
    assert (rt["expected"], rt["verified"], rt["submitted"]) == (3, 2, 1)
    assert rt["completeness"] == round(2 / 3, 4) and rt["timeliness"] == "open"
    assert own["profile"][FORM]["verified"] == 1 and own["profile"][FORM]["completeness"] == 1.0
    # the kelurahan with nothing: 0 %, overdue for the campaign past its deadline
    nothing = other["layers"]["posyandu"]
    assert (nothing["verified"], nothing["completeness"], nothing["timeliness"]) == (
        0,
        0.0,
        "overdue",
    )
    assert (
        nothing["late_days"] == 8 and other["completeness"] == 0.0 and other["last_change"] is None
    )
    assert other["layers"]["rt"]["expected"] == 1  # no profile: at least one
    assert own["late_days"] == 8 and other["late_days"] == 8
    # the PICs, with their last activity (the profile they wrote)
    assert [p["username"] for p in own["pics"]] == ["pic.own"]
    assert own["pics"][0]["last_activity"] is not None
    assert [p["username"] for p in other["pics"]] == ["pic.other"]
    assert other["pics"][0]["last_activity"] is None


def test_rolled_up_per_kecamatan_and_kota(built: tuple[World, TestClient]) -> None:
    world, client = built
    kecamatan = _areas(client, world, level=3)
    assert set(kecamatan) == {OWN[:8], OTHER[:8]}
    assert kecamatan[OWN[:8]]["layers"]["posyandu"]["kelurahan"] == 1
    kota = _areas(client, world, level=2)["35.71"]["layers"]["posyandu"]
    assert (kota["kelurahan"], kota["expected"], kota["verified"], kota["complete"]) == (2, 6, 3, 1)
    assert (kota["late"], kota["overdue"], kota["completeness"]) == (1, 1, 0.5)
    assert "pics" not in _areas(client, world, level=2)["35.71"]


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_progress(built: tuple[World, TestClient], role: str) -> None:
    world, client = built
    expected = {"anonymous": 401, "pic_own": 403, "pic_other": 403, "planner": 200, "admin": 200}
    for path in ("/progress?kode=35.71", "/progress/quality?kode=35.71"):
        assert client.get(path, headers=world.headers(role)).status_code == expected[role]
    public = client.get("/progress/public?kode=35.71", headers=world.headers(role))
    assert public.status_code == 200
    areas = {a["kode"]: a for a in public.json()["areas"]}
    assert set(areas[OWN]) == {"kode", "nama", "completeness", "campaigns"}
    assert areas[OWN]["campaigns"]["uji_posyandu"] == 1.0 and areas[OTHER]["completeness"] == 0.0
    assert "pic." not in public.text and "uji" not in json.dumps(areas[OWN]["nama"])


def _queue(client: TestClient, world: World) -> dict[str, dict[str, Any]]:
    answer = client.get("/progress/quality?kode=35.71", headers=world.headers("planner"))
    assert answer.status_code == 200, answer.text
    return {i["subject"]: i for i in answer.json()["items"]}


def test_the_quality_queue_finds_gaps_and_doubles(built: tuple[World, TestClient]) -> None:
    world, client = built
    ids = world.ids  # type: ignore[attr-defined]
    items = _queue(client, world)
    assert f"number_missing:{OWN}:rt:1:2" in items  # RT 2 of RW 1
    double = items[f"number_double:{OWN}:rt:1:1"]
    assert sorted(p["id"] for p in double["points"]) == sorted([ids["rt1"], ids["rt1b"]])
    assert double["found"] == 2 and "dipetakan 2 kali" in double["message"]
    assert items[f"group_missing:{OWN}:rt:2"]["expected"] == 2  # RW 2 of 2 has no point
    assert (
        items[f"number_short:{OWN}:rt"]["expected"],
        items[f"number_short:{OWN}:rt"]["found"],
    ) == (3, 2)
    assert f"layer_empty:{OTHER}:posyandu" in items and f"layer_empty:{OTHER}:rt" in items
    pair = items[f"near_duplicate:posyandu:{ids['melati']}:{ids['melati2']}"]
    assert pair["decisions"] == ["merge", "keep_both"] and pair["distance_m"] < 5
    assert not any(k.startswith(f"layer_empty:{OWN}") for k in items)


def test_a_decision_is_never_asked_again(built: tuple[World, TestClient]) -> None:
    world, client = built
    subject = f"number_missing:{OWN}:rt:1:2"
    body = {"subject": subject, "decision": "correct", "note": "RT 2 dilebur ke RT 1"}
    for role, status in [("anonymous", 401), ("pic_own", 403), ("planner", 403)]:
        assert (
            client.post("/progress/quality", json=body, headers=world.headers(role)).status_code
            == status
        )
    wrong = client.post("/progress/quality", json={**body, "decision": "merge"},
                        headers=world.headers("admin"))  # fmt: skip
    assert wrong.status_code == 422
    done = client.post("/progress/quality", json=body, headers=world.headers("admin"))
    assert done.status_code == 200, done.text
    assert done.json()["decided_by"] == "admin.uji"
    assert subject not in _queue(client, world)
    again = client.post("/progress/quality", json=body, headers=world.headers("admin"))
    assert again.status_code == 409
    assert client.post("/progress/quality", json={**body, "subject": "number_missing:x"},
                       headers=world.headers("admin")).status_code == 404  # fmt: skip


def test_a_merge_deletes_the_double_and_the_figures_follow(
    built: tuple[World, TestClient], engine: Engine
) -> None:
    world, client = built
    ids = world.ids  # type: ignore[attr-defined]
    subject = f"near_duplicate:posyandu:{ids['melati']}:{ids['melati2']}"
    merged = client.post("/progress/quality", json={"subject": subject, "decision": "merge"},
                         headers=world.headers("admin"))  # fmt: skip
    assert merged.status_code == 200, merged.text
    assert merged.json()["deleted"] == [ids["melati2"]]
    with engine.connect() as conn:
        operation = conn.execute(text(
            "SELECT operation, changed_by FROM facility_history WHERE facility_id = :i"
            " ORDER BY version DESC LIMIT 1"), {"i": ids["melati2"]}).one()  # fmt: skip
    assert tuple(operation) == ("delete", "admin.uji")
    posyandu = _areas(client, world)[OWN]["layers"]["posyandu"]
    assert (posyandu["verified"], posyandu["completeness"]) == (2, round(2 / 3, 4))
    assert subject not in _queue(client, world)


def test_the_report_opens_as_xlsx_and_pdf(built: tuple[World, TestClient]) -> None:
    import io

    import openpyxl
    import pypdf

    world, client = built
    assert client.get("/progress/report?kode=35.71&f=xlsx").status_code == 401
    assert (
        client.get("/progress/report?kode=35.71&f=doc", headers=world.headers("admin")).status_code
        == 400
    )
    answer = client.get("/progress/report?kode=35.71&f=xlsx", headers=world.headers("planner"))
    assert answer.status_code == 200, answer.text
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["Kegiatan", "Kecamatan", "Kelurahan", "Peta"]
    rows = list(book["Kelurahan"].iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r[0] == "Wilayah"))
    found = {(r[1], r[2]): r for r in rows[header + 1 :]}
    own = found[(OWN, "Uji posyandu")]
    # after the merge above: 2 of 3 verified
    assert own[3:9] == (3, 2, 1, 1, 1, 66.7) and own[12] == "pic.own"
    assert found[(OTHER, "Uji posyandu")][8] == 0.0
    assert len(book["Peta"]._images) == 1  # type: ignore[attr-defined]
    pdf = client.get("/progress/report?kode=35.71&f=pdf", headers=world.headers("admin"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Laporan progres pendataan" in text and "Kota Kediri (35.71)" in text
    assert "Bandar Lor" in text and "Uji posyandu" in text
