"""Request dependencies: settings, database connection, layer catalog, response language, and
who is asking (the signed-in user, the viewer, the editor requirements)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from geoservice.catalog import Catalog
from geoservice.errors import BadRequest, Forbidden, Unauthorized, database_unavailable
from geoservice.i18n import Language, negotiate
from geoservice.services import auth
from geoservice.services.auth import Principal
from geoservice.services.datasets.computed import AllFigures, FiguresCache
from geoservice.services.exports import CsvLocale, csv_locale
from geoservice.services.tile_cache import TileCache
from geoservice.services.viewer import Viewer
from geoservice.settings import Settings
from geoservice.web.read_routing import Routing


async def reject_nul(request: Request) -> None:
    """400 for a NUL character (0x00) in the path or a query parameter: PostgreSQL text cannot
    hold one, so it would otherwise fail in the database (applied to every route). ``async``:
    it does no I/O, and a plain ``def`` would cost every request a trip to a worker thread."""
    if "\x00" in request.url.path:
        raise BadRequest("bad_request.nul", name="path")
    for name, value in request.query_params.multi_items():
        if "\x00" in name or "\x00" in value:
            raise BadRequest("bad_request.nul", name=name.replace("\x00", "\\x00"))


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings  # type: ignore[no-any-return]


def get_engine(request: Request) -> Engine:
    """The engine of the server this request was routed to (``web.read_routing``: the
    primary for changes, perhaps a standby for reads), else the app's (the primary's)."""
    routing: Routing | None = getattr(request.state, "routing", None)
    if routing is not None:
        routing.used = routing.server
        return routing.server.engine
    return request.app.state.engine  # type: ignore[no-any-return]


@contextmanager
def read_connection(request: Request) -> Iterator[Connection]:
    """A connection to the server this request was routed to; when that standby cannot be
    reached, the primary's (the standby serves no reads until it answers again). 503 when
    neither can be reached."""
    routing: Routing | None = getattr(request.state, "routing", None)
    if routing is None:
        with connect(request.app.state.engine) as conn:
            yield conn
        return
    server = routing.server
    try:
        conn = server.engine.connect()
    except OperationalError as exc:
        if not server.is_replica:
            raise database_unavailable(exc) from exc
        routing.servers.mark_down(server)
        server = routing.servers.primary
        conn = connect(server.engine)
    routing.used = server
    with conn:
        yield conn


def get_catalog(request: Request) -> Catalog:
    """The layer catalog, reloaded when its YAML files changed (see ``CatalogFiles``)."""
    state = request.app.state
    files = getattr(state, "catalog_files", None)
    if files is not None:
        state.catalog = files.current()
    return state.catalog  # type: ignore[no-any-return]


def connect(engine: Engine) -> Connection:
    """A connection from the pool; 503 when the database cannot be reached."""
    try:
        return engine.connect()
    except OperationalError as exc:
        raise database_unavailable(exc) from exc


def get_connection(request: Request) -> Iterator[Connection]:
    """A connection for the request (see :func:`read_connection`); 503 when the database
    cannot be reached."""
    with read_connection(request) as conn:
        yield conn


def get_tile_cache(request: Request) -> TileCache:
    """The process's tile cache."""
    return request.app.state.tile_cache  # type: ignore[no-any-return]


def get_language(
    request: Request,
    lang: Annotated[str | None, Query(description="Response language: id or en.")] = None,
) -> Language:
    """``?lang=`` or ``Accept-Language``; Indonesian by default."""
    return negotiate(lang, request.headers.get("accept-language"))


def get_csv_locale(
    lang: Annotated[Language, Depends(get_language)],
    locale: Annotated[
        CsvLocale | None,
        Query(
            description="CSV locale: id (';' between cells, decimal ',': Excel in Indonesian) "
            "or en (RFC 4180 ',' and '.', for Excel in English and for machines); "
            "by default the response language's. UTF-8 with a byte-order mark either way."
        ),
    ] = None,
) -> CsvLocale:
    """``?locale=``, else the response language's CSV locale (explicit wins)."""
    return csv_locale(locale, lang)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ConnectionDep = Annotated[Connection, Depends(get_connection)]


def get_dataset_figures(request: Request, conn: ConnectionDep) -> AllFigures:
    """The catalogue's computed figures, kept by the process for 30 s (``FiguresCache``)."""
    cache: FiguresCache = request.app.state.dataset_figures
    return cache.get(conn)


DatasetFiguresDep = Annotated[AllFigures, Depends(get_dataset_figures)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
LanguageDep = Annotated[Language, Depends(get_language)]
CsvLocaleDep = Annotated[CsvLocale, Depends(get_csv_locale)]
EngineDep = Annotated[Engine, Depends(get_engine)]
TileCacheDep = Annotated[TileCache, Depends(get_tile_cache)]


#: The web pages' session cookie (the tile fast path treats its bearer as signed in). Sent as
#: ``__Host-geoservice_session`` wherever the browser keeps a Secure cookie (see ``cookie_name``).
SESSION_COOKIE = "geoservice_session"
#: The sign-in form's double-submit token.
LOGIN_COOKIE = "geoservice_login"
_HOST_PREFIX = "__Host-"


def cookies_secure(request: Request, settings: Settings) -> bool:
    """Whether this request's cookies are ``Secure`` and ``__Host-`` named: always outside
    development, and in development over HTTPS or on a loopback address (which browsers treat
    as secure). Only plain HTTP to another host name in development (a LAN address, a test
    client) falls back to unprefixed cookies, which browsers would not keep otherwise."""
    if not settings.development or request.url.scheme == "https":
        return True
    host = (request.url.hostname or "").lower()
    return host in ("localhost", "::1", "[::1]") or host.startswith("127.")


def cookie_name(request: Request, settings: Settings, base: str) -> str:
    """The name of cookie ``base`` for this request. A ``__Host-`` cookie can only be set by
    this very host over a secure connection, without a Domain and for every path, so a
    sibling subdomain cannot plant one (cookie tossing); an unprefixed cookie of the same
    name is ignored wherever the prefixed one is used."""
    return _HOST_PREFIX + base if cookies_secure(request, settings) else base


def session_cookie(request: Request, settings: Settings) -> str | None:
    """The session secret this request carries, under the name that fits the request."""
    return request.cookies.get(cookie_name(request, settings, SESSION_COOKIE))


#: Methods that change something: a cookie session must prove them with its CSRF token.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER = "X-CSRF-Token"


def get_principal(request: Request, settings: SettingsDep) -> Principal | None:
    """The user of the bearer token or of Basic credentials (401 when they are not valid) or
    of the session cookie (an expired session reads as signed out); None for anonymous
    requests, which cost no database query. Always asked of the primary: a token's use is
    recorded, and a session just opened may not have reached a standby yet."""
    engine: Engine = request.app.state.engine
    header = request.headers.get("authorization")
    cookie = session_cookie(request, settings)
    principal = None
    if header is not None or cookie is not None:
        with connect(engine) as conn:
            if header is not None:
                scheme, _, credentials = header.partition(" ")
                if scheme.lower() == "basic":  # a username and an API token (QGIS, curl -u)
                    principal = auth.authenticate_basic(conn, settings, credentials.strip())
                elif scheme.lower() != "bearer" or not credentials.strip():
                    raise Unauthorized("auth.bearer_malformed", bearer_error="invalid_request")
                else:
                    principal = auth.authenticate_token(conn, settings, credentials.strip())
            elif cookie is not None:
                try:
                    principal = auth.authenticate_session(conn, settings, cookie)
                except auth.AccountDisabled as exc:
                    request.state.disabled = exc  # signed out, with the reason for writes
                    principal = None
    request.state.principal = principal  # for the pages' header (signed in as ..., sign out)
    return principal


PrincipalDep = Annotated[Principal | None, Depends(get_principal)]


def get_viewer(principal: PrincipalDep) -> Viewer:
    """What the requester may read: the public view unless signed in."""
    return principal.viewer() if principal is not None else Viewer()


def require_user(request: Request, principal: PrincipalDep) -> Principal:
    """A signed-in user (401 otherwise). A change made with a session cookie must carry the
    session's CSRF token in ``X-CSRF-Token`` (403 otherwise); bearer tokens need none, since
    browsers never attach them on their own."""
    if principal is None:
        disabled = getattr(request.state, "disabled", None)
        raise disabled if disabled is not None else Unauthorized("auth.required")
    if request.method in UNSAFE_METHODS and principal.csrf_token is not None:
        if not auth.csrf_matches(principal, request.headers.get(CSRF_HEADER)):
            raise Forbidden("auth.csrf")
    return principal


ViewerDep = Annotated[Viewer, Depends(get_viewer)]
CurrentUser = Annotated[Principal, Depends(require_user)]


def require_admin(user: CurrentUser) -> Principal:
    """A signed-in admin (walidata); 403 for the other roles."""
    if not user.may_review():
        raise Forbidden("auth.admin_only", role=user.role)
    return user


AdminUser = Annotated[Principal, Depends(require_admin)]
