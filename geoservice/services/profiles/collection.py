"""The published profiles as an OGC API - Features collection: one collection per form (its id
is the form's, e.g. ``profil_kelurahan``), the kelurahan polygons that have a verified profile
of the period (``?period=``, the latest verified one by default), one property per field the
reader may see, derived fields included. GDAL, QGIS and OWSLib read it as any other collection:
the features machinery (:mod:`~geoservice.services.features`) pages, filters, sorts and
reprojects it; this module gives it the table, the feature and the properties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal,
    select,
)

from geoservice.catalog import Catalog
from geoservice.errors import BadRequest
from geoservice.services.crs import Crs
from geoservice.services.feature_query import ItemsQuery, datetime_condition
from geoservice.services.feature_sql import bbox_condition, geometry_json, like_prefix
from geoservice.services.profiles.derived import AREA, PROFILE
from geoservice.services.profiles.forms import PERIOD_EXAMPLES, ProfileForm
from geoservice.services.profiles.published import (
    field_columns,
    published_fields,
    verified_periods,
)
from geoservice.services.viewer import Viewer

if TYPE_CHECKING:
    from geoservice.services.features import FeatureCollection

#: Properties of every profile feature besides the fields (``diverifikasi``: when verified).
HEAD = ("kode", "nama", "periode")
TAIL = ("diverifikasi", "contoh")
#: JSON Schema of a field type (several choices: a space-separated text, as XLSForm writes it)
SCHEMA_TYPES = {"integer": "integer", "decimal": "number", "yes_no": "boolean"}


def default_period(conn: Any, form: ProfileForm, period: str | None) -> str:
    """``period`` checked against the form's kind, or the latest verified one (the current
    period when nothing is verified yet)."""
    if period is not None:
        if not form.period_valid(period):
            raise BadRequest(
                "profile.period", period=period[:20], example=PERIOD_EXAMPLES[form.period]
            )
        return period
    known = verified_periods(conn, form)
    return known[-1] if known else form.current_period()


def property_names(collection: FeatureCollection, viewer: Viewer) -> list[str]:
    """The properties of a feature for this viewer, in order."""
    assert collection.form is not None and collection.catalog is not None
    fields = published_fields(collection.catalog, collection.form, viewer.internal)
    return [*HEAD, *fields, *TAIL]


def columns(collection: FeatureCollection, viewer: Viewer) -> dict[str, Any]:
    """Property name -> SQL expression (the filter and sorting whitelist too)."""
    form, catalog, period = collection.form, collection.catalog, collection.period
    assert form is not None and isinstance(catalog, Catalog) and period is not None
    fields = field_columns(catalog, form, period, viewer.internal, viewer.anonymous)
    return {
        "kode": AREA.c.code,
        "nama": AREA.c.name,
        "periode": PROFILE.c.period,
        **fields,
        "diverifikasi": PROFILE.c.verified_at,
        "contoh": PROFILE.c.is_sample | literal(form.sample),
    }


def table(collection: FeatureCollection) -> Any:
    """The kelurahan joined with their profile of the form and period."""
    assert collection.form is not None
    return AREA.join(
        PROFILE,
        and_(
            PROFILE.c.kelurahan_code == AREA.c.code,
            PROFILE.c.form_id == collection.form.id,
            PROFILE.c.period == collection.period,
        ),
    )


def parts(
    collection: FeatureCollection, query: ItemsQuery, viewer: Viewer
) -> tuple[Any, ColumnElement[Any], ColumnElement[bool]]:
    """The key, the GeoJSON feature and the condition of the items (as ``_area_parts``)."""
    mapping = columns(collection, viewer)
    names = query.properties if query.properties is not None else list(mapping)
    properties = func.json_build_object(
        *[x for name in names for x in (literal(name), mapping[name])]
    )
    shape = func.ST_ForcePolygonCCW(AREA.c.geom)  # exterior rings counterclockwise (RFC 7946)
    feature = func.json_build_object(
        "type", "Feature", "id", AREA.c.code,
        "geometry", geometry_json(shape, query.crs), "properties", properties,
    )  # fmt: skip
    conditions: list[ColumnElement[bool]] = [
        AREA.c.level == 4,
        PROFILE.c.verified_values.is_not(None),
    ]
    if query.bbox:
        conditions.append(bbox_condition(AREA.c.geom, query.bbox, query.bbox_crs))
    if query.ids is not None:
        conditions.append(AREA.c.code.in_(query.ids))
    if query.datetime is not None:
        conditions.append(datetime_condition(PROFILE.c.verified_at, query.datetime))
    if query.kode:
        conditions.append(AREA.c.code.like(like_prefix(query.kode)))
    for name, value in query.equals.items():
        column = mapping[name]
        if isinstance(column.type, Boolean):  # contoh and every yes/no field: true, True, TRUE
            value = value.lower()
        conditions.append(cast(column, String) == value)
    return AREA.c.code, feature, and_(*conditions)


def item_statement(collection: FeatureCollection, viewer: Viewer, crs: Crs | None) -> Any:
    """The SELECT of one feature, its code bound as ``feature_id`` (built per request: the
    period is part of it)."""
    _, feature, where = parts(collection, ItemsQuery(crs=crs), viewer)
    return (
        select(feature.cast(String))
        .select_from(table(collection))
        .where(and_(where, AREA.c.code == bindparam("feature_id")))
    )


def property_schemas(collection: FeatureCollection, viewer: Viewer) -> dict[str, Any]:
    """JSON Schema of each property this viewer sees: types, ranges and choices of the form,
    titles and units (``x-ogc-unit``) of its fields."""
    assert collection.form is not None and collection.catalog is not None
    props: dict[str, Any] = {
        "kode": {"type": "string", "title": "Kode Kemendagri"},
        "nama": {"type": "string", "title": "Nama"},
        "periode": {"type": "string", "title": "Periode"},
    }
    for name, item in published_fields(
        collection.catalog, collection.form, viewer.internal
    ).items():
        schema: dict[str, Any] = {
            "type": SCHEMA_TYPES.get(item.type, "string"),
            "title": item.title.id,
        }
        if item.type == "select_multiple":
            schema = {"type": "array", "items": {"type": "string"}, "title": item.title.id}
        if item.type == "date":
            schema["format"] = "date"
        if item.type == "select_one" and item.choices:
            schema["enum"] = [c.value for c in item.choices]
        if item.minimum is not None:
            schema["minimum"] = item.minimum
        if item.maximum is not None:
            schema["maximum"] = item.maximum
        if item.unit is not None:
            schema["x-ogc-unit"] = item.unit.id
        props[name] = schema
    props["diverifikasi"] = {"type": "string", "format": "date-time"}
    props["contoh"] = {"type": "boolean"}
    return props


def listing(
    conn: Any, catalog: Catalog, only: str | None = None
) -> list[tuple[ProfileForm, str, int, list[Any]]]:
    """Per form (or only form ``only``): its latest verified period, how many kelurahan have
    a verified profile of it, and their extent (minx, miny, maxx, maxy; None when none)."""
    found = []
    for form in catalog.profiles.values():
        if only is not None and form.id != only:
            continue
        period = default_period(conn, form, None)
        extent = func.ST_Extent(AREA.c.geom)
        row = conn.execute(
            func.count()
            .select()
            .add_columns(
                func.ST_XMin(extent), func.ST_YMin(extent),
                func.ST_XMax(extent), func.ST_YMax(extent),
            )
            .select_from(AREA.join(PROFILE, PROFILE.c.kelurahan_code == AREA.c.code))
            .where(
                PROFILE.c.form_id == form.id,
                PROFILE.c.period == period,
                PROFILE.c.verified_values.is_not(None),
                AREA.c.level == 4,
            )
        ).one()  # fmt: skip
        found.append((form, period, int(row[0]), list(row[1:])))
    return found
