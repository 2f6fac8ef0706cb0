"""Migrations up and down on a fresh database; exactly one spatial index per geometry column."""

from __future__ import annotations

from sqlalchemy import inspect, text

from geoservice.db.migrations import current_revision, downgrade, upgrade
from geoservice.db.session import make_engine
from tests.conftest import create_database, drop_database

TABLES = {"admin_area", "facility", "facility_history"}


def test_upgrade_downgrade_upgrade(server_url: str) -> None:
    url = create_database(server_url, "geoservice_migrate")
    engine = make_engine(url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == "0001"
        assert TABLES <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            gist = conn.execute(
                text(
                    "SELECT tablename, indexdef FROM pg_indexes "
                    "WHERE schemaname = 'public' AND indexdef ILIKE '%USING gist%' ORDER BY 1"
                )
            ).all()
            compression = conn.execute(
                text(
                    "SELECT attcompression FROM pg_attribute "
                    "WHERE attrelid = 'admin_area'::regclass AND attname = 'geom'"
                )
            ).scalar_one()
        # one GiST index per geometry column (history is not searched spatially)
        assert [t for t, _ in gist] == ["admin_area", "facility"]
        assert compression == "l"  # lz4

        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert not TABLES & set(inspect(engine).get_table_names())

        upgrade(engine)
        assert current_revision(engine) == "0001"
    finally:
        engine.dispose()
        drop_database(server_url, url)


def test_models_match_the_migration(database_url: str) -> None:
    """Autogenerate finds nothing to add: models and migration agree (indexes included)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from geoalchemy2 import alembic_helpers

    from geoservice.db.models import Base

    engine = make_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_object": alembic_helpers.include_object,
                "compare_type": False,
            },
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []
