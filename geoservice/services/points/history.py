"""What happened to points: the versions of one point and the change log of a kelurahan (or
of all), as JSON and as a table for CSV/XLSX."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from geoservice.catalog import LayerDef
from geoservice.db import statement
from geoservice.db.models import AdminArea, Facility
from geoservice.errors import Forbidden, NotFound
from geoservice.i18n import t
from geoservice.i18n.editing import CHANGE_LOG_HEADERS, OPERATIONS
from geoservice.services import features
from geoservice.services.auth import Principal


def attribute_changes(
    previous: Mapping[str, Any] | None, attributes: Mapping[str, Any]
) -> list[Any]:
    """Each attribute that differs between ``previous`` and ``attributes``, old and new (none
    for a first version)."""
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
        statement("points/facility_history.sql"),
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
            "changes": attribute_changes(r["previous_attributes"], r["attributes"]),
        }
        for r in rows
    ]


def history(
    conn: Connection, layer: LayerDef, principal: Principal, feature_id: str
) -> list[dict[str, Any]]:
    """Every version of a point (deleted ones too), oldest first, with what each changed."""
    fid = features.point_id(layer.id, feature_id)
    row = conn.execute(
        select(Facility.kelurahan_code).where(Facility.id == fid, Facility.layer_id == layer.id)
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
        select(AdminArea.code).where(AdminArea.level == 4, AdminArea.code == kelurahan)
    ).first()
    if exists is None:
        raise NotFound("edit.kelurahan_not_found", kelurahan=kelurahan)
    if not principal.may_read_internal(kelurahan):
        raise Forbidden("edit.history_not_yours", kelurahan=kelurahan, role=principal.role)
    return _versions(conn, kelurahan=kelurahan, since=since, until=until)


def change_log_rows(versions: list[dict[str, Any]], lang: str) -> tuple[list[str], list[list[Any]]]:
    """The change log as a table: localized header, one row per version."""
    header = [t(CHANGE_LOG_HEADERS[c], lang) for c in CHANGE_LOG_COLUMNS]
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
                t(OPERATIONS[v["operation"]], lang),
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
