"""The profile page on a 360 px phone: a PIC finds last year's values prefilled, changes one,
saves a draft and submits; the walidata sees the changed field old -> new and verifies; the
public then reads the new value and never the restricted one. Hostile text stays text."""

from __future__ import annotations

from typing import Any

import httpx

from tests.browser.test_map_pages import (  # noqa: F401 - fixtures
    BANDAR_LOR,
    _sign_in,
    browser,
    open_page,
    server,
)

PHONE = {"width": 360, "height": 740}
HOSTILE = '<img src=x onerror="window.pwned=1">Kel. Bandar Kidul'


def _ready(page: Any) -> None:
    page.wait_for_function(
        "() => document.documentElement.getAttribute('data-script-ready') === 'profile'"
    )


def _status(page: Any, status: str) -> None:
    page.wait_for_function(
        f"() => document.getElementById('status').getAttribute('data-status') === '{status}'"
    )


def test_a_pic_fills_saves_submits_and_the_walidata_verifies(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    page, _ = open_page(**PHONE)
    _sign_in(page, server, "pic.bandarlor", "/profil?period=2026")
    _ready(page)
    # nothing for 2026 yet: last year's verified sample fills the form
    assert page.input_value("#f-jumlah_rt") == "24"
    assert "periode 2025" in page.text_content("#message")
    assert page.text_content('.field[data-field="jumlah_rt"] .previous') == "Periode 2025: 24"
    assert page.text_content("#f-luas_wilayah_km2") not in ("", "\u2013")  # derived, read-only
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.fill("#f-jumlah_rt", "20")
    page.fill("#f-batas_utara", HOSTILE)
    assert "changed" in (page.get_attribute('.field[data-field="jumlah_rt"]', "class") or "")
    page.fill("#f-jumlah_rw", "0")
    page.click("#save")
    error = page.locator('.field[data-field="jumlah_rw"] .error')
    error.wait_for()
    assert error.text_content() == "Jumlah RW: paling sedikit 1."
    page.fill("#f-jumlah_rw", "4")
    page.click("#save")
    _status(page, "draft")
    assert page.text_content("#message") == "Draf tersimpan."
    page.click("#submit")
    _status(page, "submitted")
    assert page.evaluate("() => window.pwned") is None

    admin, _ = open_page(width=1200)
    _sign_in(admin, server, "admin", "/profil")
    admin.goto(f"{server}/profil?kelurahan={BANDAR_LOR}&period=2026")
    _ready(admin)
    changes = admin.locator("#changes li").all_text_contents()
    assert "Jumlah RT: 24 \u2192 20" in changes
    assert f"Batas sebelah utara: Kel. Bandar Kidul (contoh) \u2192 {HOSTILE}" in changes
    assert admin.locator("main img").count() == 0 and admin.evaluate("() => window.pwned") is None
    admin.click("#verify")
    _status(admin, "verified")

    public = httpx.get(f"{server}/kelurahan/{BANDAR_LOR}/profile/profil_kelurahan?period=2026")
    assert public.json()["values"]["jumlah_rt"] == 20
    assert "jumlah_kk_miskin" not in public.json()["values"]
