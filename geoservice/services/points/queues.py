"""What waits for the walidata: points submitted for verification, and imported points
waiting for review."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from geoservice.catalog import Catalog
from geoservice.services import features
from geoservice.services.auth import Principal
from geoservice.services.points.history import attribute_changes
from geoservice.services.points.payload import etag

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
                    "changes": attribute_changes(published, attributes),
                },
            }
        )
    return list(queue.values())


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
