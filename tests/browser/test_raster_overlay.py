"""The raster overlay of /map and /planner in Chromium, on the demo with its sample rasters: a
raster is chosen, its PNG tiles come from this service, the opacity slider changes them, and
the legend (text nodes) says it is a sample. Any request to another host or any JavaScript
error fails the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright import sync_api as playwright
from sqlalchemy import Engine

from geoservice.catalog import load_catalog
from geoservice.demo import load_demo_rasters
from geoservice.settings import PROJECT_ROOT, Settings
from tests.factories import fresh_demo
from tests.support import serve_app

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
BASEMAP = "/basemap-unavailable/{z}/{x}/{y}.png"


@pytest.fixture(scope="module")
def server(
    engine: Engine, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    fresh_demo(engine)
    rasters = tmp_path_factory.mktemp("cog")
    settings = Settings(database_url=database_url, rasters_dir=rasters)
    assert load_demo_rasters(engine, load_catalog(settings.layers_dir), settings)
    with serve_app(database_url, basemap_url=BASEMAP, rasters_dir=rasters) as url:
        yield url


@pytest.fixture(scope="module")
def page() -> Iterator[tuple[Any, list[str]]]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: apt-get install chromium"
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox"])  # fmt: skip
        context = browser.new_context(viewport={"width": 1200, "height": 800}, locale="id-ID")

        def route(route: Any) -> None:
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                problems.append(f"foreign: {route.request.url}")
                route.abort()

        def response(answer: Any) -> None:
            if "/rasters/" in answer.url and answer.status >= 400:
                problems.append(f"{answer.status} {answer.url}")

        context.route("**/*", route)
        tab = context.new_page()
        tab.on("pageerror", lambda error: problems.append(str(error)))
        tab.on("response", response)
        yield tab, problems
        browser.close()


@pytest.mark.parametrize(
    ("path", "raster", "legend"),
    [
        ("/map", "contoh_penduduk", ["0", "37,5", "75", "112,5", "150"]),
        (
            "/planner?indikator=penduduk_terpapar_banjir",
            "contoh_banjir",
            ["Tidak rawan", "Rendah", "Sedang", "Tinggi"],
        ),
    ],  # fmt: skip
)
def test_a_raster_overlay_with_opacity_and_legend(
    page: tuple[Any, list[str]], server: str, path: str, raster: str, legend: list[str]
) -> None:
    tab, problems = page
    tab.goto(f"{server}{path}")
    tab.wait_for_selector("#raster-choice")
    options = tab.eval_on_selector_all("#raster-choice option", "(o) => o.map((x) => x.value)")
    assert options == ["", "contoh_banjir", "contoh_penduduk"]
    with tab.expect_response(lambda r: f"/rasters/{raster}/tiles/" in r.url) as tile:
        tab.select_option("#raster-choice", raster)
    assert tile.value.status == 200 and tile.value.headers["content-type"] == "image/png"
    tab.wait_for_function("() => document.querySelectorAll('#raster-legend li').length > 0")
    items = tab.eval_on_selector_all("#raster-legend li", "(l) => l.map((x) => x.textContent)")
    assert items == legend
    assert "Data contoh" in tab.inner_text("#raster-legend .sample")
    tab.fill("#raster-opacity", "30")
    tab.dispatch_event("#raster-opacity", "input")
    tab.wait_for_function(
        "() => { const l = document.querySelector('.raster-overlay');"
        " return l !== null && l.style.opacity === '0.3'; }"
    )
    tab.screenshot(path=str(SHOTS / f"raster-overlay-{raster}.png"))
    tab.select_option("#raster-choice", "")
    tab.wait_for_function("() => document.querySelector('.raster-overlay') === null")
    assert problems == []
