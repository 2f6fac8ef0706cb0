"""SQL pieces every collection's items share: the GeoJSON geometry in the requested CRS, the
bbox condition and the code-prefix pattern (boundaries, facility layers and published
profiles build their features from them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, cast, func
from sqlalchemy.dialects.postgresql import JSON

from geoservice.services.crs import COORDINATE_DECIMALS, CRS84, Crs


def geometry_json(column: Any, crs: Crs | None = None) -> ColumnElement[Any]:
    """``column`` as a GeoJSON geometry (JSON) in ``crs``, at its decimals."""
    if crs is None:
        return cast(func.ST_AsGeoJSON(column, COORDINATE_DECIMALS), JSON)
    # options 0: no "crs" member (RFC 7946 has none; Content-Crs names it)
    return cast(func.ST_AsGeoJSON(output_geometry(column, crs), decimals(crs), 0), JSON)


def decimals(crs: Crs | None) -> int:
    """Coordinate decimals of ``crs`` (7 for degrees)."""
    return COORDINATE_DECIMALS if crs is None else crs.decimals


def output_geometry(column: Any, crs: Crs | None) -> Any:
    """``column`` (EPSG:4326, longitude first) in ``crs``, axes in its order."""
    if crs is None or crs.uri == CRS84:
        return column
    transformed = func.ST_Transform(column, crs.srid)
    return func.ST_FlipCoordinates(transformed) if crs.lat_lon else transformed


def bbox_condition(
    column: Any, bbox: tuple[float, float, float, float], crs: Crs | None = None
) -> ColumnElement[bool]:
    """``column`` intersects ``bbox`` (given in ``crs``, CRS84 by default)."""
    envelope = func.ST_MakeEnvelope(*bbox, 4326 if crs is None else crs.srid)
    if crs is not None and crs.srid != 4326:
        envelope = func.ST_Transform(envelope, 4326)
    return and_(column.op("&&")(envelope), func.ST_Intersects(column, envelope))


def like_prefix(value: str) -> str:
    """A LIKE pattern matching what starts with ``value`` (its wildcards escaped)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
