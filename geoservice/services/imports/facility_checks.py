"""The checks of facility rows in PostGIS: the kelurahan each point falls in, the layer's name
rule, near-duplicates against the database and within the file, keys unique per kelurahan and
per-kelurahan limits (competing rows decided by their names)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Connection, column, func, or_, select, table
from sqlalchemy.dialects.postgresql import aggregate_order_by

from geoservice.catalog import LayerDef
from geoservice.db import any_of, statement
from geoservice.db.models import Facility
from geoservice.errors import Severity
from geoservice.services.imports.facility_rows import Candidate
from geoservice.services.imports.reports import ImportReport
from geoservice.services.place_names import FORMER_MARKERS, Gazetteers, NameCheck, check_name
from geoservice.services.points.rules import SAME_PLACE_M, box_degrees, duplicate_pairs

if TYPE_CHECKING:  # the importer's options: only annotated here
    from geoservice.services.imports.facilities import FacilityOptions


#: The temporary table imports/facility_candidates.sql creates, for Core statements.
_CANDIDATE = table("facility_candidate", column("row"), column("kelurahan_code"))


@dataclass
class Checked:
    """A candidate that passed the checks: its kelurahan, and the stored points it is a
    near-duplicate of (for the walidata's review queue)."""

    candidate: Candidate
    kelurahan: str
    review: list[tuple[int, float]] = field(default_factory=list)


def check_in_database(
    conn: Connection,
    layer: LayerDef,
    candidates: list[Candidate],
    options: FacilityOptions,
    report: ImportReport,
) -> list[Checked]:
    """PostGIS checks; returns the candidates that passed, with their kelurahan code."""
    if not candidates:
        return []
    key_fields = layer.unique_within_kelurahan
    names = [_name(c, layer) for c in candidates]
    keys = [
        "|".join(str(c.attributes[k]) for k in key_fields) if key_fields else None
        for c in candidates
    ]
    conn.execute(
        statement("imports/facility_candidates.sql"),
        {
            "rows": [c.row for c in candidates],
            "lons": [c.lon for c in candidates],
            "lats": [c.lat for c in candidates],
            "names": names,
            "keys": keys,
            "external_ids": [c.external_id for c in candidates],
        },
    )
    kelurahan: dict[int, str | None] = dict(
        conn.execute(select(_CANDIDATE.c.row, _CANDIDATE.c.kelurahan_code)).all()
    )
    bad: set[int] = set()
    for c in candidates:
        if kelurahan.get(c.row) is None:
            report.add(c.row, "point.outside_kelurahan")
            bad.add(c.row)
    name_of = {c.row: n for c, n in zip(candidates, names, strict=True)}
    gazetteers = Gazetteers(conn)
    checks = _check_names(layer, candidates, kelurahan, name_of, gazetteers, report, bad)
    review = _check_duplicates(conn, layer, options, name_of, report, bad)

    by_row = {c.row: (c, key) for c, key in zip(candidates, keys, strict=True)}
    if key_fields:
        rows_in_db = conn.execute(
            statement("imports/facility_key_in_db.sql"),
            {"layer": layer.id, "key_fields": key_fields},
        ).all()
        for row, other_id in rows_in_db:
            _key_issue(report, layer, by_row[row][0], str(kelurahan[row]), f"id {other_id}")
            bad.add(row)
        first_seen: dict[tuple[str, str], int] = {}
        for c, key in zip(candidates, keys, strict=True):
            kel = kelurahan.get(c.row)
            if kel is None or key is None:
                continue
            if (kel, key) in first_seen:
                _key_issue(report, layer, c, kel, f"row {first_seen[(kel, key)]}")
                bad.add(c.row)
            else:
                first_seen[(kel, key)] = c.row

    if layer.max_per_kelurahan is not None:
        _compete(conn, layer, candidates, kelurahan, checks, name_of, gazetteers, report, bad)
    # every candidate without a kelurahan is in ``bad``
    return [
        Checked(c, str(kelurahan[c.row]), review.get(c.row, []))
        for c in candidates
        if c.row not in bad
    ]


def _check_names(
    layer: LayerDef,
    candidates: list[Candidate],
    kelurahan: dict[int, str | None],
    name_of: dict[int, str | None],
    gazetteers: Gazetteers,
    report: ImportReport,
    bad: set[int],
) -> dict[int, NameCheck]:
    """``name_matches_kelurahan``: each name against the kelurahan its point lies in."""
    rule = layer.name_matches_kelurahan
    checks: dict[int, NameCheck] = {}
    if rule is None:
        return checks
    for c in candidates:
        kel, name = kelurahan.get(c.row), name_of[c.row]
        if kel is None or name is None:
            continue
        area = gazetteers.area(kel)
        if area is None:
            continue
        check = check_name(name, rule, area, gazetteers.of(kel))
        checks[c.row] = check
        found = check.issue(name)
        if found is not None:
            severity, key, params = found
            report.add(
                c.row, key, severity=severity, code=kel, column=layer.name_attribute, **params
            )
            if severity == "error":
                bad.add(c.row)
    return checks


def _check_duplicates(
    conn: Connection,
    layer: LayerDef,
    options: FacilityOptions,
    name_of: dict[int, str | None],
    report: ImportReport,
    bad: set[int],
) -> dict[int, list[tuple[int, float]]]:
    """Near-duplicates (see :mod:`geoservice.services.points.rules`).

    Within the file: errors (warnings with ``allow_duplicates``). Against the database: a point
    at the same coordinates with a similar name is an error (the file was loaded before: use
    ``--id-column`` to update it); any other is loaded and left for the walidata's review
    queue (a warning). Returns, per row, the stored points to review it against."""
    radius = layer.duplicate_radius_m
    params = {
        "layer": layer.id,
        "name_attr": layer.name_attribute,
        "distance": radius,
        "box": box_degrees(radius),
    }
    in_db = conn.execute(statement("imports/facility_near_in_db.sql"), params).all()
    in_file = conn.execute(statement("imports/facility_near_in_file.sql"), params).all()
    decided = duplicate_pairs(
        conn,
        [(str(name_of[row]), str(name), float(d)) for row, _, name, d in [*in_db, *in_file]],
    )
    review: dict[int, list[tuple[int, float]]] = {}
    pairs = [(*pair, True) for pair in in_db] + [(*pair, False) for pair in in_file]
    for (row, other, name, distance, from_db), (duplicate, _) in zip(pairs, decided, strict=True):
        if not duplicate:
            continue
        if from_db and distance < SAME_PLACE_M and not options.allow_duplicates:
            report.add(row, "point.already_stored", name=name, other=other)
            bad.add(row)
        elif from_db:
            review.setdefault(row, []).append((int(other), float(distance)))
            report.add(
                row,
                "point.near_duplicate_review",
                severity="warning",
                name=name,
                other=other,
                distance=distance,
            )
        else:
            severity: Severity = "warning" if options.allow_duplicates else "error"
            report.add(
                row,
                "point.near_duplicate_in_file",
                severity=severity,
                name=name,
                other=other,
                distance=distance,
            )
            if not options.allow_duplicates:
                bad.add(row)
    return review


def _compete(
    conn: Connection,
    layer: LayerDef,
    candidates: list[Candidate],
    kelurahan: dict[int, str | None],
    checks: dict[int, NameCheck],
    name_of: dict[int, str | None],
    gazetteers: Gazetteers,
    report: ImportReport,
    bad: set[int],
) -> None:
    """``max_per_kelurahan``: rows competing for the places of one kelurahan.

    A kelurahan whose places the database already fills rejects every row (naming the stored
    points). Otherwise, when more rows than places remain, every competitor is reported with
    the kelurahan (name and code) and all their row numbers; the rows whose name fits (see
    :mod:`~geoservice.services.place_names`; without the rule: names without a former-office
    marker) win when they are no more than the places left, and the others lose. A former
    office (``EKS KANTOR LURAH …``) or a name of another place never displaces a fitting one;
    when no row, or too many, fit, none is kept.
    """
    limit = layer.max_per_kelurahan
    assert limit is not None
    groups: dict[str, list[Candidate]] = {}
    for c in candidates:
        kel = kelurahan.get(c.row)
        if kel is not None and c.row not in bad:
            groups.setdefault(kel, []).append(c)
    if not groups:
        return
    # points already stored per kelurahan, leaving out those the file updates by external id
    updated = [c.external_id for c in candidates if c.external_id]
    stored: dict[str, list[int]] = dict(
        conn.execute(
            select(
                Facility.kelurahan_code,
                func.array_agg(aggregate_order_by(Facility.id, Facility.id)),
            )
            .where(
                Facility.layer_id == layer.id,
                Facility.deleted_at.is_(None),
                Facility.kelurahan_code == any_of(sorted(groups)),
                or_(Facility.external_id.is_(None), ~(Facility.external_id == any_of(updated))),
            )
            .group_by(Facility.kelurahan_code)
        ).all()  # type: ignore[arg-type]
    )
    for kel, rows in groups.items():
        ids = stored.get(kel, [])
        places = limit - len(ids)
        if len(rows) <= places:
            continue
        area = gazetteers.area(kel)
        where = f"{area.name} ({kel})" if area is not None else kel
        if places <= 0:
            for c in rows:
                report.add(
                    c.row,
                    "point.kelurahan_full",
                    code=kel,
                    kelurahan=where,
                    limit=limit,
                    ids=", ".join(str(i) for i in ids),
                )
                bad.add(c.row)
            continue
        fitting = [c for c in rows if _fits(layer, checks.get(c.row), name_of[c.row])]
        winners = fitting if 0 < len(fitting) <= places else []
        listed = ", ".join(str(c.row) for c in rows)
        for c in rows:
            if c in winners:
                report.add(
                    c.row,
                    "point.competition_kept",
                    severity="warning",
                    code=kel,
                    kelurahan=where,
                    limit=limit,
                    rows=listed,
                )
                continue
            key = "point.competition_lost" if winners else "point.competition_none"
            report.add(
                c.row,
                key,
                code=kel,
                kelurahan=where,
                limit=limit,
                rows=listed,
                kept=", ".join(str(w.row) for w in winners),
            )
            bad.add(c.row)


def _fits(layer: LayerDef, check: NameCheck | None, name: str | None) -> bool:
    """The row may win a place: its name fits the kelurahan (or, without the layer's name
    rule, carries no former-office marker)."""
    if layer.name_matches_kelurahan is not None:
        return check is not None and check.fits
    words = set(re.findall(r"[a-z]+", (name or "").lower()))
    return not words & FORMER_MARKERS


def _key_issue(report: ImportReport, layer: LayerDef, c: Candidate, kel: str, other: str) -> None:
    fields = layer.unique_within_kelurahan
    report.add(
        c.row,
        "point.duplicate_key",
        fields="/".join(f.upper() for f in fields),
        values="/".join(str(c.attributes[f]) for f in fields),
        kelurahan=kel,
        other=other,
    )


def _name(candidate: Candidate, layer: LayerDef) -> str | None:
    value = candidate.attributes.get(layer.name_attribute)
    if value is None:
        return None
    return re.sub(r"\s+", " ", str(value)).strip() or None
