"""Writes of facility points (OGC API - Features Part 4) and their verification by the walidata.

Each write is one transaction that first locks the point (``SELECT ... FOR UPDATE``): two PICs
saving one point are serialized, and the second one's ``If-Match`` no longer names the current
version, so it gets 412 instead of overwriting (no lost update). The checks, in order:

1. the body: GeoJSON Feature with a Point, attributes against the layer schema (types,
   required, enumerations, ranges), coordinates inside Indonesia (with a hint when lat/lon look
   swapped) -> 400/422 naming every problem;
2. PostGIS: the desa/kelurahan covering the point; the caller must be allowed to edit it (and,
   for a move, the one it leaves) -> 422 outside every kelurahan, 403 someone else's;
3. per-kelurahan rules of the layer (RT/RW unique, one kantor kelurahan) -> 422;
4. the layer's name rule (``name_matches_kelurahan``): a name of another kelurahan -> 422; a
   name without a place or of a former office -> 409 unless the client confirms;
5. near-duplicates (same layer, similar name, same numbers, within the layer's
   ``duplicate_radius_m``) -> 409 unless the client confirms.

The kelurahan code is never read from the input: the database trigger derives it from the point.
Every version lands in ``facility_history`` (trigger), and every change is NOTIFYed to the tile
caches (trigger); the caller also drops the tiles of its own process at once.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from geoservice import input_limits
from geoservice.catalog import Catalog, LayerDef, has_control_characters
from geoservice.db import load_sql
from geoservice.errors import (
    BadRequest,
    Conflict,
    FieldMessage,
    FieldProblem,
    Forbidden,
    InvalidFields,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from geoservice.i18n import t
from geoservice.services import features
from geoservice.services.auth import Principal
from geoservice.services.place_names import Gazetteers, check_name
from geoservice.services.points.rules import box_degrees, coordinate_problem, duplicate_pairs

#: Properties the server manages: sent back by a client that PUTs what it GOT, and ignored.
SERVER_PROPERTIES = frozenset({"kode_kelurahan", "contoh", *features.INTERNAL_PROPERTIES})
MAX_REASON_LENGTH = 500


# -- input ---------------------------------------------------------------------------------------


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


# -- results -------------------------------------------------------------------------------------


@dataclass
class Written:
    """A point after a write: its feature as the writer sees it, and the positions whose tiles
    must be redrawn."""

    id: int
    version: int
    feature: str | None  # GeoJSON text; None after a delete
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class _Current:
    id: int
    version: int
    kelurahan_code: str
    status: str
    deleted: bool
    lon: float
    lat: float
    attributes: dict[str, Any]


_LOCK = """
SELECT id, version, kelurahan_code, status, deleted_at IS NOT NULL, ST_X(geom), ST_Y(geom),
       attributes
  FROM facility WHERE id = :id AND layer_id = :layer
   FOR UPDATE
"""


def _lock(
    conn: Connection,
    layer: LayerDef,
    principal: Principal,
    feature_id: str,
    *,
    deleted: bool = False,
) -> _Current:
    """The point, locked for this transaction. NotFound when it does not exist (or is deleted,
    unless ``deleted``), or when the caller may not even see it."""
    row = conn.execute(
        text(_LOCK), {"id": features.point_id(layer.id, feature_id), "layer": layer.id}
    ).first()
    if row is None or row[4] != deleted:
        raise NotFound("features.item_not_found", collection=layer.id, item=feature_id)
    current = _Current(*row)
    if current.status != "verified" and not principal.may_read_internal(current.kelurahan_code):
        raise NotFound("features.item_not_found", collection=layer.id, item=feature_id)
    return current


def _require_edit(principal: Principal, code: str) -> None:
    if not principal.may_edit(code):
        raise Forbidden(
            "edit.not_your_kelurahan",
            kelurahan=code,
            yours=", ".join(sorted(principal.kelurahan)) or "-",
            role=principal.role,
        )


def _require_version(current: _Current, expected: int) -> None:
    if current.version != expected:
        raise PreconditionFailed(
            "edit.stale", expected=expected, current=current.version
        ).with_extra(current_etag=etag(current.version))


def _require_review(principal: Principal) -> None:
    if not principal.may_review():
        raise Forbidden("edit.admin_only", role=principal.role)


# -- checks --------------------------------------------------------------------------------------


def _validate(layer: LayerDef, point: PointFeature) -> dict[str, Any]:
    """Clean attributes, or InvalidFields listing every problem of the body."""
    problems: list[FieldMessage] = []
    found = coordinate_problem(point.lon, point.lat)
    if found is not None:
        key = "edit.swapped" if found[0] == "geom.swapped" else found[0]
        problems.append(FieldProblem("geometry", key, found[1]))
    given = {k: v for k, v in point.properties.items() if k not in SERVER_PROPERTIES}
    clean, issues = layer.validate_attributes(given)
    problems += issues
    if problems:
        raise InvalidFields(problems)
    return clean


_KELURAHAN_AT = """
SELECT code, name FROM admin_area
 WHERE level = 4 AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))
 ORDER BY code = ANY(CAST(:mine AS text[])) DESC, code
"""

# The box (``&&``) lets the GiST index find the candidates; the geography distance decides
# which lie within the layer's radius, and services.duplicates which of them are duplicates.
_NEAR_DUPLICATES = """
WITH here AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS geom)
SELECT f.id, f.attributes ->> :name_attr,
       ST_Distance(CAST(f.geom AS geography), CAST(here.geom AS geography))
  FROM facility f, here
 WHERE f.geom && ST_Expand(here.geom, :box)
   AND f.layer_id = :layer AND f.deleted_at IS NULL AND f.id <> :self
   AND ST_DWithin(CAST(f.geom AS geography), CAST(here.geom AS geography), :distance)
   AND f.attributes ? :name_attr
 ORDER BY 3
"""


class _NameWarning(Conflict):
    """A name the layer's rule warns about (no place, a former office): 409 until confirmed."""

    def __init__(self, key: str, params: dict[str, Any]):
        super().__init__("edit.name_warning", text="")
        self.warning = (key, params)

    def detail(self, lang: str) -> str:
        """The warning in ``lang``, inside the request to confirm it."""
        key, params = self.warning
        return t("edit.name_warning", lang, text=t(key, lang, **params))


_SAME_KEY = """
SELECT f.id FROM facility f
 WHERE f.layer_id = :layer AND f.deleted_at IS NULL AND f.id <> :self
   AND f.kelurahan_code = :kelurahan AND f.attributes @> CAST(:key AS jsonb)
 ORDER BY f.id LIMIT 1
"""

_IN_KELURAHAN = """
SELECT count(*) FROM facility
 WHERE layer_id = :layer AND deleted_at IS NULL AND id <> :self AND kelurahan_code = :kelurahan
"""


def _place(
    conn: Connection,
    layer: LayerDef,
    principal: Principal,
    point: PointFeature,
    attributes: dict[str, Any],
    *,
    self_id: int,
    allow_duplicate: bool,
) -> str:
    """The kelurahan of the point after the PostGIS checks (see the module docstring)."""
    found = conn.execute(
        text(_KELURAHAN_AT),
        {"lon": point.lon, "lat": point.lat, "mine": sorted(principal.kelurahan)},
    ).first()
    if found is None:
        raise InvalidFields([FieldProblem("geometry", "point.outside_kelurahan")])
    code, name = found
    if not principal.may_edit(code):
        raise Forbidden(
            "edit.point_not_yours",
            kelurahan=f"{name} ({code})",
            yours=", ".join(sorted(principal.kelurahan)) or "-",
            role=principal.role,
        )
    problems: list[FieldMessage] = []
    key_fields = layer.unique_within_kelurahan
    if key_fields:
        key = {k: attributes[k] for k in key_fields}
        other = conn.execute(
            text(_SAME_KEY),
            {"layer": layer.id, "self": self_id, "kelurahan": code, "key": json.dumps(key)},
        ).scalar()
        if other is not None:
            problems.append(
                FieldProblem(
                    key_fields[0],
                    "point.duplicate_key",
                    {
                        "fields": "/".join(f.upper() for f in key_fields),
                        "values": "/".join(str(key[f]) for f in key_fields),
                        "kelurahan": code,
                        "other": f"id {other}",
                    },
                )
            )
    if layer.max_per_kelurahan is not None:
        existing = conn.execute(
            text(_IN_KELURAHAN), {"layer": layer.id, "self": self_id, "kelurahan": code}
        ).scalar_one()
        if existing >= layer.max_per_kelurahan:
            problems.append(
                FieldProblem(
                    "geometry",
                    "point.max_per_kelurahan",
                    {"limit": layer.max_per_kelurahan, "kelurahan": f"{name} ({code})"},
                )
            )
    name_value = attributes.get(layer.name_attribute)
    name_text = re.sub(r"\s+", " ", str(name_value)).strip() if name_value is not None else None
    warning = None
    rule = layer.name_matches_kelurahan
    if rule is not None and name_text:
        gazetteers = Gazetteers(conn)
        area = gazetteers.area(code)
        if area is not None:
            verdict = check_name(name_text, rule, area, gazetteers.of(code)).issue(name_text)
            if verdict is not None and verdict[0] == "error":
                problems.append(FieldProblem(layer.name_attribute, verdict[1], verdict[2]))
            elif verdict is not None and verdict[1] != "name.variant":
                warning = verdict
    if problems:
        raise InvalidFields(problems)
    if warning is not None and not allow_duplicate:
        # A name without a place, or a former office: saved once the editor confirms.
        raise _NameWarning(warning[1], warning[2]).with_extra(
            field=layer.name_attribute, problem=warning[1], confirm="allow_duplicate=true"
        )
    if name_text and not allow_duplicate:
        near = conn.execute(
            text(_NEAR_DUPLICATES),
            {
                "layer": layer.id,
                "self": self_id,
                "lon": point.lon,
                "lat": point.lat,
                "distance": layer.duplicate_radius_m,
                "box": box_degrees(layer.duplicate_radius_m),
                "name_attr": layer.name_attribute,
            },
        ).all()
        decided = duplicate_pairs(conn, [(name_text, str(d[1]), float(d[2])) for d in near])
        duplicates = [d for d, (duplicate, _) in zip(near, decided, strict=True) if duplicate]
        if duplicates:
            raise Conflict(
                "edit.near_duplicate",
                name=duplicates[0][1],
                other=duplicates[0][0],
                distance=duplicates[0][2],
            ).with_extra(
                duplicates=[
                    {"id": d[0], "name": d[1], "distance_m": round(d[2], 1)} for d in duplicates
                ],
                confirm="allow_duplicate=true",
            )
    return str(code)


# -- writes --------------------------------------------------------------------------------------


def _feature(conn: Connection, layer: LayerDef, principal: Principal, feature_id: int) -> str:
    collection = features.FeatureCollection(layer.id, "facilities", layer=layer)
    return features.item(conn, collection, str(feature_id), principal.viewer())


_INSERT = """
INSERT INTO facility (layer_id, geom, attributes, kelurahan_code, status, created_by, updated_by)
VALUES (:layer, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), CAST(:attributes AS jsonb),
        :kelurahan, 'draft', :user, :user)
RETURNING id, version
"""


def create(
    conn: Connection,
    layer: LayerDef,
    principal: Principal,
    point: PointFeature,
    *,
    allow_duplicate: bool = False,
) -> Written:
    """A new draft point (the caller commits)."""
    attributes = _validate(layer, point)
    code = _place(
        conn, layer, principal, point, attributes, self_id=0, allow_duplicate=allow_duplicate
    )
    new_id, version = conn.execute(
        text(_INSERT),
        {
            "layer": layer.id,
            "lon": point.lon,
            "lat": point.lat,
            "attributes": json.dumps(attributes, ensure_ascii=False),
            "kelurahan": code,
            "user": principal.username,
        },
    ).one()
    return Written(
        new_id,
        version,
        _feature(conn, layer, principal, new_id),
        [(point.lon, point.lat)],
    )


_UPDATE = """
UPDATE facility
   SET geom = ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), attributes = CAST(:attributes AS jsonb),
       kelurahan_code = :kelurahan, status = 'draft', rejection_reason = NULL, updated_by = :user
 WHERE id = :id
RETURNING version
"""


def replace(
    conn: Connection,
    layer: LayerDef,
    principal: Principal,
    feature_id: str,
    expected_version: int,
    point: PointFeature,
    *,
    allow_duplicate: bool = False,
) -> Written:
    """PUT: the point's position and attributes replaced; it becomes a draft again."""
    current = _lock(conn, layer, principal, feature_id)
    _require_edit(principal, current.kelurahan_code)
    _require_version(current, expected_version)
    return _rewrite(conn, layer, principal, current, point, allow_duplicate)


def patch(
    conn: Connection,
    layer: LayerDef,
    principal: Principal,
    feature_id: str,
    expected_version: int,
    changes: Any,
    *,
    allow_duplicate: bool = False,
) -> Written:
    """PATCH: a JSON merge patch (RFC 7396) of the GeoJSON feature, then as :func:`replace`."""
    if not isinstance(changes, dict):
        raise BadRequest("edit.not_object", type=type(changes).__name__)
    current = _lock(conn, layer, principal, feature_id)
    _require_edit(principal, current.kelurahan_code)
    _require_version(current, expected_version)
    target = PointFeature(current.lon, current.lat, current.attributes).as_geojson()
    point = parse_feature(merge_patch(target, changes))
    return _rewrite(conn, layer, principal, current, point, allow_duplicate)


def _rewrite(
    conn: Connection,
    layer: LayerDef,
    principal: Principal,
    current: _Current,
    point: PointFeature,
    allow_duplicate: bool,
) -> Written:
    attributes = _validate(layer, point)
    code = _place(
        conn,
        layer,
        principal,
        point,
        attributes,
        self_id=current.id,
        allow_duplicate=allow_duplicate,
    )
    version = conn.execute(
        text(_UPDATE),
        {
            "id": current.id,
            "lon": point.lon,
            "lat": point.lat,
            "attributes": json.dumps(attributes, ensure_ascii=False),
            "kelurahan": code,
            "user": principal.username,
        },
    ).scalar()
    return Written(
        current.id,
        current.version if version is None else int(version),  # None: nothing changed
        _feature(conn, layer, principal, current.id),
        [(current.lon, current.lat), (point.lon, point.lat)],
    )


def delete(
    conn: Connection, layer: LayerDef, principal: Principal, feature_id: str, expected_version: int
) -> Written:
    """Soft delete: gone from every view, kept in history, restorable by an admin."""
    current = _lock(conn, layer, principal, feature_id)
    _require_edit(principal, current.kelurahan_code)
    _require_version(current, expected_version)
    version = _set_deleted(conn, current, principal, True)
    return Written(current.id, version, None, [(current.lon, current.lat)])


def restore(
    conn: Connection, layer: LayerDef, principal: Principal, feature_id: str, expected_version: int
) -> Written:
    """Undo a soft delete (admins)."""
    _require_review(principal)
    current = _lock(conn, layer, principal, feature_id, deleted=True)
    _require_version(current, expected_version)
    version = _set_deleted(conn, current, principal, False)
    return Written(
        current.id,
        version,
        _feature(conn, layer, principal, current.id),
        [(current.lon, current.lat)],
    )


def _set_deleted(conn: Connection, current: _Current, principal: Principal, deleted: bool) -> int:
    return int(
        conn.execute(
            text(
                "UPDATE facility SET deleted_at = CASE WHEN :deleted THEN now() END,"
                " deleted_by = CASE WHEN :deleted THEN :user END, updated_by = :user"
                " WHERE id = :id RETURNING version"
            ),
            {"id": current.id, "user": principal.username, "deleted": deleted},
        ).scalar_one()
    )


#: Verification steps: the statuses each may start from, and the status it leads to.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("draft", "rejected"), "submitted"),
    "verify": (("submitted",), "verified"),
    "reject": (("submitted",), "rejected"),
}


def transition(
    conn: Connection,
    layer: LayerDef,
    principal: Principal,
    feature_id: str,
    expected_version: int,
    step: str,
    reason: str | None = None,
) -> Written:
    """Submit (the point's editors), verify or reject with a reason (admins)."""
    current = _lock(conn, layer, principal, feature_id)
    if step == "submit":
        _require_edit(principal, current.kelurahan_code)
    else:
        _require_review(principal)
    _require_version(current, expected_version)
    sources, target = TRANSITIONS[step]
    if current.status not in sources:
        raise Conflict(
            "edit.transition",
            step=step,
            status=current.status,
            allowed=", ".join(sources),
        )
    if step == "reject":
        reason = (reason or "").strip()
        if not reason:
            raise InvalidFields([FieldProblem("reason", "edit.reason_missing")])
        if has_control_characters(reason):
            raise InvalidFields([FieldProblem("reason", "attr.control")])
        if len(reason) > MAX_REASON_LENGTH:
            raise InvalidFields(
                [FieldProblem("reason", "attr.max_length", {"limit": MAX_REASON_LENGTH})]
            )
    version = conn.execute(
        text(
            "UPDATE facility SET status = :status, rejection_reason = :reason, updated_by = :user"
            " WHERE id = :id RETURNING version"
        ),
        {
            "id": current.id,
            "status": target,
            "reason": reason if step == "reject" else None,
            "user": principal.username,
        },
    ).scalar_one()
    return Written(
        current.id,
        int(version),
        _feature(conn, layer, principal, current.id),
        [(current.lon, current.lat)],
    )


# -- history -------------------------------------------------------------------------------------


def _changes(previous: Mapping[str, Any] | None, attributes: Mapping[str, Any]) -> list[Any]:
    if previous is None:
        return []
    return [
        {"property": k, "old": previous.get(k), "new": attributes.get(k)}
        for k in sorted({*previous, *attributes})
        if previous.get(k) != attributes.get(k)
    ]


def _versions(
    conn: Connection,
    *,
    facility_id: int | None = None,
    kelurahan: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    rows = conn.execute(
        text(load_sql("facility_history.sql")),
        {"facility_id": facility_id, "kelurahan": kelurahan, "since": since, "until": until},
    ).mappings()
    return [
        {
            "id": r["facility_id"],
            "collection": r["layer_id"],
            "version": r["version"],
            "operation": r["operation"],
            "changed_at": r["changed_at"].isoformat(timespec="seconds"),
            "changed_by": r["changed_by"],
            "status": r["status"],
            "rejection_reason": r["rejection_reason"],
            "kelurahan": r["kelurahan_code"],
            "previous_kelurahan": r["previous_kelurahan"],
            "geometry": {"type": "Point", "coordinates": [round(r["lon"], 7), round(r["lat"], 7)]},
            "moved_m": None if r["moved_m"] is None else round(r["moved_m"], 1),
            "properties": r["attributes"],
            "changes": _changes(r["previous_attributes"], r["attributes"]),
        }
        for r in rows
    ]


def history(
    conn: Connection, layer: LayerDef, principal: Principal, feature_id: str
) -> list[dict[str, Any]]:
    """Every version of a point (deleted ones too), oldest first, with what each changed."""
    fid = features.point_id(layer.id, feature_id)
    row = conn.execute(
        text("SELECT kelurahan_code FROM facility WHERE id = :id AND layer_id = :layer"),
        {"id": fid, "layer": layer.id},
    ).first()
    if row is None:
        raise NotFound("features.item_not_found", collection=layer.id, item=feature_id)
    if not principal.may_read_internal(row[0]):
        raise Forbidden("edit.history_not_yours", kelurahan=row[0], role=principal.role)
    return _versions(conn, facility_id=fid)


CHANGE_LOG_COLUMNS = (
    "changed_at",
    "collection",
    "id",
    "version",
    "operation",
    "changed_by",
    "status",
    "rejection_reason",
    "kelurahan",
    "moved_m",
    "changes",
    "lon",
    "lat",
)


def change_log(
    conn: Connection,
    principal: Principal,
    kelurahan: str,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """Every change of a kelurahan's points between ``since`` and ``until`` (points that moved
    out included), for accountability reports."""
    exists = conn.execute(
        text("SELECT 1 FROM admin_area WHERE level = 4 AND code = :c"), {"c": kelurahan}
    ).first()
    if exists is None:
        raise NotFound("edit.kelurahan_not_found", kelurahan=kelurahan)
    if not principal.may_read_internal(kelurahan):
        raise Forbidden("edit.history_not_yours", kelurahan=kelurahan, role=principal.role)
    return _versions(conn, kelurahan=kelurahan, since=since, until=until)


def change_log_rows(versions: list[dict[str, Any]], lang: str) -> tuple[list[str], list[list[Any]]]:
    """The change log as a table: localized header, one row per version."""
    header = [t(f"changelog.{c}", lang) for c in CHANGE_LOG_COLUMNS]
    rows = []
    for v in versions:
        changes = "; ".join(
            f"{c['property']}: {_text(c['old'])} -> {_text(c['new'])}" for c in v["changes"]
        )
        lon, lat = v["geometry"]["coordinates"]
        rows.append(
            [
                v["changed_at"],
                v["collection"],
                v["id"],
                v["version"],
                t(f"operation.{v['operation']}", lang),
                v["changed_by"],
                v["status"],
                v["rejection_reason"] or "",
                v["kelurahan"],
                "" if v["moved_m"] is None else v["moved_m"],
                changes,
                lon,
                lat,
            ]
        )
    return header, rows


def _text(value: Any) -> str:
    return "-" if value is None else str(value)


# -- the verification queue ----------------------------------------------------------------------

_SUBMITTED = """
SELECT f.kelurahan_code, a.name, f.layer_id, f.id, f.version, f.attributes, f.updated_at,
       f.updated_by, ST_X(f.geom), ST_Y(f.geom),
       v.attributes, ST_X(v.geom), ST_Y(v.geom),
       ST_Distance(v.geom::geography, f.geom::geography), v.changed_at, v.changed_by
  FROM facility f JOIN admin_area a ON a.code = f.kelurahan_code
  -- the version the public sees now (the last verified one), to show what changed since
  LEFT JOIN LATERAL (
        SELECT h.attributes, h.geom, h.changed_at, h.changed_by
          FROM facility_history h
         WHERE h.facility_id = f.id AND h.status = 'verified' AND h.version < f.version
         ORDER BY h.version DESC
         LIMIT 1) v ON true
 WHERE f.status = 'submitted' AND f.deleted_at IS NULL
   AND f.kelurahan_code LIKE :prefix
   AND (:all OR f.kelurahan_code = ANY(CAST(:mine AS text[])))
 ORDER BY f.kelurahan_code, f.updated_at, f.id
"""


def submissions(
    conn: Connection, catalog: Catalog, principal: Principal, kode: str | None = None
) -> list[dict[str, Any]]:
    """Points waiting for verification, per kelurahan (all for admins and planners, their own
    for a PIC), oldest submission first: what the walidata works through."""
    rows = conn.execute(
        text(_SUBMITTED),
        {
            "prefix": features.like_prefix(kode or ""),
            "all": principal.role in ("admin", "planner"),
            "mine": sorted(principal.kelurahan),
        },
    ).all()
    queue: dict[str, dict[str, Any]] = {}
    for row in rows:
        code, name, layer_id, fid, version, attributes, at, by, lon, lat = row[:10]
        published, old_lon, old_lat, moved, verified_at, verified_by = row[10:]
        layer = catalog.get(layer_id)
        entry = queue.setdefault(code, {"kelurahan": code, "name": name, "points": []})
        entry["points"].append(
            {
                "collection": layer_id,
                "id": fid,
                "etag": etag(version),
                "name": attributes.get(layer.name_attribute) if layer else None,
                "submitted_at": at.isoformat(timespec="seconds"),
                "submitted_by": by,
                "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
                "properties": attributes,
                # against the published version: None when the point was never published
                "published": None
                if published is None
                else {
                    "verified_at": verified_at.isoformat(timespec="seconds"),
                    "verified_by": verified_by,
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(old_lon, 7), round(old_lat, 7)],
                    },
                    "moved_m": round(moved, 1),
                    "changes": _changes(published, attributes),
                },
            }
        )
    return list(queue.values())


# -- the review queue of imports -----------------------------------------------------------------

_REVIEW_ITEMS = """
SELECT r.id, r.kind, r.layer_id, r.kelurahan_code, a.name, r.facility_id,
       f.attributes, r.other_id, o.attributes, r.distance_m, r.source,
       r.created_by, r.created_at
  FROM review_item r
  JOIN facility f ON f.id = r.facility_id
  LEFT JOIN facility o ON o.id = r.other_id
  JOIN admin_area a ON a.code = r.kelurahan_code
 WHERE r.resolved_at IS NULL AND f.deleted_at IS NULL
   AND r.kelurahan_code LIKE :prefix
   AND (:all OR r.kelurahan_code = ANY(CAST(:mine AS text[])))
 ORDER BY r.created_at, r.id
"""


def review_queue(
    conn: Connection, catalog: Catalog, principal: Principal, kode: str | None = None
) -> list[dict[str, Any]]:
    """Open review items, oldest first: what an import left for the walidata to decide (a PIC
    sees those of their own kelurahan)."""
    rows = conn.execute(
        text(_REVIEW_ITEMS),
        {
            "prefix": features.like_prefix(kode or ""),
            "all": principal.role in ("admin", "planner"),
            "mine": sorted(principal.kelurahan),
        },
    ).all()
    items = []
    for (
        rid,
        kind,
        layer_id,
        code,
        name,
        fid,
        attrs,
        other_id,
        other_attrs,
        distance,
        source,
        by,
        at,
    ) in rows:
        layer = catalog.get(layer_id)
        name_attr = layer.name_attribute if layer else "nama"
        items.append(
            {
                "id": rid,
                "kind": kind,
                "collection": layer_id,
                "kelurahan": code,
                "kelurahan_name": name,
                "point": {"id": fid, "name": attrs.get(name_attr)},
                "other": {
                    "id": other_id,
                    "name": (other_attrs or {}).get(name_attr),
                },
                "distance_m": None if distance is None else round(distance, 1),
                "source": source,
                "created_by": by,
                "created_at": at.isoformat(timespec="seconds"),
            }
        )
    return items
