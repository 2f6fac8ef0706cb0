"""The progress monitor (/pantauan) on the demo at 1200 px and 360 px: the walidata sorts the
table, drills down from the kota to a kecamatan, sees who is late with a link to the editor and
decides a finding of the quality queue, which is then gone; a planner reads it, and the
metadata quality of every dataset, on a phone without decision buttons; a PIC is refused; the
public variant names nobody. Hostile text from a point's name stays text."""

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

HOSTILE = '<img src=x onerror="window.pwned=1">Kantor Lurah Semampir'


def _ready(page: Any) -> None:
    page.wait_for_function(
        "() => document.documentElement.getAttribute('data-script-ready') === 'progress'"
    )


def _hostile_office(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO facility (layer_id, geom, attributes, status, created_by)"
                " SELECT 'kantor_kelurahan', ST_PointOnSurface(geom),"
                " jsonb_build_object('nama', CAST(:n AS text)), 'draft', 'uji'"
                " FROM admin_area WHERE code = :k"
            ),
            {"n": HOSTILE, "k": BANDAR_LOR},
        )


def test_the_walidata_drills_down_sees_who_is_late_and_decides(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
    engine: Engine,
) -> None:
    _hostile_office(engine)
    page, _ = open_page(width=1200)
    _sign_in(page, server, "admin", "/pantauan")
    _ready(page)
    assert page.text_content("h1") == "Pantauan pendataan"
    rows = page.locator("#progress-table tbody tr")
    assert rows.count() == 3  # the kecamatan of Kota Kediri
    assert page.locator("#progress-map path.leaflet-interactive").count() == 3
    page.click('th button[data-sort="completeness"]')
    assert (
        page.get_attribute('th:has(button[data-sort="completeness"])', "aria-sort") == "ascending"
    )
    shares = [
        float(c.split(" ")[0])
        for c in page.locator("#progress-table tbody tr td:nth-last-child(2)").all_text_contents()
    ]
    assert shares == sorted(shares)
    page.click('#progress-table button.drill[data-kode="35.71.01"]')
    _ready(page)
    assert page.locator("#progress-table tbody tr").count() > 3
    assert page.locator(f'#progress-table tr[data-kode="{BANDAR_LOR}"]').count() == 1
    late = page.locator(f'#late li[data-kode="{BANDAR_LOR}"]').first
    assert "Bandar Lor" in (late.text_content() or "") and "PIC Kelurahan Bandar Lor" in (
        late.text_content() or ""
    )
    assert (
        late.locator("a").get_attribute("href").endswith(f"editor?kelurahan={BANDAR_LOR}&lang=id")
    )  # type: ignore[union-attr]
    assert page.get_attribute("#report-xlsx", "href").endswith("kode=35.71.01&f=xlsx&lang=id")  # type: ignore[union-attr]
    # the hostile office name is in the queue, as text
    mismatch = page.locator('#quality li[data-kind="name_mismatch"]')
    assert mismatch.count() == 1 and HOSTILE in (mismatch.text_content() or "")
    assert page.locator("main img").count() == 0 and page.evaluate("() => window.pwned") is None
    first = page.locator("#quality li[data-subject]").first
    subject = first.get_attribute("data-subject")
    first.locator(
        'button[data-decision="correct"], button[data-decision="keep_both"]'
    ).first.click()
    page.wait_for_function(
        f"() => !document.querySelector('#quality li[data-subject=\"{subject}\"]')"
    )
    assert page.text_content("#message") == "Keputusan tersimpan."
    page.reload()
    _ready(page)
    assert page.locator(f'#quality li[data-subject="{subject}"]').count() == 0


def test_a_planner_reads_it_on_a_phone_and_a_pic_is_refused(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    page, _ = open_page(width=360, height=740)
    _sign_in(page, server, "perencana", "/pantauan")
    _ready(page)
    assert page.locator("#progress-table tbody tr").count() == 3
    assert page.locator("#quality button[data-decision]").count() == 0
    assert page.locator("#quality li").count() >= 1
    # the metadata quality of every dataset the planner may see, weakest first, on the phone
    scores = page.eval_on_selector_all(
        "#metadata-quality li[data-id]", "rows => rows.map(r => r.querySelector('meter').value)"
    )
    assert len(scores) >= 17 and scores == sorted(scores)
    weakest = page.locator("#metadata-quality li[data-id]").first
    assert (weakest.locator(".missing").text_content() or "").startswith("Metadata yang belum")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    pic, _ = open_page(width=360)
    _sign_in(pic, server, "pic.bandarlor", "/pantauan")
    assert "walidata (admin) dan perencana" in (pic.text_content("main") or "")


def test_the_public_page_names_nobody(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    page, _ = open_page(width=360, height=740)
    page.goto(f"{server}/pantauan/publik")
    _ready(page)
    assert page.text_content("h1") == "Kelengkapan Satu Data per kelurahan"
    assert page.locator("#progress-table tbody tr").count() == 3
    assert page.locator("#late, #quality, #report, #metadata-quality").count() == 0
    assert "PIC" not in (page.text_content("main") or "")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
