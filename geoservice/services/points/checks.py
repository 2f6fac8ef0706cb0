"""The checks a point passes before it is written: attributes against the layer schema,
coordinates inside Indonesia, the desa/kelurahan covering it, per-kelurahan rules, the name rule
and near-duplicates (steps 1 and 3-5 of :mod:`~geoservice.services.points.editing`)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, func, select, true

from geoservice.catalog import LayerDef
from geoservice.db import any_of, geography, lonlat_point
from geoservice.db.models import AdminArea, Facility
from geoservice.errors import (
    Conflict,
    FieldProblem,
    Forbidden,
    InvalidFields,
)
from geoservice.i18n import t
from geoservice.services.auth import Principal
from geoservice.services.place_names import Gazetteers, check_name
from geoservice.services.points.payload import SERVER_PROPERTIES, PointFeature
from geoservice.services.points.rules import box_degrees, coordinate_problem, duplicate_pairs


def validate(layer: LayerDef, point: PointFeature) -> dict[str, Any]:
    """Clean attributes, or InvalidFields listing every problem of the body."""
    problems: list[FieldProblem] = []
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


# The box (``&&``) lets the GiST index find the candidates; the geography distance decides
# which lie within the layer's radius, and points.rules which of them are duplicates.
def _near_duplicates(
    layer: LayerDef, self_id: int, lon: float, lat: float
) -> Select[int, str, float]:
    here = select(lonlat_point(lon, lat).label("geom")).cte("here")
    distance = func.ST_Distance(geography(Facility.geom), geography(here.c.geom))
    return (
        select(Facility.id, Facility.attributes[layer.name_attribute].astext, distance)
        .join(here, true())  # one row: the point
        .where(
            Facility.geom.op("&&")(
                func.ST_Expand(here.c.geom, box_degrees(layer.duplicate_radius_m))
            ),
            Facility.layer_id == layer.id,
            Facility.deleted_at.is_(None),
            Facility.id != self_id,
            func.ST_DWithin(
                geography(Facility.geom), geography(here.c.geom), layer.duplicate_radius_m
            ),
            Facility.attributes.has_key(layer.name_attribute),
        )
        .order_by(distance)
    )


class _NameWarning(Conflict):
    """A name the layer's rule warns about (no place, a former office): 409 until confirmed."""

    def __init__(self, key: str, params: dict[str, Any]):
        super().__init__("edit.name_warning", text="")
        self.warning = (key, params)

    def detail(self, lang: str) -> str:
        """The warning in ``lang``, inside the request to confirm it."""
        key, params = self.warning
        return t("edit.name_warning", lang, text=t(key, lang, **params))


def _others_in(layer: LayerDef, self_id: int, kelurahan: str) -> list[ColumnElement[bool]]:
    """The layer's other live points in the kelurahan."""
    return [
        Facility.layer_id == layer.id,
        Facility.deleted_at.is_(None),
        Facility.id != self_id,
        Facility.kelurahan_code == kelurahan,
    ]


def place(
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
        select(AdminArea.code, AdminArea.name)
        .where(
            AdminArea.level == 4,
            func.ST_Covers(AdminArea.geom, lonlat_point(point.lon, point.lat)),
        )
        .order_by((AdminArea.code == any_of(sorted(principal.kelurahan))).desc(), AdminArea.code)
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
    problems: list[FieldProblem] = []
    key_fields = layer.unique_within_kelurahan
    if key_fields:
        key = {k: attributes[k] for k in key_fields}
        other = conn.execute(
            select(Facility.id)
            .where(*_others_in(layer, self_id, code), Facility.attributes.contains(key))
            .order_by(Facility.id)
            .limit(1)
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
            select(func.count()).select_from(Facility).where(*_others_in(layer, self_id, code))
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
        near = conn.execute(_near_duplicates(layer, self_id, point.lon, point.lat)).all()
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
