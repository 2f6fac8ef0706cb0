"""The editing world (accounts, tokens, Kota Kediri and its points) and a client of the app,
once per module, for the modules that take them as they are; a module that needs them
otherwise defines its own ``world`` or ``client``, which pytest prefers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.api.editing_world import World, build_world
from tests.conftest import app_client


@pytest.fixture(scope="module")
def world(engine: Engine, database_url: str) -> World:
    return build_world(engine, database_url)


@pytest.fixture(scope="module")
def client(database_url: str) -> Iterator[TestClient]:
    with app_client(database_url) as c:
        yield c
