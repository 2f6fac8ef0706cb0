"""/accounts at phone width: the walidata gives a PIC a kelurahan by its name, found as they
type, with the code shown beside it (issue 21); a name that fits several is explained."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, text

from tests.browser.test_map_pages import (  # noqa: F401 - fixtures
    BANDAR_LOR,
    _sign_in,
    browser,
    open_page,
    server,
)

GRANTS = (
    "SELECT coalesce(string_agg(k.kelurahan_code, ' ' ORDER BY k.kelurahan_code), '') "
    "FROM user_kelurahan k JOIN app_user u ON u.id = k.user_id WHERE u.username = :u"
)


def test_the_walidata_grants_a_kelurahan_by_name(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
    engine: Engine,
) -> None:
    page, watch = open_page(width=360, height=740)
    _sign_in(page, server, "admin", "/accounts")
    row = page.locator("tr[data-username='pic.semampir']")
    field = row.locator("form.grant input[name=code]")
    field.fill("Bandar L")
    # the matches arrive as the options of the field, each naming kecamatan and code
    option = row.locator("datalist option[value*='35.71.01.1001']")
    option.wait_for(state="attached")
    assert "Bandar Lor" in option.get_attribute("value")  # type: ignore[operator]
    field.fill("bandar lor")  # the name as typed, without choosing: one fits
    row.locator("form.grant button").click()
    page.wait_for_load_state("load")
    page.locator("#message", has_text="Bandar Lor (35.71.01.1001)").wait_for()
    with engine.connect() as conn:
        assert BANDAR_LOR in conn.execute(text(GRANTS), {"u": "pic.semampir"}).scalar_one()
    # a name no kelurahan has: a sentence, and nothing changes
    row = page.locator("tr[data-username='pic.semampir']")
    row.locator("form.grant input[name=code]").fill("Tidak Ada Namanya")
    row.locator("form.grant button").click()
    page.locator("#message.error", has_text="tidak ditemukan").wait_for()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    with engine.begin() as conn:
        conn.execute(
            text(
                "DELETE FROM user_kelurahan WHERE kelurahan_code = :k AND user_id ="
                " (SELECT id FROM app_user WHERE username = 'pic.semampir')"
            ),
            {"k": BANDAR_LOR},
        )
    watch.check()
