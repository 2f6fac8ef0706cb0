"""``/`` and ``/conformance``: the OGC API landing page and conformance classes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from geoservice import assets
from geoservice.deps import LanguageDep
from geoservice.web import html
from geoservice.web.html import HTML_TOO, FormatParam, wants_html

router = APIRouter(tags=["service"])

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/core-roles-features",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/sortables",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
]


@router.get("/", summary="Landing page", responses=HTML_TOO)
def landing(request: Request, lang: LanguageDep, f: FormatParam = None) -> Any:
    """Title, description and the links a client starts from (JSON, or HTML for people)."""
    base = str(request.base_url)
    title = {"id": "geoservice: data spasial kelurahan", "en": "geoservice: kelurahan data"}
    body: dict[str, Any] = {
        "title": title[lang],
        "description": {
            "id": "Batas wilayah Kemendagri dan fasilitas kelurahan (OGC API - Features).",
            "en": "Kemendagri boundaries and kelurahan facilities (OGC API - Features).",
        }[lang],
        "links": [
            {"href": base, "rel": "self", "type": "application/json"},
            {
                "href": f"{base}api",
                "rel": "service-desc",
                "type": "application/vnd.oai.openapi+json;version=3.0",
            },
            {"href": f"{base}docs", "rel": "service-doc", "type": "text/html"},
            {"href": f"{base}conformance", "rel": "conformance", "type": "application/json"},
            {"href": f"{base}collections", "rel": "data", "type": "application/json"},
            {
                "href": f"{base}tiles",
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                "type": "application/json",
            },
            {
                "href": f"{base}tileMatrixSets",
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
                "type": "application/json",
            },
            {"href": f"{base}?f=html", "rel": "alternate", "type": "text/html"},
            # the DCAT-AP 3 catalog of the datasets (what CKAN harvests): IANA's describedby
            {
                "href": f"{base}catalog.jsonld",
                "rel": "describedby",
                "type": "application/ld+json",
                "title": "DCAT-AP 3",
            },
            {"href": f"{base}catalog.ttl", "rel": "describedby", "type": "text/turtle"},
            {"href": f"{base}katalog", "rel": "describedby", "type": "text/html"},
        ],
    }
    if wants_html(request, f):
        context = {"description": body["description"]}
        return html.page(request, "landing.html", lang, title[lang], context)
    return body


@router.get("/docs", include_in_schema=False)
def docs(request: Request, lang: LanguageDep) -> HTMLResponse:
    """Interactive API documentation: Swagger UI from the pinned npm package, served here."""
    base = str(request.base_url)
    context = {
        "swagger_js": assets.SWAGGER_UI.url(base, "swagger-ui-bundle.js"),
        "swagger_css": assets.SWAGGER_UI.url(base, "swagger-ui.css"),
    }
    return html.page(request, "docs.html", lang, "API", context)


@router.get("/api", summary="The OpenAPI document", include_in_schema=False)
def api(request: Request) -> JSONResponse:
    """The service description (FastAPI's OpenAPI document) under the OGC API's ``/api``."""
    return JSONResponse(
        request.app.openapi(), media_type="application/vnd.oai.openapi+json;version=3.0"
    )


@router.get("/conformance", summary="Conformance classes")
def conformance() -> dict[str, list[str]]:
    """The OGC API - Features requirement classes this service implements."""
    return {"conformsTo": CONFORMANCE}
