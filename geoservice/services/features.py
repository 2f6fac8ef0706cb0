"""Features of a collection as GeoJSON, built by PostGIS (OGC API - Features, Part 1 Core).

PostgreSQL builds the whole FeatureCollection (``json_build_object`` and ``ST_AsGeoJSON`` at 7
decimals), so Python only passes text through. Every property name that comes from a request
is checked against the collection's schema before it reaches SQL; every value is a bind
parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import ColumnElement, Connection, String, and_, cast, func, literal, select, true
from sqlalchemy.dialects.postgresql import JSON, aggregate_order_by, array

from geoservice.catalog import Catalog, LayerDef
from geoservice.db.models import AdminArea, Facility
from geoservice.errors import BadRequest, NotFound
from geoservice.services.collections import BOUNDARY_COLLECTIONS

MAX_LIMIT = 10_000
DEFAULT_LIMIT = 10
COORDINATE_DECIMALS = 7

_AREA = AdminArea.__table__.c
_FACILITY = Facility.__table__.c

#: Properties of boundary features and the columns behind them.
AREA_PROPERTIES: dict[str, Any] = {
    "kode": _AREA.code,
    "nama": _AREA.name,
    "tingkat": _AREA.level,
    "jenis": _AREA.kind,
    "kode_induk": _AREA.parent_code,
}


@dataclass(frozen=True)
class Viewer:
    """Who is asking. Until accounts exist (issue 4) every request is anonymous: it sees only
    verified points and public attributes."""

    internal: bool = False


@dataclass(frozen=True)
class FeatureCollection:
    """A resolved collection id: a boundary level or a facility layer."""

    id: str
    kind: Literal["boundaries", "facilities"]
    level: int | None = None
    layer: LayerDef | None = None

    def property_names(self, viewer: Viewer) -> list[str]:
        """Properties a feature of this collection has, for this viewer."""
        if self.layer is None:
            return list(AREA_PROPERTIES)
        attributes = (
            list(self.layer.attributes) if viewer.internal else self.layer.public_attributes()
        )
        internal = ["status"] if viewer.internal else []
        return [*attributes, "kode_kelurahan", "contoh", *internal]


def resolve(catalog: Catalog, collection_id: str) -> FeatureCollection:
    """The collection ``collection_id``; NotFound naming the valid ids otherwise."""
    if collection_id in BOUNDARY_COLLECTIONS:
        return FeatureCollection(
            collection_id, "boundaries", level=BOUNDARY_COLLECTIONS[collection_id][0]
        )
    layer = catalog.get(collection_id)
    if layer is not None:
        return FeatureCollection(collection_id, "facilities", layer=layer)
    available = ", ".join([*BOUNDARY_COLLECTIONS, *catalog.layers])
    raise NotFound("collection_not_found", collection=collection_id, available=available)


@dataclass
class ItemsQuery:
    """Validated parameters of ``/collections/{id}/items``."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None
    kode: str | None = None
    properties: list[str] | None = None
    equals: dict[str, str] = field(default_factory=dict)


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``minx,miny,maxx,maxy`` in CRS84; BadRequest with the reason otherwise."""
    if value is None:
        return None
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError as exc:
        raise BadRequest("features.bbox", value=value) from exc
    if len(numbers) != 4 or any(n != n for n in numbers):
        raise BadRequest("features.bbox", value=value)
    minx, miny, maxx, maxy = numbers
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise BadRequest("features.bbox", value=value)
    return minx, miny, maxx, maxy


def parse_kode(value: str | None) -> str | None:
    """A Kemendagri code prefix such as ``35.71`` or ``35.71.01.``."""
    if value is None:
        return None
    if not re.fullmatch(r"[0-9]{2}(\.[0-9]{1,4}){0,3}\.?", value):
        raise BadRequest("features.kode", value=value)
    return value


def parse_properties(value: str | None, allowed: list[str]) -> list[str] | None:
    """A comma-separated subset of ``allowed``."""
    if value is None:
        return None
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise BadRequest(
            "features.unknown_property", names=", ".join(unknown), allowed=", ".join(allowed)
        )
    return names


def items(
    conn: Connection, collection: FeatureCollection, query: ItemsQuery, viewer: Viewer
) -> tuple[str, int, int]:
    """The FeatureCollection JSON text, numberMatched and numberReturned."""
    if collection.layer is None:
        key, feature, where = _area_parts(collection, query)
    else:
        key, feature, where = _facility_parts(collection.layer, query, viewer)
    table = AdminArea.__table__ if collection.layer is None else Facility.__table__
    page = (
        select(key.label("k"), feature.label("feature"))
        .where(where)
        .order_by(key)
        .limit(query.limit)
        .offset(query.offset)
        .subquery()
    )
    body = select(
        func.coalesce(
            func.json_agg(aggregate_order_by(page.c.feature, page.c.k)), cast("[]", JSON)
        ).cast(String),
        func.count(),
    )
    features, returned = conn.execute(body).one()
    matched = conn.execute(select(func.count()).select_from(table).where(where)).scalar_one()
    return features, int(matched), int(returned)


def item(conn: Connection, collection: FeatureCollection, feature_id: str, viewer: Viewer) -> str:
    """One Feature as JSON text; NotFound when there is none (or the viewer may not see it)."""
    if collection.layer is None:
        key, feature, where = _area_parts(collection, ItemsQuery())
        condition = key == feature_id
    else:
        if not feature_id.isdigit():
            raise NotFound("features.item_not_found", collection=collection.id, item=feature_id)
        key, feature, where = _facility_parts(collection.layer, ItemsQuery(), viewer)
        condition = key == int(feature_id)
    found = conn.execute(select(feature.cast(String)).where(and_(where, condition))).scalar()
    if found is None:
        raise NotFound("features.item_not_found", collection=collection.id, item=feature_id)
    return str(found)


def _geometry(column: Any) -> ColumnElement[Any]:
    return cast(func.ST_AsGeoJSON(column, COORDINATE_DECIMALS), JSON)


def _bbox_condition(column: Any, bbox: tuple[float, float, float, float]) -> ColumnElement[bool]:
    envelope = func.ST_MakeEnvelope(*bbox, 4326)
    return and_(column.op("&&")(envelope), func.ST_Intersects(column, envelope))


def _prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _area_parts(
    collection: FeatureCollection, query: ItemsQuery
) -> tuple[Any, ColumnElement[Any], ColumnElement[bool]]:
    names = query.properties if query.properties is not None else list(AREA_PROPERTIES)
    properties = func.json_build_object(
        *[x for name in names for x in (literal(name), AREA_PROPERTIES[name])]
    )
    feature = func.json_build_object(
        "type",
        "Feature",
        "id",
        _AREA.code,
        "geometry",
        _geometry(_AREA.geom),
        "properties",
        properties,
    )
    conditions: list[ColumnElement[bool]] = [_AREA.level == collection.level]
    if query.bbox:
        conditions.append(_bbox_condition(_AREA.geom, query.bbox))
    if query.kode:
        conditions.append(_AREA.code.like(_prefix(query.kode)))
    for name, value in query.equals.items():
        column = AREA_PROPERTIES[name]
        conditions.append(cast(column, String) == value)
    return _AREA.code, feature, and_(*conditions)


def _facility_parts(
    layer: LayerDef, query: ItemsQuery, viewer: Viewer
) -> tuple[Any, ColumnElement[Any], ColumnElement[bool]]:
    restricted = [k for k, a in layer.attributes.items() if a.visibility == "restricted"]
    attributes: ColumnElement[Any] = _FACILITY.attributes
    if restricted and not viewer.internal:
        attributes = attributes.op("-")(array(restricted))
    extra = [
        literal("kode_kelurahan"),
        _FACILITY.kelurahan_code,
        literal("contoh"),
        _FACILITY.is_sample,
    ]
    if viewer.internal:
        extra += [literal("status"), _FACILITY.status]
    properties: ColumnElement[Any] = attributes.op("||")(func.jsonb_build_object(*extra))
    if query.properties is not None:
        properties = func.jsonb_build_object(
            *[x for name in query.properties for x in (literal(name), properties.op("->")(name))]
        )
    feature = func.json_build_object(
        "type",
        "Feature",
        "id",
        _FACILITY.id,
        "geometry",
        _geometry(_FACILITY.geom),
        "properties",
        properties,
    )
    conditions: list[ColumnElement[bool]] = [
        _FACILITY.layer_id == layer.id,
        _FACILITY.deleted_at.is_(None),
        _FACILITY.status == "verified" if not viewer.internal else true(),
    ]
    if query.bbox:
        conditions.append(_bbox_condition(_FACILITY.geom, query.bbox))
    if query.kode:
        conditions.append(_FACILITY.kelurahan_code.like(_prefix(query.kode)))
    for name, value in query.equals.items():
        if name == "kode_kelurahan":
            conditions.append(_FACILITY.kelurahan_code == value)
        elif name == "contoh":
            conditions.append(cast(_FACILITY.is_sample, String) == value.lower())
        elif name == "status":
            conditions.append(_FACILITY.status == value)
        else:
            conditions.append(_FACILITY.attributes[name].astext == value)
    return _FACILITY.id, feature, and_(*conditions)
