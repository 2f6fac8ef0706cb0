"""Request dependencies: settings, database connection, layer catalog, response language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from geoservice.catalog import Catalog
from geoservice.errors import database_unavailable
from geoservice.i18n import Language, negotiate
from geoservice.services.tile_cache import TileCache
from geoservice.settings import Settings


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings  # type: ignore[no-any-return]


def get_engine(request: Request) -> Engine:
    """The app's engine."""
    return request.app.state.engine  # type: ignore[no-any-return]


def get_catalog(request: Request) -> Catalog:
    """The layer catalog loaded at startup."""
    return request.app.state.catalog  # type: ignore[no-any-return]


def connect(engine: Engine) -> Connection:
    """A connection from the pool; 503 when the database cannot be reached."""
    try:
        return engine.connect()
    except OperationalError as exc:
        raise database_unavailable(exc) from exc


def get_connection(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Connection]:
    """A connection for the request; 503 when the database cannot be reached."""
    with connect(engine) as conn:
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


SettingsDep = Annotated[Settings, Depends(get_settings)]
ConnectionDep = Annotated[Connection, Depends(get_connection)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
LanguageDep = Annotated[Language, Depends(get_language)]
EngineDep = Annotated[Engine, Depends(get_engine)]
TileCacheDep = Annotated[TileCache, Depends(get_tile_cache)]
