"""The editor on a 360 px phone (issue 21): the map comes into view for *Tambah titik* and
*Gunakan lokasi saya*, the header stays one short line, a 120-character word does not widen
the page, and a GPS fix in another kelurahan is named at once, in plain words."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
from sqlalchemy import Engine, text

from tests.browser.test_map_pages import (  # noqa: F401 - fixtures
    BANDAR_LOR,
    _editor_ready,
    _sign_in,
    browser,
    open_page,
    server,
)
from tests.support import KEDIRI_KELURAHAN

SEMAMPIR = "35.71.02.1001"
PHONE = {"width": 360, "height": 740}


def _inside(code: str) -> tuple[float, float]:
    shape = gpd.read_file(KEDIRI_KELURAHAN).set_index("kode").geometry[code]
    lon, lat = shape.representative_point().coords[0]
    return lon, lat


def test_phone_editor_brings_the_map_into_view_and_wraps_long_words(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
    engine: Engine,
) -> None:
    lon, lat = _inside(BANDAR_LOR)
    word = "Posyandu" + "x" * 112  # 120 characters, no space
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO facility (layer_id, geom, attributes, status, created_by, updated_by)"
                " VALUES ('posyandu', ST_SetSRID(ST_MakePoint(:x, :y), 4326), CAST(:a AS jsonb),"
                " 'draft', 'pic.bandarlor', 'pic.bandarlor')"
            ),
            {"x": lon + 0.0003, "y": lat, "a": json.dumps({"nama": word})},
        )
    page, watch = open_page(**PHONE)
    _sign_in(page, server, "pic.bandarlor", "/editor")
    _editor_ready(page)
    header = page.locator("body > header").bounding_box()
    assert header is not None and header["height"] <= 60, header
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    # scrolled down to the list, then Tambah titik: the map is on the screen again
    page.locator("#points-list").scroll_into_view_if_needed()
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    assert page.locator(".folium-map").bounding_box()["y"] < 0  # type: ignore[index]
    page.click("#add-point")
    page.wait_for_function(
        "() => { const b = document.querySelector('.folium-map').getBoundingClientRect();"
        " return b.top >= -1 && b.top < window.innerHeight; }"
    )
    watch.check()


def test_a_gps_fix_in_another_kelurahan_is_named_at_once(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    lon, lat = _inside(SEMAMPIR)
    page, watch = open_page(
        **PHONE,
        geolocation={"longitude": lon, "latitude": lat, "accuracy": 8},
        permissions=["geolocation"],
    )
    _sign_in(page, server, "pic.bandarlor", "/editor")
    _editor_ready(page)
    page.click("#my-location")
    message = page.locator("#message.error", has_text="bukan di")
    message.wait_for()
    assert "Semampir" in message.inner_text() and "Bandar Lor" in message.inner_text()
    watch.check()


def test_a_refused_location_is_explained_in_plain_words(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    page, watch = open_page(**PHONE)  # no geolocation permission: the browser refuses
    _sign_in(page, server, "pic.bandarlor", "/editor")
    _editor_ready(page)
    page.click("#my-location")
    message = page.locator("#message.error", has_text="Izin lokasi")
    message.wait_for()
    assert "User denied" not in message.inner_text()
    watch.check()
