"""Published profiles: verified fields beside the indicators (/statistics and its files), as
an OGC API collection, in the planner's choropleths and popups; restricted fields reach no
anonymous reader in any format, and derived values equal PostGIS's."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import text

from tests.api.editing_world import OWN, World

FORM = "profil_kelurahan"
RESTRICTED = ("jumlah_kk_miskin", "Jumlah KK miskin", "Poor households")
#: the demo's verified sample profiles of 2025
SAMPLED = ("35.71.01.1001", "35.71.01.1002", "35.71.02.1001")

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
