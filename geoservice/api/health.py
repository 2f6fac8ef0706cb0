"""``/health``: is the database reachable, and which PostgreSQL and PostGIS it runs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from geoservice.deps import ConnectionDep
from geoservice.services.health import database_versions

router = APIRouter(tags=["service"])


@router.get("/health", summary="Service and database health")
def health(conn: ConnectionDep) -> dict[str, Any]:
    """200 with versions; 503 problem JSON when the database is down."""
    return {"status": "ok", "database": database_versions(conn)}
