"""Database health facts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from geoservice.db.migrations import current_revision


def database_versions(conn: Connection) -> dict[str, Any]:
    """PostgreSQL and PostGIS versions and the migration revision."""
    row = conn.execute(
        select(
            func.current_setting("server_version"),
            func.postgis_lib_version(),
            func.postgis_geos_version(),
            func.postgis_proj_version(),
        )
    ).one()
    return {
        "postgresql": row[0],
        "postgis": row[1],
        "geos": row[2],
        "proj": row[3],
        "revision": current_revision(conn),  # on this request's connection
    }


async def database_versions_async(conn: Any) -> dict[str, Any]:
    """The same on an asyncpg connection (``/health``'s own)."""
    row = await conn.fetchrow(
        "SELECT current_setting('server_version'), postgis_lib_version(), "
        "postgis_geos_version(), postgis_proj_version(), "
        "to_regclass('alembic_version') IS NOT NULL"
    )
    revision = None
    if row[4]:
        revision = await conn.fetchval("SELECT version_num FROM alembic_version LIMIT 1")
    return {
        "postgresql": row[0],
        "postgis": row[1],
        "geos": row[2],
        "proj": row[3],
        "revision": revision,
    }
