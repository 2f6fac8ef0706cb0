"""The data catalogue in Chromium at 360 px (a phone) and 1200 px: search by word and theme,
open a dataset, see its preview map, downloads, API links and quality score; a restricted
dataset appears only once a planner signs in."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_map_pages import (  # noqa: F401 - fixtures
    _sign_in,
    browser,
    open_page,
    server,
)


@pytest.mark.parametrize("width", [360, 1200])
def test_search_and_open_a_dataset(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
    width: int,
) -> None:
    page, watch = open_page(width=width)
    page.goto(f"{server}/katalog")
    assert page.text_content("h1") == "Katalog data"
    total = int(page.text_content("#found-count") or "0")
    # 4 boundary levels, 4 layers, 3 public indicators, 1 profile form, 2 sample rasters and
    # the 3 indicators they fill
    assert total == 17
    assert "indicator-keluarga_desil_1" not in page.content()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.fill("input[name=q]", "posyandu kader")
    page.click("form.search button[type=submit]")
    page.wait_for_function("() => document.getElementById('found-count').textContent === '1'")
    page.select_option("select[name=tema]", "kesehatan")
    page.fill("input[name=q]", "")
    page.click("form.search button[type=submit]")
    page.wait_for_function("() => document.getElementById('found-count').textContent === '2'")
    assert page.locator(".badge.sample").count() == 2  # demo points and values: CONTOH
    page.click('li[data-id="layer-posyandu"] h2 a')
    page.wait_for_function(
        "() => document.documentElement.getAttribute('data-script-ready') === 'page'"
    )
    assert page.text_content("h1") == "Posyandu"
    assert page.locator("#map.leaflet-container").count() == 1
    # the preview draws the verified points (141 in the demo), each a circle marker
    assert page.locator("#map path.leaflet-interactive").count() == 141
    formats = page.eval_on_selector_all(
        "ul.downloads a", "links => links.map(a => a.getAttribute('data-format'))"
    )
    assert formats == ["geojson", "csv", "xlsx", "gpkg"]
    services = page.text_content("ul.services") or ""
    assert "/collections/posyandu" in services and "/tiles/WebMercatorQuad" in services
    assert "100%" in (page.text_content("section.quality h2") or "")
    assert "Dinas Kesehatan Kota Kediri" in (page.text_content("dl.metadata") or "")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"/tmp/katalog-{width}.png", full_page=True)
    assert not watch.errors and not watch.foreign


def test_a_planner_sees_the_restricted_dataset(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    page, _ = open_page(width=360)
    _sign_in(page, server, "perencana", "/katalog")
    assert page.locator('li[data-id="indicator-keluarga_desil_1"] .badge.restricted').count() == 1
