"""Progress per area and campaign: expected, verified, waiting, draft, rejected, completeness,
timeliness and freshness, per desa/kelurahan or rolled up per kecamatan, kab/kota or provinsi.

Every figure comes from one statement (``db/sql/progress/progress.sql``) over the current
points and profiles and their append-only histories, for all campaigns and areas at once; the
PICs and their last activity from a second one. Completeness counts at most the expected number
per kelurahan (``sum(least(verified, expected)) / sum(expected)``, as DHIS2's reporting rates
do), so a kelurahan with extra points does not hide one with none.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from geoservice.catalog import Catalog
from geoservice.codes import CODE_LENGTH
from geoservice.db import statement
from geoservice.services import areas, features
from geoservice.services.progress.campaigns import (
    FRESH_DAYS,
    Campaign,
    FromProfile,
    scope_patterns,
)

#: The day a campaign's due date is judged in (WIB; the service's cities are in Java and Sumatra).
TIMEZONE = "Asia/Jakarta"


def today() -> dt.date:
    """Today in :data:`TIMEZONE`."""
    return dt.datetime.now(ZoneInfo(TIMEZONE)).date()


def _binds(catalog: Catalog, day: dt.date) -> dict[str, Any]:
    campaigns = list(catalog.campaigns.values())
    return {
        "ids": [c.id for c in campaigns],
        "kinds": [c.kind(catalog) for c in campaigns],
        "targets": [c.target for c in campaigns],
        "expected": [c.expected if isinstance(c.expected, int) else None for c in campaigns],
        "fields": [
            c.expected.from_profile if isinstance(c.expected, FromProfile) else None
            for c in campaigns
        ],
        "forms": [c.expected_form(catalog) for c in campaigns],
        "periods": [c.profile_period(catalog, day) for c in campaigns],
        "scopes": [scope_patterns(c) for c in campaigns],
        "deadlines": [c.deadline for c in campaigns],
        "fresh_days": [FRESH_DAYS[c.frekuensi] for c in campaigns],
    }


def campaign_info(c: Campaign, catalog: Catalog, lang: str, day: dt.date) -> dict[str, Any]:
    """What a reader needs to know of a campaign beside its figures."""
    if isinstance(c.expected, FromProfile):
        expected: Any = {"from_profile": c.expected.from_profile}
    else:
        expected = c.expected
    return {
        "id": c.id,
        "title": c.title.get(lang),
        "kind": c.kind(catalog),
        "target": c.target,
        "scope": c.scope,
        "expected": expected,
        "due": c.due.isoformat(),
        "timely_days": c.timely_days,
        "deadline": c.deadline.isoformat(),
        "frekuensi": c.frekuensi,
        "period": c.profile_period(catalog, day),
        "sample": c.sample,
    }


def rows(
    conn: Connection, catalog: Catalog, kode: str | None, level: int, day: dt.date
) -> list[Any]:
    """The statement's rows: one per area of ``level`` and campaign."""
    if not catalog.campaigns:
        return []
    params = {
        **_binds(catalog, day),
        "kode": features.like_prefix(kode or ""),
        "len": CODE_LENGTH[level],
        "today": day,
        "tz": TIMEZONE,
    }
    result = conn.execute(statement("progress/progress.sql"), params)
    keys = list(result.keys())
    # plain dicts: a RowMapping's lookups cost more than the rest of the work per row
    return [dict(zip(keys, row, strict=True)) for row in result]


def _names(conn: Connection, codes: list[str]) -> dict[str, str]:
    return {a["kode"]: a["nama"] for a in areas.names(conn, codes)}


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


_ROLLED = ("kelurahan", "complete", "on_time", "late", "overdue")


def _figures(row: dict[str, Any], level: int) -> dict[str, Any]:
    """One campaign's figures of one area (the statement computed and typed them)."""
    figures = {
        "campaign": row["campaign"],
        "verified": row["verified"],
        "submitted": row["submitted"],
        "draft": row["draft"],
        "rejected": row["rejected"],
        "expected": row["expected"],
        "completeness": row["completeness"],
        "late_days": row["late_days"],
        "last_change": row["last_change"],
        "freshness": row["freshness"],
    }
    if level == 4:
        figures["timeliness"] = row["timeliness"]
    else:
        figures |= {k: row[k] for k in _ROLLED}
    return figures


def pics(conn: Connection, kode: str | None) -> dict[str, list[dict[str, Any]]]:
    """The PICs of each kelurahan within ``kode`` with their last activity there."""
    found: dict[str, list[dict[str, Any]]] = {}
    params = {"kode": features.like_prefix(kode or "")}
    for code, username, name, last in conn.execute(statement("progress/pics.sql"), params):
        found.setdefault(code, []).append(
            {"username": username, "name": name, "last_activity": _iso(last)}
        )
    return found


def progress(
    conn: Connection,
    catalog: Catalog,
    kode: str | None,
    level: int = 4,
    lang: str = "id",
    day: dt.date | None = None,
    people: bool = True,
) -> dict[str, Any]:
    """``GET /progress``: every area of ``level`` within ``kode`` that a campaign covers, with
    the figures of each campaign (``layers`` keyed by layer, ``profile`` by form), the worst
    delay, the last verified change and (for desa/kelurahan, unless not ``people``) the
    PICs."""
    day = day or today()
    found = rows(conn, catalog, kode, level, day)
    names = _names(conn, sorted({r["code"] for r in found}))
    with_pics = people and level == 4
    by_area = pics(conn, kode) if with_pics else {}
    areas: dict[str, dict[str, Any]] = {}
    for row in found:
        c = catalog.campaigns[row["campaign"]]
        area = areas.setdefault(
            row["code"],
            {"kode": row["code"], "nama": names.get(row["code"], row["code"]),
             "layers": {}, "profile": {}, "completeness": None, "late_days": 0,
             "last_change": None},
        )  # fmt: skip
        figures = _figures(row, level)
        area["layers" if c.kind(catalog) == "layer" else "profile"][c.target] = figures
        area["late_days"] = max(area["late_days"], figures["late_days"])
        if figures["last_change"] and (area["last_change"] or "") < figures["last_change"]:
            area["last_change"] = figures["last_change"]
    for area in areas.values():
        shares = [f["completeness"] for part in ("layers", "profile") for f in area[part].values()]
        area["completeness"] = round(sum(shares) / len(shares), 4) if shares else None
        if with_pics:
            area["pics"] = by_area.get(area["kode"], [])
    return {
        "kode": kode,
        "level": level,
        "today": day.isoformat(),
        "campaigns": [campaign_info(c, catalog, lang, day) for c in catalog.campaigns.values()],
        "areas": list(areas.values()),
    }


def public(
    conn: Connection, catalog: Catalog, kode: str | None, level: int = 4, lang: str = "id"
) -> dict[str, Any]:
    """``GET /progress/public``: completeness only, per area and campaign, without people."""
    full = progress(conn, catalog, kode, level, lang, people=False)
    return {
        "kode": kode,
        "level": level,
        "campaigns": [
            {k: c[k] for k in ("id", "title", "kind", "target", "sample")}
            for c in full["campaigns"]
        ],
        "areas": [
            {
                "kode": a["kode"],
                "nama": a["nama"],
                "completeness": a["completeness"],
                "campaigns": {
                    f["campaign"]: f["completeness"]
                    for part in ("layers", "profile")
                    for f in a[part].values()
                },
            }
            for a in full["areas"]
        ],
    }


#: completeness classes of the map (upper bounds) and their colours (ColorBrewer RdYlGn)
MAP_BREAKS = (0.25, 0.5, 0.75, 0.9999, 1.0)


def completeness_map(
    conn: Connection, catalog: Catalog, kode: str | None, level: int = 4
) -> dict[str, Any]:
    """The areas of :func:`public` as GeoJSON with their completeness, class and colour (the
    indicator choropleth's outlines and ColorBrewer ramp); no people, so anyone may read it."""
    from geoservice.services.indicators.choropleth import outlines
    from geoservice.services.indicators.classes import Classification, ramp

    data = public(conn, catalog, kode, level)
    classes = Classification("user_defined", len(MAP_BREAKS), list(MAP_BREAKS),
                             ramp("RdYlGn", len(MAP_BREAKS)), 0.0)  # fmt: skip
    shapes = outlines(conn, [a["kode"] for a in data["areas"]], level)
    features = []
    for area in data["areas"]:
        value = area["completeness"]
        features.append(
            {
                "type": "Feature",
                "id": area["kode"],
                "geometry": json.loads(shapes[area["kode"]]) if area["kode"] in shapes else None,
                "properties": {
                    **area,
                    "kelas": classes.class_of(value),
                    "warna": classes.color_of(value),
                },  # fmt: skip
            }
        )
    legend = [{"upper": b, "color": c} for b, c in zip(classes.breaks, classes.colors, strict=True)]
    return {"type": "FeatureCollection", "features": features, "legend": legend,
            "campaigns": data["campaigns"]}  # fmt: skip
