"""Hardening of what browsers receive (issue 16): the security headers and the CSP of every
page, text from data escaped wherever a page embeds it, cookies that another site cannot plant,
sign-in and sign-out that another site cannot drive, spreadsheet cells that cannot run, common
passwords refused, a lockout per username and address, and no internals in answers."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from geoservice.errors import TooManyRequests, Unauthorized, ValidationFailed
from geoservice.services import accounts, auth, passwords
from geoservice.settings import PROJECT_ROOT, Settings
from geoservice.web.security import basemap_origin, script_json
from tests.api.editing_world import OWN, PASSWORD, World, build_world, sign_in
from tests.support import app_client, count, free_port, read_csv

HOSTILE = '<img src=x onerror="alert(1)">"><script>alert(2)</script><!--<script>\u2028&'
PAGES = [
    "/?f=html",
    "/collections?f=html",
    "/collections/posyandu?f=html",
    "/collections/posyandu/items?f=html",
    f"/collections/kelurahan/items/{OWN}?f=html",
    "/map",
    "/planner",
    "/login",
    "/docs",
    "/statistics?f=html&kode=35.71",
]
SIGNED_IN_PAGES = ["/editor", "/review", "/accounts"]


pytestmark = pytest.mark.usefixtures("world")  # its accounts and points


@pytest.fixture(scope="module")
def world(engine: Engine, database_url: str) -> World:
    return build_world(engine, database_url)


@pytest.fixture(autouse=True)
def _no_failed_logins(engine: Engine) -> Iterator[None]:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM login_failure"))
    yield
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM login_failure"))


def _policy(response: object) -> dict[str, str]:
    header = response.headers["content-security-policy"]  # type: ignore[attr-defined]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def _check_page(response: object) -> None:
    """The headers and the script rules of one HTML page."""
    headers = response.headers  # type: ignore[attr-defined]
    page = response.text  # type: ignore[attr-defined]
    assert headers["content-type"].startswith("text/html")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    policy = _policy(response)
    for directive, value in {
        "default-src": "'none'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "connect-src": "'self'",
    }.items():
        assert policy[directive] == value, directive
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert "unsafe-eval" not in headers["content-security-policy"]
    nonces = re.findall(r"'nonce-([^']+)'", policy["script-src"])
    # every executable inline script carries this response's nonce; data blocks are JSON
    for tag in re.findall(r"<script\b[^>]*>", page):
        if "src=" in tag or 'type="application/json"' in tag:
            continue
        assert nonces and f'nonce="{nonces[0]}"' in tag, tag
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", page), "an inline event handler"
    assert "javascript:" not in page


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_a_strict_policy(fresh_client: TestClient, path: str) -> None:
    response = fresh_client.get(path)
    assert response.status_code == 200, response.text
    _check_page(response)


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_pages_send_a_strict_policy(fresh_client: TestClient, path: str) -> None:
    assert sign_in(fresh_client, "admin.uji").status_code == 303
    response = fresh_client.get(path + (f"?kelurahan={OWN}" if path == "/editor" else ""))
    assert response.status_code == 200, response.text
    _check_page(response)


def test_nonces_differ_per_response(fresh_client: TestClient) -> None:
    first, second = (_policy(fresh_client.get("/map"))["script-src"] for _ in range(2))
    assert first != second


def test_json_and_tiles_get_nosniff_and_production_gets_hsts(database_url: str) -> None:
    with app_client(database_url) as c:
        answer = c.get("/collections")
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "strict-transport-security" not in answer.headers
        assert "content-security-policy" not in answer.headers  # JSON runs nothing
        tile = c.get("/collections/kelurahan/tiles/WebMercatorQuad/14/13013/8737")
        assert tile.headers["x-content-type-options"] == "nosniff"
    strong = "s" * 40
    with app_client(
        database_url,
        environment="production",
        secret_key=strong,
        public_url="https://testserver",
    ) as c:
        hsts = c.get("/health").headers["strict-transport-security"]
        assert hsts.startswith("max-age=31536000")


def test_the_basemap_is_the_only_other_image_source(database_url: str) -> None:
    with app_client(database_url, basemap_url="https://{s}.tile.example.org/{z}/{x}/{y}.png") as c:
        assert _policy(c.get("/map"))["img-src"] == "'self' data: https://*.tile.example.org"
    assert basemap_origin("") is None
    assert basemap_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )


def test_json_in_pages_cannot_end_its_script_block() -> None:
    text_ = str(script_json({"nama": HOSTILE}))
    for raw in ("<", ">", "&", "\u2028"):
        assert raw not in text_
    assert json.loads(text_) == {"nama": HOSTILE}


def test_no_template_or_script_inserts_markup() -> None:
    """Data reaches pages as text: no ``|safe`` in a template, no ``innerHTML`` in a page
    script, and every Leaflet tooltip and popup gets an element, never a string."""
    templates = PROJECT_ROOT / "geoservice" / "templates"
    for template in templates.glob("*.html"):
        assert "|safe" not in template.read_text().replace(" ", ""), template.name
    for script in (PROJECT_ROOT / "geoservice" / "static").glob("*.js"):
        source = script.read_text()
        assert "innerHTML" not in source, script.name
        assert "insertAdjacentHTML" not in source and "document.write" not in source
        for call in re.findall(r"bind(?:Tooltip|Popup)\(\s*([^)]*)", source):
            assert call.startswith(("g.tip(", "textNode(", "function")) or call.startswith(
                "g.popup("
            ), (script.name, call)


def test_docs_come_from_the_service(fresh_client: TestClient) -> None:
    page = fresh_client.get("/docs").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("http://testserver/") for s in sources), sources
    for source in sources:
        assert fresh_client.get(source).status_code == 200, source


# -- sign-in and sign-out ----------------------------------------------------------------------


def _login_token(page_text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page_text)
    assert found is not None
    return found.group(1)


def test_a_sign_in_form_posted_from_another_origin_is_refused(fresh_client: TestClient) -> None:
    token = _login_token(fresh_client.get("/login").text)
    form = {"username": "pic.own", "password": PASSWORD, "csrf_token": token, "next": "/"}
    for header in (
        {"Origin": f"http://127.0.0.1:{free_port()}"},  # another port of this host
        {"Origin": "null"},
        {"Referer": "http://evil.example/login"},
    ):
        refused = fresh_client.post("/login", data=form, headers=header, follow_redirects=False)
        assert refused.status_code == 403, header
        assert "tidak dikirim dari halaman layanan ini" in refused.text
        assert "geoservice_session" not in refused.headers.get("set-cookie", "")
    ok = fresh_client.post(
        "/login", data=form, headers={"Origin": "http://testserver"}, follow_redirects=False
    )
    assert ok.status_code == 303


def test_two_sign_in_tabs_both_work(fresh_client: TestClient) -> None:
    first = _login_token(fresh_client.get("/login").text)
    second = _login_token(fresh_client.get("/login?lang=en").text)
    assert first == second  # one token per browser, kept while it is valid
    form = {"username": "pic.own", "password": PASSWORD, "csrf_token": first, "next": "/"}
    assert fresh_client.post("/login", data=form, follow_redirects=False).status_code == 303


def test_a_missing_sign_in_token_is_explained_in_plain_words(fresh_client: TestClient) -> None:
    form = {"username": "pic.own", "password": PASSWORD, "csrf_token": "lama"}
    page = fresh_client.post("/login", data=form, follow_redirects=False)
    assert page.status_code == 403
    assert "Muat ulang halaman" in page.text and "CSRF" not in page.text
    # the page it answers with carries a working token
    form["csrf_token"] = _login_token(page.text)
    assert fresh_client.post("/login", data=form, follow_redirects=False).status_code == 303


def test_sign_out_needs_the_session_token(fresh_client: TestClient) -> None:
    assert sign_in(fresh_client, "pic.own").status_code == 303
    refused = fresh_client.post("/logout", follow_redirects=False)
    assert refused.status_code == 403
    assert "set-cookie" not in refused.headers
    assert fresh_client.get("/auth/me").status_code == 200  # still signed in
    csrf = fresh_client.get("/auth/me").json()["csrf_token"]
    assert fresh_client.post("/logout", data={"csrf_token": csrf}).status_code == 200
    assert fresh_client.get("/auth/me").status_code == 401


def test_a_cross_site_sign_out_deletes_no_cookie(fresh_client: TestClient) -> None:
    # a post from another site carries no SameSite=Lax cookie: nothing may be deleted
    answer = fresh_client.post("/logout", follow_redirects=False)
    assert answer.status_code == 303
    assert "set-cookie" not in answer.headers


def test_secure_requests_use_host_prefixed_cookies(database_url: str) -> None:
    settings = {
        "environment": "production",
        "secret_key": "s" * 40,
        "public_url": "https://testserver",
    }
    with app_client(database_url, **settings) as c:
        c.base_url = c.base_url.copy_with(scheme="https")
        page = c.get("/login")
        assert "__Host-geoservice_login=" in page.headers["set-cookie"]
        assert "Secure" in page.headers["set-cookie"] and "Path=/" in page.headers["set-cookie"]
        form = {
            "username": "pic.own",
            "password": PASSWORD,
            "csrf_token": _login_token(page.text),
        }
        signed_in = c.post("/login", data=form, follow_redirects=False)
        cookie = signed_in.headers["set-cookie"]
        assert "__Host-geoservice_session=" in cookie and "Secure" in cookie
        assert c.get("/auth/me").json()["username"] == "pic.own"
        # an unprefixed cookie (planted by a sibling host or port) is not read here
        session = c.cookies.get("__Host-geoservice_session")
        c.cookies.clear()
        c.cookies.set("geoservice_session", session)
        assert c.get("/auth/me").status_code == 401


def test_host_header_does_not_choose_the_links(database_url: str) -> None:
    with app_client(database_url, public_url="https://data.kota.go.id/geo") as c:
        refused = c.get("/collections", headers={"Host": "evil.example"})
        assert refused.status_code == 400
        assert refused.headers["content-type"] == "application/problem+json"
        ok = c.get("/collections", headers={"Host": "data.kota.go.id"})
        links = [link["href"] for link in ok.json()["links"]]
        assert links and all(h.startswith("https://data.kota.go.id/geo/") for h in links), links


# -- exports -----------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx"]


def test_export_cells_cannot_run_as_formulas(fresh_client: TestClient, world: World) -> None:
    for formula in FORMULAS:
        world.point(OWN, status="verified", nama=formula)
    for locale in ("id", "en"):
        table = fresh_client.get(f"/collections/posyandu/items?f=csv&limit=500&locale={locale}")
        names = [row["nama"] for row in read_csv(table.content, locale)]
        for formula in FORMULAS:
            assert "'" + formula in names, (locale, formula)
        assert not any(name.startswith(("=", "+", "-", "@", "\t")) for name in names), locale
    book = openpyxl.load_workbook(
        io.BytesIO(fresh_client.get("/collections/posyandu/items?f=xlsx&limit=500").content)
    )
    sheet = book.worksheets[0]
    column = [c.value for c in sheet[1]].index("nama")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    for formula in FORMULAS:
        assert any(c.value == "'" + formula and c.data_type == "s" for c in cells), formula
    # a rejection reason reaches the change log's CSV
    fid = world.point(OWN, status="submitted", nama="Posyandu Alasan")
    reason = '=HYPERLINK("http://evil.example","klik")'
    rejected = fresh_client.post(
        f"/collections/posyandu/items/{fid}/reject",
        json={"reason": reason},
        headers=world.headers("admin", **{"If-Match": '"1"'}),
    )
    assert rejected.status_code == 200, rejected.text
    for locale in ("id", "en"):
        log = fresh_client.get(
            f"/kelurahan/{OWN}/changes?f=csv&locale={locale}", headers=world.headers("admin")
        ).content.decode("utf-8-sig")
        separator = ";" if locale == "id" else ","
        reasons = [row[7] for row in csv.reader(io.StringIO(log), delimiter=separator)]
        assert "'" + reason in reasons and reason not in reasons, locale


def test_spreadsheet_helpers_neutralize_every_formula_start(tmp_path: Path) -> None:
    import pandas as pd

    from geoservice.services.exports import csv_text, safe_cell, safe_frame

    for formula in FORMULAS + ["\rx"]:
        assert safe_cell(formula) == "'" + formula
    assert safe_cell(-5) == -5 and safe_cell("Posyandu Melati") == "Posyandu Melati"
    assert csv_text(["=a"], [["=b", 1]]) == "\ufeff'=a\r\n'=b,1\r\n"
    # a negative number is a number in both locales; a formula-looking text is not
    assert csv_text(["n", "x"], [[-2.5, "-2,5"]], "id") == "\ufeffn;x\r\n-2,5;'-2,5\r\n"
    assert csv_text(["n", "x"], [[-2.5, "-2.5"]], "en") == "\ufeffn,x\r\n-2.5,'-2.5\r\n"
    frame = safe_frame(pd.DataFrame({"nama": ["=1+1", "aman"], "n": [1, 2]}))
    path = tmp_path / "x.xlsx"
    frame.to_excel(path, index=False)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"


# -- passwords and lockout ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("password123", "auth.password_weak"),
        ("qwertyuiop", "auth.password_weak"),
        ("1234567890", "auth.password_weak"),
        ("kelurahan2026", "auth.password_weak"),
        ("pic.bandarlor-2026", "auth.password_has_username"),
        ("Bandarlor!2026x", "auth.password_has_username"),
    ],
)
def test_guessable_passwords_are_refused(password: str, key: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        passwords.check_new_password(password, "pic.bandarlor")
    assert refused.value.key == key


def test_a_good_password_is_taken() -> None:
    passwords.check_new_password("tiga-kata-acak-sungai-77", "pic.bandarlor")


def test_lockout_is_per_username_and_address(world: World, engine: Engine) -> None:
    settings = world.settings
    for _ in range(settings.login_max_failures):
        with pytest.raises(Unauthorized):
            auth.sign_in(engine, settings, "pic.own", "salah-sandi-123", "10.0.0.1")
    with pytest.raises(TooManyRequests) as locked:
        auth.sign_in(engine, settings, "pic.own", PASSWORD, "10.0.0.1")
    assert 0 < int(locked.value.headers["Retry-After"]) <= 15 * 60
    assert "menit" in locked.value.detail("id")  # minutes, not "470 detik"
    # the same user from another address, and a colleague behind the same NAT, sign in
    auth.sign_in(engine, settings, "pic.own", PASSWORD, "10.0.0.2")
    auth.sign_in(engine, settings, "pic.other", PASSWORD, "10.0.0.1")


def test_an_address_that_fails_for_many_users_backs_off(world: World, engine: Engine) -> None:
    settings = world.settings
    with engine.begin() as conn:
        threshold = settings.login_max_failures * passwords.CLIENT_FAILURE_FACTOR
        conn.execute(
            text(
                "INSERT INTO login_failure (username, client, at)"
                " SELECT 'tebak' || i, '10.0.0.9', now() - interval '5 minutes'"
                " FROM generate_series(1, :n) i"
            ),
            {"n": threshold - 1},
        )
        conn.execute(text("INSERT INTO login_failure (username, client) VALUES ('x', '10.0.0.9')"))
    # the 20th failure was just now: the next attempt waits a little, then may go ahead
    with pytest.raises(TooManyRequests) as wait:
        auth.sign_in(engine, settings, "pic.other", PASSWORD, "10.0.0.9")
    assert 1 <= int(wait.value.headers["Retry-After"]) <= passwords.BACKOFF_MAX_SECONDS
    with engine.begin() as conn:
        conn.execute(text("UPDATE login_failure SET at = at - interval '10 seconds'"))
    auth.sign_in(engine, settings, "pic.other", PASSWORD, "10.0.0.9")
    assert count(engine, "SELECT count(*) FROM login_failure WHERE client = '10.0.0.9'") == 20


# -- leaks -------------------------------------------------------------------------------------


def test_an_unreachable_database_is_not_described_to_clients() -> None:
    port = free_port()
    url = f"postgresql://geoservice_user:pw@127.0.0.1:{port}/geoservice_db"
    from fastapi.testclient import TestClient as Client

    from geoservice.app import create_app

    settings = Settings(database_url=url, layers_dir=PROJECT_ROOT / "layers", tile_cache_mb=0)
    with Client(create_app(settings)) as c:
        answer = c.get("/collections/posyandu/items")
    assert answer.status_code == 503
    detail = answer.json()["detail"]
    for secret in (str(port), "127.0.0.1", "geoservice_user", "geoservice_db"):
        assert secret not in answer.text, secret
    assert "Coba lagi" in detail


def test_a_broken_upload_names_only_the_users_file(fresh_client: TestClient, world: World) -> None:
    answer = fresh_client.post(
        "/indicators/import",
        headers=world.headers("planner"),
        files={"file": ("data_kelurahan.xlsx", b"PK\x03\x04 not really a workbook", "x/y")},
        data={"period": "2025"},
    )
    assert answer.status_code == 400
    detail = answer.json()["detail"]
    assert "data_kelurahan.xlsx" in detail
    assert "/tmp" not in answer.text and "upload.xlsx" not in answer.text
    assert "zip" not in answer.text.lower()  # the library's own exception stays in the log


def test_an_account_disabled_mid_session_is_told_why(
    fresh_client: TestClient, world: World
) -> None:
    assert sign_in(fresh_client, "pic.other").status_code == 303
    csrf = fresh_client.get("/auth/me").json()["csrf_token"]
    with world.engine.begin() as conn:
        accounts.set_disabled(conn, "pic.other")
    try:
        answer = fresh_client.post(
            "/collections/posyandu/items",
            json={"type": "Feature", "geometry": {"type": "Point", "coordinates": [112, -7.8]}},
            headers={"X-CSRF-Token": csrf, "Content-Type": "application/geo+json"},
        )
        assert answer.status_code == 401
        assert answer.json()["type"].endswith("/account-disabled")
        assert "dinonaktifkan" in answer.json()["detail"]
        # pages read it as signed out
        assert "Masuk sebagai" not in fresh_client.get("/map").text
    finally:
        with world.engine.begin() as conn:
            accounts.set_disabled(conn, "pic.other", False)
    # enabled again, the old session stays ended
    assert fresh_client.get("/auth/me").status_code == 401


def test_the_editor_of_another_kelurahan_names_both_by_name(
    fresh_client: TestClient,
) -> None:
    assert sign_in(fresh_client, "pic.own").status_code == 303
    page = fresh_client.get("/editor?kelurahan=35.71.02.1001")
    assert page.status_code == 403
    assert "Semampir (35.71.02.1001)" in page.text and "Bandar Lor (35.71.01.1001)" in page.text
