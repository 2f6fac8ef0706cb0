"""Finding a desa/kelurahan by part of its name or by its code (the map pages' search box)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from geoservice.deps import ConnectionDep
from geoservice.errors import BadRequest
from geoservice.services import areas

router = APIRouter(tags=["boundaries"])


@router.get("/search", summary="Find a desa/kelurahan by name, Kemendagri code or location")
def search(
    conn: ConnectionDep,
    response: Response,
    q: Annotated[
        str | None, Query(description="Part of a name (bandar) or a code (35.71.01)")
    ] = None,
    at: Annotated[
        str | None,
        Query(
            description="A point, longitude,latitude in degrees (112.0098,-7.8120): the "
            "desa/kelurahan whose area holds it (two on a shared border); instead of q"
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=areas.MAX_RESULTS)] = 10,
) -> dict[str, Any]:
    """Matches with their kecamatan, kab/kota and bounding box: for ``q``, exact names first,
    then names that start with the text, then similar ones."""
    response.headers["Cache-Control"] = "public, max-age=300"
    if at is None:
        return {"kelurahan": areas.search(conn, q, limit)}
    if q is not None:
        raise BadRequest("search.query_or_at")
    return {"kelurahan": areas.at(conn, *areas.parse_point(at))}
