"""Database access: engine and sessions, table models, migrations, and the packaged SQL.

One rule for SQL, checked by ``tests/db/test_sql_rule.py``:

- **Ordinary statements are SQLAlchemy Core** (``select()``, ``insert()``, ``update()``,
  ``delete()``, PostgreSQL's ``insert().on_conflict_do_update()``, ``.cte()``, ``func.ST_*``)
  built from the tables of :mod:`geoservice.db.models`, in the service that owns them. Their
  columns are attributes that mypy checks, a renamed column breaks at import rather than in
  production, and a statement built from objects cannot be string-formatted by mistake.
- **Heavy PostGIS statements are packaged ``.sql`` files**, when their PostGIS shape is the point
  (MVT tiles, generalization, the big CTEs of aggregates and history): grouped by domain under
  ``db/sql/<domain>/`` and read by :func:`statement`, the one place ``text()`` is called on them.
  Such a file is read, reviewed and run in ``psql`` as it is; Core would hide it.
- **Values are always bound** (``:name`` / ``bindparam``), never written into the text. A value the
  planner must see as a constant (the zoom band that picks a partial index) is a
  ``bindparam(..., literal_execute=True)``: SQLAlchemy renders it, typed, at execution.
- **Identifiers** (a layer's attribute, a sort column) come only from the catalog, already checked
  against it, and reach SQL through SQLAlchemy's quoting (``column()``, ``literal_column`` for
  constants only), never through f-strings, ``%``, ``.format``, ``+`` or ``.replace``.

Rules that must hold whatever client writes live in PostgreSQL: CHECK constraints in
:mod:`geoservice.db.models` and the triggers on ``facility`` listed there, whose live bodies are
in the migrations named beside them (``alembic/versions/``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import ColumnElement, Text, TextClause, any_, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import TypeEngine


@cache
def load_sql(name: str) -> str:
    """The text of ``geoservice/db/sql/<domain>/<file>.sql`` (``name`` is ``domain/file.sql``)."""
    return resources.files("geoservice.db").joinpath("sql", name).read_text(encoding="utf-8")


@cache
def statement(name: str) -> TextClause:
    """The packaged statement ``name`` (``domain/file.sql``), ready to execute with its binds."""
    return text(load_sql(name))


def any_of(values: Iterable[Any], item: TypeEngine[Any] | None = None) -> ColumnElement[Any]:
    """``= ANY(:array)`` with ``values`` bound as one array parameter (``column == any_of(...)``):
    unlike ``in_()`` it stays one parameter for the 91,081 codes of a national import."""
    return any_(bindparam(None, list(values), type_=ARRAY(item if item is not None else Text())))
