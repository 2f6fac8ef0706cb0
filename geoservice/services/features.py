"""Features of a collection as GeoJSON, built by PostGIS (OGC API - Features, Part 1 Core).

PostgreSQL builds the whole FeatureCollection (``json_build_object`` and ``ST_AsGeoJSON`` at 7
decimals), so Python only passes text through. Every property name that comes from a request
is checked against the collection's schema before it reaches SQL; every value is a bind
parameter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by, array
from sqlalchemy.exc import CompileError, DBAPIError

from geoservice.catalog import Catalog, LayerDef
from geoservice.db import ExplainJson
from geoservice.db.models import AdminArea, Facility
from geoservice.errors import BadRequest, NotFound
from geoservice.services.collections import BOUNDARY_COLLECTIONS
from geoservice.services.crs import Crs
from geoservice.services.feature_query import (
    METRES_PER_DEGREE,
    ItemsQuery,
    datetime_condition,
    filter_condition,
)
from geoservice.services.feature_sql import (
    bbox_condition,
    decimals,
    geometry_json,
    output_geometry,
)
from geoservice.services.feature_sql import like_prefix as like_prefix  # areas and queues use it
from geoservice.services.profiles import collection as profile_collection
from geoservice.services.profiles.forms import ProfileForm
from geoservice.services.viewer import Viewer

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


#: Properties only signed-in viewers get: the verification status, the version the ETag of a
#: point names, and why an admin rejected it.
INTERNAL_PROPERTIES: tuple[str, ...] = ("status", "versi", "alasan_penolakan")


@dataclass(frozen=True)
class FeatureCollection:
    """A resolved id: a boundary level, a facility layer or a form's profiles (of ``period``)."""

    id: str
    kind: Literal["boundaries", "facilities", "profiles"]
    level: int | None = None
    layer: LayerDef | None = None
    form: ProfileForm | None = None
    period: str | None = None
    catalog: Catalog | None = field(default=None, compare=False, repr=False)

    def property_names(self, viewer: Viewer) -> list[str]:
        """Properties a feature of this collection has, for this viewer."""
        if self.form is not None:
            return profile_collection.property_names(self, viewer)
        if self.layer is None:
            return list(AREA_PROPERTIES)
        attributes = (
            list(self.layer.attributes)
            if viewer.sees_internal_fields
            else self.layer.public_attributes()
        )
        internal = list(INTERNAL_PROPERTIES) if viewer.sees_internal_fields else []
        return [*attributes, "kode_kelurahan", "contoh", *internal]


def resolve(catalog: Catalog, collection_id: str, profiles: bool = False) -> FeatureCollection:
    """The collection ``collection_id``; NotFound naming the valid ids otherwise. A profile
    form's collection only with ``profiles`` (items and schemas: it has no tiles or writes)."""
    if collection_id in BOUNDARY_COLLECTIONS:
        return FeatureCollection(
            collection_id, "boundaries", level=BOUNDARY_COLLECTIONS[collection_id][0]
        )
    layer = catalog.get(collection_id)
    if layer is not None:
        return FeatureCollection(collection_id, "facilities", layer=layer)
    form = catalog.profiles.get(collection_id) if profiles else None
    if form is not None:
        return FeatureCollection(collection_id, "profiles", form=form, catalog=catalog)
    shown = [*BOUNDARY_COLLECTIONS, *catalog.layers, *(catalog.profiles if profiles else ())]
    raise NotFound("collection_not_found", collection=collection_id, available=", ".join(shown))


def with_period(conn: Connection, collection: FeatureCollection, period: str | None) -> Any:
    """A profile collection with its period (``period`` or the latest verified), others as is."""
    if collection.form is None:
        return collection
    chosen = profile_collection.default_period(conn, collection.form, period)
    return replace(collection, period=chosen)


@dataclass(frozen=True)
class _Page:
    """The pieces of one items request, shared by the GeoJSON and the table output."""

    key: Any
    feature: ColumnElement[Any]
    geometry: Any
    where: ColumnElement[bool]
    order: list[Any]
    table: Any


def _page(collection: FeatureCollection, query: ItemsQuery, viewer: Viewer) -> _Page:
    if collection.form is not None:
        key, feature, where = profile_collection.parts(collection, query, viewer)
        geometry, table = _AREA.geom, profile_collection.table(collection)
    elif collection.layer is None:
        key, feature, where = _area_parts(collection, query)
        geometry, table = _AREA.geom, AdminArea.__table__
    else:
        key, feature, where = _facility_parts(collection.layer, query, viewer)
        geometry, table = _FACILITY.geom, Facility.__table__
    mapping = _filter_fields(collection, viewer)
    if query.filter is not None:
        where = and_(where, filter_condition(query.filter, mapping))
    order = [
        mapping[name].desc().nulls_last() if descending else mapping[name].asc().nulls_last()
        for name, descending in query.sortby
    ] + [key]
    return _Page(key, feature, geometry, where, order, table)


@contextmanager
def _filter_type_errors(conn: Connection, query: ItemsQuery) -> Iterator[None]:
    """A filter comparing a property with a value of another type (nama > 5), or coordinates
    outside the area a requested CRS covers, are the user's mistake, not the server's: a 400.
    The database's own message stays out of the answer."""
    try:
        yield
    except DBAPIError as exc:
        reprojected = query.crs or query.bbox_crs
        if reprojected is not None and "transform" in str(exc.orig):
            # PROJ: a coordinate outside what the CRS covers (a TM-3 zone far from its area)
            conn.rollback()
            raise BadRequest("features.crs_domain", crs=reprojected.uri) from exc
        if query.filter is None:
            raise
        conn.rollback()
        raise BadRequest("features.filter_types") from exc


#: Above this many rows (the planner's estimate) numberMatched is the estimate, not a count:
#: counting 83,246 desa/kelurahan takes longer than building a 1,000-feature page.
EXACT_COUNT_BELOW = 10_000  # Settings.exact_count_below's default


@dataclass(frozen=True)
class ItemsPage:
    """One page of features: the JSON text of the features array and the counts."""

    features: str
    matched: int
    returned: int
    matched_is_estimate: bool


def items_statement(collection: FeatureCollection, query: ItemsQuery, viewer: Viewer) -> Any:
    """The SELECT that builds the page's features array (JSON text) and numberReturned."""
    return _items_statement(_page(collection, query, viewer), query)


def _items_statement(p: _Page, query: ItemsQuery) -> Any:
    # The page's keys first, features only for them: with the feature in the same SELECT,
    # PostgreSQL builds the JSON of every row before OFFSET skips it.
    keys = (
        select(p.key.label("key"), func.row_number().over(order_by=p.order).label("k"))
        .select_from(p.table)
        .where(p.where)
        .order_by(*p.order)
        .limit(query.limit)
        .offset(query.offset)
        .subquery()
    )
    page = (
        select(keys.c.k, p.feature.label("feature"))
        .select_from(p.table.join(keys, p.key == keys.c.key))
        .subquery()
    )
    return select(
        func.coalesce(
            func.json_agg(aggregate_order_by(page.c.feature, page.c.k)),
            literal_column("'[]'::json"),
        ).cast(String),
        func.count(),
    )


def items(
    conn: Connection,
    collection: FeatureCollection,
    query: ItemsQuery,
    viewer: Viewer,
    exact_count_below: int = EXACT_COUNT_BELOW,
) -> ItemsPage:
    """The page as PostgreSQL builds it, and numberMatched: counted exactly when the planner
    expects fewer than ``exact_count_below`` rows, its estimate otherwise."""
    p = _page(collection, query, viewer)
    matching = select(literal(1)).select_from(p.table).where(p.where)
    with _filter_type_errors(conn, query):
        features, returned = conn.execute(_items_statement(p, query)).one()
        estimate = _planner_estimate(conn, matching)
        if estimate is None or estimate < exact_count_below:
            matched = conn.execute(
                select(func.count()).select_from(matching.subquery())
            ).scalar_one()
            return ItemsPage(features, int(matched), int(returned), False)
    # never less than what this page proves to exist
    return ItemsPage(features, max(estimate, query.offset + int(returned)), int(returned), True)


def collection_text(head: dict[str, Any], features_json: str) -> str:
    """A GeoJSON FeatureCollection: the members of ``head``, then ``features_json`` (the
    array's text, as PostGIS wrote it) as it is. Parsing megabytes of geometry into Python
    only to write them out again costs more than building them did."""
    return json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ' + features_json + "}"


def _planner_estimate(conn: Connection, statement: Any) -> int | None:
    """The planner's row estimate for ``statement`` (EXPLAIN, nothing runs); None when the
    statement cannot be rendered with its values inline."""
    try:
        plan = conn.execute(ExplainJson(statement)).scalar_one()
    except (CompileError, NotImplementedError):
        return None
    return int(plan[0]["Plan"]["Plan Rows"])


def items_table(
    conn: Connection,
    collection: FeatureCollection,
    query: ItemsQuery,
    viewer: Viewer,
    geometry: Literal["wkt", "wkb"] | None = "wkt",
) -> tuple[list[str], list[list[Any]]]:
    """The same page as :func:`items` as a table: id, the properties, then the geometry as
    WKT in the axis order of ``query.crs`` (column ``wkt``), as WKB in its CRS's x, y order
    for GIS files (column ``geometry``), or not at all."""
    p = _page(collection, query, viewer)
    if geometry == "wkb":
        shape = p.geometry if query.crs is None else func.ST_Transform(p.geometry, query.crs.srid)
        shapes = [func.ST_AsBinary(shape)]
    elif geometry == "wkt":
        shapes = [func.ST_AsText(output_geometry(p.geometry, query.crs), decimals(query.crs))]
    else:
        shapes = []
    statement = (
        select(p.key, p.feature.op("->")("properties"), *shapes)
        .select_from(p.table)
        .where(p.where)
        .order_by(*p.order)
        .limit(query.limit)
        .offset(query.offset)
    )
    with _filter_type_errors(conn, query):
        rows = conn.execute(statement).all()
    names = query.properties if query.properties is not None else collection.property_names(viewer)
    header = ["id", *names, *{"wkt": ["wkt"], "wkb": ["geometry"], None: []}[geometry]]
    return header, [[fid, *(props.get(n) for n in names), *rest] for fid, props, *rest in rows]


_CASTS = {"integer": Integer, "number": Float, "boolean": Boolean}


def _filter_fields(collection: FeatureCollection, viewer: Viewer) -> dict[str, Any]:
    """Property name -> SQL expression, for filters and sorting (the identifier whitelist)."""
    if collection.form is not None:
        return {**profile_collection.columns(collection, viewer), "geometry": _AREA.geom}
    if collection.layer is None:
        return {**AREA_PROPERTIES, "geometry": _AREA.geom}
    fields: dict[str, Any] = {
        "kode_kelurahan": _FACILITY.kelurahan_code,
        "contoh": _FACILITY.is_sample,
        "status": _FACILITY.status,
        "versi": _FACILITY.version,
        "alasan_penolakan": _FACILITY.rejection_reason,
        "geometry": _FACILITY.geom,
    }
    for name, attribute in collection.layer.attributes.items():
        value = _FACILITY.attributes[name].astext
        cast_to = _CASTS.get(attribute.type)
        fields[name] = cast(value, cast_to) if cast_to else value
    return fields


def point_id(collection_id: str, feature_id: str) -> int:
    """The number of a facility point from its feature id; NotFound for anything else (ASCII
    digits within bigint: "²".isdigit() is true, and 10**20 overflows the column)."""
    if not re.fullmatch(r"[0-9]{1,18}", feature_id):
        raise NotFound("features.item_not_found", collection=collection_id, item=feature_id)
    return int(feature_id)


def item(
    conn: Connection,
    collection: FeatureCollection,
    feature_id: str,
    viewer: Viewer,
    crs: Crs | None = None,
) -> str:
    """One Feature as JSON text; NotFound when there is none (or the viewer may not see it)."""
    key = feature_id if collection.layer is None else point_id(collection.id, feature_id)
    statement = (
        profile_collection.item_statement(collection, viewer, crs)
        if collection.form is not None
        else _item_statement(collection, viewer, crs)
    )
    with _filter_type_errors(conn, ItemsQuery(crs=crs)):
        found = conn.execute(statement, {"feature_id": key}).scalar()
    if found is None:
        raise NotFound("features.item_not_found", collection=collection.id, item=feature_id)
    return str(found)


#: One SELECT per collection and viewer, the feature id bound: building the expression costs
#: more Python than running it (every write answers with its feature, read this way).
_ITEM_STATEMENTS: dict[tuple[str, int | None, Viewer, Crs | None], tuple[LayerDef | None, Any]] = {}


def _item_statement(collection: FeatureCollection, viewer: Viewer, crs: Crs | None = None) -> Any:
    cache_key = (collection.id, collection.level, viewer, crs)
    cached = _ITEM_STATEMENTS.get(cache_key)
    if cached is not None and cached[0] is collection.layer:  # the same catalog's layer
        return cached[1]
    if collection.layer is None:
        key, feature, where = _area_parts(collection, ItemsQuery(crs=crs))
    else:
        key, feature, where = _facility_parts(collection.layer, ItemsQuery(crs=crs), viewer)
    statement = select(feature.cast(String)).where(and_(where, key == bindparam("feature_id")))
    if len(_ITEM_STATEMENTS) >= 1024:  # one entry per PIC: keep it bounded
        _ITEM_STATEMENTS.clear()
    _ITEM_STATEMENTS[cache_key] = (collection.layer, statement)
    return statement


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
        geometry_json(
            func.ST_ForcePolygonCCW(  # exterior rings counterclockwise, as RFC 7946 says
                _AREA.geom
                if query.simplify is None
                else func.ST_Multi(  # stays a MultiPolygon, as the collection's schema says
                    func.ST_SimplifyPreserveTopology(_AREA.geom, query.simplify / METRES_PER_DEGREE)
                )
            ),
            query.crs,
        ),
        "properties",
        properties,
    )
    conditions: list[ColumnElement[bool]] = [_AREA.level == collection.level]
    if query.bbox:
        conditions.append(bbox_condition(_AREA.geom, query.bbox, query.bbox_crs))
    if query.ids is not None:
        conditions.append(_AREA.code.in_(query.ids))
    if query.datetime is not None:
        conditions.append(datetime_condition(_AREA.updated_at, query.datetime))
    if query.kode:
        conditions.append(_AREA.code.like(like_prefix(query.kode)))
    for name, value in query.equals.items():
        column = AREA_PROPERTIES[name]
        conditions.append(cast(column, String) == value)
    return _AREA.code, feature, and_(*conditions)


def _nulls(names: list[str]) -> ColumnElement[Any]:
    """A jsonb object with each of ``names`` null."""
    return func.jsonb_build_object(*[x for name in names for x in (literal(name), null())])


def _facility_parts(
    layer: LayerDef, query: ItemsQuery, viewer: Viewer
) -> tuple[Any, ColumnElement[Any], ColumnElement[bool]]:
    restricted = [k for k, a in layer.attributes.items() if a.visibility == "restricted"]
    attributes: ColumnElement[Any] = _FACILITY.attributes
    own = _FACILITY.kelurahan_code.in_(sorted(viewer.own))
    # every attribute the viewer may see, null when unset: clients (GDAL, QGIS) build their
    # fields from the first features they read
    every = _nulls(list(layer.attributes))
    unset = every
    if restricted and not viewer.internal:
        stripped = attributes.op("-")(array(restricted))
        public = _nulls(layer.public_attributes())
        attributes = case((own, attributes), else_=stripped) if viewer.own else stripped
        unset = case((own, every), else_=public) if viewer.own else public
    attributes = unset.op("||")(attributes)
    extra = [
        literal("kode_kelurahan"),
        _FACILITY.kelurahan_code,
        literal("contoh"),
        _FACILITY.is_sample,
    ]
    if viewer.sees_internal_fields:
        extra += [
            literal("status"),
            _FACILITY.status,
            literal("versi"),
            _FACILITY.version,
            literal("alasan_penolakan"),
            _FACILITY.rejection_reason,
        ]
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
        geometry_json(_FACILITY.geom, query.crs),
        "properties",
        properties,
    )
    conditions: list[ColumnElement[bool]] = [
        _FACILITY.layer_id == layer.id,
        _FACILITY.deleted_at.is_(None),
        true()
        if viewer.internal
        else or_(_FACILITY.status == "verified", own)
        if viewer.own
        else _FACILITY.status == "verified",
    ]
    if query.bbox:
        conditions.append(bbox_condition(_FACILITY.geom, query.bbox, query.bbox_crs))
    if query.ids is not None:
        numbers = [int(i) for i in query.ids if re.fullmatch(r"[0-9]{1,18}", i)]
        conditions.append(_FACILITY.id.in_(numbers))
    if query.datetime is not None:
        conditions.append(datetime_condition(_FACILITY.updated_at, query.datetime))
    if query.kode:
        conditions.append(_FACILITY.kelurahan_code.like(like_prefix(query.kode)))
    for name, value in query.equals.items():
        if name == "kode_kelurahan":
            conditions.append(_FACILITY.kelurahan_code == value)
        elif name == "contoh":
            conditions.append(cast(_FACILITY.is_sample, String) == value.lower())
        elif name == "status":
            conditions.append(_FACILITY.status == value)
        elif name == "versi":
            conditions.append(cast(_FACILITY.version, String) == value)
        elif name == "alasan_penolakan":
            conditions.append(_FACILITY.rejection_reason == value)
        else:
            conditions.append(_FACILITY.attributes[name].astext == value)
    return _FACILITY.id, feature, and_(*conditions)
