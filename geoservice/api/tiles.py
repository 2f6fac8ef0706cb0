"""Vector tiles per collection (OGC API - Tiles, WebMercatorQuad) and their TileJSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import Connection, Engine

from geoservice.api.features import ViewerDep
from geoservice.api.tile_fastpath import CACHE_CONTROL_PUBLIC, tile_headers
from geoservice.deps import (
    CatalogDep,
    ConnectionDep,
    EngineDep,
    LanguageDep,
    TileCacheDep,
    connect,
)
from geoservice.services import features, tiles
from geoservice.services.collections import BOUNDARY_COLLECTIONS, get_collection
from geoservice.services.tile_cache import COMPOSITE, CachedTile, TileCache, TileKey

router = APIRouter(tags=["tiles"])
_FIELD_TYPES = {
    "string": "String",
    "date": "String",
    "integer": "Number",
    "number": "Number",
    "boolean": "Boolean",
}


def _tile_route(path: str, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """GET (documented) and HEAD (same handler) for an MVT endpoint."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        router.head(path, include_in_schema=False)(handler)
        return router.get(
            path,
            summary=summary,
            response_class=Response,
            responses={200: {"content": {tiles.MVT: {}}, "description": "Mapbox Vector Tile"}},
        )(handler)

    return register


@_tile_route("/collections/{collection_id}/tiles/WebMercatorQuad/{z}/{x}/{y}", "A vector tile")
def get_tile(
    collection_id: str,
    z: int,
    x: int,
    y: int,
    request: Request,
    engine: EngineDep,
    cache: TileCacheDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
) -> Response:
    """Every feature of the tile, generalized for its zoom; ETag and Cache-Control set."""
    collection = features.resolve(catalog, collection_id)
    tiles.check_tile(z, x, y)
    return _cached_tile(
        request,
        engine,
        cache,
        (collection.id, z, x, y, viewer.internal),
        lambda conn: tiles.tile(conn, collection, z, x, y, viewer),
    )


def _cached_tile(
    request: Request,
    engine: Engine,
    cache: TileCache,
    key: TileKey,
    build: Callable[[Connection], bytes],
) -> Response:
    """The tile from the cache, or built (on a connection taken only then) and cached."""
    found = cache.get(key)
    hit = found is not None
    if found is None:
        generation = cache.generation
        with connect(engine) as conn:
            content = build(conn)
        found = CachedTile(content, tiles.etag(content))
        cache.put(key, found, generation)
    internal = key[-1]
    headers = tile_headers(found, "private, no-cache" if internal else CACHE_CONTROL_PUBLIC, hit)
    if request.headers.get("if-none-match") == found.etag:
        del headers["content-type"]
        return Response(status_code=304, headers=headers)
    # For HEAD the server sends the headers (length included) and drops the body.
    return Response(found.content, media_type=tiles.MVT, headers=headers)


@_tile_route("/tiles/WebMercatorQuad/{z}/{x}/{y}", "A vector tile of every collection")
def get_composite_tile(
    z: int,
    x: int,
    y: int,
    request: Request,
    engine: EngineDep,
    cache: TileCacheDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
) -> Response:
    """The boundary level of this zoom and every facility layer, in one tile."""
    tiles.check_tile(z, x, y)
    collections = _all_collections(catalog)
    return _cached_tile(
        request,
        engine,
        cache,
        (COMPOSITE, z, x, y, viewer.internal),
        lambda conn: tiles.composite_tile(conn, collections, z, x, y, viewer),
    )


@router.get("/tiles/WebMercatorQuad", summary="TileJSON 3.0 of the composite tiles")
def get_composite_tilejson(
    request: Request, catalog: CatalogDep, lang: LanguageDep
) -> dict[str, Any]:
    """URL template and the layers of the composite tile, with the zooms each appears at."""
    base = str(request.base_url)
    vector_layers = [
        {
            "id": name,
            "minzoom": low,
            "maxzoom": high,
            "fields": {"kode": "String", "nama": "String", "jenis": "String"},
        }
        for low, high, name in tiles.LEVEL_BY_ZOOM
    ] + [
        {
            "id": layer.id,
            "description": layer.title.get(lang),
            "minzoom": 0,
            "maxzoom": tiles.MAX_ZOOM,
            "fields": {
                **{n: _FIELD_TYPES[layer.attributes[n].type] for n in layer.public_attributes()},
                "kode_kelurahan": "String",
                "contoh": "Boolean",
            },
        }
        for layer in catalog
    ]
    return {
        "tilejson": "3.0.0",
        "name": "geoservice",
        "scheme": "xyz",
        "tiles": [f"{base}tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}"],
        "minzoom": 0,
        "maxzoom": tiles.MAX_ZOOM,
        "bounds": [94.0, -11.5, 142.0, 6.5],
        "vector_layers": vector_layers,
    }


@router.get("/styles/default/style.json", summary="MapLibre style of the composite tiles")
def get_style(request: Request, catalog: CatalogDep, lang: LanguageDep) -> dict[str, Any]:
    """Fill and line per boundary level, a circle layer per facility layer, from layers/*.yaml."""
    return tiles.style(str(request.base_url), _all_collections(catalog), lang)


def _all_collections(catalog: Any) -> list[features.FeatureCollection]:
    return [features.resolve(catalog, cid) for cid in [*BOUNDARY_COLLECTIONS, *catalog.layers]]


@router.get(
    "/collections/{collection_id}/tiles/WebMercatorQuad",
    summary="TileJSON 3.0 of a collection's tiles",
)
def get_tilejson(
    collection_id: str,
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    lang: LanguageDep,
    viewer: ViewerDep,
) -> dict[str, Any]:
    """Tile URL template, zooms, bounds and the layer's fields, for MapLibre and friends."""
    collection = features.resolve(catalog, collection_id)
    info = get_collection(conn, catalog, lang, collection_id)
    if collection.layer is None:
        fields = {"kode": "String", "nama": "String", "jenis": "String"}
        if collection.level in tiles.SUMMARY_LEVELS:  # low zooms count areas in coarser ones
            fields.update({"jumlah": "Number", "ringkasan": "Boolean"})
    else:
        names = collection.property_names(viewer)
        fields = {
            name: _FIELD_TYPES[collection.layer.attributes[name].type]
            for name in names
            if name in collection.layer.attributes
        }
        fields.update({"kode_kelurahan": "String", "contoh": "Boolean"})
    return tiles.tilejson(str(request.base_url), collection, info.title, info.bbox, fields)
