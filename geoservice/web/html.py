"""HTML pages for people: the same resources as the JSON, rendered with Jinja2, with a small
Leaflet map. Leaflet comes from the XStatic-Leaflet package and is served by this service
(``/static/leaflet``), so the pages work with no internet; only the basemap tiles come from
``GEOSERVICE_BASEMAP_URL`` (OpenStreetMap by default), and the map works without them."""

from __future__ import annotations

import json
from importlib import resources
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from geoservice.deps import get_principal
from geoservice.errors import BadRequest, Unauthorized
from geoservice.i18n import PAGE_LABELS, Language
from geoservice.services.auth import Principal
from geoservice.web import static
from geoservice.web.security import csp_nonce, script_json_text

#: ``f``: the output format (``json`` or ``html``); without it, the Accept header decides.
FormatParam = Annotated[str | None, Query(description="json (default) or html")]
#: OpenAPI note that a route also answers with an HTML page.
HTML_TOO: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "JSON, or an HTML page with f=html"}
}
#: The labels of the pages, by key and language (the routers take their titles from here).
LABELS = PAGE_LABELS

_templates = Jinja2Templates(directory=str(resources.files("geoservice") / "templates"))
_templates.env.globals.update(static=static.own, leaflet=static.leaflet)


def wants_html(request: Request, f: str | None, formats: tuple[str, ...] = ("json",)) -> bool:
    """``f=html``, or no ``f`` and a browser's Accept (text/html before any JSON).

    ``f`` must be ``html`` or one of ``formats`` (BadRequest naming them otherwise); a client
    that accepts ``*/*`` or JSON gets JSON, as GDAL, OWSLib and folium expect.
    """
    if f is not None:
        allowed = ("html", *formats)
        if f.lower() not in allowed:
            raise BadRequest("features.format", value=f, formats=", ".join(allowed))
        return f.lower() == "html"
    return prefers_html(request.headers.get("accept"))


def prefers_html(accept: str | None) -> bool:
    """A browser's Accept: text/html named before any JSON type."""
    accept = accept or ""
    at_html, at_json = accept.find("text/html"), accept.find("json")
    return at_html >= 0 and (at_json < 0 or at_html < at_json)


def page(
    request: Request,
    template: str,
    lang: Language,
    title: str,
    context: dict[str, Any],
    geojson: str | None = None,
) -> HTMLResponse:
    """Render ``template`` with the labels of ``lang`` and, for the map, ``geojson`` text."""
    settings = request.app.state.settings
    other = "en" if lang == "id" else "id"
    user = _signed_in(request)
    response = _templates.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "title": title,
            "t": {key: text[lang] for key, text in LABELS.items()},
            "base": str(request.base_url),
            "switch_language": str(request.url.include_query_params(lang=other)),
            "json_url": str(request.url.include_query_params(f="json")),
            "basemap": settings.basemap_url,
            # inside <script type="application/json">: <, >, &, U+2028/9 escaped
            "geojson": script_json_text(geojson) if geojson else None,
            "csp_nonce": csp_nonce(request),
            "dumps": json.dumps,
            "user": user,
            **context,
        },
    )
    if user is not None:
        # the page carries the user's name and CSRF token: no cache may keep it
        response.headers["Cache-Control"] = "no-store"
    return response


def _signed_in(request: Request) -> Principal | None:
    """Who the page's header names: the principal the route resolved, or for a route that
    needs none (landing, collections), the session's or token's own, which costs a query only
    when the request carries one. A token that is not valid reads as signed out here."""
    if hasattr(request.state, "principal"):
        return request.state.principal  # type: ignore[no-any-return]
    state = request.app.state
    try:
        return get_principal(request, state.settings)
    except Unauthorized:
        return None
