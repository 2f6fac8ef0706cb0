"""Finding a desa/kelurahan: by part of its name, by its Kemendagri code or by a point inside it,
with its kecamatan and kab/kota named so that the many Sukamaju of the country can be told
apart."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Connection, Select, func, select
from sqlalchemy.orm import aliased

from geoservice.db import any_of, lonlat_point
from geoservice.db.models import AdminArea
from geoservice.errors import BadRequest, NotFound
from geoservice.services.features import like_prefix

MIN_QUERY, MAX_QUERY, MAX_RESULTS = 2, 80, 25
_CODE = re.compile(r"[0-9]{2}(\.[0-9]{1,4}){0,3}\.?")
_WORDS = re.compile(r"\s+")

_KEC, _KAB = aliased(AdminArea, name="kec"), aliased(AdminArea, name="kab")


def _areas(*extra: Any) -> Select[Any]:
    """What the queries read of a desa/kelurahan: code, name, kind, its parents' names, its
    bbox (and ``extra`` columns)."""
    box = func.Box2D(AdminArea.geom)
    return (
        select(
            AdminArea.code,
            AdminArea.name,
            AdminArea.kind,
            _KEC.name.label("kecamatan"),
            _KAB.name.label("kabkota"),
            func.ST_XMin(box),
            func.ST_YMin(box),
            func.ST_XMax(box),
            func.ST_YMax(box),
            *extra,
        )
        .outerjoin(_KEC, _KEC.code == AdminArea.parent_code)
        .outerjoin(_KAB, _KAB.code == _KEC.parent_code)
        .where(AdminArea.level == 4)
    )


def _describe(row: Any) -> dict[str, Any]:
    code, name, kind, kecamatan, kabkota, minx, miny, maxx, maxy = row[:9]
    return {
        "kode": code,
        "nama": name,
        "jenis": kind,
        "kecamatan": kecamatan,
        "kabkota": kabkota,
        "bbox": [round(v, 7) for v in (minx, miny, maxx, maxy)],
    }


def normalize_query(value: str | None) -> str:
    """The query with its spaces collapsed, lower-cased; BadRequest when too short or long."""
    query = _WORDS.sub(" ", value or "").strip().lower()
    if not MIN_QUERY <= len(query) <= MAX_QUERY:
        raise BadRequest("search.query", minimum=MIN_QUERY, maximum=MAX_QUERY)
    return query


def search(conn: Connection, value: str | None, limit: int = 10) -> list[dict[str, Any]]:
    """Desa/kelurahan matching ``value``: a code prefix (``35.71.01``) or part of a name."""
    query = normalize_query(value)
    if not 1 <= limit <= MAX_RESULTS:
        raise BadRequest("search.limit", maximum=MAX_RESULTS)
    # exact names first, then names that start with the query, then by similarity; the name
    # test is ``lower(name) LIKE`` so that it uses the trigram index (migration 0004)
    name = func.lower(AdminArea.name)
    found = (
        AdminArea.code.like(like_prefix(query))
        if _CODE.fullmatch(query)
        else name.like("%" + like_prefix(query))
    )
    rows = conn.execute(
        _areas()
        .where(found)
        .order_by(
            (name == query).desc(),
            name.like(like_prefix(query)).desc(),
            func.similarity(name, query).desc(),
            AdminArea.code,
        )
        .limit(limit)
    ).all()
    return [_describe(row) for row in rows]


def parse_point(value: str) -> tuple[float, float]:
    """``lon,lat`` in degrees (CRS84); BadRequest with the expected form otherwise."""
    try:
        lon, lat = (float(part) for part in value.split(","))
    except ValueError as exc:  # not numbers, or not two of them
        raise BadRequest("search.at", value=value) from exc
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):  # NaN fails too
        raise BadRequest("search.at", value=value)
    return lon, lat


def at(conn: Connection, lon: float, lat: float) -> list[dict[str, Any]]:
    """The desa/kelurahan at (``lon``, ``lat``): none outside the loaded boundaries, two on
    a border they share."""
    # two on a shared border; found by the GiST index
    rows = conn.execute(
        _areas()
        .where(func.ST_Intersects(AdminArea.geom, lonlat_point(lon, lat)))
        .order_by(AdminArea.code)
    ).all()
    return [_describe(row) for row in rows]


def kelurahan(conn: Connection, code: str) -> dict[str, Any]:
    """One desa/kelurahan with its outline (``geometry``); NotFound for an unknown code."""
    outline = func.ST_AsGeoJSON(func.ST_ForcePolygonCCW(AdminArea.geom), 7)
    row = conn.execute(_areas(outline).where(AdminArea.code == code)).first()
    if row is None:
        raise NotFound("search.unknown_kelurahan", code=code)
    return {**_describe(row), "geometry": json.loads(row[9])}


def names(conn: Connection, codes: list[str]) -> list[dict[str, str]]:
    """Code and name of each area (any level) of ``codes`` that exists, in code order."""
    rows = conn.execute(
        select(AdminArea.code, AdminArea.name)
        .where(AdminArea.code == any_of(codes))
        .order_by(AdminArea.code)
    ).all()
    return [{"kode": code, "nama": name} for code, name in rows]


def kelurahan_with_parents(conn: Connection, scope: str = "") -> list[tuple[str, str, str, str]]:
    """Every desa/kelurahan whose code starts with ``scope``, by code: (code, name, kecamatan
    name, kabupaten/kota name)."""
    k = AdminArea
    rows = conn.execute(
        select(k.code, k.name, func.coalesce(_KEC.name, ""), func.coalesce(_KAB.name, ""))
        .outerjoin(_KEC, _KEC.code == func.left(k.code, 8))
        .outerjoin(_KAB, _KAB.code == func.left(k.code, 5))
        .where(k.level == 4, k.code.like(scope + "%"))
        .order_by(k.code)
    )
    return [(code, name, kec, kab) for code, name, kec, kab in rows]
