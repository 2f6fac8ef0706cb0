"""Importing facility points of one layer from CSV, XLSX or GIS files.

Each row is checked in Python (coordinates, attributes against the layer schema) and then by
PostGIS: the kelurahan the point falls in, the layer's ``name_matches_kelurahan`` rule
(:mod:`~geoservice.services.place_names`), near-duplicates within the layer's radius
(:mod:`~geoservice.services.points.rules`) against the database and within the file, keys that
must be unique in a kelurahan (RT/RW for ``rt``) and per-kelurahan limits (one kantor
kelurahan, where competing rows are decided by their names). Near-duplicates of stored points
are loaded and queued for the walidata's review (``review_item``) rather than rejected. With
``id_column`` the source's own ids are kept on the points, and a re-import updates them. The
kelurahan code is never read from the input: the database trigger computes it on insert.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text

from geoservice.catalog import LayerDef
from geoservice.services.imports.facility_checks import Checked, check_in_database
from geoservice.services.imports.facility_rows import check_rows, read_source
from geoservice.services.imports.reports import ImportReport

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FacilityOptions:
    """Choices of one ``geoservice import facilities`` command."""

    lat_column: str | None = None
    lon_column: str | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    crs: str | None = None
    #: let ``crs`` override the CRS the file declares
    force_crs: bool = False
    layer: str | None = None
    sheet: str | None = None
    status: str = "draft"
    user: str = "import"
    is_sample: bool = False
    allow_duplicates: bool = False
    skip_bad_rows: bool = False
    #: column holding the source's own id of each point: a re-import updates those points
    id_column: str | None = None


def import_facilities(
    engine: Engine,
    layer: LayerDef,
    path: Path,
    options: FacilityOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check and load the points of ``path`` into ``layer``; returns the row-by-row report."""
    options = options or FacilityOptions()
    progress = progress or (lambda _stage, _done, _total: None)
    progress(f"read {path.name}", 0, 1)
    source = read_source(path, options)
    report = ImportReport(
        source=path.name, kind="facilities", rows=len(source.frame), notes=source.notes
    )
    if source.frame.empty:
        report.add(None, "import.no_rows")
        return report
    candidates = check_rows(source, layer, options, report)
    progress("check", 1, 2)
    with engine.begin() as conn:
        kept = check_in_database(conn, layer, candidates, options, report)
        report.sort()
        if report.rejected and not options.skip_bad_rows:
            return report
        progress("write", 0, len(kept))
        _write(conn, layer, kept, options, report)
        report.written = True
    progress("write", len(kept), len(kept))
    return report


_INSERT = """
INSERT INTO facility (id, layer_id, geom, attributes, status, is_sample, created_by, updated_by,
                      external_id)
SELECT id, :layer, ST_SetSRID(ST_MakePoint(lon, lat), 4326), CAST(attrs AS jsonb), :status,
       :is_sample, :user, :user, external_id
  FROM unnest(CAST(:ids AS bigint[]), CAST(:lons AS float8[]), CAST(:lats AS float8[]),
              CAST(:attrs AS text[]), CAST(:external_ids AS text[]))
       AS t(id, lon, lat, attrs, external_id)
"""

# A corrected file updates the points it loaded before (matched by external id): a new version
# in their history when position or attributes changed; they become drafts again (as after an
# edit) unless --status says otherwise.
_UPDATE_BY_EXTERNAL_ID = """
WITH incoming AS (
    SELECT * FROM unnest(CAST(:external_ids AS text[]), CAST(:lons AS float8[]),
                         CAST(:lats AS float8[]), CAST(:attrs AS text[]))
             AS t(external_id, lon, lat, attrs)
)
UPDATE facility f
   SET geom = ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326), attributes = CAST(i.attrs AS jsonb),
       status = :status, rejection_reason = NULL, updated_by = :user
  FROM incoming i
 WHERE f.layer_id = :layer AND f.deleted_at IS NULL AND f.external_id = i.external_id
   AND (NOT ST_Equals(f.geom, ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326))
        OR f.attributes <> CAST(i.attrs AS jsonb))
RETURNING f.external_id
"""

_REVIEW = """
INSERT INTO review_item (kind, layer_id, facility_id, other_id, kelurahan_code, distance_m,
                         source, created_by)
SELECT 'near_duplicate', :layer, facility_id, other_id, kelurahan_code, distance_m, :source,
       :user
  FROM unnest(CAST(:facility_ids AS bigint[]), CAST(:other_ids AS bigint[]),
              CAST(:codes AS text[]), CAST(:distances AS float8[]))
       AS r(facility_id, other_id, kelurahan_code, distance_m)
"""


def _write(
    conn: Connection,
    layer: LayerDef,
    kept: list[Checked],
    options: FacilityOptions,
    report: ImportReport,
) -> None:
    """Insert the new points, update those known by external id, queue the reviews."""
    if not kept:
        return
    known: set[str] = set()
    external_ids = [k.candidate.external_id for k in kept if k.candidate.external_id]
    if external_ids:
        known = set(
            conn.execute(
                text(
                    "SELECT external_id FROM facility WHERE layer_id = :layer "
                    "AND deleted_at IS NULL AND external_id = ANY(:ids)"
                ),
                {"layer": layer.id, "ids": external_ids},
            ).scalars()
        )
    updates = [k for k in kept if k.candidate.external_id in known]
    inserts = [k for k in kept if k.candidate.external_id not in known]
    if updates:
        changed = conn.execute(
            text(_UPDATE_BY_EXTERNAL_ID),
            {
                "layer": layer.id,
                "status": options.status,
                "user": options.user,
                "external_ids": [k.candidate.external_id for k in updates],
                "lons": [k.candidate.lon for k in updates],
                "lats": [k.candidate.lat for k in updates],
                "attrs": [_json(k.candidate.attributes) for k in updates],
            },
        ).all()
        report.updated = len(changed)
        report.unchanged = len(updates) - len(changed)
    if not inserts:
        return
    ids = (
        conn.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence('facility', 'id')) "
                "FROM generate_series(1, :n)"
            ),
            {"n": len(inserts)},
        )
        .scalars()
        .all()
    )
    conn.execute(
        text(_INSERT),
        {
            "layer": layer.id,
            "status": options.status,
            "is_sample": options.is_sample,
            "user": options.user,
            "ids": ids,
            "lons": [k.candidate.lon for k in inserts],
            "lats": [k.candidate.lat for k in inserts],
            "attrs": [_json(k.candidate.attributes) for k in inserts],
            "external_ids": [k.candidate.external_id for k in inserts],
        },
    )
    report.inserted = len(inserts)
    reviews = [
        (new_id, other, k.kelurahan, distance)
        for new_id, k in zip(ids, inserts, strict=True)
        for other, distance in k.review
    ]
    if reviews:
        conn.execute(
            text(_REVIEW),
            {
                "layer": layer.id,
                "source": report.source,
                "user": options.user,
                "facility_ids": [r[0] for r in reviews],
                "other_ids": [r[1] for r in reviews],
                "codes": [r[2] for r in reviews],
                "distances": [r[3] for r in reviews],
            },
        )
        report.reviews = len(reviews)


def _json(attributes: dict[str, Any]) -> str:
    return json.dumps(attributes, ensure_ascii=False)
