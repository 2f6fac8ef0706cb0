"""The OpenAPI document in version 3.0, which OGC API - Features Part 1 names (``oas30``).

FastAPI writes OpenAPI 3.1, whose schemas are JSON Schema 2020-12. The few constructs it uses
that 3.0 lacks are rewritten: ``anyOf [X, {"type": "null"}]`` becomes X with ``nullable``,
``const`` an ``enum`` of one, numeric ``exclusiveMinimum``/``exclusiveMaximum`` the 3.0
boolean form, schema ``examples`` a single ``example``, and an uploaded file's
``contentMediaType`` the ``format: binary`` of 3.0. A test validates the result with
openapi-spec-validator.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI

from geoservice.catalog import Catalog
from geoservice.services import feature_query, feature_schemas, features
from geoservice.services.collections import BOUNDARY_COLLECTIONS
from geoservice.services.crs import supported_crs
from geoservice.services.viewer import Viewer

OPENAPI_VERSION = "3.0.3"
_NULL = {"type": "null"}


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` (``/openapi.json``, ``/api``, ``/docs``) return OpenAPI 3.0,
    in the terms OGC API clients act on (see :func:`for_clients`)."""
    generate = app.openapi

    def openapi_30() -> dict[str, Any]:
        if app.openapi_schema is None or app.openapi_schema.get("openapi") != OPENAPI_VERSION:
            app.openapi_schema = None
            document = for_clients(downgrade(generate()), getattr(app.state, "catalog", None))
            document["openapi"] = OPENAPI_VERSION
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi_30  # type: ignore[method-assign]


ITEMS = "/collections/{collectionId}/items"
ITEM = "/collections/{collectionId}/items/{featureId}"
_RENAMED = {"collection_id": "collectionId", "feature_id": "featureId"}
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_WRITES = ("put", "post", "delete", "patch")
#: The f of the items (api/features.FORMATS; a test holds the two equal).
ITEM_FORMATS = ["json", "geojson", "csv", "xlsx", "gpkg", "html"]
#: What each problem status means here, for the responses of every operation that sends it.
_PROBLEMS = {
    400: "Bad input: a parameter, the body or the filter, with the reason",
    401: "Credentials that are not valid (an unknown, revoked or expired token)",
    403: "Signed in, but not allowed (another kelurahan, another role, no CSRF token)",
    404: "No such collection, feature or resource (or not one the caller may see)",
    405: "The collection is read-only (boundaries)",
    409: "A point of a similar name lies within 30 m (send again with allow_duplicate=true)",
    412: "If-Match names a version that is no longer current (current_etag says which is)",
    413: "The body is larger than the service accepts",
    415: "The body's media type is not one this operation accepts",
    422: "The attributes or the position break the layer's rules (errors lists each)",
    428: "If-Match is required: send the ETag of the version being changed",
    503: "The database cannot be reached",
}
#: Operations anyone may call with no credentials at all (get_principal is not involved).
_NO_CREDENTIALS = ("/", "/conformance", "/health", "/api")


#: The period of a profile form's collection (the latest verified one when left out).
PERIOD_PARAMETER = {
    "name": "period",
    "in": "query",
    "required": False,
    "description": "period of the profiles (2025, 2025-S1, ...); by default the latest verified",
    "schema": {"type": "string", "maxLength": 20},
}


def for_clients(document: dict[str, Any], catalog: Catalog | None) -> dict[str, Any]:
    """The OpenAPI document as OGC API clients read it: OGC's parameter names
    (``collectionId``, ``featureId``), ``limit`` an integer with its bounds, enumerations,
    one items path per collection declaring its property filters (GDAL pushes a ``-where``
    equality to the server only for a parameter it finds there), the security schemes,
    ``If-Match``/``ETag`` headers, and the problem responses each operation really sends."""
    paths: dict[str, Any] = {}
    for path, item in document.get("paths", {}).items():
        for old, new in _RENAMED.items():
            path = path.replace("{" + old + "}", "{" + new + "}")
        for method in _METHODS:
            if method in item:
                _operation(path, method, item[method])
        paths[path] = item
    document["paths"] = paths
    items = paths.get(ITEMS, {}).get("get")
    if items is not None and catalog is not None:
        for collection_id in [*BOUNDARY_COLLECTIONS, *catalog.layers, *catalog.profiles]:
            collection = features.resolve(catalog, collection_id, profiles=True)
            operation = copy.deepcopy(items)
            operation["operationId"] = f"get_items_{collection_id}"
            operation["summary"] = f"Features of {collection_id}"
            operation["tags"] = ["features by collection"]
            parameters = [p for p in operation["parameters"] if p["name"] != "collectionId"]
            props = feature_schemas.property_schemas(collection, Viewer())
            if collection.form is not None:
                parameters.append(PERIOD_PARAMETER)
            taken = {p["name"] for p in parameters}  # kode: the code prefix, already there
            for name, schema in props.items():
                if name in taken:
                    continue
                parameters.append(
                    {
                        "name": name,
                        "in": "query",
                        "required": False,
                        "description": f"equality filter on {name}",
                        "schema": {k: v for k, v in schema.items() if k != "title"},
                    }
                )
            operation["parameters"] = parameters
            operation["responses"].pop("404", None)  # the collection exists
            paths[f"/collections/{collection_id}/items"] = {"get": operation}
    components = document.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = {
        "type": "object",
        "description": "RFC 9457 problem details",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
        },
    }
    components["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (gs_...) from `geoservice tokens create` or "
            "POST /auth/tokens",
        },
        "basic": {
            "type": "http",
            "scheme": "basic",
            "description": "The username and an API token as the password (never the "
            "account's password): for QGIS, ArcGIS and curl -u",
        },
        "cookie": {
            "type": "apiKey",
            "in": "cookie",
            "name": "geoservice_session",
            "description": "The web session of /login; changes need X-CSRF-Token",
        },
    }
    # anonymous reads are allowed everywhere: {} first
    document["security"] = [{}, {"bearer": []}, {"basic": []}, {"cookie": []}]
    return document


def _problem(status: int) -> dict[str, Any]:
    return {
        "description": _PROBLEMS[status],
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def _operation(path: str, method: str, operation: dict[str, Any]) -> None:
    """Parameters in OGC's terms, headers and problem responses of one operation."""
    parameters = operation.setdefault("parameters", [])
    for parameter in parameters:
        parameter["name"] = _RENAMED.get(parameter["name"], parameter["name"])
        name = parameter["name"]
        if path == ITEMS and name == "limit":
            parameter["schema"] = {
                "type": "integer",
                "minimum": 1,
                "maximum": feature_query.MAX_LIMIT,
                "default": feature_query.DEFAULT_LIMIT,
            }
            parameter.update(style="form", explode=False)
        elif path == ITEMS and name == "datetime":
            parameter.update(style="form", explode=False)
        elif path == ITEMS and name == "bbox":  # as OGC API - Features Part 1 defines it
            parameter.update(style="form", explode=False)
            parameter["schema"] = {
                "type": "array",
                "minItems": 4,
                "maxItems": 6,
                "items": {"type": "number"},
            }
        elif path == ITEMS and name == "offset":
            parameter["schema"] = {"type": "integer", "minimum": 0, "default": 0}
        elif name == "filter-lang":
            parameter["schema"] = {
                "type": "string",
                "enum": ["cql2-text", "cql2-json"],
                "default": "cql2-text",
            }
        elif name in ("crs", "bbox-crs") and path.startswith(ITEMS):
            parameter["schema"] = {"type": "string", "enum": supported_crs()}
        elif name == "f" and path == ITEMS:
            parameter["schema"] = {"type": "string", "enum": list(ITEM_FORMATS)}
    layer_write = path.startswith(ITEMS) and method in _WRITES
    # every change of an existing point names the version it changes
    versioned = layer_write and path.startswith(ITEM) and not path.endswith("/history")
    if versioned:
        parameters.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": True,
                "description": "The ETag of the version being changed (428 without it)",
                "schema": {"type": "string"},
            }
        )
    codes = {400, 503}
    if path not in _NO_CREDENTIALS:
        codes.add(401)
    if "{" in path:
        codes.add(404)
    if method in _WRITES:
        codes |= {401, 403, 413}
        if "requestBody" in operation or (layer_write and method != "delete"):
            codes |= {415, 422}
    if layer_write:
        codes |= {404, 405, 422}
        if method in ("post", "put", "patch") and not path.endswith(("/submit", "/verify")):
            codes.add(409)
        if versioned:
            codes |= {412, 428}
    responses = operation.setdefault("responses", {})
    if method not in _WRITES:
        # FastAPI's 422 for its own validation: the service answers those with a 400
        responses.pop("422", None)
    for status in sorted(codes):
        responses[str(status)] = _problem(status)
    if (path == ITEM and method == "get") or layer_write:
        etag = {"ETag": {"description": "The version, for If-Match", "schema": {"type": "string"}}}
        for status, response in responses.items():
            if status.startswith("2"):
                response.setdefault("headers", {}).update(etag)


def downgrade(node: Any, in_schema: bool = False) -> Any:
    """``node`` (a part of an OpenAPI 3.1 document) in OpenAPI 3.0 terms."""
    if isinstance(node, list):
        return [downgrade(item, in_schema) for item in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    for key in ("anyOf", "oneOf"):
        options = node.get(key)
        if isinstance(options, list) and _NULL in options:
            rest = [option for option in options if option != _NULL]
            del node[key]
            if len(rest) == 1 and "$ref" in rest[0]:
                node["allOf"] = rest  # a $ref takes no sibling keywords in 3.0
            elif len(rest) == 1:
                node.update(rest[0])
            else:
                node[key] = rest
            node["nullable"] = True
    out = {
        key: downgrade(value, in_schema or key in ("schema", "schemas", "properties", "items"))
        for key, value in node.items()
    }
    if out.get("type") == "null":
        del out["type"]
        out["nullable"] = True
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if in_schema and out.get("type") == "string" and "contentMediaType" in out:
        del out["contentMediaType"]  # an uploaded file: 3.0 says format binary
        out["format"] = "binary"
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), int | float) and not isinstance(out.get(bound), bool):
            out[limit] = out.pop(bound)
            out[bound] = True
    if in_schema and isinstance(out.get("examples"), list):
        examples = out.pop("examples")
        if examples:
            out["example"] = examples[0]
    return out
