"""Hostile text stays text (issue 16): strings that would run as script if any page inserted
them as HTML are planted in every text attribute of every layer, a rejection reason, an
account's name, a kelurahan name (through the boundary importer) and layer and indicator
titles; then every page is opened as each role in Chromium, and every marker and list entry is
hovered and clicked. A dialog, a console error (a Content-Security-Policy violation is one), a
request to another host, a page whose own script did not run to its end, or a page without the
security headers fails the test."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import yaml
from sqlalchemy import Engine, text

from geoservice.catalog import load_catalog
from geoservice.demo import load_demo_users
from geoservice.services.imports.boundaries import import_boundaries
from geoservice.services.profiles.values import sample_values
from geoservice.settings import PROJECT_ROOT
from tests.browser.test_map_pages import (  # noqa: F401 - fixtures
    BANDAR_LOR,
    BASEMAP,
    _sign_in,
    browser,
    open_page,
)
from tests.factories import fresh_demo
from tests.support import KEDIRI_KELURAHAN, serve_app

#: Each would run, break out of its element or end the page's script block if a page put it
#: into HTML; the marker ``__xss`` is what an injected script would set.
HOSTILE = [
    '<img src=x onerror="window.__xss=1;alert(1)">',
    '"><script>window.__xss=2;alert(2)</script>',
    "<!--<script>",
    "</script><script>window.__xss=3</script>",
    "javascript:alert(4)",
    "baris\u2028baru\u2029",
    "x" * 5000,
]
ROLES = {"anonymous": None, "pic": "pic.bandarlor", "planner": "perencana", "admin": "admin"}


def _hostile(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)] + f" {i}"


def _hostile_layers(folder: Path) -> Path:
    """The project's layers and indicators, their titles made hostile."""
    target = folder / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", target)
    for i, path in enumerate(sorted(target.rglob("*.yaml"))):
        if path.name == "catalog.yaml":  # the data catalog's settings, not a layer
            continue
        data = yaml.safe_load(path.read_text())
        data["title"] = {"id": _hostile(i)[:100], "en": _hostile(i + 1)[:100]}
        if "metadata" in data:  # the data catalogue's producer, description and keywords
            data["metadata"]["produsen_data"] = {"nama": _hostile(i + 2)[:200]}
            data["metadata"]["deskripsi"] = {"id": _hostile(i + 3)[:500]}
            data["metadata"]["kata_kunci"] = [_hostile(i + 4)[:60]]
        path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return target


@pytest.fixture(scope="module")
def hostile_server(
    engine: Engine, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("hostile")
    fresh_demo(engine)
    load_demo_users(engine)
    # a kelurahan name from a boundary import
    kelurahan = gpd.read_file(KEDIRI_KELURAHAN)
    kelurahan.loc[kelurahan["kode"] == BANDAR_LOR, "nama"] = HOSTILE[0] + " Bandar Lor"
    renamed = folder / "kelurahan.geojson"
    kelurahan.to_file(renamed, driver="GeoJSON")
    reports = import_boundaries(engine, [renamed])
    assert all(r.written or r.unchanged for r in reports), [r.issues for r in reports]
    layers = _hostile_layers(folder)
    catalog = load_catalog(layers)
    points: dict[str, int] = {}
    with engine.begin() as conn:
        spot = conn.execute(
            text(
                "SELECT ST_X(c), ST_Y(c) FROM admin_area, ST_PointOnSurface(geom) c WHERE code = :k"
            ),
            {"k": BANDAR_LOR},
        ).one()
        for n, layer in enumerate(catalog):
            for status in ("verified", "submitted", "rejected"):
                attributes = {
                    name: _hostile(n + j)
                    for j, (name, spec) in enumerate(layer.attributes.items())
                    if spec.type == "string"
                }
                points[f"{layer.id}/{status}"] = conn.execute(
                    text(
                        "INSERT INTO facility (layer_id, geom, attributes, status, created_by,"
                        " updated_by, kelurahan_code, rejection_reason) VALUES (:l,"
                        " ST_SetSRID(ST_MakePoint(:x, :y), 4326), CAST(:a AS jsonb), :s,"
                        " 'pic.bandarlor', 'pic.bandarlor', :k, :r) RETURNING id"
                    ),
                    {
                        "l": layer.id,
                        "x": spot[0] + 0.00015 * n,
                        "y": spot[1]
                        + 0.00015 * ("verified", "submitted", "rejected").index(status),
                        "a": json.dumps(attributes),
                        "s": status,
                        "k": BANDAR_LOR,
                        "r": _hostile(n) if status == "rejected" else None,
                    },
                ).scalar_one()
        conn.execute(
            text("UPDATE app_user SET full_name = :n WHERE username = 'pic.semampir'"),
            {"n": HOSTILE[1]},
        )
        # a profile whose typed text is hostile (what /profil puts into its inputs and lists)
        form = catalog.profiles["profil_kelurahan"]
        boundaries = ("batas_utara", "batas_selatan", "batas_timur", "batas_barat")
        typed = {name: _hostile(i)[:120] for i, name in enumerate(boundaries)}
        sample_values(conn, form, BANDAR_LOR, form.current_period(),
                      {**typed, "jumlah_rw": 1, "jumlah_rt": 1, "jumlah_kk": 1})  # fmt: skip
    with serve_app(database_url, basemap_url=BASEMAP, layers_dir=layers) as url:
        yield {"url": url, "points": points, "catalog": catalog}


def _pages(points: dict[str, int], catalog: Any, role: str) -> list[str]:
    pages = [
        "/map",
        f"/map?kelurahan={BANDAR_LOR}",
        "/planner",
        "/statistics?f=html&kode=35.71",
        "/?f=html",
        "/collections?f=html",
        f"/collections/kelurahan/items/{BANDAR_LOR}?f=html",
        "/collections/kelurahan/items?f=html&kode=35.71.01",
        "/docs",
        "/katalog",
        "/katalog?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
    ]
    for layer in catalog:
        pages.append(f"/katalog/layer-{layer.id}")
    for layer in catalog:
        pages += [
            f"/collections/{layer.id}?f=html",
            f"/collections/{layer.id}/items?f=html&limit=100",
            f"/collections/{layer.id}/items/{points[layer.id + '/verified']}?f=html",
        ]
    if role in ("pic", "admin"):
        pages.append(f"/editor?kelurahan={BANDAR_LOR}")
    if role != "anonymous":
        pages.append(f"/profil?kelurahan={BANDAR_LOR}")
    if role == "admin":  # the monitor with the metadata quality of every (hostile) dataset
        pages += ["/review", "/accounts", "/pantauan", "/pantauan?kode=35.71.01"]
    pages.append("/pantauan/publik")
    if role == "anonymous":
        pages.append("/login")
    return pages


def _touch_everything(page: Any) -> int:
    """Hover and click every marker, shape and list entry of the page (up to 12 of each
    kind); returns how many. The events go straight to the elements, as a pointer's would,
    without waiting for one to be uncovered by another's popup."""
    selectors = [
        ".leaflet-marker-icon",
        "path.leaflet-interactive",
        "#points-list li button",
        ".submission button.focus",
    ]
    touched = 0
    for selector in selectors:
        for element in page.locator(selector).all()[:12]:
            for event in ("mouseover", "mouseenter", "click", "mouseout"):
                element.dispatch_event(event)
            touched += 1
    return touched


@pytest.mark.parametrize("role", list(ROLES))
def test_hostile_text_never_runs_on_any_page(
    open_page: Any,  # noqa: F811 - the fixture imported above (it watches errors and hosts)
    hostile_server: dict[str, Any],
    role: str,
) -> None:
    url = hostile_server["url"]
    page, watch = open_page()
    dialogs: list[str] = []
    missing_headers: list[str] = []

    def dialog(d: Any) -> None:
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    if ROLES[role]:
        _sign_in(page, url, ROLES[role], "/map")
    touched = 0
    for path in _pages(hostile_server["points"], hostile_server["catalog"], role):
        response = page.goto(url + path)
        assert response is not None and response.status == 200, (path, response)
        headers = response.headers
        policy = headers.get("content-security-policy", "")
        if "'nonce-" not in policy and "script-src 'self'" not in policy:
            missing_headers.append(path)
        if headers.get("x-content-type-options") != "nosniff":
            missing_headers.append(path)
        own = "script[src*='/static/geoservice/']"
        try:
            if page.locator(own).count():  # a page with a script of its own ran it
                page.wait_for_selector("html[data-script-ready]", state="attached")
        except Exception as exc:  # noqa: BLE001 - name the page that did not start
            raise AssertionError(f"{path}: its script did not run; {watch.errors}") from exc
        page.wait_for_load_state("load")
        touched += _touch_everything(page)
        assert page.evaluate("() => window.__xss === undefined"), path
    assert touched > 10  # the markers and entries were really there to touch
    assert dialogs == [], dialogs
    assert missing_headers == [], missing_headers
    watch.check()
