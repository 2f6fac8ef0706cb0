"""The FastAPI application: ``create_app(settings)`` builds it; nothing happens at import."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from geoservice import __version__, assets
from geoservice.api import (
    areas,
    auth,
    collections,
    datasets,
    editing,
    features,
    health,
    indicators,
    landing,
    pages,
    profiles,
    progress,
    rasters,
    statistics,
    tiles,
    users,
)
from geoservice.catalog import CatalogFiles, load_catalog
from geoservice.db.migrations import refuse_newer_database
from geoservice.db.read_pool import ReadPool
from geoservice.db.servers import TILE_POOL_SIZE, open_servers
from geoservice.db.session import make_engine
from geoservice.deps import reject_nul
from geoservice.errors import (
    BadRequest,
    HTTPProblem,
    InternalError,
    MethodNotAllowed,
    NotFound,
    ServiceBusy,
    ServiceError,
    database_unavailable,
)
from geoservice.i18n import Language, negotiate, t
from geoservice.services.collections import BOUNDARY_COLLECTIONS
from geoservice.services.datasets.computed import FiguresCache
from geoservice.services.rasters.render import RenderPool
from geoservice.services.rasters.zonal import StatisticsCache
from geoservice.services.tile_cache import Listener, TileCache
from geoservice.services.tiles import MVT
from geoservice.settings import Settings
from geoservice.web import html, openapi
from geoservice.web.admission import Admission
from geoservice.web.body_limit import BodyLimit
from geoservice.web.cors import Cors
from geoservice.web.json_guard import JsonGuard
from geoservice.web.read_routing import ReadRouting
from geoservice.web.security import SecurityHeaders
from geoservice.web.static import VersionedStaticFiles
from geoservice.web.tile_fastpath import TileFastPath
from geoservice.web.validation import InvalidRequest

log = logging.getLogger("geoservice")
PROBLEM_JSON = "application/problem+json"


#: The tile pool's connections, as ``pg_stat_activity`` names them.
TILE_POOL_NAME = "geoservice-tiles"
#: /health's connection.
HEALTH_POOL_NAME = "geoservice-health"
#: The event loop uvicorn runs the app on (``geoservice serve``, the benchmarks): the standard
#: library's, not uvloop. Under 256 connections of cached tiles uvloop answered some requests
#: seconds late (wrk p99 2.2-3.0 s, ``/health`` up to 3.8 s; it defers writes and favours new
#: requests over finishing ones, MagicStack/uvloop#123 and #631) where asyncio's loop kept p99 at
#: 0.33 s at the same throughput; uvloop is only faster at a few connections (see
#: docs/benchmarks.md, *Load*).
UVICORN_LOOP = "asyncio"


class _Admitted:
    """Puts the app's one :class:`Admission` (kept on ``app.state`` for its counters) in the
    middleware stack."""

    def __init__(self, app: Any, admission: Admission):
        admission.app = app
        self.admission = admission

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.admission(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (read from the environment when omitted)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.catalog = load_catalog(settings.layers_dir)  # fail fast on a bad layer file
        app.state.catalog_files = CatalogFiles(settings.layers_dir, app.state.catalog)
        # sized with the admission control (web/admission.py): a request holds at most two
        # connections (its session check's and the route's) and one worker thread at a time,
        # so admitted requests never wait for either; a wait past 2 s is a 503, not a hang
        slots = settings.max_active_requests
        app.state.engine = make_engine(
            settings, pool_size=slots, max_overflow=slots + 4, pool_timeout=2
        )
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(limiter.total_tokens, 2 * slots + 8)
        refuse_unsafe_production(settings, app.state.engine)
        try:
            refuse_newer_database(app.state.engine)
        except OperationalError as exc:  # down: it is checked again when serve migrates
            log.warning("database unavailable at start: %s", exc.orig)
        if missing := assets.missing(settings.assets_dir):
            log.warning(
                "the map pages lack %s: run `geoservice assets install`",
                ", ".join(p.name for p in missing),
            )
        dsn = app.state.engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        listener = None
        if settings.tile_cache_mb:
            listener = Listener(dsn, cache, track_lsn=bool(settings.replicas))
            listener.start()
            # the cache is off until the listener listens: give it a moment before serving
            await anyio.to_thread.run_sync(listener.listening.wait, 2.0)
        app.state.tile_listener = listener

        # asyncpg connections for the anonymous tile fast path, opened on demand (a database
        # that is down then only costs those requests a 503 from the routes), never reset:
        # the fast path only reads (see geoservice.db.read_pool).
        def tile_pool(dsn: str) -> ReadPool:
            return ReadPool(
                dsn,
                max_size=TILE_POOL_SIZE,
                acquire_timeout=3,
                timeout=5,
                server_settings={"jit": "off", "application_name": TILE_POOL_NAME},
            )

        def replica_engine(url: str) -> Engine:
            return make_engine(url, pool_size=slots, max_overflow=slots + 4, pool_timeout=2)

        pool = tile_pool(dsn)
        app.state.tile_pool, app.state.tile_pool_loop = pool, asyncio.get_running_loop()
        # the primary and its hot standbys (GEOSERVICE_REPLICA_URLS), watched by a monitor
        app.state.servers = servers = open_servers(
            settings, app.state.engine, pool, replica_engine, tile_pool
        )
        await servers.start()
        # /health's own connection: it must answer while every other connection is busy
        app.state.health_pool = ReadPool(
            dsn,
            max_size=1,
            acquire_timeout=0.5,
            timeout=0.9,
            command_timeout=0.9,
            server_settings={"application_name": HEALTH_POOL_NAME},
        )
        try:
            yield
        finally:
            await servers.close()  # the primary's engine and tile pool among them
            await app.state.health_pool.close()
            if listener is not None:
                listener.stop()

    app = FastAPI(
        title="geoservice",
        version=__version__,
        description="Batas wilayah dan fasilitas kelurahan (OGC API - Features).",
        lifespan=lifespan,
        dependencies=[Depends(reject_nul)],
        docs_url=None,  # /docs is landing.docs: Swagger UI from this service, not a CDN
        redoc_url=None,
    )
    cache = TileCache(
        max_bytes=settings.tile_cache_mb * 1024 * 1024,
        boundary_collections=tuple(BOUNDARY_COLLECTIONS),
    )
    app.state.tile_cache = cache
    app.state.choropleths = OrderedDict()  # indicator choropleths shared by their tiles
    app.state.raster_statistics = StatisticsCache()  # per raster file and scope
    app.state.dataset_figures = FiguresCache()  # the catalogue's computed figures
    app.state.raster_pool = RenderPool(settings.raster_threads, 4 * settings.raster_threads)
    # gzip for pages, scripts and GeoJSON (a phone on a slow link gets Geoman's 294 KB as
    # 75 KB); not for tiles, whose clients cache them. Added first, so it sits inside the
    # tile fast path, which never passes through it.
    app.add_middleware(GZipMiddleware, minimum_size=1024, exclude_content_types=(MVT, "image/png"))
    app.state.admission = Admission(
        None,
        slots=settings.max_active_requests,
        queue=settings.max_queued_requests,
        wait_seconds=settings.queue_seconds,
    )
    app.add_middleware(_Admitted, admission=app.state.admission)  # tiles bypass it (below)
    app.add_middleware(TileFastPath, cache=cache)
    app.add_middleware(ReadRouting)  # outside the fast path, which builds on its choice
    app.add_middleware(JsonGuard)  # inside BodyLimit, which bounds what it reads
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_body_kb * 1024,
        uploads={"/indicators/import": settings.max_upload_mb * 1024 * 1024},
    )
    # every answer (the tile fast path's too) gets its CORS headers
    app.add_middleware(Cors, origins=settings.cors_origins)
    # outermost: every answer (tiles from the fast path included) gets the security headers,
    # and every request the public origin
    app.add_middleware(SecurityHeaders, settings=settings)
    import xstatic.pkg.leaflet

    leaflet = VersionedStaticFiles(directory=xstatic.pkg.leaflet.BASE_DIR)
    app.mount("/static/leaflet", leaflet, "leaflet")
    static = str(resources.files("geoservice") / "static")
    app.mount("/static/geoservice", VersionedStaticFiles(directory=static), "geoservice-static")
    # the Leaflet plugins `geoservice assets install` fetched from npm (pinned, hash-checked)
    app.mount(
        f"/{assets.URL_PREFIX}",
        VersionedStaticFiles(directory=settings.assets_dir, check_dir=False),
        "vendor",
    )
    app.include_router(landing.router)
    app.include_router(health.router)
    app.include_router(collections.router)
    app.include_router(features.router)
    app.include_router(tiles.router)
    app.include_router(editing.router)
    app.include_router(auth.router)
    app.include_router(users.router)
    app.include_router(users.admin_router)
    app.include_router(areas.router)
    app.include_router(indicators.router)
    app.include_router(profiles.router)
    app.include_router(profiles.page_router)
    app.include_router(statistics.router)
    app.include_router(progress.router)
    app.include_router(progress.page_router)
    app.include_router(datasets.router)
    app.include_router(rasters.router)
    app.include_router(pages.router)
    _install_error_handlers(app)
    openapi.install(app)
    return app


class UnsafeConfiguration(RuntimeError):
    """Settings or accounts that must not serve outside development."""


def refuse_unsafe_production(settings: Settings, engine: Engine) -> None:
    """Outside development: no default secret, no default database password, and no demo
    account that still has its published password."""
    problems = settings.production_problems()
    if not settings.development:
        from geoservice.demo import DEMO_PASSWORD, DEMO_USERS
        from geoservice.services.accounts import demo_passwords_in_use

        with engine.connect() as conn:
            in_use = demo_passwords_in_use(conn, {u.username: DEMO_PASSWORD for u in DEMO_USERS})
        if in_use:
            problems.append(
                "demo accounts still have the published demo password: " + ", ".join(in_use)
            )
    if problems:
        raise UnsafeConfiguration(
            "refusing to start with GEOSERVICE_ENVIRONMENT=production: " + "; ".join(problems)
        )


def _lang(request: Request) -> Language:
    return negotiate(request.query_params.get("lang"), request.headers.get("accept-language"))


def problem(
    request: Request, error: ServiceError, headers: Mapping[str, str] | None = None
) -> Response:
    """The RFC 9457 response for ``error``; for a person's browser (a page request whose
    Accept names HTML before JSON, with no ``f=json``) a page that says the same in words."""
    lang = _lang(request)
    body = error.to_problem(lang, instance=request.url.path)
    if (
        request.method in ("GET", "HEAD")
        and html.prefers_html(request.headers.get("accept"))
        and request.query_params.get("f", "html").lower() == "html"
    ):
        return error_page(request, error, lang, headers)
    return JSONResponse(body, status_code=error.status, media_type=PROBLEM_JSON, headers=headers)


def error_page(
    request: Request, error: ServiceError, lang: Language, headers: Mapping[str, str] | None
) -> Response:
    """The problem as a page: its title as the heading, its detail as the message."""
    if not hasattr(request.state, "principal"):
        request.state.principal = None  # no database query for the header of an error page
    response = html.page(
        request,
        "message.html",
        lang,
        t(error.title_key, lang),
        {"message": error.detail(lang), "json_url": None},
    )
    response.status_code = error.status
    response.headers.update(headers or {})
    return response


def _install_error_handlers(app: FastAPI) -> None:
    """Every error leaves as problem JSON; only unexpected ones are logged with detail."""

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> Response:
        return problem(request, exc, headers=exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return problem(request, InvalidRequest(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        error: ServiceError
        if exc.status_code == 404:
            error = NotFound("not_found.path", path=request.url.path)
        elif exc.status_code == 405:
            error = MethodNotAllowed(
                "method_not_allowed.detail", method=request.method, path=request.url.path
            )
        else:
            error = HTTPProblem(exc.status_code, str(exc.detail))
        return problem(request, error, headers=exc.headers)

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, exc: OperationalError) -> Response:
        log.warning("database unavailable: %s", exc.orig)
        return problem(request, database_unavailable(exc))

    @app.exception_handler(PoolTimeout)
    async def pool_exhausted(request: Request, exc: PoolTimeout) -> Response:
        log.warning("no database connection free in time: %s", exc)
        return problem(request, ServiceBusy("service_busy.detail", retry_after=1))

    @app.exception_handler(DataError)
    async def data_error(request: Request, exc: DataError) -> Response:
        # psycopg refuses text holding NUL before it reaches PostgreSQL; every field we know
        # of is checked before, this answers for any other (the request changed nothing)
        if "NUL (0x00)" in str(exc.orig):
            return problem(request, BadRequest("bad_request.nul_text"))
        return await unexpected(request, exc)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem(request, InternalError("internal_error.detail"))
