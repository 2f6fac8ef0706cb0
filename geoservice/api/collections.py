"""``/collections``: the boundary levels and facility layers (the full OGC API comes later)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from geoservice.deps import CatalogDep, ConnectionDep, LanguageDep
from geoservice.services.collections import get_collection, list_collections

router = APIRouter(tags=["collections"])


@router.get("/collections", summary="Boundary levels and facility layers")
def collections(
    request: Request, conn: ConnectionDep, catalog: CatalogDep, lang: LanguageDep
) -> dict[str, Any]:
    """Every collection with its title (in the requested language), count and extent."""
    base = str(request.base_url)
    return {
        "links": [
            {"href": f"{base}collections", "rel": "self", "type": "application/json"},
        ],
        "collections": [c.as_json(base) for c in list_collections(conn, catalog, lang)],
    }


@router.get("/collections/{collection_id}", summary="One collection")
def collection(
    collection_id: str,
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    lang: LanguageDep,
) -> dict[str, Any]:
    """A boundary level or a layer; 404 problem JSON naming the available ids otherwise."""
    return get_collection(conn, catalog, lang, collection_id).as_json(str(request.base_url))
