"""Writing checked boundaries: a binary COPY into a staging table and one upsert that changes
only what changed, the facilities of moved areas re-assigned, orphans refused, all in the
caller's transaction (see :mod:`~geoservice.services.imports.boundaries`)."""

from __future__ import annotations

import functools
import queue
import struct
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import (
    Connection,
    column,
    delete,
    exists,
    func,
    select,
    table,
    tuple_,
    update,
)
from sqlalchemy.orm import aliased

from geoservice.db import any_of
from geoservice.db.models import AdminArea, AdminAreaGeneralized, Facility
from geoservice.services.imports.boundary_checks import existing_codes, member
from geoservice.services.imports.reports import ImportReport
from geoservice.services.tile_cache import notify_boundaries_changed
from geoservice.services.tiles import generalize

# Binary COPY (the driver's, which Core does not express) of new areas and of changed ones.
_COPY_NEW = (
    "COPY admin_area (code, name, level, kind, parent_code, geom, source, derived)"
    " FROM STDIN (FORMAT BINARY)"
)
_COPY_STAGED = (
    "COPY boundary_staging (code, name, level, kind, parent_code, geom, source, derived)"
    " FROM STDIN (FORMAT BINARY)"
)

_STAGING = """
CREATE TEMPORARY TABLE boundary_staging (
    code text, name text, level smallint, kind text, parent_code text,
    geom geometry(MultiPolygon, 4326), source text, derived boolean
) ON COMMIT DROP;
-- read once, so compressing its geometries (TOAST) would only cost time
ALTER TABLE boundary_staging ALTER COLUMN geom SET STORAGE EXTERNAL;
"""

#: The staging table of _STAGING, for Core statements.
_STAGED = table(
    "boundary_staging",
    *(column(name) for name in ("code", "name", "geom", "source", "derived")),
)

#: Areas whose staged row differs from the stored one, updated: (code, level, source).
_UPDATE_CHANGED = (
    update(AdminArea)
    .where(
        AdminArea.code == _STAGED.c.code,
        tuple_(AdminArea.name, AdminArea.geom, AdminArea.derived).is_distinct_from(
            tuple_(_STAGED.c.name, _STAGED.c.geom, _STAGED.c.derived)
        ),
    )
    .values(
        name=_STAGED.c.name,
        geom=_STAGED.c.geom,
        source=_STAGED.c.source,
        derived=_STAGED.c.derived,
        updated_at=func.now(),
    )
    .returning(AdminArea.code, AdminArea.level, _STAGED.c.source)
)


def _facilities_to_move(codes: list[str]) -> Any:
    """Facility points whose desa/kelurahan no longer covers them after its boundary changed,
    with the area that covers them now (NULL when none does)."""
    f, k, a = Facility, aliased(AdminArea, name="k"), aliased(AdminArea, name="a")
    covering = (
        select(a.code)
        .where(a.level == 4, func.ST_Covers(a.geom, f.geom))
        .order_by(a.code)
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(f.id, f.kelurahan_code, covering)
        .join(k, k.code == f.kelurahan_code)
        .where(f.kelurahan_code == any_of(codes), ~func.ST_Covers(k.geom, f.geom))
    )


_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_NULL = struct.pack("!i", -1)


def _plain_wkb(rows: pd.DataFrame) -> np.ndarray:
    """Little-endian 2D WKB of each (Multi)Polygon: the file's own where usable, else shapely's."""
    wkb = rows["wkb"].to_numpy(dtype=object).copy() if "wkb" in rows else np.full(len(rows), None)
    usable = np.fromiter(
        (
            isinstance(w, bytes) and w[:1] == b"\x01" and w[1:5] in _POLYGON_TYPES
            for w in wkb.tolist()
        ),
        dtype=bool,
        count=len(wkb),
    )
    if not usable.all():
        geoms = rows["geometry"].to_numpy()[~usable]
        wkb[~usable] = shapely.to_wkb(geoms, byte_order=1, output_dimension=2)
    return wkb


_POLYGON_TYPES = (struct.pack("<I", 3), struct.pack("<I", 6))
_EWKB_MULTI = b"\x01" + struct.pack("<I", 6 | 0x20000000) + struct.pack("<I", 4326)


def _binary_copy_chunks(rows: pd.DataFrame, size: int = 5000) -> Any:
    """The rows in PostgreSQL's binary COPY format, in chunks.

    Built by hand because it is a documented, trivial format and this is the hot loop of a
    national load: several times faster than a generic per-value dumper. Geometries go as
    EWKB MultiPolygons with SRID 4326, made from shapely's plain WKB by rewriting the header
    (a Polygon is wrapped as a one-part MultiPolygon) without copying the coordinates.
    """

    def text_field(value: Any) -> bytes:
        if value is None or value is pd.NA:
            return _NULL
        data = str(value).encode()
        return struct.pack("!i", len(data)) + data

    repeated_field = functools.lru_cache(maxsize=64)(text_field)  # kind, source: few values
    wkb = _plain_wkb(rows)

    yield _COPY_HEADER
    # Plain lists: iterating pandas' Arrow-backed string columns value by value is slow.
    columns = zip(
        rows["code"].tolist(),
        rows["name"].tolist(),
        rows["level"].astype(int).tolist(),
        rows["kind"].tolist(),
        rows["parent_code"].tolist(),
        wkb.tolist(),
        rows["source"].tolist(),
        rows["derived"].astype(bool).tolist(),
        strict=True,
    )
    one_part = struct.pack("<I", 1)
    buffer: list[bytes | memoryview] = []
    for code, name, level, kind, parent, geom, source, derived in columns:
        head = (
            b"\x00\x08"
            + text_field(code)
            + text_field(name)
            + b"\x00\x00\x00\x02"
            + struct.pack("!h", level)
            + repeated_field(kind)
            + text_field(parent)
        )
        if geom[1] == 6:  # MultiPolygon: new header, same body
            buffer.append(head + struct.pack("!i", len(geom) + 4) + _EWKB_MULTI)
            buffer.append(memoryview(geom)[5:])
        else:  # Polygon: wrap it
            buffer.append(head + struct.pack("!i", len(geom) + 13) + _EWKB_MULTI + one_part)
            buffer.append(geom)
        buffer.append(
            repeated_field(source)
            + (b"\x00\x00\x00\x01\x01" if derived else b"\x00\x00\x00\x01\x00")
        )
        if len(buffer) >= size:
            yield b"".join(buffer)
            buffer.clear()
    yield b"".join(buffer) + b"\xff\xff"


_PARENT = aliased(AdminArea, name="p")
_ORPHANS = (
    select(AdminArea.code)
    .where(
        AdminArea.parent_code.is_not(None),
        ~exists().where(_PARENT.code == AdminArea.parent_code),
    )
    .limit(5)
)


def _replication_role(role: str) -> Any:
    """``SET LOCAL session_replication_role`` as ``set_config`` (the value bound)."""
    return select(func.set_config("session_replication_role", role, True))


@dataclass
class _Batch:
    """Checked rows ready to send: binary COPY data of the new areas and of the existing ones
    (for the staging table), and the new areas' codes by source."""

    new: list[bytes] = field(default_factory=list)
    staged: list[bytes] = field(default_factory=list)
    new_codes: dict[str, list[str]] = field(default_factory=dict)


class BoundaryWriter:
    """Writes checked rows in a background thread, on the import's connection and transaction.

    The caller's thread sorts each batch into new and existing areas (on ``lookup``, a second
    connection: the areas that existed before the import, as this import never writes a code
    twice) and encodes it for COPY; the writer thread only sends it, so PostgreSQL's one backend
    is never kept waiting by Python. New areas are COPYed into admin_area and given their tile
    geometry, existing ones into a staging table that ``finish`` compares and applies. Only
    superusers (the embedded cluster's owner) skip the per-row foreign key triggers; ``finish``
    then checks every parent in one query.
    """

    def __init__(self, conn: Connection, lookup: Connection):
        self.conn = conn
        self.lookup = lookup
        self.new_codes: dict[str, set[str]] = {}
        self.staged = False
        self.submitted = 0
        self.error: BaseException | None = None
        self.bulk = _may_skip_row_triggers(conn)
        if self.bulk:
            # The parent foreign key costs a lookup and a row lock per row at commit (1.5 s for
            # the whole country). Every parent is checked before commit: skip the per-row
            # triggers, as pg_restore --disable-triggers does, and check all rows at once.
            conn.execute(_replication_role("replica"))
        self.queue: queue.Queue[_Batch | None] = queue.Queue(maxsize=4)
        self.thread = threading.Thread(target=self._run, name="boundary-writer", daemon=True)
        self.thread.start()

    def submit(self, rows: pd.DataFrame) -> None:
        """Encode ``rows`` and queue them for writing (blocks while four batches are waiting)."""
        if not len(rows):
            return
        self.submitted += len(rows)
        existing = existing_codes(self.lookup, set(rows["code"].tolist()))
        is_new = ~member(rows["code"], existing) if existing else np.ones(len(rows), dtype=bool)
        new, old = rows[is_new], rows[~is_new]
        batch = _Batch()
        if len(new):
            batch.new = list(_binary_copy_chunks(new))
            for source, codes_ in new.groupby("source")["code"]:
                batch.new_codes[str(source)] = codes_.tolist()
        if len(old):
            batch.staged = list(_binary_copy_chunks(old))
        self.queue.put(batch)

    def close(self) -> None:
        """Wait until everything submitted is written; re-raise a write error."""
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        """Stop without raising (the caller rolls back)."""
        if self.thread.is_alive():
            self.error = self.error or RuntimeError("aborted")
            self.queue.put(None)
            self.thread.join()

    def _run(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self._write(batch)
                except BaseException as exc:  # handed to the main thread by close()
                    self.error = exc

    def _write(self, batch: _Batch) -> None:
        raw = self.conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur:
            if batch.new:
                _copy(cur, _COPY_NEW, batch.new)
                for source, codes_ in batch.new_codes.items():
                    self.new_codes.setdefault(source, set()).update(codes_)
            if batch.staged:
                if not self.staged:
                    cur.execute(_STAGING)
                    self.staged = True
                _copy(cur, _COPY_STAGED, batch.staged)
        if batch.new:
            # Tile geometry of the new areas, while the main thread checks the next chunk.
            generalize(
                self.conn, [c for codes_ in batch.new_codes.values() for c in codes_], new=True
            )

    def finish(
        self, retracted: set[str], reports: list[ImportReport]
    ) -> tuple[dict[str, int], dict[str, int]]:
        """Take out rows rejected after they were written, apply changes; counts per source.

        Facility points that a changed desa/kelurahan boundary no longer covers move to the
        one that does (a new version in their history); points now outside every desa/kelurahan
        keep their code and are reported.
        """
        conn = self.conn
        drop = sorted(retracted)
        # Only areas this import inserted are taken out again; an area that existed before
        # keeps its stored row (its rejected update simply is not applied).
        inserted_here = set().union(*self.new_codes.values()) if self.new_codes else set()
        drop_new = sorted(retracted & inserted_here)
        if drop_new:
            # explicit: with row triggers off (bulk) the foreign key does not cascade
            conn.execute(
                delete(AdminAreaGeneralized).where(AdminAreaGeneralized.code == any_of(drop_new))
            )
            conn.execute(delete(AdminArea).where(AdminArea.code == any_of(drop_new)))
        changed: list[tuple[str, int, str]] = []
        if self.staged:
            if drop:
                conn.execute(delete(_STAGED).where(_STAGED.c.code == any_of(drop)))
            changed = [tuple(r) for r in conn.execute(_UPDATE_CHANGED).all()]
        updated = dict(Counter(source for _, _, source in changed))
        if self.bulk:
            conn.execute(_replication_role("origin"))
            orphans = conn.execute(_ORPHANS).scalars().all()
            if orphans:  # cannot happen after check_parents; never commit it if it does
                raise RuntimeError(f"areas without their parent: {', '.join(orphans)}")
        if changed:
            generalize(conn, [code for code, _, _ in changed])
        if changed or inserted_here:
            notify_boundaries_changed(conn)
        villages = [code for code, level, _ in changed if level == 4]
        if villages:
            self._move_facilities(villages, {r.source: r for r in reports}, changed)
        # No ANALYZE here: autovacuum analyzes a table after such a change within a minute, and
        # the import need not wait for it (0.5 s for the whole country).
        inserted = {src: len(codes_ - retracted) for src, codes_ in self.new_codes.items()}
        return inserted, updated

    def _move_facilities(
        self,
        villages: list[str],
        by_source: dict[str, ImportReport],
        changed: list[tuple[str, int, str]],
    ) -> None:
        source_of = {code: source for code, _, source in changed}
        moves = self.conn.execute(_facilities_to_move(villages)).all()
        for facility_id, old, new in moves:
            report = by_source[source_of[old]]
            if new is None:
                report.add(
                    None,
                    "area.facility_outside",
                    severity="warning",
                    code=old,
                    facility=facility_id,
                )
                continue
            self.conn.execute(
                update(Facility)
                .where(Facility.id == facility_id)
                .values(kelurahan_code=new, updated_by="boundary import")
            )
            report.add(
                None,
                "area.facility_moved",
                severity="warning",
                code=old,
                facility=facility_id,
                new=new,
            )


def _may_skip_row_triggers(conn: Connection) -> bool:
    """Only superusers (the embedded cluster's owner) may set session_replication_role."""
    roles = table("pg_roles", column("rolsuper"), column("rolname"))
    query = select(roles.c.rolsuper).where(roles.c.rolname == func.current_user())
    return bool(conn.execute(query).scalar())


def _copy(cursor: Any, statement: str, data: list[bytes]) -> None:
    """Binary COPY of ``data`` (from :func:`_binary_copy_chunks`)."""
    with cursor.copy(statement) as copy:
        for chunk in data:
            copy.write(chunk)
