"""Finding a desa/kelurahan: by part of its name, by its Kemendagri code or by a point inside it,
with its kecamatan and kab/kota named so that the many Sukamaju of the country can be told
apart."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Connection, text

from geoservice.errors import BadRequest, NotFound
from geoservice.services.features import like_prefix

MIN_QUERY, MAX_QUERY, MAX_RESULTS = 2, 80, 25
_CODE = re.compile(r"[0-9]{2}(\.[0-9]{1,4}){0,3}\.?")
_WORDS = re.compile(r"\s+")

#: What both queries read of a desa/kelurahan: code, name, kind, its parents' names, its bbox.
_COLUMNS = """a.code, a.name, a.kind, kec.name AS kecamatan, kab.name AS kabkota,
       ST_XMin(a.geom::box2d), ST_YMin(a.geom::box2d), ST_XMax(a.geom::box2d),
       ST_YMax(a.geom::box2d)"""
_FROM = """FROM admin_area a
LEFT JOIN admin_area kec ON kec.code = a.parent_code
LEFT JOIN admin_area kab ON kab.code = kec.parent_code"""

#: Desa/kelurahan whose code starts with, or whose name contains, the query; exact names
#: first, then names that start with it, then by similarity. The name test is
#: ``lower(name) LIKE`` so that it uses the trigram index (migration 0004).
_SEARCH = f"""
SELECT {_COLUMNS}
{_FROM}
WHERE a.level = 4
  AND CASE WHEN :by_code THEN a.code LIKE :code_prefix
           ELSE lower(a.name) LIKE :contains END
ORDER BY lower(a.name) = :query DESC, lower(a.name) LIKE :starts DESC,
         similarity(lower(a.name), :query) DESC, a.code
LIMIT :limit
"""

#: The desa/kelurahan whose area holds a point (two on a shared border), by the GiST index.
_AT = f"""
SELECT {_COLUMNS}
{_FROM}
WHERE a.level = 4 AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))
ORDER BY a.code
"""

#: One desa/kelurahan with its parents' names, extent and outline (as GeoJSON).
_AREA = f"""
SELECT {_COLUMNS}, ST_AsGeoJSON(ST_ForcePolygonCCW(a.geom), 7)
{_FROM}
WHERE a.code = :code AND a.level = 4
"""


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
    contains = "%" + like_prefix(query)
    rows = conn.execute(
        text(_SEARCH),
        {
            "by_code": bool(_CODE.fullmatch(query)),
            "code_prefix": like_prefix(query),
            "contains": contains,
            "starts": like_prefix(query),
            "query": query,
            "limit": limit,
        },
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
    rows = conn.execute(text(_AT), {"lon": lon, "lat": lat}).all()
    return [_describe(row) for row in rows]


def kelurahan(conn: Connection, code: str) -> dict[str, Any]:
    """One desa/kelurahan with its outline (``geometry``); NotFound for an unknown code."""
    row = conn.execute(text(_AREA), {"code": code}).first()
    if row is None:
        raise NotFound("search.unknown_kelurahan", code=code)
    return {**_describe(row), "geometry": json.loads(row[9])}


def names(conn: Connection, codes: list[str]) -> list[dict[str, str]]:
    """Code and name of each desa/kelurahan of ``codes`` that exists, in code order."""
    rows = conn.execute(
        text("SELECT code, name FROM admin_area WHERE code = ANY(:codes) ORDER BY code"),
        {"codes": codes},
    ).all()
    return [{"kode": code, "nama": name} for code, name in rows]


def kelurahan_with_parents(conn: Connection, scope: str = "") -> list[tuple[str, str, str, str]]:
    """Every desa/kelurahan whose code starts with ``scope``, by code: (code, name, kecamatan
    name, kabupaten/kota name)."""
    rows = conn.execute(
        text(
            """
            SELECT k.code, k.name, coalesce(c.name, ''), coalesce(b.name, '')
              FROM admin_area k
              LEFT JOIN admin_area c ON c.code = left(k.code, 8)
              LEFT JOIN admin_area b ON b.code = left(k.code, 5)
             WHERE k.level = 4 AND k.code LIKE :prefix
             ORDER BY k.code
            """
        ),
        {"prefix": scope + "%"},
    )
    return [(code, name, kec, kab) for code, name, kec, kab in rows]
