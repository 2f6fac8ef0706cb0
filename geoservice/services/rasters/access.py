"""Who may see which raster, what the list says of it, and the indicator values its zonal
statistics write.

A restricted raster exists only for internal viewers (planners and admins): for anyone else
its list entry, tiles, legend, point values and statistics are a 404, and the indicators it
declares are restricted too, so /statistics and its exports keep them from the public as well.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy import insert as sa_insert

from geoservice.catalog import Catalog
from geoservice.catalog.rasters import RasterDef
from geoservice.db.models import IndicatorImport
from geoservice.errors import NotFound
from geoservice.i18n import t
from geoservice.services.imports.indicators import upsert_values
from geoservice.services.rasters import storage, zonal
from geoservice.services.viewer import Viewer
from geoservice.settings import Settings


def visible(raster: RasterDef, viewer: Viewer) -> bool:
    """May ``viewer`` see this raster at all?"""
    return raster.visibility == "public" or viewer.internal


def get_raster(catalog: Catalog, raster_id: str, viewer: Viewer) -> RasterDef:
    """The raster ``raster_id``; 404 when unknown or hidden from ``viewer`` (the same answer)."""
    raster = catalog.rasters.get(raster_id)
    if raster is None or not visible(raster, viewer):
        raise NotFound("raster.unknown", id=raster_id)
    return raster


def describe(settings: Settings, raster: RasterDef, lang: str, base: str) -> dict[str, Any]:
    """The list entry of ``raster``: metadata, the import's checksum and grid, and links."""
    info = storage.read_info(settings, raster.id)
    own = f"{base}rasters/{raster.id}"
    links = [
        {"rel": "self", "href": own},
        {"rel": "tilejson", "href": f"{own}/tiles/WebMercatorQuad", "type": "application/json"},
        {"rel": "legend", "href": f"{own}/legend", "type": "application/json"},
    ]
    if info is not None:
        links.append(
            {
                "rel": "item",
                "type": "image/png",
                "href": f"{own}/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}.png",
                "templated": "true",
            }
        )
    return {
        "id": raster.id,
        "title": raster.title.get(lang),
        "description": raster.description.get(lang) if raster.description else None,
        "source": raster.source,
        "licence": raster.licence,
        "year": raster.year,
        "kind": raster.kind,
        "unit": raster.unit.get(lang),
        "visibility": raster.visibility,
        "sample": raster.sample,
        "imported": info is not None,
        "sha256": info["sha256"] if info else None,
        "crs": info["crs"] if info else None,
        "resolution": info["resolution"] if info else None,
        "bounds": info["bounds"] if info else None,
        "imported_at": info["imported_at"] if info else None,
        "indicators": [i.code for i in raster.indicators],
        "metadata": raster.metadata,
        "links": links,
    }


#: The labels of the pages' raster overlay (geoservice/static/rasters.js), by its names.
PAGE_LABELS = {
    "title": "raster.page.title",
    "none": "raster.page.none",
    "opacity": "raster.page.opacity",
    "no_legend": "raster.page.no_legend",
    "sample": "raster.sample_note",
}


def tilejson(
    raster: RasterDef,
    info: dict[str, Any],
    zooms: tuple[int, int],
    bounds: list[float],
    lang: str,
    base: str,
) -> dict[str, Any]:
    """TileJSON 3.0 of the raster's PNG tiles: URL template, zooms, bounds, attribution."""
    minzoom, maxzoom = zooms
    west, south, east, north = bounds
    own = f"{base}rasters/{raster.id}"
    sample = f" — {t('raster.sample_note', lang)}" if raster.sample else ""
    return {
        "tilejson": "3.0.0",
        "name": raster.title.get(lang),
        "description": raster.description.get(lang) if raster.description else None,
        "attribution": f"{raster.source} ({raster.licence}, {raster.year}){sample}",
        "version": str(info.get("sha256", ""))[:16],
        "scheme": "xyz",
        "tiles": [f"{own}/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}.png"],
        "minzoom": max(0, minzoom - 4),
        "maxzoom": maxzoom + 2,
        "bounds": [west, south, east, north],
        "center": [(west + east) / 2, (south + north) / 2, minzoom],
        "legend": f"{own}/legend",
    }


def overlay_config(
    settings: Settings, catalog: Catalog, viewer: Viewer, lang: str, base: str
) -> dict[str, Any] | None:
    """What the map pages' raster overlay needs: the imported rasters ``viewer`` may see, with
    their tile and legend URLs (this service's own), and its labels; None when there is none."""
    shown = [
        {
            "id": r.id,
            "title": r.title.get(lang),
            "tiles": f"{base}rasters/{r.id}/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}.png",
            "legend": f"{base}rasters/{r.id}/legend?lang={lang}",
            "attribution": f"{r.source} ({r.licence}, {r.year})",
            "sample": r.sample,
        }
        for r in catalog.rasters.values()
        if visible(r, viewer) and storage.read_info(settings, r.id) is not None
    ]
    if not shown:
        return None
    return {"list": shown, "labels": {name: t(key, lang) for name, key in PAGE_LABELS.items()}}


def dependents(catalog: Catalog, raster_id: str) -> list[RasterDef]:
    """The rasters whose indicators read ``raster_id``: itself, and those weighted by it."""
    return [
        r
        for r in catalog.rasters.values()
        if r.id == raster_id
        or any(i.weights is not None and i.weights.raster == raster_id for i in r.indicators)
    ]


def waiting(settings: Settings, raster: RasterDef) -> list[str]:
    """The rasters not imported yet that indicators of ``raster`` need."""
    needed = [raster.id] + [i.weights.raster for i in raster.indicators if i.weights]
    return [r for r in dict.fromkeys(needed) if storage.read_info(settings, r) is None]


def write_indicators(engine: Engine, settings: Settings, raster: RasterDef, scope: str = "") -> int:
    """Compute the indicators ``raster`` declares for every desa/kelurahan (of ``scope``) and
    store them as indicator values of the raster's year, as one import; the number written.
    A weighted sum whose second raster is not imported yet is left out (see :func:`waiting`)."""
    info = storage.read_info(settings, raster.id)
    if not raster.indicators or info is None:
        return 0
    with engine.begin() as conn:
        rows = zonal.indicator_rows(conn, settings, raster, scope)
        import_id = conn.execute(
            sa_insert(IndicatorImport)
            .values(
                source=f"raster:{raster.id} sha256:{info.get('sha256', '')[:16]}",
                imported_by="raster",
                rows=len({r[2] for r in rows}),
                values_written=len(rows),
                is_sample=raster.sample,
            )
            .returning(IndicatorImport.id)
        ).scalar_one()
        if rows:
            conn.execute(upsert_values(rows, int(import_id)))
    return len(rows)
