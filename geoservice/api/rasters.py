"""Rasters over HTTP: the list, PNG tiles (rio-tiler) with their TileJSON and legend, the value
at a point, and zonal statistics per desa/kelurahan (exactextract).

A raster is named by its registry id only (``layers/rasters/<id>.yaml``); its file is the one
``geoservice import raster`` wrote. What a viewer may see is decided by
:mod:`geoservice.services.rasters.access`; rendering runs in bounded worker threads.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from geoservice.deps import (
    CatalogDep,
    ConnectionDep,
    LanguageDep,
    SettingsDep,
    TileCacheDep,
    ViewerDep,
)
from geoservice.errors import BadRequest
from geoservice.services import areas
from geoservice.services.indicators.visibility import check_scope
from geoservice.services.rasters import access, render, storage, zonal
from geoservice.services.tile_cache import CachedTile
from geoservice.services.tiles import check_tile, etag
from geoservice.web.conditional import etag_response, viewer_cache_headers

router = APIRouter(tags=["rasters"])
PNG = "image/png"


def _pool(request: Request) -> render.RenderPool:
    pool: render.RenderPool = request.app.state.raster_pool
    return pool


@router.get("/rasters", summary="Rasters you may see, with their metadata")
def list_rasters(
    request: Request,
    response: Response,
    settings: SettingsDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
) -> dict[str, Any]:
    """Public rasters for everyone; restricted ones for planners and admins only."""
    response.headers.update(viewer_cache_headers(viewer.anonymous))
    base = str(request.base_url)
    return {
        "rasters": [
            access.describe(settings, r, lang, base)
            for r in catalog.rasters.values()
            if access.visible(r, viewer)
        ]
    }


@router.get("/rasters/{raster_id}", summary="One raster and its metadata")
def get_raster(
    raster_id: str,
    request: Request,
    response: Response,
    settings: SettingsDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
) -> dict[str, Any]:
    """The raster's declaration, the import's checksum and grid, and its links."""
    raster = access.get_raster(catalog, raster_id, viewer)
    response.headers.update(viewer_cache_headers(viewer.anonymous))
    return access.describe(settings, raster, lang, str(request.base_url))


@router.get(
    "/rasters/{raster_id}/tiles/WebMercatorQuad/{z}/{x}/{y}.png",
    summary="A PNG tile of the raster",
    response_class=Response,
    responses={200: {"content": {PNG: {}}, "description": "PNG, nodata transparent"}},
)
async def get_raster_tile(
    raster_id: str,
    z: int,
    x: int,
    y: int,
    request: Request,
    settings: SettingsDep,
    catalog: CatalogDep,
    cache: TileCacheDep,
    viewer: ViewerDep,
) -> Response:
    """Drawn with the raster's colormap (cached in process by the file's checksum)."""
    raster = access.get_raster(catalog, raster_id, viewer)
    check_tile(z, x, y)
    path, info = storage.imported(settings, raster)
    key = (f"raster:{raster.id}:{info['sha256']}", z, x, y, False)
    found = cache.get(key)
    hit = found is not None
    if found is None:
        generation = cache.generation
        content = await _pool(request).run(render.tile, path, raster, z, x, y)
        found = CachedTile(content or render.EMPTY_PNG, etag(content or render.EMPTY_PNG))
        cache.put(key, found, generation)
    headers = {
        "ETag": found.etag,
        "X-Cache": "HIT" if hit else "MISS",
        **viewer_cache_headers(viewer.anonymous),
    }
    return etag_response(request, found.content, PNG, headers)


@router.get(
    "/rasters/{raster_id}/tiles/WebMercatorQuad",
    summary="TileJSON 3.0 of the raster's PNG tiles",
)
async def get_raster_tilejson(
    raster_id: str,
    request: Request,
    response: Response,
    settings: SettingsDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
) -> dict[str, Any]:
    """URL template, zooms, bounds and attribution (source, licence, sample)."""
    raster = access.get_raster(catalog, raster_id, viewer)
    path, info = storage.imported(settings, raster)
    # the file's header, once per import: not the tile pool's work (a full pool is a 503)
    zooms = await run_in_threadpool(render.zoom_range, path, info["sha256"])
    bounds = info["bounds"]  # written by every import
    response.headers.update(viewer_cache_headers(viewer.anonymous))
    return access.tilejson(raster, info, zooms, bounds, lang, str(request.base_url))


@router.get("/rasters/{raster_id}/legend", summary="What the raster's colours mean")
def get_raster_legend(
    raster_id: str,
    response: Response,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
) -> dict[str, Any]:
    """Classes with their labels, or stops along the colour ramp; ``sample`` when invented."""
    raster = access.get_raster(catalog, raster_id, viewer)
    response.headers.update(viewer_cache_headers(viewer.anonymous))
    return render.legend(raster, lang)


@router.get("/rasters/{raster_id}/point", summary="The raster's value at a point")
async def get_raster_point(
    raster_id: str,
    request: Request,
    response: Response,
    settings: SettingsDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
    at: Annotated[str, Query(description="longitude,latitude, e.g. 112.0036,-7.8186")],
) -> dict[str, Any]:
    """The value of the cell holding the point (``null`` outside the raster or on nodata)."""
    raster = access.get_raster(catalog, raster_id, viewer)
    lon, lat = areas.parse_point(at)
    path = storage.imported_file(settings, raster)
    response.headers.update(viewer_cache_headers(viewer.anonymous))
    return await _pool(request).run(render.point, path, raster, lon, lat, lang)


@router.get(
    "/rasters/{raster_id}/statistics", summary="Zonal statistics per desa/kelurahan of an area"
)
async def get_raster_statistics(
    raster_id: str,
    request: Request,
    response: Response,
    conn: ConnectionDep,
    settings: SettingsDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    kode: Annotated[str, Query(description="Kemendagri code of the area, e.g. 35.71")],
) -> dict[str, Any]:
    """Coverage-weighted (exactextract): ``sum``, ``mean`` and ``cells`` per desa/kelurahan (or
    ``shares`` of each class), and ``total``, the raster's own sum inside the area, with the
    gaps and overlaps of the polygons that keep the two from being equal."""
    raster = access.get_raster(catalog, raster_id, viewer)
    scope = check_scope(kode)
    if not scope:
        raise BadRequest("raster.scope_required")
    _, info = storage.imported(settings, raster)
    statistics: zonal.StatisticsCache = request.app.state.raster_statistics
    boundaries = request.app.state.tile_cache.boundary_generation  # boundaries re-imported
    key = (raster.id, info["sha256"], scope, boundaries)
    found = statistics.get(key)
    if found is None:
        found = await _pool(request).run(zonal.scope_statistics, conn, settings, raster, scope)
        statistics.put(key, found)
    response.headers.update(viewer_cache_headers(viewer.anonymous))
    return {
        "raster": raster.id,
        "kode": scope,
        "year": raster.year,
        "unit": raster.unit.get("id"),
        "sample": raster.sample,
        "areas": found.areas,
        "total": found.total,
        "check": found.check,
    }
