"""What an edit request carries: a GeoJSON Feature with a Point, a JSON Merge Patch (RFC
7396), the If-Match version, and the ETag of a version."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from geoservice import input_limits
from geoservice.catalog import has_control_characters
from geoservice.errors import (
    BadRequest,
    FieldProblem,
    InvalidFields,
    PreconditionFailed,
    PreconditionRequired,
)
from geoservice.services import features

#: Properties the server manages: sent back by a client that PUTs what it GOT, and ignored.
SERVER_PROPERTIES = frozenset({"kode_kelurahan", "contoh", *features.INTERNAL_PROPERTIES})


@dataclass(frozen=True)
class PointFeature:
    """A point feature as a client sent it: position and properties (not yet validated)."""

    lon: float
    lat: float
    properties: dict[str, Any]

    def as_geojson(self) -> dict[str, Any]:
        """The GeoJSON object (the target a merge patch applies to)."""
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]},
            "properties": dict(self.properties),
        }


def parse_json(body: bytes) -> Any:
    """The JSON of a request body; BadRequest with the parser's position otherwise (or over
    the limits of ``geoservice.input_limits``)."""
    return input_limits.loads(body)


def parse_feature(data: Any) -> PointFeature:
    """A GeoJSON Feature with a Point geometry; BadRequest naming what is wrong."""
    if not isinstance(data, dict):
        raise BadRequest("edit.not_object", type=type(data).__name__)
    if data.get("type") != "Feature":
        raise BadRequest("edit.not_feature", type=str(data.get("type"))[:40])
    geometry = data.get("geometry")
    if not isinstance(geometry, dict):
        raise BadRequest("edit.geometry_missing")
    if geometry.get("type") != "Point":
        raise BadRequest("edit.not_point", type=str(geometry.get("type"))[:40])
    coordinates = geometry.get("coordinates")
    if (
        not isinstance(coordinates, list)
        or len(coordinates) not in (2, 3)
        or not all(
            isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
            for c in coordinates
        )
    ):
        raise BadRequest("edit.coordinates", value=json.dumps(coordinates)[:80])
    properties = data.get("properties")
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        raise BadRequest("edit.properties", type=type(properties).__name__)
    return PointFeature(float(coordinates[0]), float(coordinates[1]), properties)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge key by key, null removes, anything else
    replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def parse_if_match(header: str | None) -> int:
    """The version an ``If-Match: "<version>"`` names; 428 without one or with ``*``, 412
    when it names none (a weak or foreign tag can never match)."""
    if header is None or not header.strip():
        raise PreconditionRequired("edit.if_match_missing").with_extra(header="If-Match")
    if header.strip() == "*":
        # "*" is true for any existing point: it would let a stale edit through
        raise PreconditionRequired("edit.if_match_star").with_extra(header="If-Match")
    match = re.fullmatch(r'\s*"([0-9]{1,9})"\s*', header)
    if match is None:
        raise PreconditionFailed("edit.if_match_malformed", value=header[:60])
    return int(match.group(1))


def etag(version: int) -> str:
    """The strong ETag of a point's version."""
    return f'"{version}"'


#: A rejection's reason: what the walidata tells the PIC, for points and profiles alike.
MAX_REASON_LENGTH = 500


def rejection_reason(reason: str | None) -> str:
    """The reason of a rejection, stripped; 422 naming ``reason`` when it is empty, holds a
    control character or is longer than MAX_REASON_LENGTH (the points' and profiles' rule)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidFields([FieldProblem("reason", "edit.reason_missing")])
    if has_control_characters(reason):
        raise InvalidFields([FieldProblem("reason", "attr.control")])
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidFields(
            [FieldProblem("reason", "attr.max_length", {"limit": MAX_REASON_LENGTH})]
        )
    return reason


def reason_of(body: Any) -> str | None:
    """The ``reason`` of a parsed reject body (``{"reason": "..."}``); None when it holds no
    text, which :func:`rejection_reason` then refuses with the field named."""
    if not isinstance(body, dict):
        raise BadRequest("edit.not_object", type=type(body).__name__)
    reason = body.get("reason")
    return reason if isinstance(reason, str) else None


#: The OpenAPI request body of a reject (points and profiles).
REJECTION_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"reason": {"type": "string", "maxLength": MAX_REASON_LENGTH}},
                    "required": ["reason"],
                }
            }
        },
    }
}
