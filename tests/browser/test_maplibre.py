"""A portal's web map on another origin: MapLibre GL JS (the pinned npm package) renders the
service's style in Chromium, with no console error and every request answered (CORS)."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import playwright.sync_api as playwright
import pytest
from sqlalchemy import Engine

from geoservice import assets
from geoservice.settings import Settings
from tests.factories import fresh_demo
from tests.support import serve_app

CHROMIUM = Path("/usr/bin/chromium")
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Portal Satu Data</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="maplibre-gl.css">
<script src="maplibre-gl.js"></script>
<style>html, body, #map {{ margin: 0; width: 100%; height: 100%; }}</style></head>
<body><div id="map"></div><script>
  const map = new maplibregl.Map({{
    container: "map", style: "{service}/styles/default/style.json",
    center: [112.015, -7.82], zoom: 13
  }});
  map.on("error", (event) => console.error("maplibre: " + event.error.message));
  map.once("idle", () => {{ window.mapIdle = true; }});
</script></body></html>
"""


@pytest.fixture(scope="module")
def service(engine: Engine, database_url: str) -> Iterator[str]:
    fresh_demo(engine)
    with serve_app(database_url) as url:
        yield url


@pytest.fixture()
def portal(service: str, tmp_path: Path) -> Iterator[str]:
    """A page of another origin (another port) with its own copy of MapLibre."""
    dist = Settings().assets_dir / assets.MAPLIBRE.folder / "dist"
    assert (dist / "maplibre-gl.js").exists(), "run `geoservice assets install`"
    for name in ("maplibre-gl.js", "maplibre-gl.css"):
        shutil.copy(dist / name, tmp_path / name)
    (tmp_path / "index.html").write_text(PAGE.format(service=service))

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def test_maplibre_on_another_origin_renders_the_style(service: str, portal: str) -> None:
    assert urlsplit(service).port != urlsplit(portal).port  # two origins
    assert CHROMIUM.exists(), "Debian's chromium is missing: apt-get install chromium"
    errors: list[str] = []
    answers: list[tuple[int, str]] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            # WebGL without a GPU
            args=["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
        )
        try:
            page = browser.new_page(viewport={"width": 900, "height": 600})
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on(
                "console",
                lambda message: errors.append(message.text) if message.type == "error" else None,
            )
            page.on("requestfailed", lambda request: errors.append(f"failed {request.url}"))
            page.on("response", lambda answer: answers.append((answer.status, answer.url)))
            page.goto(f"{portal}/index.html")
            page.wait_for_function("window.mapIdle === true", timeout=60_000)
            rendered = page.evaluate("() => map.queryRenderedFeatures().map((f) => f.sourceLayer)")
        finally:
            browser.close()
    assert errors == []
    from_service = [(status, url) for status, url in answers if url.startswith(service)]
    assert any(url.endswith("/styles/default/style.json") for _, url in from_service)
    assert any("/tiles/WebMercatorQuad/13/" in url for _, url in from_service)
    assert all(status in (200, 204) for status, _ in from_service), from_service
    assert {"kelurahan", "posyandu"} <= set(rendered)
