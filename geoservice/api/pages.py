"""The map pages: ``/map`` for the public, ``/editor`` for PICs, ``/review`` for the walidata;
and ``/accounts``, the walidata's account management (a page without a map).

Each route decides who may see the page (with the same ``Principal`` rules as the API), asks
``maps`` for the folium map and renders it into a template with the page's configuration: the
layer schemas, the labels its script shows, and the CSRF token its writes send. The writes
themselves go to the OGC API, which checks everything again.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import Connection

from geoservice import maps
from geoservice.api.indicators import METHODS, PageChoroplethDep
from geoservice.catalog import Catalog, LayerDef
from geoservice.deps import (
    CatalogDep,
    ConnectionDep,
    LanguageDep,
    PrincipalDep,
    ViewerDep,
    get_principal,
)
from geoservice.errors import Forbidden, NotFound, ServiceError
from geoservice.i18n import SCRIPT_LABELS, Language
from geoservice.services import accounts, areas, passwords
from geoservice.services.auth import Principal
from geoservice.services.collections import get_collection
from geoservice.services.feature_query import parse_kode
from geoservice.services.indicators import values as indicator_values
from geoservice.services.indicators import visibility
from geoservice.services.indicators.classes import MAX_CLASSES, MIN_CLASSES
from geoservice.services.points import queues
from geoservice.services.profiles import choropleth as profile_choropleth
from geoservice.services.profiles import published
from geoservice.services.profiles.queues import profile_queue
from geoservice.services.rasters import access as raster_access
from geoservice.services.viewer import Viewer
from geoservice.web import html, security

router = APIRouter(tags=["pages"], include_in_schema=False)
#: The script (static/) of each map page's template.
PAGE_SCRIPTS = {
    "map.html": "publicmap.js",
    "editor.html": "editor.js",
    "review.html": "review.js",
    "planner.html": "planner.js",
}


def layer_schema(layer: LayerDef, lang: Language, internal: bool) -> dict[str, Any]:
    """What a page script needs of a layer: its title, style and the attributes it shows (the
    public ones, or all of them for an editor), in the layer file's order."""
    public = set(layer.public_attributes())
    return {
        "id": layer.id,
        "title": layer.title.get(lang),
        "name_attribute": layer.name_attribute,
        "style": layer.style.model_dump(),
        "attributes": [
            {
                "name": name,
                "title": spec.title.get(lang),
                "type": spec.type,
                "required": spec.required,
                "enum": spec.enum,
                "minimum": spec.minimum,
                "maximum": spec.maximum,
                "max_length": spec.max_length,
                "pattern": spec.pattern,
            }
            for name, spec in layer.attributes.items()
            if internal or name in public
        ],
    }


def _config_json(request: Request, lang: Language, config: dict[str, Any]) -> Markup:
    """A page script's configuration (read by common.js): the service's base URL, the
    language and the script's labels in it, then ``config``."""
    config = {
        "base": str(request.base_url),
        "lang": lang,
        "labels": {key: text[lang] for key, text in SCRIPT_LABELS.items()},
        **config,
    }
    return security.script_json(config)


def _map_page(
    request: Request,
    template: str,
    lang: Language,
    title: str,
    parts: maps.MapParts,
    config: dict[str, Any],
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    nonce = security.csp_nonce(request)
    markup = {
        "header": security.with_nonce(parts.header, nonce),
        "body": security.with_nonce(parts.body, nonce),
        # each inside one of the page's nonced <script>s: folium's, then the hand-over
        "script": security.inline_script(parts.script),
        "handover": security.inline_script(parts.handover),
    }
    response = html.page(
        request,
        template,
        lang,
        title,
        {
            "parts": markup,
            "config": _config_json(request, lang, config),
            "json_url": None,
            "page_script": PAGE_SCRIPTS[template],
            **(context or {}),
        },
    )
    response.status_code = status
    # html.page forbids storing a signed-in user's page; anyone else's is checked each time
    response.headers.setdefault("Cache-Control", "no-cache")
    return response


def _message_page(
    request: Request, lang: Language, error: ServiceError, title_key: str
) -> HTMLResponse:
    response = html.page(
        request, "message.html", lang, html.LABELS[title_key][lang], {"message": error.detail(lang)}
    )
    response.status_code = error.status
    return response


def _basemap(request: Request, lang: Language) -> dict[str, str]:
    return {
        "basemap_url": request.app.state.settings.basemap_url,
        "basemap_note": html.LABELS["map_note"][lang],
    }


@router.get(
    "/map",
    response_class=HTMLResponse,
    summary="Public map",
    dependencies=[Depends(get_principal)],  # the header shows who is signed in
)
def public_map(
    request: Request,
    lang: LanguageDep,
    conn: ConnectionDep,
    catalog: CatalogDep,
    kelurahan: str | None = None,
) -> HTMLResponse:
    """Boundaries and published points; ``?kelurahan=<code>`` opens on that kelurahan. The
    points are the public view for everyone (the script asks without credentials); the
    signed-in user (resolved by the route's dependency) only shows in the page's header."""
    highlight, notice, status = None, None, 200
    if kelurahan is not None:
        try:
            highlight = areas.kelurahan(conn, kelurahan.strip())
        except NotFound as exc:
            notice, status = exc.detail(lang), 404
    bounds = _opening_view(request, conn, catalog)
    parts = maps.public_map(
        base=str(request.base_url),
        catalog=catalog,
        lang=lang,
        boundaries_title=html.LABELS["boundaries"][lang],
        bounds=bounds,
        highlight=highlight,
        **_basemap(request, lang),
    )
    config = {
        "layers": [layer_schema(layer, lang, internal=False) for layer in catalog],
        "boundaries": html.LABELS["boundaries"][lang],
        "highlight": {k: v for k, v in highlight.items() if k != "geometry"} if highlight else None,
    }
    # the public view of the rasters too: the page is the same for everyone
    config["rasters"] = raster_access.overlay_config(
        request.app.state.settings, catalog, Viewer(), lang, str(request.base_url)
    )
    title = html.LABELS["public_map"][lang]
    context = {"notice": notice, "highlight": highlight, "raster_overlay": config["rasters"]}
    return _map_page(request, "map.html", lang, title, parts, config, context, status)


#: How long a process reuses the extent of all kelurahan for the map's opening view when no
#: tile-cache listener tells it that boundaries changed (GEOSERVICE_TILE_CACHE_MB=0): computing
#: it reads every boundary (about 100 ms for the whole country).
OPENING_VIEW_SECONDS = 300


def _opening_view(request: Request, conn: Connection, catalog: Catalog) -> list[float] | None:
    """The extent of all kelurahan, kept until a boundary import is announced."""
    state = request.app.state
    listening = state.tile_listener is not None
    version = state.tile_cache.boundary_generation  # read first: a change meanwhile shows next
    cached = getattr(state, "opening_view", None)
    if (
        cached is None
        or cached[1] != version
        or (not listening and time.monotonic() - cached[0] > OPENING_VIEW_SECONDS)
    ):
        bbox = get_collection(conn, catalog, "id", "kelurahan").bbox
        cached = state.opening_view = (time.monotonic(), version, bbox)
    return cached[2]


def _login_redirect(request: Request, lang: Language) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?lang={lang}&next={quote(target, safe='')}", status_code=303)


@router.get("/editor", response_class=HTMLResponse, summary="Point editor for PICs")
def editor_page(
    request: Request,
    lang: LanguageDep,
    principal: PrincipalDep,
    conn: ConnectionDep,
    catalog: CatalogDep,
    kelurahan: str | None = None,
) -> Response:
    """A PIC's kelurahan (the first assigned one unless ``?kelurahan=`` names another of
    theirs); an admin names any kelurahan, or is sent to the review page to pick one."""
    if principal is None:
        return _login_redirect(request, lang)
    if principal.role == "planner":
        return _message_page(
            request, lang, Forbidden("pages.editor_role", role=principal.role), "forbidden_title"
        )
    mine = sorted(principal.kelurahan)
    if kelurahan is None:
        if principal.role != "pic":
            return RedirectResponse(f"/review?lang={lang}", status_code=303)
        if not mine:
            return _message_page(request, lang, Forbidden("pages.no_kelurahan"), "forbidden_title")
        kelurahan = mine[0]
    code = kelurahan.strip()
    if not principal.may_edit(code):
        # kelurahan by name (with the code beside it), as people know them
        named = {a["kode"]: a["nama"] for a in areas.names(conn, [code, *mine])}
        yours = ", ".join(f"{named.get(c, c)} ({c})" for c in mine) or "-"
        asked = f"{named[code]} ({code})" if code in named else code
        error = Forbidden("pages.not_your_kelurahan", code=asked, mine=yours)
        return _message_page(request, lang, error, "forbidden_title")
    try:
        area = areas.kelurahan(conn, code)
    except NotFound as exc:
        return _message_page(request, lang, exc, "not_found_title")
    parts = maps.editor_map(
        base=str(request.base_url),
        catalog=catalog,
        lang=lang,
        kelurahan=area,
        **_basemap(request, lang),
    )
    config = {
        "layers": [layer_schema(layer, lang, internal=True) for layer in catalog],
        "kelurahan": {k: v for k, v in area.items() if k != "geometry"},
        "csrf": principal.csrf_token,
    }
    title = f"{html.LABELS['editor_title'][lang]}: {area['nama']}"
    choices = areas.names(conn, mine) if len(mine) > 1 else []
    context = {"area": area, "choices": choices}
    return _map_page(request, "editor.html", lang, title, parts, config, context)


@router.get("/review", response_class=HTMLResponse, summary="Review submitted points (admin)")
def review_page(
    request: Request,
    lang: LanguageDep,
    principal: PrincipalDep,
    conn: ConnectionDep,
    catalog: CatalogDep,
    kode: str | None = None,
) -> Response:
    """Submitted points per kelurahan, oldest first, to verify or reject with a reason."""
    if principal is None:
        return _login_redirect(request, lang)
    if not principal.may_review():
        error = Forbidden("pages.review_admin", role=principal.role)
        return _message_page(request, lang, error, "forbidden_title")
    queue = queues.submissions(conn, catalog, principal, parse_kode(kode))
    points = [p for entry in queue for p in entry["points"]]
    parts = maps.review_map(
        base=str(request.base_url),
        points=points,
        boundaries_title=html.LABELS["boundaries"][lang],
        **_basemap(request, lang),
    )
    config = {
        "layers": [layer_schema(layer, lang, internal=True) for layer in catalog],
        "csrf": principal.csrf_token,
        "queue": queue,
    }
    titles = {layer.id: layer.title.get(lang) for layer in catalog}
    attribute_titles = {
        layer.id: {name: spec.title.get(lang) for name, spec in layer.attributes.items()}
        for layer in catalog
    }
    context = {
        "queue": queue,
        "layer_titles": titles,
        "attribute_titles": attribute_titles,
        "profiles": profile_queue(conn, catalog, principal, parse_kode(kode), lang),
    }
    return _map_page(
        request, "review.html", lang, html.LABELS["review_title"][lang], parts, config, context
    )


@router.get("/accounts", response_class=HTMLResponse, summary="Manage accounts (admin)")
def accounts_page(
    request: Request, lang: LanguageDep, principal: PrincipalDep, conn: ConnectionDep
) -> Response:
    """Every account, with what a walidata does to them: create one, let a PIC edit a
    kelurahan or take it away, disable or enable, set a new password. The page's script
    sends these to the /users API, which checks everything again."""
    if principal is None:
        return _login_redirect(request, lang)
    if not principal.may_review():
        error = Forbidden("pages.accounts_admin", role=principal.role)
        return _message_page(request, lang, error, "forbidden_title")
    users = accounts.list_users(conn)
    codes = sorted({code for user in users for code in user.kelurahan})
    names = {area["kode"]: area["nama"] for area in areas.names(conn, codes)}
    context = {
        "users": users,
        "names": names,
        "me": principal.username,
        "config": _config_json(request, lang, {"csrf": principal.csrf_token}),
        "minimum": passwords.MIN_PASSWORD_LENGTH,
    }
    return html.page(request, "accounts.html", lang, html.LABELS["accounts_title"][lang], context)


@router.get("/planner", response_class=HTMLResponse, summary="Indicator map for planners")
def planner_page(
    request: Request,
    lang: LanguageDep,
    conn: ConnectionDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    query: PageChoroplethDep,
    indikator: str | None = None,
    kode: str | None = None,
) -> Response:
    """An indicator's choropleth for a kabupaten/kota (or any area code), with the published
    points; indicator, period, comparison period, method and classes can be switched. The
    public sees public indicators (small values withheld); planners and admins see all.

    The choropleth's parameters are the API's (:class:`ChoroplethQuery` under the Bahasa names
    ``periode, banding, metode, kelas``): a method or a number of classes the API refuses is
    the same 400 here. A period without values falls back to the latest, as the form offers."""
    known = indicator_values.all_periods(conn)
    shown = [i for i in visibility.visible_indicators(catalog, viewer) if known.get(i.code)]
    # numeric profile fields beside the indicators ("Jumlah RT (profil)"), with their periods
    fields = profile_choropleth.planner_choices(conn, catalog, viewer, lang)
    known.update({f["code"]: f["periods"] for f in fields})
    chosen_indicator: Any = shown[0] if shown else None
    profile_field = None
    if indikator is not None:
        profile_field = profile_choropleth.find_field(catalog, indikator, viewer)
        try:
            chosen_indicator = (
                profile_choropleth.as_indicator(*profile_field)
                if profile_field is not None
                else visibility.get_indicator(catalog, indikator, viewer)
            )
        except NotFound as exc:
            return _message_page(request, lang, exc, "not_found_title")
    scopes: list[dict[str, str]] = []
    scope = ""
    if chosen_indicator is not None:
        scopes = (
            profile_choropleth.kabkota_with_profiles(conn, profile_field[0])
            if profile_field is not None
            else indicator_values.kabkota_with_values(conn, chosen_indicator.code)
        )
        try:
            scope = visibility.check_scope(kode) or (scopes[0]["kode"] if scopes else "")
        except ServiceError as exc:
            return _message_page(request, lang, exc, "not_found_title")
        if scope and scope not in {s["kode"] for s in scopes}:
            scopes.append({"kode": scope, "nama": scope})
    periods = known.get(chosen_indicator.code, []) if chosen_indicator else []
    chosen = {
        "indikator": chosen_indicator.code if chosen_indicator else None,
        "kode": scope,
        "periode": query.period if query.period in periods else (periods[-1] if periods else None),
        "banding": query.compare if query.compare in periods and not profile_field else None,
        "metode": query.method,
        "kelas": query.k,
    }
    title = html.LABELS["planner_title"][lang]
    parts = maps.planner_map(
        base=str(request.base_url),
        catalog=catalog,
        lang=lang,
        choropleth_title=chosen_indicator.title.get(lang) if chosen_indicator else title,
        bounds=indicator_values.scope_bounds(conn, scope) if scope else None,
        **_basemap(request, lang),
    )
    principal: Principal | None = getattr(request.state, "principal", None)
    importer = principal if principal is not None and principal.may_import_indicators() else None
    may_import = importer is not None
    config = {
        "layers": [layer_schema(layer, lang, internal=False) for layer in catalog],
        # the import form's writes carry the session's CSRF token (planners and admins only)
        "csrf": importer.csrf_token if importer is not None else None,
        "indicators": [
            {
                "code": i.code,
                "title": i.title.get(lang),
                "unit": i.unit.get(lang),
                "source": i.source,
                "decimals": i.decimals,
                "periods": known.get(i.code, []),
            }
            for i in shown
        ]
        + fields,
        # the published profile fields a popup lists, with their titles, units and choices
        "profile_fields": published.popup_fields(catalog, viewer, lang),
        "chosen": chosen,
        "rasters": raster_access.overlay_config(
            request.app.state.settings, catalog, viewer, lang, str(request.base_url)
        ),
    }
    context = {
        "indicators": [{"code": i.code, "title": i.title.get(lang), "visibility": i.visibility}
                       for i in shown] + fields,
        "scopes": scopes,
        "periods": periods,
        "chosen": chosen,
        "methods": [(m, html.LABELS[m][lang]) for m in METHODS],
        "class_counts": range(MIN_CLASSES, MAX_CLASSES + 1),
        "may_import": may_import,
        "compares": profile_field is None,  # a profile field's map compares no periods
        "raster_overlay": config["rasters"],
    }  # fmt: skip
    return _map_page(request, "planner.html", lang, title, parts, config, context)
