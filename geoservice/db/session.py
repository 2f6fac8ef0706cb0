"""Engine and session factory. Built from Settings by the app or the CLI, never at import."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from geoservice.cluster import database_url
from geoservice.settings import Settings


def make_engine(settings: Settings | str, **kwargs: object) -> Engine:
    """An engine for the configured database.

    JIT is switched off per connection: on small machines PostgreSQL's JIT costs more than it
    saves on the heavy spatial queries this service runs.
    """
    url = settings if isinstance(settings, str) else database_url(settings)
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5, "options": "-c jit=off"},
        **kwargs,
    )


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep objects readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
