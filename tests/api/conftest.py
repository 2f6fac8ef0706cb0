"""The API tests' fixtures: the editing world and the app's TestClients, one name per meaning.

``client`` is an anonymous TestClient of the app on the session database, shared by the module.
The others say what else they give: ``fresh_`` a new client per test (no cookies, the database
set up again), ``demo_`` the demo data loaded just before the app starts, ``world_`` the editing
world's accounts and tokens created before it. A module that needs its own ``world`` defines it,
which pytest prefers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.editing_world import World, build_world
from tests.factories import fresh_demo
from tests.support import app_client


@pytest.fixture(scope="module")
def world(engine: Engine, database_url: str) -> World:
    """Accounts, tokens, Kota Kediri and its points, once per module."""
    return build_world(engine, database_url)


@pytest.fixture(scope="module")
def client(database_url: str) -> Iterator[TestClient]:
    """An anonymous TestClient of the app, shared by the module."""
    with app_client(database_url) as c:
        yield c


@pytest.fixture()
def fresh_client(database_url: str) -> Iterator[TestClient]:
    """A TestClient per test: each starts without cookies."""
    with app_client(database_url) as c:
        yield c


@pytest.fixture(scope="module")
def demo_client(database_url: str, engine: Engine) -> Iterator[TestClient]:
    """The app on the demo data (loaded again when the module starts), shared by the module."""
    fresh_demo(engine)
    with app_client(database_url) as c:
        yield c


@pytest.fixture()
def fresh_demo_client(database_url: str, engine: Engine) -> Iterator[TestClient]:
    """The app on the demo data loaded again for each test, its tile listener listening."""
    fresh_demo(engine)
    with app_client(database_url) as c:
        assert c.app.state.tile_listener.listening.wait(10)  # type: ignore[attr-defined]
        yield c


@pytest.fixture(scope="module")
def world_client(world: World, database_url: str) -> Iterator[TestClient]:
    """The app started after the editing world exists, shared by the module (requests carry
    the world's tokens)."""
    assert world.tokens  # the accounts exist before the app starts
    with app_client(database_url) as c:
        yield c


@pytest.fixture()
def fresh_world_client(world: World, database_url: str) -> Iterator[TestClient]:
    """The app started after the editing world exists, a new client per test (to sign in)."""
    assert world.tokens  # the accounts exist before the app starts
    with app_client(database_url) as c:
        yield c
