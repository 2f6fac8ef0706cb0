"""The parameters of a features request, parsed and checked before any SQL is built.

``bbox``, ``datetime``, ``ids``, ``kode``, ``properties``, ``simplify``, ``sortby`` and CQL2
``filter`` (text or JSON, through pygeofilter): each parser answers a 400 naming what was wrong,
and every property name a request gives is checked against the collection's properties for
this viewer, so :mod:`~geoservice.services.features` only ever quotes names it knows.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_

from geoservice import input_limits
from geoservice.errors import BadRequest, FieldProblem, InvalidFields, ServiceError
from geoservice.services.crs import Crs
from geoservice.services.viewer import Viewer

if TYPE_CHECKING:  # features builds its statements from an ItemsQuery: a cycle at run time
    from geoservice.services.features import FeatureCollection

MAX_LIMIT = 10_000
DEFAULT_LIMIT = 10


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


def filter_condition(tree: Any, mapping: dict[str, Any]) -> ColumnElement[bool]:
    """The parsed filter ``tree`` as a SQL condition over ``mapping`` (property -> column)."""
    from pygeofilter.backends.sqlalchemy import to_filter

    try:
        condition = to_filter(_bbox_as_polygon(tree), mapping, undefined_as_null=False)
    except RecursionError as exc:
        raise BadRequest("input.cql2_depth", limit=input_limits.MAX_CQL2_DEPTH) from exc
    except Exception as exc:  # an operation pygeofilter cannot express for these columns
        raise BadRequest("features.filter_unsupported", reason=type(exc).__name__) from exc
    if not isinstance(condition, ColumnElement):  # a bare value (filter=0.0) is no condition
        raise BadRequest("features.filter_unsupported", reason=type(condition).__name__)
    return condition


def datetime_condition(column: Any, interval: Interval) -> ColumnElement[bool]:
    """``column`` within ``interval`` (either end open when None)."""
    start, end, exclusive = interval
    conditions = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column < end if exclusive else column <= end)
    return and_(*conditions)
