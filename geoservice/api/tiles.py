"""Vector tiles per collection (OGC API - Tiles, WebMercatorQuad) and their TileJSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response

from geoservice.catalog import Catalog
from geoservice.deps import (
    CatalogDep,
    ConnectionDep,
    LanguageDep,
    TileCacheDep,
    ViewerDep,
    read_connection,
)
from geoservice.services import features, tiles
from geoservice.services.collections import get_collection
from geoservice.services.tile_cache import COMPOSITE, CachedTile, TileCache
from geoservice.services.viewer import Viewer
from geoservice.web.tile_fastpath import tile_response

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
        for suffix in (".mvt", ".pbf"):  # GDAL's MVT driver wants a name that says MVT
            router.get(path + suffix, include_in_schema=False)(handler)
            router.head(path + suffix, include_in_schema=False)(handler)
        return router.get(
            path,
            summary=summary,
            response_class=Response,
            responses={
                200: {"content": {tiles.MVT: {}}, "description": "Mapbox Vector Tile"},
                204: {"description": "Nothing in this tile"},
            },
        )(handler)

    return register


@_tile_route("/collections/{collection_id}/tiles/WebMercatorQuad/{z}/{x}/{y}", "A vector tile")
def get_tile(
    collection_id: str,
    z: int,
    x: int,
    y: int,
    request: Request,
    cache: TileCacheDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
) -> Response:
    """Every feature of the tile, generalized for its zoom; ETag and Cache-Control set."""
    return _tile(request, cache, catalog, viewer, collection_id, z, x, y)


@_tile_route("/tiles/WebMercatorQuad/{z}/{x}/{y}", "A vector tile of every collection")
def get_composite_tile(
    z: int,
    x: int,
    y: int,
    request: Request,
    cache: TileCacheDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
) -> Response:
    """The boundary level of this zoom and every facility layer, in one tile."""
    return _tile(request, cache, catalog, viewer, None, z, x, y)


def _tile(
    request: Request,
    cache: TileCache,
    catalog: Catalog,
    viewer: Viewer,
    collection_id: str | None,
    z: int,
    x: int,
    y: int,
) -> Response:
    """The tile from the cache, or built (on a connection taken only then) and cached."""
    members = tiles.members(catalog, collection_id, z, x, y)
    # a PIC's tiles differ per PIC (their own kelurahan show drafts): built, not cached
    cacheable = viewer.internal or not viewer.own
    key = (collection_id or COMPOSITE, z, x, y, viewer.internal)
    found = cache.get(key) if cacheable else None
    hit = found is not None
    if found is None:
        generation = cache.generation
        with read_connection(request) as conn:
            # where the answering standby was before the query (None: the primary)
            routing = getattr(request.state, "routing", None)
            replayed = routing.replayed if routing is not None else None
            content = tiles.build(conn, members, z, x, y, viewer)
        found = CachedTile(content, tiles.etag(content))
        if cacheable:
            cache.put(key, found, generation, replayed)
    status, headers, body = tile_response(
        found, hit, not viewer.anonymous, request.headers.get("if-none-match")
    )
    # For HEAD the server sends the headers (length included) and drops the body.
    return Response(body, status_code=status, headers=headers)


@router.get(
    "/tiles/WebMercatorQuad",
    summary="The composite tileset: TileJSON 3.0 and OGC API - Tiles tileset metadata",
)
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
        **tiles.tileset_members(base, f"{base}tiles/WebMercatorQuad", "geoservice"),
    }


@router.get("/styles/default/style.json", summary="MapLibre style of the composite tiles")
def get_style(request: Request, catalog: CatalogDep, lang: LanguageDep) -> dict[str, Any]:
    """Fill and line per boundary level, a circle layer per facility layer, from layers/*.yaml."""
    return tiles.style(str(request.base_url), tiles.all_collections(catalog), lang)


@router.get(
    "/collections/{collection_id}/tiles/WebMercatorQuad",
    summary="A collection's tileset: TileJSON 3.0 and OGC API - Tiles tileset metadata",
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
    base = str(request.base_url)
    return {
        **tiles.tilejson(base, collection, info.title, info.bbox, fields),
        **tiles.tileset_members(
            base, f"{base}collections/{collection_id}/tiles/WebMercatorQuad", info.title
        ),
    }


@router.get("/tileMatrixSets", summary="The tiling schemes (OGC API - Tiles)")
def get_tile_matrix_sets(request: Request) -> dict[str, Any]:
    """WebMercatorQuad, the one tiling scheme of every tileset."""
    return tiles.tile_matrix_sets(str(request.base_url))


@router.get("/tileMatrixSets/WebMercatorQuad", summary="The WebMercatorQuad tiling scheme")
def get_web_mercator_quad(request: Request) -> dict[str, Any]:
    """The OGC 2D Tile Matrix Set 2.0 definition of WebMercatorQuad, zooms 0 to 22."""
    return tiles.web_mercator_quad(str(request.base_url))


@router.get("/tiles", summary="The tilesets of the whole dataset (the composite)")
def get_dataset_tilesets(request: Request) -> dict[str, Any]:
    """The list of tilesets of everything (OGC API - Tiles, dataset tilesets)."""
    base = str(request.base_url)
    return tiles.tileset_list(base, f"{base}tiles", "geoservice")


@router.get("/collections/{collection_id}/tiles", summary="A collection's tilesets")
def get_collection_tilesets(
    collection_id: str, request: Request, catalog: CatalogDep
) -> dict[str, Any]:
    """The list of a collection's tilesets (OGC API - Tiles, geodata tilesets)."""
    features.resolve(catalog, collection_id)
    base = str(request.base_url)
    return tiles.tileset_list(base, f"{base}collections/{collection_id}/tiles", collection_id)
