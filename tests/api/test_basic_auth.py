"""HTTP Basic authentication: a username and one of their API tokens as the password (QGIS
3.22, ArcGIS, ``curl -u``); never the account's password."""

from __future__ import annotations

import base64

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from geoservice.services import accounts, auth
from tests.api.editing_world import GEOJSON, OWN, PASSWORD, World, feature

ME = "/auth/me"


def _basic(username: str, password: str) -> dict[str, str]:
    pair = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {pair}", "Accept-Language": "en"}


def _refused(response: httpx.Response, fragment: str) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith('Basic realm="geoservice"')
    assert fragment in response.json()["detail"]


def test_a_username_and_a_token_sign_in(world: World, client: TestClient) -> None:
    me = client.get(ME, headers=_basic("pic.own", world.tokens["pic_own"]))
    assert me.status_code == 200 and me.json()["username"] == "pic.own"
    # the username is matched as accounts are, case aside
    assert client.get(ME, headers=_basic("PIC.Own", world.tokens["pic_own"])).status_code == 200
    # and it writes like a bearer token: no CSRF token needed, the tokens are not ambient
    lon, lat = world.spot(OWN)
    created = client.post(
        "/collections/posyandu/items",
        json=feature(lon, lat, nama="Posyandu Basic"),
        headers={**_basic("pic.own", world.tokens["pic_own"]), **GEOJSON},
    )
    assert created.status_code == 201, created.text
    # a private view: the point is a draft, which anonymous readers do not see
    path = f"/collections/posyandu/items/{created.json()['id']}"
    assert client.get(path, headers=_basic("pic.own", world.tokens["pic_own"])).status_code == 200
    assert client.get(path).status_code == 404


@pytest.mark.usefixtures("world")
def test_the_account_password_is_refused(client: TestClient) -> None:
    _refused(client.get(ME, headers=_basic("pic.own", PASSWORD)), "never the account's password")
    _refused(
        client.get("/collections/posyandu/items", headers=_basic("pic.own", PASSWORD)),
        "API token",
    )


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        ("Basic bm9jb2xvbg==", "username and an API token"),  # "nocolon"
        ("Basic ***", "username and an API token"),
        ("Basic //8=", "username and an API token"),  # not UTF-8
    ],
)
def test_malformed_basic_credentials(client: TestClient, header: str, fragment: str) -> None:
    _refused(client.get(ME, headers={"Authorization": header, "Accept-Language": "en"}), fragment)


def test_another_users_token_and_unknown_tokens_are_refused(
    world: World, client: TestClient
) -> None:
    _refused(client.get(ME, headers=_basic("pic.other", world.tokens["pic_own"])), "not known")
    _refused(client.get(ME, headers=_basic("pic.own", "gs_" + "x" * 43)), "not known")


def test_a_disabled_account_is_refused(world: World, client: TestClient, engine: Engine) -> None:
    with engine.begin() as conn:
        accounts.add_user(conn, "pic.basic", "pic", PASSWORD, kelurahan=[OWN])
        token = auth.create_token(conn, world.settings, "pic.basic", "QGIS")[1]
    assert client.get(ME, headers=_basic("pic.basic", token)).status_code == 200
    with engine.begin() as conn:
        accounts.set_disabled(conn, "pic.basic")
    _refused(client.get(ME, headers=_basic("pic.basic", token)), "disabled")


def test_the_bearer_challenge_stays_for_bearer_clients(client: TestClient) -> None:
    response = client.get(ME, headers={"Authorization": "Bearer gs_nothing"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
