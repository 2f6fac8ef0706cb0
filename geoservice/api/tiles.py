"""Vector tiles per collection (OGC API - Tiles, WebMercatorQuad) and their TileJSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response

from geoservice.api.features import ViewerDep
from geoservice.deps import CatalogDep, ConnectionDep, LanguageDep
from geoservice.services import features, tiles
from geoservice.services.collections import BOUNDARY_COLLECTIONS, get_collection

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
    conn: ConnectionDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
) -> Response:
    """Every feature of the tile, simplified for its zoom; ETag and Cache-Control set."""
    collection = features.resolve(catalog, collection_id)
    return _tile_response(request, tiles.tile(conn, collection, z, x, y, viewer))


def _tile_response(request: Request, content: bytes) -> Response:
    tag = tiles.etag(content)
    headers = {"ETag": tag, "Cache-Control": "public, max-age=60"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    # For HEAD the server sends the headers (length included) and drops the body.
    return Response(content, media_type=tiles.MVT, headers=headers)


@_tile_route("/tiles/WebMercatorQuad/{z}/{x}/{y}", "A vector tile of every collection")
def get_composite_tile(
    z: int,
    x: int,
    y: int,
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
) -> Response:
    """The boundary level of this zoom and every facility layer, in one tile."""
    collections = _all_collections(catalog)
    return _tile_response(request, tiles.composite_tile(conn, collections, z, x, y, viewer))


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
    else:
        names = collection.property_names(viewer)
        fields = {
            name: _FIELD_TYPES[collection.layer.attributes[name].type]
            for name in names
            if name in collection.layer.attributes
        }
        fields.update({"kode_kelurahan": "String", "contoh": "Boolean"})
    return tiles.tilejson(str(request.base_url), collection, info.title, info.bbox, fields)
