"""Vector tiles per collection (OGC API - Tiles, WebMercatorQuad) and their TileJSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from geoservice.api.features import ViewerDep
from geoservice.deps import CatalogDep, ConnectionDep, LanguageDep
from geoservice.services import features, tiles
from geoservice.services.collections import get_collection

router = APIRouter(tags=["tiles"])
_FIELD_TYPES = {
    "string": "String",
    "date": "String",
    "integer": "Number",
    "number": "Number",
    "boolean": "Boolean",
}


TILE_PATH = "/collections/{collection_id}/tiles/WebMercatorQuad/{z}/{x}/{y}"


@router.get(
    TILE_PATH,
    summary="A vector tile (MVT)",
    response_class=Response,
    responses={200: {"content": {tiles.MVT: {}}, "description": "Mapbox Vector Tile"}},
)
@router.head(TILE_PATH, include_in_schema=False)
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
    content = tiles.tile(conn, collection, z, x, y, viewer)
    tag = tiles.etag(content)
    headers = {"ETag": tag, "Cache-Control": "public, max-age=60"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    # For HEAD the server sends the headers (length included) and drops the body.
    return Response(content, media_type=tiles.MVT, headers=headers)


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
