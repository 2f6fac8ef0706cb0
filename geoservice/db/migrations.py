"""Run the alembic migrations in ``alembic/`` programmatically (no alembic.ini needed)."""

from __future__ import annotations

from alembic.config import Config
from sqlalchemy import Connection, Engine, inspect

from alembic import command
from geoservice.settings import PROJECT_ROOT

SCRIPT_LOCATION = PROJECT_ROOT / "alembic"


def alembic_config(url: str) -> Config:
    """An alembic Config for ``url`` (a SQLAlchemy URL)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    # ConfigParser interpolation treats % specially: URL-encoded passwords must be escaped.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` on the database of ``engine``."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert migrations down to ``revision`` (``base`` removes every table)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def head_revision() -> str:
    """The newest revision in ``alembic/``."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(SCRIPT_LOCATION)).get_current_head()
    assert head is not None
    return head


def current_revision(bind: Engine | Connection) -> str | None:
    """The revision the database is at, or None before the first migration."""
    from alembic.runtime.migration import MigrationContext

    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return current_revision(conn)
    if not inspect(bind).has_table("alembic_version"):
        return None
    return MigrationContext.configure(bind).get_current_revision()
