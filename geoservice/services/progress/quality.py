"""The quality queue: what was missed or counted twice ("ganda atau terlewat"), one list the
walidata works through.

- numbered layers (RT within RW, from a campaign's ``numbering``): numbers plotted twice,
  holes in a group's numbers, groups (RW) the profile counts without a point, and fewer
  numbers than the profile's count (``db/sql/progress/numbering.sql``);
- a desa/kelurahan without any point of a campaign's layer;
- near-duplicate points (the rules of :mod:`geoservice.services.points.rules`, with the open
  review items imports left) and names that do not fit their kelurahan
  (:mod:`geoservice.services.place_names`).

Each finding has a ``subject`` naming it; a decision (keep both, merge, move, mark as correct)
is stored under it in ``quality_decision`` and the finding is never listed again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from geoservice.catalog import Catalog, LayerDef
from geoservice.db import any_of, statement
from geoservice.db.models import AdminArea, Facility, ReviewItem
from geoservice.db.models_progress import QualityDecision
from geoservice.errors import BadRequest, Conflict, NotFound, ValidationFailed
from geoservice.i18n import t
from geoservice.i18n.progress import QUALITY_MESSAGES
from geoservice.services import areas, features
from geoservice.services.auth import Principal
from geoservice.services.place_names import Gazetteers, check_name
from geoservice.services.points.rules import box_degrees, duplicate_pairs
from geoservice.services.progress.campaigns import Campaign, FromProfile, scope_patterns

#: the decisions each kind of finding may get
DECISIONS: dict[str, tuple[str, ...]] = {
    "number_double": ("merge", "keep_both", "correct"),
    "number_missing": ("correct",),
    "group_missing": ("correct",),
    "number_short": ("correct",),
    "layer_empty": ("correct",),
    "near_duplicate": ("merge", "keep_both"),
    "name_mismatch": ("move", "correct"),
}


def _subject(*parts: Any) -> str:
    return ":".join("" if p is None else str(p) for p in parts)


def _item(kind: str, code: str, layer: str, subject: str, **more: Any) -> dict[str, Any]:
    return {
        "subject": subject,
        "kind": kind,
        "kelurahan": code,
        "layer": layer,
        "points": [],
        "decisions": list(DECISIONS[kind]),
        **more,
    }


def _numbering(conn: Connection, c: Campaign, catalog: Catalog, kode: str) -> list[dict[str, Any]]:
    n = c.numbering
    assert n is not None
    params = {
        "kode": kode,
        "scope": scope_patterns(c),
        "layer": c.target,
        "form": c.expected_form(catalog),
        "field": c.expected.from_profile if isinstance(c.expected, FromProfile) else None,
        "within_field": n.within_expected,
        "number": n.number,
        "within": n.within,
    }
    items = []
    for kind, code, grp, num, ids, expected, found in conn.execute(
        statement("progress/numbering.sql"), params
    ):
        key: tuple[Any, ...] = (code, c.target, grp, num)
        if kind == "number_short":
            key = (code, c.target)
        elif kind == "group_missing":
            key = (code, c.target, grp)
        items.append(
            _item(
                kind,
                code,
                c.target,
                _subject(kind, *key),
                campaign=c.id,
                group=grp if n.within else None,
                number=num,
                expected=expected,
                found=found,
                points=[{"id": i} for i in ids],
            )
        )
    return items


def _empty(conn: Connection, c: Campaign, kode: str) -> list[dict[str, Any]]:
    f = Facility
    any_point = exists().where(
        f.kelurahan_code == AdminArea.code, f.layer_id == c.target, f.deleted_at.is_(None)
    )
    patterns = scope_patterns(c).split("|")
    codes = conn.execute(
        select(AdminArea.code)
        .where(AdminArea.level == 4, AdminArea.code.like(kode), ~any_point)
        .where(AdminArea.code.like(any_of(patterns)))
        .order_by(AdminArea.code)
    ).scalars()
    return [
        _item("layer_empty", code, c.target, _subject("layer_empty", code, c.target), campaign=c.id)
        for code in codes
    ]


def _pairs(conn: Connection, layer: LayerDef, kode: str) -> list[dict[str, Any]]:
    params = {
        "layer": layer.id,
        "kode": kode,
        "name_attr": layer.name_attribute,
        "radius": layer.duplicate_radius_m,
        "box": box_degrees(layer.duplicate_radius_m),
    }
    found = conn.execute(statement("progress/near_pairs.sql"), params).all()
    judged = duplicate_pairs(conn, [(r.name, r.other_name, r.distance_m) for r in found])
    items = []
    for r, (duplicate, similarity) in zip(found, judged, strict=True):
        if duplicate:
            subject = _subject("near_duplicate", layer.id, r.id, r.other_id)
            items.append(
                _item(
                    "near_duplicate",
                    r.kelurahan_code,
                    layer.id,
                    subject,
                    distance_m=round(r.distance_m, 1),
                    similarity=round(similarity, 2),
                    points=[{"id": r.id, "name": r.name}, {"id": r.other_id, "name": r.other_name}],
                )
            )
    return items


def _review_items(conn: Connection, catalog: Catalog, kode: str) -> list[dict[str, Any]]:
    """Near-duplicates an import left open (review_item), as pairs of the same subject."""
    r = ReviewItem
    rows = conn.execute(
        select(r.layer_id, r.kelurahan_code, r.facility_id, r.other_id, r.distance_m)
        .join(Facility, Facility.id == r.facility_id)
        .where(r.resolved_at.is_(None), r.other_id.is_not(None), Facility.deleted_at.is_(None))
        .where(r.kelurahan_code.like(kode))
    ).all()
    items = []
    for layer_id, code, a, b, distance in rows:
        if layer_id not in catalog.layers:
            continue
        low, high = min(a, b or a), max(a, b or a)
        items.append(
            _item(
                "near_duplicate",
                code,
                layer_id,
                _subject("near_duplicate", layer_id, low, high),
                distance_m=None if distance is None else round(distance, 1),
                points=[{"id": low}, {"id": high}],
            )
        )
    return items


def _names(conn: Connection, layer: LayerDef, kode: str) -> list[dict[str, Any]]:
    rule = layer.name_matches_kelurahan
    if rule is None:
        return []
    f = Facility
    name = f.attributes[layer.name_attribute].astext
    rows = conn.execute(
        select(f.id, f.kelurahan_code, name)
        .where(f.layer_id == layer.id, f.deleted_at.is_(None), f.kelurahan_code.like(kode))
        .where(name.is_not(None))
        .order_by(f.kelurahan_code, f.id)
    ).all()
    gazetteers = Gazetteers(conn)
    items = []
    for fid, code, text in rows:
        area = gazetteers.area(code)
        if area is None:
            continue
        check = check_name(text, rule, area, gazetteers.of(code))
        if check.status in ("other", "mismatch"):
            items.append(
                _item(
                    "name_mismatch",
                    code,
                    layer.id,
                    _subject("name_mismatch", layer.id, fid),
                    points=[{"id": fid, "name": text}],
                    place=check.place,
                    named=None if check.other is None else check.other.code,
                )
            )
    return items


def _decided(conn: Connection, subjects: list[str]) -> set[str]:
    found = conn.execute(
        select(QualityDecision.subject).where(QualityDecision.subject == any_of(subjects))
    )
    return set(found.scalars())


def _describe(conn: Connection, catalog: Catalog, items: list[dict[str, Any]], lang: str) -> None:
    codes = sorted({i["kelurahan"] for i in items})
    names = {a["kode"]: a["nama"] for a in areas.names(conn, codes)}
    ids = sorted({p["id"] for i in items for p in i["points"] if "name" not in p})
    point_names: dict[int, Any] = {}
    if ids:
        for fid, layer_id, attrs in conn.execute(
            select(Facility.id, Facility.layer_id, Facility.attributes).where(
                Facility.id == any_of(ids, Facility.id.type)
            )
        ):
            layer = catalog.get(layer_id)
            point_names[fid] = attrs.get(layer.name_attribute) if layer else None
    for item in items:
        for p in item["points"]:
            p.setdefault("name", point_names.get(p["id"]))
        layer = catalog.get(item["layer"])
        item["kelurahan_name"] = names.get(item["kelurahan"], item["kelurahan"])
        item["layer_title"] = layer.title.get(lang) if layer else item["layer"]
        item["message"] = t(
            QUALITY_MESSAGES[item["kind"]],
            lang,
            layer=item["layer_title"],
            group=item.get("group"),
            number=item.get("number"),
            expected=item.get("expected"),
            found=item.get("found"),
            points=", ".join(str(p["name"] or p["id"]) for p in item["points"]),
            place=item.get("place"),
        )


def queue(
    conn: Connection, catalog: Catalog, kode: str | None, lang: str = "id"
) -> list[dict[str, Any]]:
    """The open findings within ``kode`` (everywhere when None), by kelurahan, undecided only."""
    pattern = features.like_prefix(kode or "")
    items: list[dict[str, Any]] = []
    for c in catalog.campaigns.values():
        if c.kind(catalog) != "layer":
            continue
        if c.numbering is not None:
            items += _numbering(conn, c, catalog, pattern)
        items += _empty(conn, c, pattern)
    seen: set[str] = set()
    for layer in catalog:
        for item in [*_pairs(conn, layer, pattern), *_names(conn, layer, pattern)]:
            seen.add(item["subject"])
            items.append(item)
    items += [i for i in _review_items(conn, catalog, pattern) if i["subject"] not in seen]
    decided = _decided(conn, [i["subject"] for i in items])
    items = [i for i in items if i["subject"] not in decided]
    items.sort(key=lambda i: (i["kelurahan"], i["kind"], i["subject"]))
    _describe(conn, catalog, items, lang)
    return items


def _kelurahan_of(conn: Connection, subject: str) -> str:
    parts = subject.split(":")
    if parts[0] in ("near_duplicate", "name_mismatch") and len(parts) >= 3:
        try:
            fid = int(parts[2])
        except ValueError as exc:
            raise NotFound("quality.unknown_item", subject=subject) from exc
        if not 0 < fid < 2**63:
            raise NotFound("quality.unknown_item", subject=subject)
        code = conn.execute(select(Facility.kelurahan_code).where(Facility.id == fid)).scalar()
        if code is None:
            raise NotFound("quality.unknown_item", subject=subject)
        return str(code)
    if parts[0] in DECISIONS and len(parts) >= 3:
        return parts[1]
    raise NotFound("quality.unknown_item", subject=subject)


def decide(
    conn: Connection,
    catalog: Catalog,
    principal: Principal,
    subject: str,
    decision: str,
    keep: int | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Record the walidata's ``decision`` on the open finding ``subject`` (409 when it was
    decided before, 404 when there is no such finding). ``merge`` keeps the point ``keep``
    (the oldest by default) and deletes the others, as an edit the history records."""
    already = _decided(conn, [subject])
    if already:
        raise Conflict("quality.decided", subject=subject)
    code = _kelurahan_of(conn, subject)
    found = [i for i in queue(conn, catalog, code) if i["subject"] == subject]
    if not found:
        raise NotFound("quality.unknown_item", subject=subject)
    item = found[0]
    if decision not in item["decisions"]:
        raise ValidationFailed(
            "quality.decision_not_allowed", decision=decision, allowed=", ".join(item["decisions"])
        )
    ids = [p["id"] for p in item["points"]]
    removed: list[int] = []
    if decision == "merge":
        kept = keep if keep is not None else min(ids)
        if kept not in ids:
            raise BadRequest("quality.keep_not_in_item", keep=kept, ids=", ".join(map(str, ids)))
        removed = [i for i in ids if i != kept]
        conn.execute(
            update(Facility)
            .where(Facility.id == any_of(removed, Facility.id.type), Facility.deleted_at.is_(None))
            .values(
                deleted_at=func.now(), deleted_by=principal.username, updated_by=principal.username
            )
        )
    if item["kind"] == "near_duplicate":
        conn.execute(
            update(ReviewItem)
            .where(ReviewItem.resolved_at.is_(None))
            .where(ReviewItem.facility_id == any_of(ids, Facility.id.type))
            .where(ReviewItem.other_id == any_of(ids, Facility.id.type))
            .values(
                resolved_at=func.now(),
                resolved_by=principal.username,
                resolution="merged" if decision == "merge" else "keep",
            )
        )
    row = conn.execute(
        pg_insert(QualityDecision)
        .values(
            subject=subject,
            kind=item["kind"],
            kelurahan_code=item["kelurahan"],
            layer_id=item["layer"],
            facility_ids=ids,
            decision=decision,
            note=note,
            decided_by=principal.username,
        )
        .on_conflict_do_nothing(index_elements=["subject"])
        .returning(QualityDecision.decided_at)
    ).scalar()
    if row is None:
        raise Conflict("quality.decided", subject=subject)
    return {
        "subject": subject,
        "decision": decision,
        "deleted": removed,
        "decided_by": principal.username,
        "decided_at": row.isoformat(timespec="seconds"),
    }
