"""Vector tiles (OGC API - Tiles, WebMercatorQuad) built by PostGIS, and their TileJSON."""

from __future__ import annotations

import hashlib
import math
from functools import cache
from typing import Any

import asyncpg
from sqlalchemy import (
    Connection,
    Dialect,
    SmallInteger,
    TextClause,
    bindparam,
    delete,
    select,
)
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from geoservice.catalog import Catalog
from geoservice.db import any_of, statement
from geoservice.db.models import GENERALIZED_BANDS, AdminArea, AdminAreaGeneralized
from geoservice.errors import BadRequest
from geoservice.services.collections import BOUNDARY_COLLECTIONS
from geoservice.services.features import FeatureCollection, resolve
from geoservice.services.viewer import Viewer

MAX_ZOOM = 22
MVT = "application/vnd.mapbox-vector-tile"
#: Earth's circumference in degrees over 256 px tiles: one pixel at zoom 0, in degrees.
_DEGREES_PER_PIXEL_Z0 = 360.0 / 256


@cache
def check_tile(z: int, x: int, y: int) -> None:
    """z/x/y must address a WebMercatorQuad tile; BadRequest naming the valid range otherwise."""
    if not 0 <= z <= MAX_ZOOM:
        raise BadRequest("tiles.zoom", z=z, maximum=MAX_ZOOM)
    last = 2**z - 1
    if not (0 <= x <= last and 0 <= y <= last):
        raise BadRequest("tiles.index", z=z, x=x, y=y, last=last)


#: Web Mercator metres per pixel at zoom 0 (256 px tiles).
METRES_PER_PIXEL_Z0 = 40_075_016.686 / 256
#: Web Mercator metres per degree at 11 degrees of latitude, the most any Indonesian area
#: reaches (the equator's 111,319.5 m stretched by 1 / cos 11°): a tolerance in degrees made
#: from it stays within its metres everywhere in Indonesia.
_METRES_PER_DEGREE_AT_11 = 6_378_137.0 * math.pi / 180 / math.cos(math.radians(11))

#: For a fine boundary level, the zoom from which its own tiles carry its own areas, and below
#: it the coarser level whose areas stand for them (each counting the areas it stands for).
#: Chosen so that no tile of the national data exceeds the 500 KB budget
#: (``scripts/bench_tiles_national``).
SUMMARY_LEVELS: dict[int, tuple[tuple[int, int | None], ...]] = {
    4: ((8, None), (6, 3), (0, 2)),  # desa/kelurahan from z8; kecamatan z6-7; kabkota z0-5
    3: ((5, None), (0, 2)),  # kecamatan from z5; kabkota below
}


def shown_level(level: int, z: int) -> int:
    """The boundary level whose areas a tile of ``level`` carries at zoom ``z``."""
    for min_zoom, summary in SUMMARY_LEVELS.get(level, ()):
        if z >= min_zoom:
            return summary or level
    return level


def band_for(z: int) -> int | None:
    """The precomputed zoom band serving zoom ``z``; None beyond the last band (the stored
    geometry, simplified per request)."""
    return next((band for band in GENERALIZED_BANDS if z <= band), None)


def generalize(conn: Connection, codes: list[str] | None = None, new: bool = False) -> int:
    """Recompute the tile geometry of the areas ``codes`` (every area when None); row count.
    ``new``: the areas were just inserted, so they have no rows to delete first."""
    if codes is None:
        codes = list(conn.execute(select(AdminArea.code)).scalars())
    if not new:
        conn.execute(delete(AdminAreaGeneralized).where(AdminAreaGeneralized.code == any_of(codes)))
    pixels = {f"pixel{band}": METRES_PER_PIXEL_Z0 / 2**band for band in GENERALIZED_BANDS}
    degrees8 = pixels["pixel8"] / 4 / _METRES_PER_DEGREE_AT_11
    result = conn.execute(
        statement("tiles/generalize_areas.sql"), {"codes": codes, "degrees8": degrees8, **pixels}
    )
    return int(result.rowcount)


def stored_tolerance(z: int) -> float:
    """The simplification of the stored geometry in a tile of zoom ``z`` beyond the bands: a
    quarter pixel, in degrees at the equator (latitudes here are within 11 degrees)."""
    return float(_DEGREES_PER_PIXEL_Z0 / 2**z / 4)


@cache
def band_statement(name: str, band: int | None) -> TextClause:
    """The packaged statement ``name`` with its ``:band`` rendered as a constant by SQLAlchemy
    (``literal_execute``), not bound: the plan of each holds only its own branch (the band's
    rows joined by key, or the stored geometry), which a generic plan of a prepared statement
    could not prune. One object per band, so that the asyncpg text of each is compiled once
    (:func:`rendered`)."""
    return statement(name).bindparams(
        bindparam("band", band, type_=SmallInteger, literal_execute=True)
    )


def tile_query(
    collection: FeatureCollection, z: int, x: int, y: int, viewer: Viewer
) -> tuple[TextClause, dict[str, Any]]:
    """The statement and parameters that build one tile (also run bare by the benchmark)."""
    check_tile(z, x, y)
    params: dict[str, Any] = {"z": z, "x": x, "y": y, "layer": collection.id}
    if collection.layer is None:
        assert collection.level is not None
        level, shown, band = collection.level, shown_level(collection.level, z), band_for(z)
        assert band is not None or shown == level  # summaries end within the bands
        if band is not None:
            params.update(level=level, shown=shown, summary=shown != level)
            return band_statement("tiles/tile_areas_generalized.sql", band), params
        else:
            params.update(level=level, tolerance=stored_tolerance(z))
            name = "tiles/tile_areas.sql"
    else:
        hidden = [k for k, a in collection.layer.attributes.items() if a.visibility == "restricted"]
        params.update(
            hidden=[] if viewer.internal else hidden,
            internal=viewer.internal,
            own=sorted(viewer.own),
            show_status=viewer.sees_internal_fields,
        )
        name = "tiles/tile_facilities.sql"
    return statement(name), params


def tile(
    conn: Connection, collection: FeatureCollection, z: int, x: int, y: int, viewer: Viewer
) -> bytes:
    """The MVT bytes of one tile (empty bytes for an empty tile)."""
    query, params = tile_query(collection, z, x, y, viewer)
    return bytes(conn.execute(query, params).scalar() or b"")


def etag(content: bytes) -> str:
    """A strong ETag of the tile content."""
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def tilejson(
    base_url: str,
    collection: FeatureCollection,
    title: str,
    bbox: list[float] | None,
    fields: dict[str, str],
) -> dict[str, Any]:
    """TileJSON 3.0 for one collection's tiles."""
    west, south, east, north = bbox or [94.0, -11.5, 142.0, 6.5]
    return {
        "tilejson": "3.0.0",
        "name": collection.id,
        "description": title,
        "scheme": "xyz",
        "tiles": [f"{base_url}collections/{collection.id}/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}"],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "bounds": [west, south, east, north],
        "center": [(west + east) / 2, (south + north) / 2, _center_zoom(west, east)],
        "vector_layers": [{"id": collection.id, "description": title, "fields": fields}],
    }


WEB_MERCATOR_QUAD = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
EPSG_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
#: Half the extent of Web Mercator in metres (the tile matrix's origin is at -X, +X).
_HALF_EXTENT = 20037508.3427892
_REL = "http://www.opengis.net/def/rel/ogc/1.0/"


def tileset_members(base_url: str, self_url: str, title: str) -> dict[str, Any]:
    """The OGC API - Tiles tileset metadata members, which a TileJSON document carries
    beside its own (both formats allow the other's members): one document for MapLibre and
    for OGC clients. The tile template keeps this service's z/x/y order, which the link names."""
    return {
        "title": title,
        "dataType": "vector",
        "crs": EPSG_3857,
        "tileMatrixSetURI": WEB_MERCATOR_QUAD,
        "links": [
            {"rel": "self", "href": self_url, "type": "application/json"},
            {
                "rel": f"{_REL}tiling-scheme",
                "href": f"{base_url}tileMatrixSets/WebMercatorQuad",
                "type": "application/json",
            },
            {
                "rel": "item",
                "href": f"{self_url}/{{tileMatrix}}/{{tileCol}}/{{tileRow}}",
                "templated": True,
                "type": MVT,
            },
        ],
    }


def tileset_list(base_url: str, self_url: str, title: str) -> dict[str, Any]:
    """The tilesets of a collection or of the dataset: one, in WebMercatorQuad."""
    return {
        "links": [{"rel": "self", "href": self_url, "type": "application/json"}],
        "tilesets": [
            {
                "title": title,
                "dataType": "vector",
                "crs": EPSG_3857,
                "tileMatrixSetURI": WEB_MERCATOR_QUAD,
                "links": [
                    {
                        "rel": "self",
                        "href": f"{self_url}/WebMercatorQuad",
                        "type": "application/json",
                    },
                    {
                        "rel": f"{_REL}tiling-scheme",
                        "href": f"{base_url}tileMatrixSets/WebMercatorQuad",
                        "type": "application/json",
                    },
                ],
            }
        ],
    }


def tile_matrix_sets(base_url: str) -> dict[str, Any]:
    """The list of tiling schemes: WebMercatorQuad."""
    return {
        "tileMatrixSets": [
            {
                "id": "WebMercatorQuad",
                "title": "Google Maps Compatible for the World",
                "uri": WEB_MERCATOR_QUAD,
                "links": [
                    {
                        "rel": "self",
                        "href": f"{base_url}tileMatrixSets/WebMercatorQuad",
                        "type": "application/json",
                    }
                ],
            }
        ]
    }


def web_mercator_quad(base_url: str) -> dict[str, Any]:
    """WebMercatorQuad as OGC Two Dimensional Tile Matrix Set 2.0 defines it."""
    cell_z0 = 2 * _HALF_EXTENT / 256
    return {
        "id": "WebMercatorQuad",
        "title": "Google Maps Compatible for the World",
        "uri": WEB_MERCATOR_QUAD,
        "crs": EPSG_3857,
        "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "links": [
            {
                "rel": "self",
                "href": f"{base_url}tileMatrixSets/WebMercatorQuad",
                "type": "application/json",
            }
        ],
        "tileMatrices": [
            {
                "id": str(z),
                # the standardized rendering pixel: 0.28 mm
                "scaleDenominator": cell_z0 / 2**z / 0.00028,
                "cellSize": cell_z0 / 2**z,
                "cornerOfOrigin": "topLeft",
                "pointOfOrigin": [-_HALF_EXTENT, _HALF_EXTENT],
                "tileWidth": 256,
                "tileHeight": 256,
                "matrixWidth": 2**z,
                "matrixHeight": 2**z,
            }
            for z in range(MAX_ZOOM + 1)
        ],
    }


def _center_zoom(west: float, east: float) -> int:
    span = max(east - west, 1e-6)
    return max(0, min(16, int(math.log2(360 / span))))


#: The boundary level the composite tile shows at each zoom: coarse levels at low zooms keep a
#: national tile small without dropping anything (the finer level is one zoom band away).
LEVEL_BY_ZOOM = (
    (0, 5, "provinsi"),
    (6, 8, "kabkota"),
    (9, 11, "kecamatan"),
    (12, MAX_ZOOM, "kelurahan"),
)


def boundary_collection_for(z: int) -> str:
    """The boundary collection the composite tile carries at zoom ``z``."""
    return next(name for low, high, name in LEVEL_BY_ZOOM if low <= z <= high)


def all_collections(catalog: Catalog) -> list[FeatureCollection]:
    """Every collection: the boundary levels, then the layers."""
    return [resolve(catalog, cid) for cid in [*BOUNDARY_COLLECTIONS, *catalog.layers]]


def members(
    catalog: Catalog, collection_id: str | None, z: int, x: int, y: int
) -> list[FeatureCollection]:
    """The collections one tile request carries: ``collection_id``'s, or for the composite tile
    (None) the boundary level of zoom ``z`` and every facility layer. NotFound or BadRequest
    for an unknown collection or an address outside WebMercatorQuad."""
    if collection_id is not None:
        collection = resolve(catalog, collection_id)  # an unknown collection is a 404 first
        check_tile(z, x, y)
        return [collection]
    check_tile(z, x, y)
    level = boundary_collection_for(z)
    return [c for c in all_collections(catalog) if c.layer is not None or c.id == level]


def build(
    conn: Connection, collections: list[FeatureCollection], z: int, x: int, y: int, viewer: Viewer
) -> bytes:
    """The tile of ``collections`` (see :func:`members`). MVT layers are independent protobuf
    messages, so the per-collection tiles of a composite tile concatenate into one."""
    return b"".join(tile(conn, c, z, x, y, viewer) for c in collections)


async def tile_async(
    conn: asyncpg.Connection,
    collections: list[FeatureCollection],
    z: int,
    x: int,
    y: int,
    viewer: Viewer,
) -> bytes:
    """:func:`build` on an asyncpg connection (the same SQL, for the anonymous fast path).
    asyncpg prepares each statement once per connection and keeps it (its statement cache)."""
    parts = []
    for collection in collections:
        query, params = tile_query(collection, z, x, y, viewer)
        numbered, names = rendered(query, _ASYNCPG)
        content = await conn.fetchval(numbered, *(params[name] for name in names))
        parts.append(bytes(content or b""))
    return b"".join(parts)


#: Compiles the tile SQL for asyncpg; only its text and parameter order are used (no driver).
_ASYNCPG = asyncpg_dialect()


@cache
def rendered(query: TextClause, dialect: Dialect | None = None) -> tuple[str, tuple[str, ...]]:
    """``query`` as text for ``dialect`` (asyncpg: ``$1``, ``$2``...; None: ``:name``) with
    its constants (the band) rendered, and the names of its parameters in order: SQLAlchemy's
    compiler, as the routes' execution does for psycopg (a name used twice is one parameter;
    ``::`` casts stay). The parameters get placeholder values only so that the constants can
    be rendered; they stay parameters."""
    binds = query.compile(dialect=dialect).binds
    placeholders = {name: None for name, bind in binds.items() if not bind.literal_execute}
    compiled = query.params(placeholders).compile(
        dialect=dialect, compile_kwargs={"render_postcompile": True}
    )
    return str(compiled), tuple(compiled.positiontup or ())


def style(base_url: str, collections: list[FeatureCollection], lang: str) -> dict[str, Any]:
    """A MapLibre style for the composite tiles, from the layer styles (no sprites or fonts,
    so it needs nothing but this service)."""
    layers: list[dict[str, Any]] = [
        {"id": "latar", "type": "background", "paint": {"background-color": "#f8f9fa"}}
    ]
    for low, high, name in LEVEL_BY_ZOOM:
        band = {"minzoom": low, "maxzoom": high + 1}
        layers.append(
            {
                "id": f"{name}-isi",
                "type": "fill",
                "source": "geoservice",
                "source-layer": name,
                **band,
                "paint": {"fill-color": "#dee2e6", "fill-opacity": 0.35},
            }
        )
        layers.append(
            {
                "id": f"{name}-batas",
                "type": "line",
                "source": "geoservice",
                "source-layer": name,
                **band,
                "paint": {"line-color": "#495057", "line-width": 1},
            }
        )
    for c in collections:
        if c.layer is None:
            continue
        st = c.layer.style
        layers.append(
            {
                "id": c.id,
                "type": "circle",
                "source": "geoservice",
                "source-layer": c.id,
                "metadata": {"title": c.layer.title.get(lang)},
                "paint": {
                    "circle-color": st.fill_color,
                    "circle-stroke-color": st.color,
                    "circle-stroke-width": 1,
                    "circle-radius": st.radius,
                    "circle-opacity": st.fill_opacity,
                },
            }
        )
    return {
        "version": 8,
        "name": "geoservice",
        "sources": {"geoservice": {"type": "vector", "url": f"{base_url}tiles/WebMercatorQuad"}},
        "layers": layers,
    }
