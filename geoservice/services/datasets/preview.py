"""The small preview map of a dataset page: what the data looks like, as GeoJSON text built by
PostGIS. Public data only, whoever reads the page (verified points; boundary outlines simplified
for a small map), and at most :data:`LIMIT` features; a dataset without geometry of its own
(an indicator, a profile form) shows the desa/kelurahan outlines of its area."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, literal, select

from geoservice.codes import CODE_LENGTH
from geoservice.db.models import AdminArea, Facility
from geoservice.services.collections import BOUNDARY_COLLECTIONS
from geoservice.services.datasets.metadata import Dataset

#: features on the preview map
LIMIT = 1000
#: tolerance of the outlines' simplification, in degrees (about 50 m)
SIMPLIFY = 0.0005


def preview_geojson(conn: Connection, dataset: Dataset, name_attribute: str | None) -> str | None:
    """A FeatureCollection's text (each feature: geometry and ``nama``), or None when there is
    nothing to draw."""
    scope = dataset.metadata.cakupan_wilayah or ""
    if dataset.kind == "layer":
        name = Facility.attributes[name_attribute].astext if name_attribute else literal(None)
        statement = (
            select(func.ST_AsGeoJSON(Facility.geom, 6).label("g"), name.label("nama"))
            .where(
                Facility.layer_id == dataset.key,
                Facility.status == "verified",
                Facility.deleted_at.is_(None),
                Facility.kelurahan_code.startswith(scope, autoescape=True),
            )
            .order_by(Facility.id)
            .limit(LIMIT)
        )
    else:
        level = BOUNDARY_COLLECTIONS[dataset.key][0] if dataset.kind == "boundary" else 4
        prefix = scope[: CODE_LENGTH[level]]
        outline = func.ST_SimplifyPreserveTopology(AdminArea.geom, SIMPLIFY)
        statement = (
            select(func.ST_AsGeoJSON(outline, 6).label("g"), AdminArea.name.label("nama"))
            .where(AdminArea.level == level, AdminArea.code.startswith(prefix, autoescape=True))
            .order_by(AdminArea.code)
            .limit(LIMIT)
        )
    features = [_feature(row) for row in conn.execute(statement)]
    if not features:
        return None
    return '{"type": "FeatureCollection", "features": [' + ", ".join(features) + "]}"


def _feature(row: Any) -> str:
    import json

    props = json.dumps({"nama": row.nama}, ensure_ascii=False)
    return f'{{"type": "Feature", "geometry": {row.g}, "properties": {props}}}'
