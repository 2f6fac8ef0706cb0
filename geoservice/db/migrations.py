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


def known_revisions() -> set[str]:
    """Every revision in ``alembic/`` (this code's migrations)."""
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory(str(SCRIPT_LOCATION)).walk_revisions()}


class DatabaseTooNew(RuntimeError):
    """The database was migrated by a newer geoservice (e.g. a restored backup)."""


def refuse_newer_database(bind: Engine | Connection) -> None:
    """DatabaseTooNew when the database's revision is not one of this code's: its tables may
    not be what this code reads and writes, so it must not serve them (nor migrate them)."""
    revision = current_revision(bind)
    if revision is not None and revision not in known_revisions():
        raise DatabaseTooNew(
            f"the database is at migration revision {revision}, which this geoservice "
            f"(newest: {head_revision()}) does not know: it was made by a newer version. "
            "Update geoservice, or restore a backup made by this version."
        )
