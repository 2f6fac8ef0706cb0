"""Importing administrative boundaries (provinsi to desa/kelurahan) from GIS files.

Every row is checked before anything is written: Kemendagri code (format, level, desa/kelurahan
kind), name, geometry type, coordinates inside Indonesia (and a hint when they look like swapped
lat/lon), validity (repaired with ``make_valid`` and reported), duplicates, and that each parent
exists in the database or in the same import (or is derived by dissolving its children). The
checks run vectorized with shapely, so the whole country (83,246 polygons) is checked in seconds.

Then all files of one command are written in one transaction: a binary COPY into a staging table
and one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE IS DISTINCT FROM`` upsert, so a re-import
changes only what changed and a failure leaves the table as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from geoservice.services.imports.boundary_checks import (
    EMPTY,
    LEADING,
    Prepared,
    check_parents,
    dedupe,
    member,
    prepare,
    with_prefix,
)
from geoservice.services.imports.boundary_writer import BoundaryWriter
from geoservice.services.imports.readers import read_vector_batches
from geoservice.services.imports.reports import ImportReport

Progress = Callable[[str, int, int], None]

#: Rows checked and handed to the writer at a time: small enough that writing starts early.
CHUNK_ROWS = 10_000


@dataclass(frozen=True)
class BoundaryOptions:
    """Choices of one ``geoservice import boundaries`` command."""

    level: int | None = None
    code_column: str | None = None
    name_column: str | None = None
    crs: str | None = None
    #: let ``crs`` override the CRS the file declares
    force_crs: bool = False
    layer: str | None = None
    derive_parents: bool = False
    #: let ``derive_parents`` build a provinsi from the kab/kota of the import (its outline is
    #: then only theirs): refused without it
    allow_partial_parents: bool = False
    #: import only the areas whose code starts with this (``31``, ``35.71``)
    kode: str | None = None
    skip_bad_rows: bool = False


def import_boundaries(
    engine: Engine,
    paths: list[Path],
    options: BoundaryOptions | None = None,
    progress: Progress | None = None,
) -> list[ImportReport]:
    """Check and load boundary files; one report per file, all written in one transaction.

    Nothing is committed when any row is rejected, unless ``skip_bad_rows`` is set; a file that
    cannot be read raises :class:`InputError` and nothing is committed either.

    Checking and writing overlap: rows that pass the row checks are COPYed by a background
    thread (PostgreSQL works on its own core) while the next rows are read and checked. Rows
    found bad later (a missing parent, a duplicate in a later file) are taken out again before
    the commit, and when rows are rejected without ``skip_bad_rows`` the transaction is rolled
    back, so the outcome is exactly that of checking everything first.
    """
    options = options or BoundaryOptions()
    progress = progress or (lambda _stage, _done, _total: None)
    prepared: list[Prepared] = []
    seen: dict[str, tuple[ImportReport, int]] = {}
    retracted: set[str] = set()
    with engine.connect() as conn, engine.connect() as lookup:
        transaction = conn.begin()
        writer = BoundaryWriter(conn, lookup)
        try:
            for index, path in enumerate(paths):
                progress(f"read {path.name}", index, len(paths))
                # read in batches: the first is checked and written while the rest is read
                read = read_vector_batches(
                    path,
                    CHUNK_ROWS,
                    layer=options.layer,
                    crs=options.crs,
                    force_crs=options.force_crs,
                )
                report = ImportReport(
                    source=path.name, kind="boundaries", rows=read.rows, notes=read.notes
                )
                frames, offset, selected = [], 0, 0
                for gdf in read.batches:
                    row_numbers = np.arange(offset + 1, offset + len(gdf) + 1)
                    offset += len(gdf)
                    if options.kode:
                        chosen = with_prefix(gdf, options)
                        gdf, row_numbers = gdf[chosen], row_numbers[chosen]
                        selected += len(gdf)
                    if gdf.empty:
                        continue
                    chunk = prepare(gdf, path.name, options, report, rows=row_numbers)
                    frame = dedupe(chunk.frame, report, seen, retracted)
                    frames.append(frame)
                    if options.skip_bad_rows or not any(
                        r.rejected for r in [*(p.report for p in prepared), report]
                    ):
                        writer.submit(frame)
                if options.kode and offset:
                    report.notes.append(
                        (
                            "file.kode_selected",
                            {"selected": selected, "total": offset, "kode": options.kode},
                        )
                    )
                    report.rows = selected
                if not report.rows:
                    report.add(None, "import.no_rows")
                frame = pd.concat(frames, ignore_index=True) if frames else EMPTY.copy()
                prepared.append(Prepared(report=report, frame=frame))
            progress("check", len(paths), len(paths))
            for p in prepared:
                p.frame = p.frame[~member(p.frame["code"], retracted)].reset_index(drop=True)
            retracted |= check_parents(lookup, prepared, options)
            derived = [p.frame[p.frame["derived"].astype(bool)] for p in prepared]
            reports = [p.report for p in prepared]
            for report in reports:
                report.sort()
                # the cause of many rejected rows (a missing parent) comes first
                report.issues.sort(key=lambda i: i.key not in LEADING)
            failed = any(r.rejected for r in reports) and not options.skip_bad_rows
            if not failed:
                writer.submit(pd.concat(derived, ignore_index=True))
            progress("write", 0, 1)
            writer.close()
            if failed or not writer.submitted:
                transaction.rollback()
                return reports
            inserted, updated = writer.finish(retracted, reports)
            transaction.commit()
        except BaseException:
            writer.abort()
            transaction.rollback()
            raise
    progress("write", 1, 1)
    for p in prepared:
        p.report.written = True
        p.report.inserted = inserted.get(p.report.source, 0)
        p.report.updated = updated.get(p.report.source, 0)
        p.report.unchanged = len(p.frame) - p.report.inserted - p.report.updated
    return reports


# New areas are COPYed straight into admin_area (the bulk of a first load); areas that already
# exist go through a staging table and are updated only where name or geometry changed.
