"""The OpenAPI document in version 3.0, which OGC API - Features Part 1 names (``oas30``).

FastAPI writes OpenAPI 3.1, whose schemas are JSON Schema 2020-12. The few constructs it uses
that 3.0 lacks are rewritten: ``anyOf [X, {"type": "null"}]`` becomes X with ``nullable``,
``const`` an ``enum`` of one, numeric ``exclusiveMinimum``/``exclusiveMaximum`` the 3.0
boolean form, schema ``examples`` a single ``example``, and an uploaded file's
``contentMediaType`` the ``format: binary`` of 3.0. A test validates the result with
openapi-spec-validator.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

OPENAPI_VERSION = "3.0.3"
_NULL = {"type": "null"}


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` (``/openapi.json``, ``/api``, ``/docs``) return OpenAPI 3.0."""
    generate = app.openapi

    def openapi_30() -> dict[str, Any]:
        if app.openapi_schema is None or app.openapi_schema.get("openapi") != OPENAPI_VERSION:
            app.openapi_schema = None
            document = downgrade(generate())
            document["openapi"] = OPENAPI_VERSION
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi_30  # type: ignore[method-assign]


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
