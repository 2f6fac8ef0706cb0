"""Migrations up and down on a fresh database; exactly one spatial index per geometry column."""

from __future__ import annotations

from sqlalchemy import inspect, text

from geoservice.db.migrations import current_revision, downgrade, head_revision, upgrade
from geoservice.db.session import make_engine
from tests.support import create_database, drop_database

TABLES = {"admin_area", "admin_area_generalized", "facility", "facility_history"}


def test_upgrade_downgrade_upgrade(server_url: str) -> None:
    url = create_database(server_url, "geoservice_migrate")
    engine = make_engine(url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
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
        # one GiST index per geometry column searched spatially: not history, and not the
        # generalized bands (found through their area's, revision 0009)
        assert [t for t, _ in gist] == ["admin_area", "facility"]
        assert compression == "l"  # lz4

        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert not TABLES & set(inspect(engine).get_table_names())

        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
        drop_database(server_url, url)


def test_revision_0002_generalizes_areas_loaded_before_it(server_url: str) -> None:
    url = create_database(server_url, "geoservice_migrate")
    engine = make_engine(url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO admin_area (code, name, level, kind, geom) VALUES ('35', "
                    "'Jawa Timur', 1, 'provinsi', "
                    "ST_Multi(ST_MakeEnvelope(111, -8.5, 114.5, -7, 4326))), "
                    # 110 m square: smaller than a pixel up to zoom 10, a point in every band
                    "('36', 'Banten', 1, 'provinsi', "
                    "ST_Multi(ST_MakeEnvelope(106, -6.5, 106.001, -6.499, 4326)))"
                )
            )
        upgrade(engine, "0002")
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT band, GeometryType(geom), ST_SRID(geom) "
                    "FROM admin_area_generalized ORDER BY code, band"
                )
            ).all()
        # (revision 0009 later drops band 11, which the package no longer writes)
        assert rows == [
            *[(band, "MULTIPOLYGON", 3857) for band in (5, 8)],
            (5, "POINT", 3857),
            (8, "POINT", 3857),
        ]
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
