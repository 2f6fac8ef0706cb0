"""The map pages in a real browser: Debian's Chromium driven by Playwright, against uvicorn on
the Kota Kediri demo data. Any request to a host other than 127.0.0.1 fails the test, and so
does any JavaScript error. Screenshots of every page go to test-artifacts/screenshots/.

The basemap URL points at a path of the service that does not exist, so these tests also show
that the maps stay usable when the basemap cannot load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import pytest
from playwright import sync_api as playwright
from shapely.geometry import Point
from sqlalchemy import Engine, text

from geoservice.demo import DEMO_PASSWORD, load_demo_users
from geoservice.settings import PROJECT_ROOT
from tests.factories import fresh_demo
from tests.support import KEDIRI_KELURAHAN, count, serve_app

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
BASEMAP = "/basemap-unavailable/{z}/{x}/{y}.png"
BANDAR_LOR, BANDAR_KIDUL = "35.71.01.1001", "35.71.01.1002"


@dataclass
class Watch:
    """What a page did wrong: JavaScript errors, failed assets or tiles, requests to other
    hosts."""

    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"
        assert self.errors == [], f"JavaScript errors: {self.errors}"


@pytest.fixture(scope="module")
def server(engine: Engine, database_url: str) -> Iterator[str]:
    fresh_demo(engine)
    load_demo_users(engine)
    with serve_app(database_url, basemap_url=BASEMAP) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # no skip when it is missing: ./scripts/test installs Debian's chromium
    assert CHROMIUM.exists(), "Debian's chromium is missing: apt-get install chromium"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def open_page(browser: Any) -> Iterator[Any]:
    """``open_page(width=..., geolocation=...)``: a fresh context (no cookies), in Indonesian."""
    contexts, watches = [], []

    def make(width: int = 1200, height: int = 800, **options: Any) -> tuple[Any, Watch]:
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="id-ID", **options
        )
        watch = Watch()

        def route(route: Any) -> None:
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                watch.foreign.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda error: watch.errors.append(str(error)))

        def console(message: Any) -> None:
            # Chromium logs every 4xx answer as an error: the API's refusals are answers the
            # page shows (checked by the tests); failing assets and tiles are checked below
            network = message.text.startswith("Failed to load resource")
            if message.type == "error" and not network:
                watch.errors.append(message.text)

        def response(answer: Any) -> None:
            path = urlsplit(answer.url).path
            asset = path.startswith("/static/") or "/tiles/" in path
            if asset and answer.status >= 400:
                watch.errors.append(f"{answer.status} {answer.url}")

        page.on("response", response)
        page.on("console", console)
        contexts.append(context)
        watches.append(watch)
        return page, watch

    yield make
    for context in contexts:
        context.close()
    for watch in watches:
        watch.check()


def _sign_in(
    page: Any, server: str, username: str, target: str, password: str = DEMO_PASSWORD
) -> None:
    page.goto(f"{server}/login?next={target}")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{server}{target}*")


def _editor_ready(page: Any) -> None:
    page.wait_for_function("() => window.geoserviceEditor !== undefined")
    page.evaluate("window.geoserviceEditor.ready")


def _click_map_at(page: Any, lon: float, lat: float) -> None:
    """Click the map where (lon, lat) is shown."""
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.geoservice.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def places() -> dict[str, tuple[float, float]]:
    """A spot inside Bandar Lor away from the sample points, and one in Bandar Kidul that the
    Bandar Lor editor shows (inside its bounding box)."""
    areas = gpd.read_file(KEDIRI_KELURAHAN).set_index("kode")
    lor, kidul = areas.geometry[BANDAR_LOR], areas.geometry[BANDAR_KIDUL]
    inside = lor.buffer(-0.002).representative_point()
    minx, miny, maxx, maxy = lor.bounds
    grid = (
        Point(minx + (maxx - minx) * i / 20, miny + (maxy - miny) * j / 20)
        for i in range(1, 20)
        for j in range(1, 20)
    )
    outside = next(p for p in grid if kidul.buffer(-0.0005).contains(p))
    return {"inside": (inside.x, inside.y), "outside": (outside.x, outside.y)}


def test_a_posyandu_goes_from_a_pic_through_the_walidata_to_the_public_map(
    open_page: Any, server: str, engine: Engine, places: dict[str, tuple[float, float]]
) -> None:
    name = "Posyandu Uji Browser Melati"
    before = count(engine, "SELECT count(*) FROM facility")

    # a PIC places a posyandu by clicking inside their kelurahan and fills the form
    pic, _ = open_page()
    _sign_in(pic, server, "pic.bandarlor", "/editor")
    _editor_ready(pic)
    assert "Bandar Lor" in pic.inner_text("#panel-title")
    pic.select_option("#layer-select", "posyandu")
    pic.click("#add-point")
    assert "Ketuk peta" in pic.inner_text("#message")
    _click_map_at(pic, *places["inside"])
    pic.wait_for_selector("#point-form")
    assert "Nama posyandu *" in pic.inner_text("#point-form")
    assert pic.locator("#f-strata option").all_inner_texts()[1:] == [
        "Pratama", "Madya", "Purnama", "Mandiri",
    ]  # fmt: skip
    _shot(pic, "editor-new-point")

    # the server's validation, beside the field: the required name is missing
    pic.click("#save")
    pic.wait_for_selector("#err-nama:not(:empty)")
    assert "wajib" in pic.inner_text("#err-nama")
    assert pic.get_attribute("#f-nama", "aria-invalid") == "true"
    assert count(engine, "SELECT count(*) FROM facility") == before

    pic.fill("#f-nama", name)
    pic.select_option("#f-strata", "Madya")
    pic.fill("#f-rw", "3")
    pic.click("#save")
    pic.wait_for_selector("#point-status")
    assert pic.inner_text("#point-status") == "Draf"
    assert "Tersimpan" in pic.inner_text("#message")
    assert count(engine, "SELECT count(*) FROM facility") == before + 1
    stored = count(
        engine,
        "SELECT count(*) FROM facility WHERE attributes->>'nama' = :n AND status = 'draft' "
        "AND kelurahan_code = :k AND (attributes->>'rw')::int = 3",
        n=name,
        k=BANDAR_LOR,
    )
    assert stored == 1

    # reload: it is there, and the PIC submits it for verification
    pic.reload()
    _editor_ready(pic)
    pic.get_by_role("button", name=f"Posyandu: {name}").click()
    assert pic.inner_text("#point-status") == "Draf"
    pic.click("#submit-point")
    pic.wait_for_function(
        "() => document.querySelector('#point-status').textContent === 'Diajukan'"
    )
    _shot(pic, "editor-submitted")

    # clicking outside the kelurahan: the server's refusal is shown, nothing is saved
    pic.click("#add-point")
    _click_map_at(pic, *places["outside"])
    pic.wait_for_selector("#point-form")
    pic.fill("#f-nama", "Posyandu Di Luar Kelurahan")
    pic.click("#save")
    pic.wait_for_selector("#message.error")
    assert "Bandar Kidul" in pic.inner_text("#message")  # names the kelurahan that is not theirs
    _shot(pic, "editor-outside-refused")
    assert count(engine, "SELECT count(*) FROM facility") == before + 1
    pic.click("#cancel")

    # the walidata verifies it
    admin, _ = open_page()
    _sign_in(admin, server, "admin", "/review")
    item = admin.locator(".submission", has_text=name)
    _shot(admin, "review")
    item.locator("button.verify").click()
    item.locator(".result:not(:empty)").wait_for()
    assert "Terverifikasi" in item.inner_text()
    assert count(engine, "SELECT count(*) FROM facility WHERE attributes->>'nama' = :n "
                 "AND status = 'verified'", n=name) == 1  # fmt: skip

    # the public map now shows it, with its public attributes in the popup
    public, _ = open_page()
    public.goto(f"{server}/map?kelurahan={BANDAR_LOR}")
    public.wait_for_function(
        "(name) => { const g = window.geoservice.groups.posyandu;"
        " return g.getLayers().some(m => m.feature.properties.nama === name); }",
        arg=name,
    )
    public.evaluate(
        "(name) => window.geoservice.groups.posyandu.getLayers()"
        ".find(m => m.feature.properties.nama === name).openPopup()",
        name,
    )
    popup = public.locator(".leaflet-popup-content")
    assert name in popup.inner_text() and "Madya" in popup.inner_text()
    _shot(public, "map-after-verification")


def test_a_stale_edit_is_explained_with_a_reload(
    open_page: Any, server: str, engine: Engine
) -> None:
    pic, _ = open_page()
    _sign_in(pic, server, "pic.bandarlor", "/editor")
    _editor_ready(pic)
    pic.locator("#points-list button", has_text="Posyandu").first.click()
    version = int(pic.inner_text(".statusline").rsplit(" ", 1)[-1])
    # someone else changes the point in the meantime (another tab, with the current ETag)
    status = pic.evaluate(
        """async () => {
          const c = window.geoservice.config, e = Object.values(window.geoserviceEditor.entries)
            .find(x => x.feature.properties.nama === document.querySelector('#f-nama').value);
          const r = await fetch(c.base + 'collections/posyandu/items/' + e.feature.id, {
            method: 'PATCH', credentials: 'same-origin', body: '{"properties": {"alamat": "x"}}',
            headers: {'Content-Type': 'application/merge-patch+json', 'X-CSRF-Token': c.csrf,
                      'If-Match': '"' + e.feature.properties.versi + '"'}});
          return r.status; }"""
    )
    assert status == 200
    pic.fill("#f-alamat", "Jl. Uji Konflik")
    pic.click("#save")
    pic.wait_for_selector("#reload")
    assert "sudah diubah orang lain" in pic.inner_text("#message")
    pic.click("#reload")
    pic.wait_for_function(
        f"() => document.querySelector('.statusline').textContent.endsWith('{version + 1}')"
    )
    assert pic.input_value("#f-alamat") == "x"
    assert count(engine, "SELECT count(*) FROM facility WHERE attributes->>'alamat' = :a",
                 a="Jl. Uji Konflik") == 0  # fmt: skip


def test_use_my_location_places_a_new_point(
    open_page: Any, server: str, places: dict[str, tuple[float, float]]
) -> None:
    lon, lat = places["inside"]
    pic, _ = open_page(
        geolocation={"latitude": lat, "longitude": lon, "accuracy": 8},
        permissions=["geolocation"],
    )
    _sign_in(pic, server, "pic.bandarlor", "/editor")
    _editor_ready(pic)
    pic.click("#my-location")
    pic.wait_for_selector("#point-form")
    assert "akurasi ±8 m" in pic.inner_text("#message")


@pytest.mark.parametrize("width", [360, 1200])
def test_pages_render_without_errors_at_phone_and_desktop_width(
    open_page: Any, server: str, width: int
) -> None:
    page, _ = open_page(width=width, height=740 if width == 360 else 800)
    page.goto(f"{server}/map")
    page.wait_for_selector(".legend")
    assert page.locator(".leaflet-tile-loaded, canvas").count() > 0  # the boundary tiles drew
    # the search finds a kelurahan and zooms to it
    page.fill("#search-q", "bandar")
    page.click("form.search button")
    page.get_by_role("button", name="Bandar Kidul").click()
    page.wait_for_url("**kelurahan=35.71.01.1002")
    _shot(page, f"map-{width}")
    # nothing is wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    _sign_in(page, server, "pic.bandarlor", "/editor")
    _editor_ready(page)
    _shot(page, f"editor-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto(f"{server}/login?lang=en")
    assert page.inner_text("h1") == "Sign in"
    _shot(page, f"login-{width}")


def test_a_click_on_the_public_map_names_the_kelurahan_there(
    open_page: Any, server: str, places: dict[str, tuple[float, float]]
) -> None:
    page, watch = open_page(width=360, height=740)
    page.goto(f"{server}/map?kelurahan={BANDAR_KIDUL}")
    page.wait_for_selector(".legend")
    # published points of the area arrive (from zoom 11); a tap on one opens its own popup
    # only, which stays open while the map pans to show it and reloads the points
    page.wait_for_function(
        "() => Object.values(window.geoservice.groups).some(group => group.getLayers().length > 0)"
    )
    lon, lat = page.evaluate(
        "() => { const m = Object.values(window.geoservice.groups)"
        ".map(group => group.getLayers()).find(l => l.length > 0)[0].getLatLng();"
        " return [m.lng, m.lat]; }"
    )
    _click_map_at(page, lon, lat)
    page.locator(".leaflet-popup-content .popup").wait_for()
    page.wait_for_timeout(1000)  # the pan, the reload, and the wait for a double click
    assert page.locator(".leaflet-popup-content .popup").count() == 1
    assert page.locator(".popup.area").count() == 0
    assert page.url.endswith(f"kelurahan={BANDAR_KIDUL}")

    # with the point layers switched off, a tap names the desa/kelurahan there, which becomes
    # the page's
    page.evaluate(
        "([lat, lon]) => { const g = window.geoservice;"
        " Object.values(g.groups).forEach(group => g.map.removeLayer(group));"
        " g.map.setView([lat, lon], 15, { animate: false }); }",
        [places["inside"][1], places["inside"][0]],
    )
    _click_map_at(page, *places["inside"])
    area = page.locator(".leaflet-popup-content .popup.area")
    area.wait_for()
    assert area.inner_text().splitlines() == [
        "Kelurahan Bandar Lor",
        "Kec. Mojoroto, Kota Kediri",
        "Kode Kemendagri 35.71.01.1001",
        "Data wilayah ini",
    ]
    page.wait_for_url(f"**kelurahan={BANDAR_LOR}")
    _shot(page, "map-click-kelurahan")
    area.get_by_role("link").click()
    page.wait_for_url(f"{server}/collections/kelurahan/items/{BANDAR_LOR}")
    assert "Bandar Lor" in page.inner_text("main")  # the feature's page
    watch.check()


def test_the_walidata_creates_a_pic_who_then_edits_their_kelurahan(
    open_page: Any, server: str, engine: Engine
) -> None:
    username, password = "pic.uji.akun", "sandi-uji-akun-2026"
    grants = (
        "SELECT coalesce(string_agg(k.kelurahan_code, ' ' ORDER BY k.kelurahan_code), '') "
        "FROM user_kelurahan k JOIN app_user u ON u.id = k.user_id WHERE u.username = :u"
    )
    admin, watch = open_page()
    _sign_in(admin, server, "admin", "/accounts")
    create = admin.locator("#create")
    create.locator("[name=username]").fill(username)
    create.locator("[name=full_name]").fill("PIC Uji Akun")
    create.locator("[name=role]").select_option("pic")
    create.locator("[name=kelurahan]").fill(BANDAR_KIDUL)
    # the password is the username: the API's reason is shown and nothing is created
    create.locator("[name=password]").fill(username)
    create.locator("button[type=submit]").click()
    admin.locator("#message.error", has_text="memuat nama pengguna").wait_for()
    assert count(engine, "SELECT count(*) FROM app_user WHERE username = :u", u=username) == 0

    create.locator("[name=password]").fill(password)
    create.locator("button[type=submit]").click()
    admin.locator("#message", has_text=f"Akun {username} dibuat.").wait_for()
    row = admin.locator(f'tr[data-username="{username}"]')
    assert "Bandar Kidul" in row.inner_text() and "PIC kelurahan" in row.inner_text()

    # Bandar Lor given, Bandar Kidul taken away
    row.locator("form.grant input").fill(BANDAR_LOR)
    row.locator("form.grant button").click()
    admin.locator("#message", has_text=f"{username} kini boleh mengedit {BANDAR_LOR}").wait_for()
    row.get_by_role("button", name="Cabut Bandar Kidul").click()
    admin.locator("#message", has_text=f"{BANDAR_KIDUL} dicabut").wait_for()
    _shot(admin, "accounts")
    with engine.connect() as conn:
        assert conn.execute(text(grants), {"u": username}).scalar_one() == BANDAR_LOR

    # the new PIC signs in and gets the editor of Bandar Lor
    pic, _ = open_page()
    _sign_in(pic, server, username, "/editor", password)
    _editor_ready(pic)
    assert "Bandar Lor" in pic.inner_text("#panel-title")

    # a new password ends the PIC's session; the new password lets them in again
    row.locator("form.password input").fill("sandi-baru-uji-2026")
    row.locator("form.password button").click()
    admin.locator("#message", has_text=f"Kata sandi {username} diganti").wait_for()
    pic.goto(f"{server}/editor")
    pic.wait_for_url(f"{server}/login*")
    _sign_in(pic, server, username, "/editor", "sandi-baru-uji-2026")
    _editor_ready(pic)

    # disabled: the PIC's next page asks them to sign in again
    row.locator("button.toggle").click()
    admin.locator("#message", has_text="dinonaktifkan").wait_for()
    assert "Nonaktif" in admin.locator(f'tr[data-username="{username}"] .state').inner_text()
    pic.goto(f"{server}/editor")
    pic.wait_for_url(f"{server}/login*")
    watch.check()

    # on a phone the table scrolls inside the page, which stays as wide as the screen
    phone, phone_watch = open_page(width=360, height=740)
    _sign_in(phone, server, "admin", "/accounts")
    _shot(phone, "accounts-360")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone_watch.check()


def test_a_rejected_point_shows_its_reason_then_is_moved_and_deleted(
    open_page: Any, server: str, engine: Engine, places: dict[str, tuple[float, float]]
) -> None:
    name, reason = "Posyandu Uji Ditolak", "Nama tidak sesuai papan posyandu"
    lon, lat = places["inside"]
    with engine.begin() as conn:
        fid = conn.execute(
            text(
                "INSERT INTO facility (layer_id, geom, attributes, status, created_by, updated_by)"
                " VALUES ('posyandu', ST_SetSRID(ST_MakePoint(:x, :y), 4326),"
                " CAST(:a AS jsonb), 'submitted', 'pic.bandarlor', 'pic.bandarlor') RETURNING id"
            ),
            {"x": lon + 0.0008, "y": lat + 0.0004, "a": json.dumps({"nama": name})},
        ).scalar_one()

    # the walidata rejects it with a reason
    admin, _ = open_page()
    _sign_in(admin, server, "admin", "/review")
    item = admin.locator(".submission", has_text=name)
    item.locator("button.reject").click()
    item.locator("button.send-reject").click()  # no reason yet: asked for one
    assert "Tulis alasan" in item.inner_text()
    item.locator("textarea").fill(reason)
    item.locator("button.send-reject").click()
    item.locator(".result", has_text="Ditolak").wait_for()
    status = "SELECT status FROM facility WHERE id = :i"
    with engine.connect() as conn:
        assert conn.execute(text(status), {"i": fid}).scalar_one() == "rejected"

    # the PIC sees why, drags the point to a new place and saves
    pic, _ = open_page()
    _sign_in(pic, server, "pic.bandarlor", "/editor")
    _editor_ready(pic)
    pic.get_by_role("button", name=f"Posyandu: {name}").click()
    assert pic.inner_text("#point-status") == "Ditolak"
    assert reason in pic.inner_text("#rejection")
    icon = _settled_marker_centre(pic, f"posyandu/{fid}")  # choosing it pans the map
    pic.mouse.move(*icon)
    pic.mouse.down()
    pic.mouse.move(icon[0] + 20, icon[1] + 10, steps=8)
    pic.mouse.move(icon[0] + 40, icon[1] + 20, steps=8)
    pic.mouse.up()
    pic.locator("#message", has_text="Posisi diubah").wait_for()
    pic.click("#save")
    pic.wait_for_function("() => document.querySelector('#point-status').textContent === 'Draf'")
    where = "SELECT ST_X(geom), ST_Y(geom), status FROM facility WHERE id = :i"
    with engine.connect() as conn:
        x, y, stored = conn.execute(text(where), {"i": fid}).one()
    assert x > lon + 0.0008 and y < lat + 0.0004 and stored == "draft"  # moved east and south

    # and deletes it: the first press asks, the second deletes
    pic.click("#delete")
    assert pic.inner_text("#delete") == "Yakin hapus? Tekan lagi"
    pic.click("#delete")
    pic.locator("#message", has_text="Titik dihapus").wait_for()
    deleted = "SELECT deleted_at IS NOT NULL FROM facility WHERE id = :i"
    with engine.connect() as conn:
        assert conn.execute(text(deleted), {"i": fid}).scalar_one()
    assert pic.get_by_role("button", name=f"Posyandu: {name}").count() == 0


def _settled_marker_centre(page: Any, key: str) -> list[float]:
    """The screen centre of an editor marker once the map has stopped panning to it."""
    centre: list[float] = page.evaluate(
        """async (key) => {
            const centre = () => {
                const r = window.geoserviceEditor.entries[key].marker._icon.getBoundingClientRect();
                return [r.x + r.width / 2, r.y + r.height / 2];
            };
            let last = centre();
            for (;;) {
                await new Promise((done) => setTimeout(done, 150));
                const now = centre();
                if (now[0] === last[0] && now[1] === last[1]) { return now; }
                last = now;
            }
        }""",
        key,
    )
    return centre


def _planner_ready(page: Any, heading: str) -> None:
    page.wait_for_function(
        "(h) => { const t = document.querySelector('#legend-panel h2');"
        " return t !== null && t.textContent.includes(h); }",
        arg=heading,
    )


@pytest.mark.parametrize("width", [360, 1200])
def test_a_planner_maps_an_indicator_compares_periods_and_reads_a_popup(
    open_page: Any, server: str, engine: Engine, width: int
) -> None:
    # the public: public indicators only, with the sample notice and a legend of 5 classes
    page, _ = open_page(width=width, height=740 if width == 360 else 800)
    page.goto(f"{server}/planner")
    _planner_ready(page, "2025")
    options = page.locator("#indikator option").all_inner_texts()
    indicators = [o for o in options if "(profil)" not in o]  # profile fields come after
    assert "Keluarga desil 1 DTSEN" not in " ".join(options) and len(indicators) == 3
    assert page.locator(".legend-panel ul.classes li").count() == 5 + 1  # classes, no data
    assert "Data contoh" in page.inner_text(".legend-panel .sample")
    assert page.locator(".leaflet-overlay-pane path").count() >= 46
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, f"planner-public-{width}")

    # a planner: the restricted indicator, a change map, fewer classes, a popup
    _sign_in(page, server, "perencana", "/planner")
    page.select_option("#indikator", "keluarga_desil_1")
    page.wait_for_url("**indikator=keluarga_desil_1**")
    _planner_ready(page, "2025")
    page.select_option("#banding", "2024")
    _planner_ready(page, "Perubahan 2024 → 2025")
    page.select_option("#kelas", "3")
    page.wait_for_function(
        "() => document.querySelectorAll('.legend-panel ul.classes li').length === 4"
    )
    assert "banding=2024" in page.url and "kelas=3" in page.url  # the view can be shared
    inside = gpd.read_file(KEDIRI_KELURAHAN).set_index("kode").geometry[BANDAR_LOR]
    lon, lat = inside.representative_point().coords[0]
    page.evaluate("([lat, lon]) => window.geoservice.map.setView([lat, lon], 15)", [lat, lon])
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text_ = popup.inner_text()
    with engine.connect() as conn:
        posyandu = conn.execute(
            text(
                "SELECT count(*) FROM facility WHERE layer_id = 'posyandu' AND status = 'verified'"
                " AND deleted_at IS NULL AND kelurahan_code = '35.71.01.1001'"
            )
        ).scalar_one()
    assert "Bandar Lor (35.71.01.1001)" in text_
    assert f"Posyandu: {posyandu}" in text_ and "Jumlah penduduk" in text_
    _shot(page, f"planner-change-{width}")

    # the table behind the map, with its downloads
    page.click("#table-link")
    page.wait_for_selector("table.stats")
    assert page.locator("table.stats tbody tr").count() == 46
    assert "Keluarga desil 1 DTSEN" in page.inner_text("table.stats thead")
    _shot(page, f"statistics-{width}")


def test_a_planner_checks_then_imports_a_spreadsheet_from_the_page(
    open_page: Any, server: str, engine: Engine
) -> None:
    page, _ = open_page()
    _sign_in(page, server, "perencana", "/planner")
    page.click("details.import summary")
    bad = "kelurahan;penduduk\nBandar Lor;9.000\nBandar;100\n"
    page.set_input_files(
        "#import-file", {"name": "penduduk.csv", "mimeType": "text/csv", "buffer": bad.encode()}
    )
    page.fill("#import-period", "2026")
    page.click("#import-form button[value=true]")
    page.wait_for_selector("#import-result.error li")
    message = page.inner_text("#import-result")
    assert "1 masalah" in message and "Baris 3" in message and "Bandar Lor" in message
    good = "kelurahan;penduduk\nBandar Lor;9.000\nBandar Kidul;16.000\n"
    page.set_input_files(
        "#import-file", {"name": "penduduk.csv", "mimeType": "text/csv", "buffer": good.encode()}
    )
    page.click("#import-form button[value=true]")
    page.wait_for_function(
        "() => document.querySelector('#import-result').textContent.includes('semua cocok')"
    )
    assert count(engine, "SELECT count(*) FROM indicator_value WHERE period = '2026'") == 0
    _shot(page, "planner-import-checked")
    page.click("#import-form button[value=false]")
    page.wait_for_function(
        "() => document.querySelector('#import-result').textContent.includes('Tersimpan: 2')"
    )
    page.wait_for_load_state("load")  # the page reloads itself after an import
    _planner_ready(page, "2025")
    page.select_option("#indikator", "penduduk")
    page.wait_for_url("**indikator=penduduk**")
    assert "2026" in page.locator("#periode option").all_inner_texts()
    with engine.begin() as conn:
        assert (
            conn.execute(
                text("SELECT sum(value) FROM indicator_value WHERE period = '2026'")
            ).scalar_one()
            == 25_000
        )
        conn.execute(text("DELETE FROM indicator_value WHERE period = '2026'"))


def test_a_planner_confirms_the_columns_the_service_proposes(
    open_page: Any, server: str, engine: Engine
) -> None:
    page, _ = open_page()
    _sign_in(page, server, "perencana", "/planner")
    page.click("details.import summary")
    content = "kelurahan;Jumlah Penduduk\nBandar Lor;8.817\nBandar Kidul;16.000\n"
    page.set_input_files(
        "#import-file", {"name": "dinas.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.fill("#import-period", "2027")
    page.click("#import-form button[value=true]")
    # no column is headed by an indicator's code: the service proposes one from its title
    page.wait_for_selector("#import-mapping select")
    picker = page.locator("#import-mapping")
    assert "Kolom “Jumlah Penduduk” berisi" in picker.inner_text()
    assert page.locator("#import-mapping select").input_value() == "penduduk"
    _shot(page, "planner-import-proposals")
    page.click("#import-form button[value=true]")  # checked again, the choice sent along
    page.wait_for_function(
        "() => document.querySelector('#import-result').textContent.includes('semua cocok')"
    )
    assert count(engine, "SELECT count(*) FROM indicator_value WHERE period = '2027'") == 0
    # a new file starts without a choice; a column set to "do not use" is not sent, so saving
    # is refused as the first check was, and nothing is written
    page.set_input_files(
        "#import-file", {"name": "dinas2.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.click("#import-form button[value=true]")
    page.wait_for_selector("#import-mapping select")
    page.select_option("#import-mapping select", "")
    page.click("#import-form button[value=false]")
    page.wait_for_selector("#import-result.error")
    assert count(engine, "SELECT count(*) FROM indicator_value WHERE period = '2027'") == 0
