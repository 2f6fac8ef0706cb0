"""Database access: engine and sessions, table models, migrations, and the packaged SQL."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_sql(name: str) -> str:
    """The text of ``geoservice/db/sql/<name>`` (the heavy statements live there)."""
    return resources.files("geoservice.db").joinpath("sql", name).read_text(encoding="utf-8")
