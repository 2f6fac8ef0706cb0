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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Double,
    Engine,
    Text,
    cast,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB

from geoservice.catalog import LayerDef
from geoservice.db import any_of, lonlat_point, unnest_rows
from geoservice.db.models import Facility, ReviewItem
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


def _insert(
    layer: LayerDef, options: FacilityOptions, ids: Sequence[int], rows: list[Checked]
) -> Any:
    t = unnest_rows(
        "t",
        id=(ids, BigInteger()),
        lon=([k.candidate.lon for k in rows], Double()),
        lat=([k.candidate.lat for k in rows], Double()),
        attrs=([_json(k.candidate.attributes) for k in rows], Text()),
        external_id=([k.candidate.external_id for k in rows], Text()),
    )
    columns = ("id", "layer_id", "geom", "attributes", "status", "is_sample")
    return insert(Facility).from_select(
        [*columns, "created_by", "updated_by", "external_id"],
        select(
            t.c.id,
            literal(layer.id),
            lonlat_point(t.c.lon, t.c.lat),
            cast(t.c.attrs, JSONB),
            literal(options.status),
            literal(options.is_sample),
            literal(options.user, Text()),
            literal(options.user, Text()),
            t.c.external_id,
        ),
    )


def _update_by_external_id(layer: LayerDef, options: FacilityOptions, rows: list[Checked]) -> Any:
    """A corrected file updates the points it loaded before (matched by external id): a new
    version in their history when position or attributes changed; they become drafts again
    (as after an edit) unless --status says otherwise."""
    i = unnest_rows(
        "i",
        external_id=([k.candidate.external_id for k in rows], Text()),
        lon=([k.candidate.lon for k in rows], Double()),
        lat=([k.candidate.lat for k in rows], Double()),
        attrs=([_json(k.candidate.attributes) for k in rows], Text()),
    )
    here, attributes = lonlat_point(i.c.lon, i.c.lat), cast(i.c.attrs, JSONB)
    return (
        update(Facility)
        .where(
            Facility.layer_id == layer.id,
            Facility.deleted_at.is_(None),
            Facility.external_id == i.c.external_id,
            or_(~func.ST_Equals(Facility.geom, here), Facility.attributes != attributes),
        )
        .values(
            geom=here,
            attributes=attributes,
            status=options.status,
            rejection_reason=None,
            updated_by=options.user,
        )
        .returning(Facility.external_id)
    )


def _reviews(
    layer: LayerDef, options: FacilityOptions, source: str, reviews: list[tuple[Any, ...]]
) -> Any:
    r = unnest_rows(
        "r",
        facility_id=([r[0] for r in reviews], BigInteger()),
        other_id=([r[1] for r in reviews], BigInteger()),
        kelurahan_code=([r[2] for r in reviews], Text()),
        distance_m=([r[3] for r in reviews], Double()),
    )
    return insert(ReviewItem).from_select(
        ["kind", "layer_id", "facility_id", "other_id", "kelurahan_code", "distance_m"]
        + ["source", "created_by"],
        select(
            literal("near_duplicate"),
            literal(layer.id),
            r.c.facility_id,
            r.c.other_id,
            r.c.kelurahan_code,
            r.c.distance_m,
            literal(source, Text()),
            literal(options.user, Text()),
        ),
    )


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
    known: set[str | None] = set()
    external_ids = [k.candidate.external_id for k in kept if k.candidate.external_id]
    if external_ids:
        known = set(
            conn.execute(
                select(Facility.external_id).where(
                    Facility.layer_id == layer.id,
                    Facility.deleted_at.is_(None),
                    Facility.external_id == any_of(external_ids),
                )
            ).scalars()
        )
    updates = [k for k in kept if k.candidate.external_id in known]
    inserts = [k for k in kept if k.candidate.external_id not in known]
    if updates:
        changed = conn.execute(_update_by_external_id(layer, options, updates)).all()
        report.updated = len(changed)
        report.unchanged = len(updates) - len(changed)
    if not inserts:
        return
    ids = (
        conn.execute(
            select(func.nextval(func.pg_get_serial_sequence("facility", "id"))).select_from(
                func.generate_series(1, len(inserts))
            )
        )
        .scalars()
        .all()
    )
    conn.execute(_insert(layer, options, ids, inserts))
    report.inserted = len(inserts)
    reviews = [
        (new_id, other, k.kelurahan, distance)
        for new_id, k in zip(ids, inserts, strict=True)
        for other, distance in k.review
    ]
    if reviews:
        conn.execute(_reviews(layer, options, report.source, reviews))
        report.reviews = len(reviews)


def _json(attributes: dict[str, Any]) -> str:
    return json.dumps(attributes, ensure_ascii=False)
