"""/review on a 360 px phone (issue 21): the walidata sees each submission's fields, what
changed since the published version (old → new, metres moved, the old place on the map), and
verifies with one tap."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
from sqlalchemy import Engine, text

from tests.browser.test_map_pages import (  # noqa: F401 - fixtures
    BANDAR_LOR,
    _sign_in,
    browser,
    open_page,
    server,
)
from tests.support import KEDIRI_KELURAHAN


def test_the_review_shows_what_changed_and_verifies_in_one_tap(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
    engine: Engine,
) -> None:
    shape = gpd.read_file(KEDIRI_KELURAHAN).set_index("kode").geometry[BANDAR_LOR]
    lon, lat = shape.representative_point().coords[0]
    with engine.begin() as conn:
        # published, then changed by its PIC (renamed, moved about 55 m) and submitted
        fid = conn.execute(
            text(
                "INSERT INTO facility (layer_id, geom, attributes, status, created_by, updated_by)"
                " VALUES ('posyandu', ST_SetSRID(ST_MakePoint(:x, :y), 4326), CAST(:a AS jsonb),"
                " 'verified', 'pic.bandarlor', 'admin') RETURNING id"
            ),
            {"x": lon, "y": lat, "a": json.dumps({"nama": "Posyandu Kenanga"})},
        ).scalar_one()
        conn.execute(
            text(
                "UPDATE facility SET attributes = CAST(:a AS jsonb), status = 'submitted',"
                " geom = ST_SetSRID(ST_MakePoint(:x, :y), 4326), updated_by = 'pic.bandarlor'"
                " WHERE id = :i"
            ),
            {
                "i": fid,
                "x": lon + 0.0005,
                "y": lat,
                "a": json.dumps({"nama": "Posyandu Kenanga II"}),
            },
        )
    page, watch = open_page(width=360, height=740)
    _sign_in(page, server, "admin", "/review")
    item = page.locator(f"li.submission[data-id='{fid}']")
    changes = item.locator(".changes")
    assert "Posyandu Kenanga" in changes.locator("del").first.inner_text()
    assert "Posyandu Kenanga II" in changes.locator("ins").first.inner_text()
    moved = changes.locator("li.moved").inner_text()
    assert moved.startswith("Dipindah") and 45 <= int(moved.split()[1]) <= 65, moved
    # the old place is drawn: a dashed line from it to the new one
    assert page.locator("path.leaflet-interactive[stroke-dasharray='4 4']").count() >= 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    item.locator("button.verify").click()
    item.locator(".result", has_text="Terverifikasi").wait_for()
    with engine.connect() as conn:
        status = conn.execute(text("SELECT status FROM facility WHERE id = :i"), {"i": fid})
        assert status.scalar_one() == "verified"
    watch.check()
