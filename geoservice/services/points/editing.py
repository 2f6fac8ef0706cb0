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

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from geoservice.catalog import LayerDef
from geoservice.db import lonlat_point
from geoservice.db.models import Facility
from geoservice.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
)
from geoservice.services import features
from geoservice.services.auth import Principal
from geoservice.services.points.checks import place, validate
from geoservice.services.points.payload import (
    PointFeature,
    etag,
    merge_patch,
    parse_feature,
    rejection_reason,
)

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


_LOCK = select(
    Facility.id,
    Facility.version,
    Facility.kelurahan_code,
    Facility.status,
    Facility.deleted_at.is_not(None),
    func.ST_X(Facility.geom),
    func.ST_Y(Facility.geom),
    Facility.attributes,
).with_for_update()


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
        _LOCK.where(
            Facility.id == features.point_id(layer.id, feature_id), Facility.layer_id == layer.id
        )
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


# -- writes --------------------------------------------------------------------------------------


def _feature(conn: Connection, layer: LayerDef, principal: Principal, feature_id: int) -> str:
    collection = features.FeatureCollection(layer.id, "facilities", layer=layer)
    return features.item(conn, collection, str(feature_id), principal.viewer())


def create(
    conn: Connection,
    layer: LayerDef,
    principal: Principal,
    point: PointFeature,
    *,
    allow_duplicate: bool = False,
) -> Written:
    """A new draft point (the caller commits)."""
    attributes = validate(layer, point)
    code = place(
        conn, layer, principal, point, attributes, self_id=0, allow_duplicate=allow_duplicate
    )
    new_id, version = conn.execute(
        insert(Facility)
        .values(
            layer_id=layer.id,
            geom=lonlat_point(point.lon, point.lat),
            attributes=attributes,
            kelurahan_code=code,
            status="draft",
            created_by=principal.username,
            updated_by=principal.username,
        )
        .returning(Facility.id, Facility.version)
    ).one()
    return Written(
        new_id,
        version,
        _feature(conn, layer, principal, new_id),
        [(point.lon, point.lat)],
    )


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
    attributes = validate(layer, point)
    code = place(
        conn,
        layer,
        principal,
        point,
        attributes,
        self_id=current.id,
        allow_duplicate=allow_duplicate,
    )
    version = conn.execute(
        update(Facility)
        .where(Facility.id == current.id)
        .values(
            geom=lonlat_point(point.lon, point.lat),
            attributes=attributes,
            kelurahan_code=code,
            status="draft",
            rejection_reason=None,
            updated_by=principal.username,
        )
        .returning(Facility.version)
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
            update(Facility)
            .where(Facility.id == current.id)
            .values(
                deleted_at=func.now() if deleted else None,
                deleted_by=principal.username if deleted else None,
                updated_by=principal.username,
            )
            .returning(Facility.version)
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
        reason = rejection_reason(reason)
    version = conn.execute(
        update(Facility)
        .where(Facility.id == current.id)
        .values(
            status=target,
            rejection_reason=reason if step == "reject" else None,
            updated_by=principal.username,
        )
        .returning(Facility.version)
    ).scalar_one()
    return Written(
        current.id,
        int(version),
        _feature(conn, layer, principal, current.id),
        [(current.lon, current.lat)],
    )
