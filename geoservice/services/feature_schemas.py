"""JSON Schemas of a collection's features as a viewer gets them: queryables (OGC API -
Features Part 3), sortables and the features' schema (Part 5)."""

from __future__ import annotations

from typing import Any

from geoservice.db.models import FACILITY_STATUSES
from geoservice.services.features import FeatureCollection
from geoservice.services.profiles import collection as profile_collection
from geoservice.services.viewer import Viewer

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
    if collection.form is not None:
        return profile_collection.property_schemas(collection, viewer)
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
    # a profile's feature is its kelurahan: the same code id and MultiPolygon as the boundaries
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
