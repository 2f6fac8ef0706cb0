"""Sign-in, sessions and CSRF, API tokens (expired, revoked, forged), rate limiting, the
refusal to run production with defaults, and concurrent edits of one point."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from geoservice.deps import SESSION_COOKIE
from geoservice.services import accounts, auth
from tests.api.editing_world import GEOJSON, OWN, PASSWORD, World, build_world, feature, sign_in
from tests.support import app_client, count, table_fingerprint


@pytest.fixture(scope="module")
def world(engine: Engine, database_url: str) -> World:
    return build_world(engine, database_url)


@pytest.fixture(autouse=True)
def _no_failed_logins(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM login_failure"))


def test_login_page_is_indonesian_and_english_and_sets_a_csrf_cookie(
    fresh_client: TestClient,
) -> None:
    page = fresh_client.get("/login")
    assert 'lang="id"' in page.text and "Kata sandi" in page.text
    assert "geoservice_login=" in page.headers["set-cookie"]
    assert "Password" in fresh_client.get("/login?lang=en").text


@pytest.mark.usefixtures("world")
def test_sign_in_sets_a_session_cookie_and_signs_out(fresh_client: TestClient) -> None:
    response = sign_in(fresh_client, "pic.own")
    assert response.status_code == 303
    assert response.headers["location"] == "/collections"
    cookie = response.headers["set-cookie"]
    assert "geoservice_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    me = fresh_client.get("/auth/me").json()
    assert me["username"] == "pic.own" and me["role"] == "pic" and me["kelurahan"] == [OWN]
    assert me["csrf_token"]
    # the form post of the sign-out button, with the session's token
    out = fresh_client.post(
        "/logout", data={"csrf_token": me["csrf_token"]}, follow_redirects=False
    )
    assert out.status_code == 303
    assert fresh_client.get("/auth/me").status_code == 401


@pytest.mark.usefixtures("world")
def test_sign_in_refuses_an_open_redirect(fresh_client: TestClient) -> None:
    page = fresh_client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    response = fresh_client.post(
        "/login",
        data={
            "username": "pic.own",
            "password": PASSWORD,
            "csrf_token": token.group(1),
            "next": "//evil.example/phish",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


@pytest.mark.usefixtures("world")
def test_sign_in_without_the_form_token_is_refused(fresh_client: TestClient) -> None:
    response = fresh_client.post(
        "/login", data={"username": "pic.own", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "geoservice_session" not in response.headers.get("set-cookie", "")


@pytest.mark.usefixtures("world")
def test_wrong_password_and_unknown_user_get_the_same_answer(fresh_client: TestClient) -> None:
    wrong = sign_in(fresh_client, "pic.own", "salah-sandi-123")
    unknown = sign_in(fresh_client, "tidak.ada", "salah-sandi-123")
    assert wrong.status_code == unknown.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in wrong.text
    assert "Nama pengguna atau kata sandi salah." in unknown.text


@pytest.mark.usefixtures("world")
def test_failed_sign_ins_are_rate_limited(fresh_client: TestClient, engine: Engine) -> None:
    for _ in range(5):
        assert sign_in(fresh_client, "pic.other", "salah-sandi-123").status_code == 401
    limited = sign_in(fresh_client, "pic.other")  # even the right password waits now
    assert limited.status_code == 429
    assert 0 < int(limited.headers["retry-after"]) <= 15 * 60
    assert "Terlalu banyak percobaan" in limited.text
    assert count(engine, "SELECT count(*) FROM login_failure") == 5
    # another username from the same client is not locked out by these
    assert sign_in(fresh_client, "pic.own").status_code == 303


def test_session_writes_need_the_csrf_token(
    fresh_client: TestClient, world: World, engine: Engine
) -> None:
    assert sign_in(fresh_client, "pic.own").status_code == 303
    csrf = fresh_client.get("/auth/me").json()["csrf_token"]
    lon, lat = world.spot(OWN)
    body = feature(lon, lat, nama="Posyandu Lewat Sesi")
    before = table_fingerprint(engine)
    missing = fresh_client.post("/collections/posyandu/items", json=body, headers=GEOJSON)
    forged = fresh_client.post(
        "/collections/posyandu/items", json=body, headers={**GEOJSON, "X-CSRF-Token": "palsu"}
    )
    assert missing.status_code == forged.status_code == 403
    assert "Muat ulang halaman" in missing.json()["detail"]
    assert table_fingerprint(engine) == before
    ok = fresh_client.post(
        "/collections/posyandu/items", json=body, headers={**GEOJSON, "X-CSRF-Token": csrf}
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["properties"]["status"] == "draft"
    # reads need no token
    assert fresh_client.get(f"/collections/posyandu/items/{ok.json()['id']}").status_code == 200


def test_expired_session_reads_as_signed_out(
    fresh_client: TestClient, world: World, engine: Engine
) -> None:
    assert sign_in(fresh_client, "perencana.uji").status_code == 303
    fid = world.point(OWN, status="draft")
    assert fresh_client.get(f"/collections/posyandu/items/{fid}").status_code == 200
    with engine.begin() as conn:
        conn.execute(text("UPDATE web_session SET expires_at = now() - interval '1 second'"))
    assert fresh_client.get(f"/collections/posyandu/items/{fid}").status_code == 404
    assert fresh_client.get("/auth/me").status_code == 401


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("forged", "Token API tidak dikenal."),
        ("expired", "Token API ini sudah kedaluwarsa; buat token baru."),
        ("revoked", "Token API ini sudah dicabut."),
        ("disabled", "Akun ini dinonaktifkan; hubungi walidata."),
        ("malformed", "Header Authorization harus berbentuk 'Bearer <token>'."),
    ],
)
def test_bad_tokens_are_401_with_the_reason(
    fresh_client: TestClient, world: World, engine: Engine, case: str, message: str
) -> None:
    with engine.begin() as conn:
        accounts.add_user(conn, f"uji.{case}", "pic", PASSWORD, kelurahan=[OWN])
        token_id, secret = auth.create_token(conn, world.settings, f"uji.{case}", case)
        if case == "expired":
            conn.execute(
                text("UPDATE api_token SET expires_at = now() - interval '1 minute' WHERE id = :i"),
                {"i": token_id},
            )
        elif case == "revoked":
            auth.revoke_token(conn, token_id)
        elif case == "disabled":
            accounts.set_disabled(conn, f"uji.{case}")
    header = {
        "forged": "Bearer gs_" + "A" * 43,
        "malformed": f"Token {secret}",
    }.get(case, f"Bearer {secret}")
    lon, lat = world.spot(OWN)
    before = table_fingerprint(engine)
    response = fresh_client.post(
        "/collections/posyandu/items",
        json=feature(lon, lat, nama=f"Posyandu Token {case}"),
        headers={**GEOJSON, "Authorization": header},
    )
    assert response.status_code == 401
    assert response.json()["detail"] == message
    assert response.headers["www-authenticate"].startswith('Bearer realm="geoservice"')
    assert table_fingerprint(engine) == before
    # a bad token is an error for reads as well, not a silent anonymous view
    assert (
        fresh_client.get(
            "/collections/posyandu/items", headers={"Authorization": header}
        ).status_code
        == 401
    )


def test_tokens_through_the_api(fresh_client: TestClient, world: World) -> None:
    headers = world.headers("planner")
    created = fresh_client.post("/auth/tokens", json={"name": "QGIS", "days": 30}, headers=headers)
    assert created.status_code == 201
    secret = created.json()["token"]
    assert secret.startswith("gs_")
    listed = fresh_client.get("/auth/tokens", headers=headers).json()
    assert any(t["name"] == "QGIS" and not t["revoked"] for t in listed)
    assert all("token" not in t for t in listed)  # secrets are never listed
    mine = {"Authorization": f"Bearer {secret}"}
    assert fresh_client.get("/auth/me", headers=mine).json()["username"] == "perencana.uji"
    revoked = fresh_client.delete(f"/auth/tokens/{created.json()['id']}", headers=headers)
    assert revoked.status_code == 204
    assert fresh_client.get("/auth/me", headers=mine).status_code == 401
    # someone else's token cannot be revoked by id
    others = fresh_client.post("/auth/tokens", json={"name": "x"}, headers=world.headers("pic_own"))
    refused = fresh_client.delete(f"/auth/tokens/{others.json()['id']}", headers=headers)
    assert refused.status_code == 404


def test_twenty_parallel_updates_with_one_etag_make_one_version(
    live_server: str, world: World, engine: Engine
) -> None:
    """No lost update: the first writer wins, the other 19 get 412, history grows by one."""
    fid = world.point(OWN)
    versions_before = count(
        engine, "SELECT count(*) FROM facility_history WHERE facility_id = :i", i=fid
    )

    def update(n: int) -> int:
        response = httpx.patch(
            f"{live_server}/collections/posyandu/items/{fid}",
            json={"properties": {"jumlah_kader": n}},
            headers=world.headers(
                "pic_own",
                **{"Content-Type": "application/merge-patch+json", "If-Match": '"1"'},
            ),
            timeout=30,
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = sorted(pool.map(update, range(1, 21)))
    assert statuses == [200] + [412] * 19
    assert (
        count(engine, "SELECT count(*) FROM facility_history WHERE facility_id = :i", i=fid)
        == versions_before + 1
    )
    assert world.version(fid) == 2


def test_production_refuses_default_secret_and_demo_passwords(
    database_url: str, engine: Engine
) -> None:
    from geoservice.app import UnsafeConfiguration
    from geoservice.demo import DEMO_PASSWORD

    with pytest.raises(UnsafeConfiguration, match="GEOSERVICE_SECRET_KEY"):
        with app_client(database_url, environment="production"):
            pass
    with engine.begin() as conn:
        accounts.add_user(conn, "admin", "admin", DEMO_PASSWORD)
    strong = "s" * 40
    try:
        with pytest.raises(UnsafeConfiguration, match="demo password: admin"):
            with app_client(database_url, environment="production", secret_key=strong):
                pass
        with engine.begin() as conn:
            accounts.set_password(conn, "admin", "a-new-and-long-password")
        with pytest.raises(UnsafeConfiguration, match="GEOSERVICE_PUBLIC_URL"):
            with app_client(database_url, environment="production", secret_key=strong):
                pass
        public = "https://testserver"
        with app_client(
            database_url, environment="production", secret_key=strong, public_url=public
        ) as c:
            assert c.get("/health").status_code == 200
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM app_user WHERE username = 'admin'"))


#: Every HTML page of the OGC API, with or without a route that needs to know the user.
API_PAGES = [
    "/?f=html",
    "/collections?f=html",
    "/collections/posyandu?f=html",
    "/collections/posyandu/items?f=html",
    f"/collections/kelurahan/items/{OWN}?f=html",
]


@pytest.mark.usefixtures("world")
def test_pages_show_who_is_signed_in_with_a_sign_out_form(fresh_client: TestClient) -> None:
    for path in API_PAGES:
        anonymous = fresh_client.get(path)
        assert 'href="http://testserver/login' in anonymous.text, path
        assert "Masuk sebagai" not in anonymous.text
    assert sign_in(fresh_client, "pic.own").status_code == 303
    csrf = fresh_client.get("/auth/me").json()["csrf_token"]
    for path in API_PAGES:
        page = fresh_client.get(path)
        assert "Masuk sebagai pic.own" in page.text, path
        assert f'name="csrf_token" value="{csrf}"' in page.text
        assert page.headers["cache-control"] == "no-store"  # a name and a token: never cached
    # expired or forged: signed out (the jar holds only the forged cookie; httpx2, which the
    # TestClient prefers, would otherwise still send the real one beside it)
    fresh_client.cookies.clear()
    fresh_client.cookies.set(SESSION_COOKIE, "not-a-session")
    assert "Masuk sebagai" not in fresh_client.get("/collections?f=html").text


@pytest.mark.parametrize("role", ["anonymous", "pic_own", "planner"])
def test_only_admins_manage_accounts(
    fresh_client: TestClient, world: World, engine: Engine, role: str
) -> None:
    before = table_fingerprint(engine), count(engine, "SELECT count(*) FROM app_user")
    body = {"username": "pic.baru", "role": "pic", "password": "sandi-yang-panjang"}
    responses = [
        fresh_client.get("/users", headers=world.headers(role)),
        fresh_client.post("/users", json=body, headers=world.headers(role)),
        fresh_client.patch(
            "/users/pic.other", json={"disabled": True}, headers=world.headers(role)
        ),
        fresh_client.put(f"/users/pic.other/kelurahan/{OWN}", headers=world.headers(role)),
        fresh_client.delete(
            "/users/pic.other/kelurahan/35.71.02.1001", headers=world.headers(role)
        ),
    ]
    expected = 401 if role == "anonymous" else 403
    assert [r.status_code for r in responses] == [expected] * 5
    after = table_fingerprint(engine), count(engine, "SELECT count(*) FROM app_user")
    assert after == before


def test_admin_manages_accounts_over_http(fresh_client: TestClient, world: World) -> None:
    admin = world.headers("admin")
    created = fresh_client.post(
        "/users",
        json={
            "username": "pic.dandangan",
            "role": "pic",
            "password": "kopi-hujan-sawah-17",
            "full_name": "Siti Aminah",
            "kelurahan": ["35.71.03.1002"],
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert created.json()["kelurahan"] == ["35.71.03.1002"]
    weak = fresh_client.post(
        "/users",
        json={"username": "pic.lemah", "role": "pic", "password": "pendek"},
        headers=admin,
    )
    assert weak.status_code == 422 and "minimal 10 karakter" in weak.json()["detail"]
    unknown_code = fresh_client.put("/users/pic.dandangan/kelurahan/35.71.03.1999", headers=admin)
    assert unknown_code.status_code == 404
    granted = fresh_client.put("/users/pic.dandangan/kelurahan/35.71.03.1003", headers=admin)
    assert granted.json()["kelurahan"] == ["35.71.03.1002", "35.71.03.1003"]
    revoked = fresh_client.delete("/users/pic.dandangan/kelurahan/35.71.03.1002", headers=admin)
    assert revoked.json()["kelurahan"] == ["35.71.03.1003"]
    assert sign_in(fresh_client, "pic.dandangan", "kopi-hujan-sawah-17").status_code == 303
    me = fresh_client.get("/auth/me").json()
    changed = fresh_client.post(
        "/auth/password",
        json={"current": "salah-sandi-lama", "new": "teh-manis-gunung-42"},
        headers={"X-CSRF-Token": me["csrf_token"]},
    )
    assert changed.status_code == 422
    changed = fresh_client.post(
        "/auth/password",
        json={"current": "kopi-hujan-sawah-17", "new": "teh-manis-gunung-42"},
        headers={"X-CSRF-Token": me["csrf_token"]},
    )
    assert changed.status_code == 204
    assert fresh_client.get("/auth/me").status_code == 401  # the session ended with the change
    disabled = fresh_client.patch("/users/pic.dandangan", json={"disabled": True}, headers=admin)
    assert disabled.json()["disabled"] is True
    assert sign_in(fresh_client, "pic.dandangan", "teh-manis-gunung-42").status_code == 401
    missing = fresh_client.patch("/users/siapa", json={"disabled": True}, headers=admin)
    assert missing.status_code == 404 and "siapa" in missing.json()["detail"]
