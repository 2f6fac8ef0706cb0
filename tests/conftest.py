"""Test fixtures: a throwaway PostGIS database created for the session, migrated once.

The database lives on the embedded cluster (started here if ``./scripts/test`` did not) or on
the server GEOSERVICE_DATABASE_URL names; it is dropped at the end. The importers commit their
own transactions (as they do in production), so tests that write start from empty tables
(``clean_db``) rather than from a rolled-back transaction. Helpers are in tests/support.py, the
data tests start from in tests/factories.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import geopandas as gpd
import pytest
from sqlalchemy import Engine

from geoservice import i18n
from geoservice.catalog import Catalog, load_catalog
from geoservice.cluster import EmbeddedCluster
from geoservice.cluster import database_url as configured_url
from geoservice.db.migrations import upgrade
from geoservice.db.session import make_engine
from geoservice.settings import PROJECT_ROOT, Settings
from tests.factories import empty_tables
from tests.support import (
    KEDIRI_KELURAHAN,
    KEDIRI_PARENTS,
    create_database,
    drop_database,
    serve_app,
)

# an unknown message key or a missing parameter fails the test that reaches it (in production
# t() logs it and answers with the key)
i18n.strict()


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """SQLAlchemy URL of the server the tests may create databases on."""
    settings = Settings()
    cluster = None
    if settings.embedded:
        cluster = EmbeddedCluster.from_settings(settings)
        started = cluster.start()
        if not started:
            cluster = None  # someone else runs it; leave it running
    yield configured_url(settings)
    if cluster is not None:
        cluster.stop()


@pytest.fixture(scope="session")
def database_url(server_url: str) -> Iterator[str]:
    """The session's test database, migrated to head."""
    url = create_database(server_url)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    drop_database(server_url, url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """Engine on the test database."""
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture()
def clean_db(engine: Engine) -> Engine:
    """Empty tables before the test."""
    empty_tables(engine)
    return engine


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The project's layers."""
    return load_catalog(PROJECT_ROOT / "layers")


@pytest.fixture(scope="session")
def kediri() -> gpd.GeoDataFrame:
    """The 46 kelurahan of Kota Kediri."""
    return gpd.read_file(KEDIRI_KELURAHAN)


@pytest.fixture()
def kediri_db(clean_db: Engine) -> Engine:
    """Empty facility tables, and the Kota Kediri boundaries (provinsi to kelurahan)."""
    from geoservice.services.imports.boundaries import import_boundaries

    reports = import_boundaries(clean_db, [*KEDIRI_PARENTS, KEDIRI_KELURAHAN])
    assert all(r.written for r in reports)
    return clean_db


@pytest.fixture(scope="module")
def live_server(database_url: str) -> Iterator[str]:
    """The app served by uvicorn on a free port in a thread, for real HTTP clients."""
    with serve_app(database_url) as url:
        yield url
