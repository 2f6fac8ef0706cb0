"""What waits for the walidata: points submitted for verification, and imported points
waiting for review."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select, true
from sqlalchemy.orm import QueryableAttribute, aliased

from geoservice.catalog import Catalog
from geoservice.db import any_of, geography
from geoservice.db.models import AdminArea, Facility, FacilityHistory, ReviewItem
from geoservice.services import features
from geoservice.services.auth import Principal
from geoservice.services.points.history import attribute_changes
from geoservice.services.points.payload import etag


def _visible(code: QueryableAttribute[str], principal: Principal, kode: str | None) -> list[Any]:
    """Within ``kode`` (everywhere when None), and the PIC's own kelurahan only."""
    where: list[Any] = [code.like(features.like_prefix(kode or ""))]
    if principal.role not in ("admin", "planner"):
        where.append(code == any_of(sorted(principal.kelurahan)))
    return where


def _submitted(principal: Principal, kode: str | None) -> Any:
    f, h = Facility, FacilityHistory
    # the version the public sees now (the last verified one), to show what changed since
    published = (
        select(h.attributes, h.geom, h.changed_at, h.changed_by)
        .where(h.facility_id == f.id, h.status == "verified", h.version < f.version)
        .order_by(h.version.desc())
        .limit(1)
        .lateral("v")
    )
    v = published.c
    return (
        select(
            f.kelurahan_code,
            AdminArea.name,
            f.layer_id,
            f.id,
            f.version,
            f.attributes,
            f.updated_at,
            f.updated_by,
            func.ST_X(f.geom),
            func.ST_Y(f.geom),
            v.attributes,
            func.ST_X(v.geom),
            func.ST_Y(v.geom),
            func.ST_Distance(geography(v.geom), geography(f.geom)),
            v.changed_at,
            v.changed_by,
        )
        .join(AdminArea, AdminArea.code == f.kelurahan_code)
        .outerjoin(published, true())
        .where(
            f.status == "submitted",
            f.deleted_at.is_(None),
            *_visible(f.kelurahan_code, principal, kode),
        )
        .order_by(f.kelurahan_code, f.updated_at, f.id)
    )


def submissions(
    conn: Connection, catalog: Catalog, principal: Principal, kode: str | None = None
) -> list[dict[str, Any]]:
    """Points waiting for verification, per kelurahan (all for admins and planners, their own
    for a PIC), oldest submission first: what the walidata works through."""
    rows = conn.execute(_submitted(principal, kode)).all()
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
                    "changes": attribute_changes(published, attributes),
                },
            }
        )
    return list(queue.values())


def _review_items(principal: Principal, kode: str | None) -> Any:
    r, f, o = ReviewItem, Facility, aliased(Facility)
    return (
        select(
            r.id,
            r.kind,
            r.layer_id,
            r.kelurahan_code,
            AdminArea.name,
            r.facility_id,
            f.attributes,
            r.other_id,
            o.attributes,
            r.distance_m,
            r.source,
            r.created_by,
            r.created_at,
        )
        .join(f, f.id == r.facility_id)
        .outerjoin(o, o.id == r.other_id)
        .join(AdminArea, AdminArea.code == r.kelurahan_code)
        .where(
            r.resolved_at.is_(None),
            f.deleted_at.is_(None),
            *_visible(r.kelurahan_code, principal, kode),
        )
        .order_by(r.created_at, r.id)
    )


def review_queue(
    conn: Connection, catalog: Catalog, principal: Principal, kode: str | None = None
) -> list[dict[str, Any]]:
    """Open review items, oldest first: what an import left for the walidata to decide (a PIC
    sees those of their own kelurahan)."""
    rows = conn.execute(_review_items(principal, kode)).all()
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
