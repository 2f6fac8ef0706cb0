"""``/collections``: the boundary levels and facility layers (the full OGC API comes later)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from geoservice.deps import CatalogDep, ConnectionDep, LanguageDep
from geoservice.services.collections import get_collection, list_collections
from geoservice.web import html
from geoservice.web.html import HTML_TOO, FormatParam, wants_html

router = APIRouter(tags=["collections"])


@router.get("/collections", summary="Boundary levels and facility layers", responses=HTML_TOO)
def collections(
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    lang: LanguageDep,
    f: FormatParam = None,
) -> Any:
    """Every collection with its title (in the requested language), count and extent."""
    base = str(request.base_url)
    listed = list_collections(conn, catalog, lang)
    if wants_html(request, f):
        title = html.LABELS["collections"][lang]
        return html.page(request, "collections.html", lang, title, {"collections": listed})
    return {
        "links": [
            {"href": f"{base}collections", "rel": "self", "type": "application/json"},
            {"href": f"{base}collections?f=html", "rel": "alternate", "type": "text/html"},
        ],
        "collections": [c.as_json(base) for c in listed],
    }


@router.get("/collections/{collection_id}", summary="One collection", responses=HTML_TOO)
def collection(
    collection_id: str,
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    lang: LanguageDep,
    f: FormatParam = None,
) -> Any:
    """A boundary level or a layer; 404 problem JSON naming the available ids otherwise."""
    info = get_collection(conn, catalog, lang, collection_id)
    if wants_html(request, f):
        return html.page(request, "collection.html", lang, info.title, {"collection": info})
    return info.as_json(str(request.base_url))
