"""In the browser: /profil hides a field whose show-if condition fails while the PIC types
(by the server's own rules, evaluated from the parsed condition the page is handed), and the
planner's popup lists a kelurahan's published profile, hostile text as text."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
from sqlalchemy import Engine

from geoservice.catalog.loading import load_catalog
from geoservice.services.profiles import values
from geoservice.services.profiles.expressions import parse
from geoservice.settings import PROJECT_ROOT
from tests.browser.test_map_pages import (  # noqa: F401 - fixtures
    BANDAR_LOR,
    _planner_ready,
    _sign_in,
    browser,
    open_page,
    server,
)
from tests.support import KEDIRI_KELURAHAN

FORM = "profil_kelurahan"
HOSTILE = '<img src=x onerror="window.pwned=1">Kel. <b>Bandar</b> Kidul'

#: (condition, own value, other values): the browser's answer must be the server's
CASES: list[tuple[str, Any, dict[str, Any]]] = [
    ("selected(${s}, 'masjid')", None, {"s": ["masjid", "gereja"]}),
    ("selected(${s}, 'masjid')", None, {"s": ["gereja"]}),
    ("selected(${s}, 'masjid')", None, {}),
    ("${a} = 'ya'", None, {"a": True}),
    ("${a} = 'ya'", None, {"a": False}),
    ("${a} = 'ya'", None, {}),
    ("${a} != 'ya'", None, {}),
    ("${n} > 5", None, {"n": 6}),
    ("${n} > 5", None, {"n": "6"}),
    ("${n} > 5", None, {"n": ""}),
    ("${n} > 5", None, {}),
    ("${n} = 0", None, {}),
    ("not(${n} = 0)", None, {"n": 0}),
    (". >= ${n} and . <= 100", 50, {"n": 10}),
    (". >= ${n} or . = 0", 0, {"n": 10}),
    (". <= ${n} * 10 div 2 - 1", 44, {"n": 9}),
    (". mod 2 = 1", 7, {}),
    ("-. < 0", 3, {}),
    ("count-selected(${s}) >= 2", None, {"s": ["a", "b"]}),
    ("count-selected(${s}) >= 1", None, {}),
    ("string-length(${t}) > 3", None, {"t": "abcd"}),
    ("string-length(${t}) > 3", None, {}),
    ("${t} = 'x' or true()", None, {}),
    ("false()", None, {}),
    ("${n} div 0 = 1", None, {"n": 1}),
    ("${n} = 2.5", None, {"n": 2.5}),
]


def _ready(page: Any) -> None:
    page.wait_for_function(
        "() => document.documentElement.getAttribute('data-script-ready') === 'profile'"
    )


def _shown(page: Any, field: str) -> bool:
    return bool(page.evaluate(f"() => !document.querySelector('.field[data-field=\"{field}\"]')"
                              ".hidden"))  # fmt: skip


def test_the_relevant_rule_hides_and_shows_fields_as_the_pic_types(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    page, _ = open_page(width=360, height=740)
    _sign_in(page, server, "pic.bandarlor", "/profil?period=2026")
    _ready(page)
    # prefilled from 2025: a mosque and a market, so both counts are asked
    assert _shown(page, "jumlah_masjid") and _shown(page, "jumlah_pasar")
    page.uncheck('.field[data-field="sarana_ibadah"] input[value="masjid"]')
    page.wait_for_function(
        "() => document.querySelector('.field[data-field=\"jumlah_masjid\"]').hidden"
    )
    assert not page.is_visible("#f-jumlah_masjid") and _shown(page, "jumlah_pasar")
    page.check('.field[data-field="sarana_ibadah"] input[value="masjid"]')
    assert _shown(page, "jumlah_masjid") and page.is_visible("#f-jumlah_masjid")
    page.select_option("#f-ada_pasar", "tidak")
    assert not _shown(page, "jumlah_pasar")
    page.select_option("#f-ada_pasar", "")
    assert not _shown(page, "jumlah_pasar")  # no answer: not 'ya'
    page.select_option("#f-ada_pasar", "ya")
    assert _shown(page, "jumlah_pasar")
    # what is hidden is not sent: the saved draft has no market count, as the server rules
    page.select_option("#f-ada_pasar", "tidak")
    page.click("#save")
    page.wait_for_function("() => document.getElementById('status').dataset.status === 'draft'")
    saved = page.evaluate(
        "() => fetch('/kelurahan/35.71.01.1001/profile/profil_kelurahan?period=2026')"
        ".then(r => r.json())"
    )
    assert "jumlah_pasar" not in saved["values"] and saved["values"]["ada_pasar"] is False

    # the page's evaluator gives the server's answer on every construct of the grammar
    trees = [json.loads(json.dumps(parse(source).tree)) for source, _, _ in CASES]
    answers = page.evaluate(
        "(cases) => cases.map(([tree, own, values]) =>"
        " window.geoserviceRelevance.holds(tree, own, values))",
        [[tree, own, given] for tree, (_, own, given) in zip(trees, CASES, strict=True)],
    )
    expected = [parse(source).evaluate(own, given) for source, own, given in CASES]
    assert answers == expected


def test_the_planner_popup_shows_the_published_profile_as_text(
    open_page: Any,  # noqa: F811
    server: str,  # noqa: F811
    engine: Engine,
) -> None:
    catalog = load_catalog(PROJECT_ROOT / "layers")
    form = catalog.profiles[FORM]
    sample = {
        "batas_utara": HOSTILE, "batas_selatan": "Kel. Banjarmlati", "batas_timur": "Sungai",
        "batas_barat": "Kel. Pojok", "jumlah_rw": 4, "jumlah_rt": 24, "jumlah_kk": 2650,
        "jumlah_kk_miskin": 210, "sarana_ibadah": ["masjid"], "jumlah_masjid": 5,
        "ada_pasar": True, "jumlah_pasar": 1,
    }  # fmt: skip
    with engine.begin() as conn:
        values.sample_values(conn, form, BANDAR_LOR, "2025", sample)
    page, _ = open_page(width=1200)
    page.goto(f"{server}/planner?indikator={FORM}.jumlah_rt&kode=35.71")
    _planner_ready(page, "2025")
    assert page.locator("#indikator option:checked").inner_text() == "Jumlah RT (profil)"
    inside = gpd.read_file(KEDIRI_KELURAHAN).set_index("kode").geometry[BANDAR_LOR]
    lon, lat = inside.representative_point().coords[0]
    page.evaluate("([lat, lon]) => window.geoservice.map.setView([lat, lon], 15)", [lat, lon])
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Bandar Lor (35.71.01.1001)" in text and "Jumlah RT (profil) 2025" in text
    assert "Profil Kelurahan (contoh) · 2025" in text and "Data contoh" in text
    shown = popup.locator('dd[data-field="batas_utara"]')
    assert shown.inner_text() == HOSTILE  # the markup as text
    assert popup.locator('dd[data-field="sarana_ibadah"]').inner_text() == "Masjid"
    assert popup.locator('dd[data-field="ada_pasar"]').inner_text() == "Ya"
    assert popup.locator("img, b").count() == 0 and page.evaluate("() => window.pwned") is None
    assert "Jumlah KK miskin" not in text  # restricted: not for the public
