"""Features of a collection as GeoJSON, built by PostGIS (OGC API - Features, Part 1 Core).

PostgreSQL builds the whole FeatureCollection (``json_build_object`` and ``ST_AsGeoJSON`` at 7
decimals), so Python only passes text through. Every property name that comes from a request
is checked against the collection's schema before it reaches SQL; every value is a bind
parameter.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
from sqlalchemy.dialects.postgresql import JSON, aggregate_order_by, array
from sqlalchemy.exc import CompileError, DBAPIError

from geoservice import input_limits
from geoservice.catalog import Catalog, LayerDef
from geoservice.db.models import FACILITY_STATUSES, AdminArea, Facility
from geoservice.errors import BadRequest, FieldProblem, InvalidFields, NotFound, ServiceError
from geoservice.services.collections import BOUNDARY_COLLECTIONS
from geoservice.services.crs import COORDINATE_DECIMALS, CRS84, Crs
from geoservice.services.viewer import Viewer

MAX_LIMIT = 10_000
DEFAULT_LIMIT = 10

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
INTERNAL_PROPERTIES = ("status", "versi", "alasan_penolakan")


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
            list(self.layer.attributes)
            if viewer.sees_internal_fields
            else self.layer.public_attributes()
        )
        internal = list(INTERNAL_PROPERTIES) if viewer.sees_internal_fields else []
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


def parse_ids(value: str | None) -> list[str] | None:
    """``ids=146,147``: feature ids, comma-separated."""
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


#: A datetime interval: start, end, and whether the end is excluded (a date's next midnight).
Interval = tuple[dt.datetime | None, dt.datetime | None, bool]


def parse_datetime(value: str | None) -> Interval | None:
    """``datetime``: an RFC 3339 instant or date, or ``start/end`` with ``..`` (or nothing)
    for an open end. A date stands for its whole day (UTC); so does a date as an end."""
    if value is None:
        return None
    parts = value.strip().split("/")
    if len(parts) > 2 or not any(p.strip() not in ("", "..") for p in parts):
        raise BadRequest("features.datetime", value=value)

    def bound(text: str, end: bool) -> tuple[dt.datetime | None, bool]:
        text = text.strip()
        if text in ("", ".."):
            return None, False
        try:
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                day = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), dt.UTC)
                return (day + dt.timedelta(days=1), True) if end else (day, False)
            instant = dt.datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError as exc:
            raise BadRequest("features.datetime", value=value) from exc
        return (instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)), False

    if len(parts) == 1:
        start, _ = bound(parts[0], False)
        end, exclusive = bound(parts[0], True)
        return start, end, exclusive
    (start, _), (end, exclusive) = bound(parts[0], False), bound(parts[1], True)
    if start is not None and end is not None and start > end:
        raise BadRequest("features.datetime", value=value)
    return start, end, exclusive


def _datetime_condition(column: Any, interval: Interval) -> ColumnElement[bool]:
    start, end, exclusive = interval
    conditions = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column < end if exclusive else column <= end)
    return and_(*conditions)


@dataclass
class ItemsQuery:
    """Validated parameters of ``/collections/{id}/items``."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None
    kode: str | None = None
    properties: list[str] | None = None
    equals: dict[str, str] = field(default_factory=dict)
    filter: Any = None  # a parsed CQL2 expression (pygeofilter AST), checked against the schema
    sortby: list[tuple[str, bool]] = field(default_factory=list)  # (property, descending)
    simplify: float | None = None  # metres: boundaries simplified for overviews
    ids: list[str] | None = None
    datetime: Interval | None = None  # on the last change (of the point, of the area)
    crs: Crs | None = None  # the output's; None: CRS84
    bbox_crs: Crs | None = None  # the bbox's; None: CRS84


#: The largest simplification tolerance accepted, in metres.
MAX_SIMPLIFY_METRES = 100_000
#: Metres per degree of latitude (and of longitude at the equator; Indonesia spans 11 degrees
#: either side of it, where a degree of longitude is still 98 % of this).
METRES_PER_DEGREE = 111_320


def parse_simplify(value: str | None) -> float | None:
    """``simplify=<metres>``: a tolerance from 0 (exclusive) to MAX_SIMPLIFY_METRES."""
    if value is None:
        return None
    try:
        metres = float(value)
    except ValueError as exc:
        raise BadRequest("features.simplify", value=value, maximum=MAX_SIMPLIFY_METRES) from exc
    if not 0 < metres <= MAX_SIMPLIFY_METRES:  # NaN fails too
        raise BadRequest("features.simplify", value=value, maximum=MAX_SIMPLIFY_METRES)
    return metres


def parse_bbox(
    value: str | None, crs: Crs | None = None
) -> tuple[float, float, float, float] | None:
    """``minx,miny,maxx,maxy`` in CRS84 or ``crs`` (latitude first for EPSG:4326 and
    EPSG:4755), returned easting/longitude first; BadRequest with the reason otherwise."""
    if value is None:
        return None

    def bad() -> BadRequest:
        if crs is not None and not crs.geographic:
            return BadRequest("features.bbox_projected", value=value, crs=crs.uri)
        return BadRequest("features.bbox", value=value)

    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError as exc:
        raise bad() from exc
    if len(numbers) != 4 or any(n != n or n in (math.inf, -math.inf) for n in numbers):
        raise bad()
    minx, miny, maxx, maxy = numbers
    if crs is not None and crs.lat_lon:
        miny, minx, maxy, maxx = numbers
    if not (minx <= maxx and miny <= maxy):
        raise bad()
    if (crs is None or crs.geographic) and not (
        -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    ):
        raise bad()
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
    if collection.layer is None:
        key, feature, where = _area_parts(collection, query)
        geometry, table = _AREA.geom, AdminArea.__table__
    else:
        key, feature, where = _facility_parts(collection.layer, query, viewer)
        geometry, table = _FACILITY.geom, Facility.__table__
    mapping = _filter_fields(collection)
    if query.filter is not None:
        where = and_(where, _to_sql(query.filter, mapping))
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
EXACT_COUNT_BELOW = 10_000


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
    conn: Connection, collection: FeatureCollection, query: ItemsQuery, viewer: Viewer
) -> ItemsPage:
    """The page as PostgreSQL builds it, and numberMatched: counted exactly when the planner
    expects fewer than EXACT_COUNT_BELOW rows, its estimate otherwise."""
    p = _page(collection, query, viewer)
    matching = select(literal(1)).select_from(p.table).where(p.where)
    with _filter_type_errors(conn, query):
        features, returned = conn.execute(_items_statement(p, query)).one()
        estimate = _planner_estimate(conn, matching)
        if estimate is None or estimate < EXACT_COUNT_BELOW:
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
        sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    except (CompileError, NotImplementedError):
        return None
    plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + sql.replace("%", "%%")).scalar_one()
    return int(plan[0]["Plan"]["Plan Rows"])


def items_table(
    conn: Connection, collection: FeatureCollection, query: ItemsQuery, viewer: Viewer
) -> tuple[list[str], list[list[Any]]]:
    """The same page as :func:`items` as a table: id, the properties, geometry as WKT."""
    p = _page(collection, query, viewer)
    statement = (
        select(
            p.key,
            p.feature.op("->")("properties"),
            func.ST_AsText(output_geometry(p.geometry, query.crs), _decimals(query.crs)),
        )
        .where(p.where)
        .order_by(*p.order)
        .limit(query.limit)
        .offset(query.offset)
    )
    with _filter_type_errors(conn, query):
        rows = conn.execute(statement).all()
    names = query.properties if query.properties is not None else collection.property_names(viewer)
    header = ["id", *names, "wkt"]
    return header, [[fid, *(props.get(n) for n in names), wkt] for fid, props, wkt in rows]


def parse_filter(
    value: str | None, lang: str | None, collection: FeatureCollection, viewer: Viewer
) -> Any:
    """Parse CQL2 text (default) or JSON with pygeofilter; every property must exist."""
    if value is None:
        return None
    from pygeofilter import ast as cql
    from pygeofilter.parsers.cql2_json import parse as parse_json
    from pygeofilter.parsers.cql2_text import parse as parse_text

    language = (lang or "cql2-text").lower()
    if language not in ("cql2-text", "cql2-json"):
        raise BadRequest("features.filter_lang", value=lang)
    try:
        if language == "cql2-text":
            # a flat chain of OR/AND clauses, parsed clause by clause (see input_limits)
            groups = input_limits.split_cql2_text(value)
            if len(groups) == 1 and len(groups[0]) == 1:
                tree = parse_text(value)
            else:
                tree = input_limits.balanced(
                    [input_limits.balanced([parse_text(c) for c in g], cql.And) for g in groups],
                    cql.Or,
                )
        else:
            try:
                data = input_limits.loads(value)
            except InvalidFields as exc:
                path = exc.problems[0].field
                raise InvalidFields(
                    [FieldProblem(f"filter.{path}", "input.surrogate", {"field": f"filter.{path}"})]
                ) from exc
            tree = parse_json(input_limits.balance_cql2_json(data))
    except ServiceError:
        raise
    except Exception as exc:  # lark and json raise many types; the message is what matters
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise BadRequest("features.filter_syntax", reason=reason) from exc
    allowed = {*collection.property_names(viewer), "geometry"}
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, cql.Attribute):
            names.add(node.name)
        for child in getattr(node, "get_sub_nodes", lambda: [])() or []:
            walk(child)

    try:
        walk(tree)
    except RecursionError as exc:  # e.g. thousands of NOT in a row
        raise BadRequest("input.cql2_depth", limit=input_limits.MAX_CQL2_DEPTH) from exc
    if language == "cql2-json":
        tree = _json_envelopes(tree)
    unknown = sorted(names - allowed)
    if unknown:
        raise BadRequest(
            "features.unknown_property",
            names=", ".join(unknown),
            allowed=", ".join(sorted(allowed)),
        )
    return tree


def parse_sortby(value: str | None, allowed: list[str]) -> list[tuple[str, bool]]:
    """``sortby=-tingkat,nama``: names of properties, ``-`` for descending."""
    if value is None:
        return []
    order = []
    for part in (p.strip() for p in value.split(",")):
        descending = part.startswith("-")
        name = part.lstrip("+-").strip()
        if name not in allowed:
            raise BadRequest(
                "features.unknown_property", names=name or "(kosong)", allowed=", ".join(allowed)
            )
        order.append((name, descending))
    return order


def _json_envelopes(node: Any) -> Any:
    """CQL2-JSON's ``{"bbox": [minx, miny, maxx, maxy]}`` with its bounds where pygeofilter's
    ``Envelope`` names them: its JSON parser passes the array positionally to ``Envelope(x1,
    x2, y1, y2)``, which would read miny as maxx."""
    import dataclasses

    from pygeofilter import values

    if isinstance(node, values.Envelope):
        return values.Envelope(x1=node.x1, x2=node.y1, y1=node.x2, y2=node.y2)
    if isinstance(node, list):
        return [_json_envelopes(item) for item in node]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {
            f.name: _json_envelopes(getattr(node, f.name))
            for f in dataclasses.fields(node)
            if dataclasses.is_dataclass(getattr(node, f.name))
            or isinstance(getattr(node, f.name), list)
        }
        return dataclasses.replace(node, **changes) if changes else node
    return node


def _bbox_as_polygon(node: Any) -> Any:
    """CQL2's ``BBOX(minx, miny, maxx, maxy)`` literal as a polygon (pygeofilter's SQL backend
    knows polygons but not this literal)."""
    import dataclasses

    from pygeofilter import ast as cql
    from pygeofilter import values

    bounds = None
    if isinstance(node, cql.Function) and node.name.lower() == "bbox":
        bounds = [float(a) for a in node.arguments]
    elif isinstance(node, values.Envelope):  # x1, x2 the west and east bounds, y1, y2 the others
        bounds = [min(node.x1, node.x2), min(node.y1, node.y2)]
        bounds += [max(node.x1, node.x2), max(node.y1, node.y2)]
    if bounds is not None and len(bounds) == 4:
        minx, miny, maxx, maxy = bounds
        ring = [(minx, miny), (maxx, miny), (maxx, maxy), (minx, maxy), (minx, miny)]
        return values.Geometry({"type": "Polygon", "coordinates": [ring]})
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {
            f.name: _bbox_as_polygon(getattr(node, f.name))
            for f in dataclasses.fields(node)
            if dataclasses.is_dataclass(getattr(node, f.name))
        }
        return dataclasses.replace(node, **changes) if changes else node
    return node


def _to_sql(tree: Any, mapping: dict[str, Any]) -> ColumnElement[bool]:
    from pygeofilter.backends.sqlalchemy import to_filter

    try:
        return to_filter(  # type: ignore[no-any-return]
            _bbox_as_polygon(tree), mapping, undefined_as_null=False
        )
    except RecursionError as exc:
        raise BadRequest("input.cql2_depth", limit=input_limits.MAX_CQL2_DEPTH) from exc
    except Exception as exc:  # an operation pygeofilter cannot express for these columns
        raise BadRequest("features.filter_unsupported", reason=type(exc).__name__) from exc


_CASTS = {"integer": Integer, "number": Float, "boolean": Boolean}


def _filter_fields(collection: FeatureCollection) -> dict[str, Any]:
    """Property name -> SQL expression, for filters and sorting (the identifier whitelist)."""
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
    with _filter_type_errors(conn, ItemsQuery(crs=crs)):
        found = conn.execute(_item_statement(collection, viewer, crs), {"feature_id": key}).scalar()
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


def _geometry(column: Any, crs: Crs | None = None) -> ColumnElement[Any]:
    if crs is None:
        return cast(func.ST_AsGeoJSON(column, COORDINATE_DECIMALS), JSON)
    # options 0: no "crs" member (RFC 7946 has none; Content-Crs names it)
    return cast(func.ST_AsGeoJSON(output_geometry(column, crs), _decimals(crs), 0), JSON)


def _decimals(crs: Crs | None) -> int:
    return COORDINATE_DECIMALS if crs is None else crs.decimals


def output_geometry(column: Any, crs: Crs | None) -> Any:
    """``column`` (EPSG:4326, longitude first) in ``crs``, axes in its order."""
    if crs is None or crs.uri == CRS84:
        return column
    transformed = func.ST_Transform(column, crs.srid)
    return func.ST_FlipCoordinates(transformed) if crs.lat_lon else transformed


def _bbox_condition(
    column: Any, bbox: tuple[float, float, float, float], crs: Crs | None = None
) -> ColumnElement[bool]:
    envelope = func.ST_MakeEnvelope(*bbox, 4326 if crs is None else crs.srid)
    if crs is not None and crs.srid != 4326:
        envelope = func.ST_Transform(envelope, 4326)
    return and_(column.op("&&")(envelope), func.ST_Intersects(column, envelope))


def like_prefix(value: str) -> str:
    """A LIKE pattern matching what starts with ``value`` (its wildcards escaped)."""
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
        _geometry(
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
        conditions.append(_bbox_condition(_AREA.geom, query.bbox, query.bbox_crs))
    if query.ids is not None:
        conditions.append(_AREA.code.in_(query.ids))
    if query.datetime is not None:
        conditions.append(_datetime_condition(_AREA.updated_at, query.datetime))
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
        _geometry(_FACILITY.geom, query.crs),
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
        conditions.append(_bbox_condition(_FACILITY.geom, query.bbox, query.bbox_crs))
    if query.ids is not None:
        numbers = [int(i) for i in query.ids if re.fullmatch(r"[0-9]{1,18}", i)]
        conditions.append(_FACILITY.id.in_(numbers))
    if query.datetime is not None:
        conditions.append(_datetime_condition(_FACILITY.updated_at, query.datetime))
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


_JSON_TYPES = {
    "string": "string",
    "date": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
}


_AREA_SCHEMAS: dict[str, Any] = {
    "kode": {"type": "string", "title": "Kode Kemendagri"},
    "nama": {"type": "string", "title": "Nama"},
    "tingkat": {"type": "integer", "minimum": 1, "maximum": 4},
    "jenis": {
        "type": "string",
        "enum": ["provinsi", "kabupaten", "kota", "kecamatan", "kelurahan", "desa", "desa_adat"],
    },
    "kode_induk": {"type": "string"},
}


def property_schemas(
    collection: FeatureCollection, viewer: Viewer, full: bool = False
) -> dict[str, Any]:
    """JSON Schema of each property this viewer sees (``full``: with lengths and patterns,
    for the features' schema; filters and sorting need only types and ranges)."""
    if collection.layer is None:
        return {name: dict(schema) for name, schema in _AREA_SCHEMAS.items()}
    props: dict[str, Any] = {}
    for name in collection.property_names(viewer):
        attribute = collection.layer.attributes.get(name)
        if attribute is None:
            continue
        schema: dict[str, Any] = {"type": _JSON_TYPES[attribute.type], "title": attribute.title.id}
        if attribute.type == "date":
            schema["format"] = "date"
        if attribute.enum:
            schema["enum"] = attribute.enum
        if attribute.minimum is not None:
            schema["minimum"] = attribute.minimum
        if attribute.maximum is not None:
            schema["maximum"] = attribute.maximum
        if full and attribute.max_length is not None:
            schema["maxLength"] = attribute.max_length
        if full and attribute.pattern is not None:
            schema["pattern"] = attribute.pattern
        props[name] = schema
    props.update(kode_kelurahan={"type": "string"}, contoh={"type": "boolean"})
    if viewer.sees_internal_fields:
        props["status"] = {"type": "string", "enum": list(FACILITY_STATUSES)}
        props["versi"] = {"type": "integer", "minimum": 1}
        props["alasan_penolakan"] = {"type": "string"}
    return props


def _json_schema(
    base_url: str, collection: FeatureCollection, name: str, props: dict[str, Any]
) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": f"{base_url}collections/{collection.id}/{name}",
        "type": "object",
        "title": collection.id,
        "properties": props,
        "additionalProperties": False,
    }


def queryables(base_url: str, collection: FeatureCollection, viewer: Viewer) -> dict[str, Any]:
    """JSON Schema of the properties a filter may name (OGC API - Features Part 3)."""
    props = {"geometry": {"format": "geometry-any"}, **property_schemas(collection, viewer)}
    return _json_schema(base_url, collection, "queryables", props)


def sortables(base_url: str, collection: FeatureCollection, viewer: Viewer) -> dict[str, Any]:
    """JSON Schema of the properties ``sortby`` may name (OGC API - Features Part 5)."""
    return _json_schema(base_url, collection, "sortables", property_schemas(collection, viewer))


def schema(base_url: str, collection: FeatureCollection, viewer: Viewer) -> dict[str, Any]:
    """JSON Schema of the collection's features as this viewer gets them (OGC API - Features
    Part 5): the id and the geometry marked by ``x-ogc-role``, every property with its type,
    the layer's required attributes listed (a property is null when unset)."""
    geometry = "geometry-multipolygon" if collection.layer is None else "geometry-point"
    props: dict[str, Any] = {
        "id": {
            "x-ogc-role": "id",
            "type": "string" if collection.layer is None else "integer",
            "readOnly": True,
        },
        "geometry": {"x-ogc-role": "primary-geometry", "format": geometry},
        **property_schemas(collection, viewer, full=True),
    }
    body = _json_schema(base_url, collection, "schema", props)
    body["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    del body["additionalProperties"]
    if collection.layer is not None:
        required = [n for n, a in collection.layer.attributes.items() if a.required]
        body["required"] = [n for n in required if n in props]
    return body
