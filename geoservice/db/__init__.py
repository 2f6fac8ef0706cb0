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
  planner must see as a constant (the zoom band that picks a branch of a tile query) is a
  ``bindparam(..., literal_execute=True)``: SQLAlchemy renders it, typed, at execution.
- **Identifiers** (a layer's attribute, a sort column) come only from the catalog, already checked
  against it, and reach SQL through SQLAlchemy's quoting (``column()``, ``literal_column`` for
  constants only), never through f-strings, ``%``, ``.format``, ``+`` or ``.replace``.

Rules that must hold whatever client writes live in PostgreSQL: CHECK constraints in
:mod:`geoservice.db.models` and the triggers on ``facility`` listed there, whose live bodies are
in the migrations named beside them (``alembic/versions/``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any

from geoalchemy2 import Geography
from sqlalchemy import ColumnElement, Text, TextClause, any_, bindparam, cast, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.selectable import TableValuedAlias
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


def lonlat_point(lon: Any, lat: Any) -> ColumnElement[Any]:
    """``ST_SetSRID(ST_MakePoint(lon, lat), 4326)``: a WGS 84 point (values or columns)."""
    return func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)


def geography(geometry: ColumnElement[Any] | QueryableAttribute[Any]) -> ColumnElement[Any]:
    """``CAST(geometry AS geography)``: distances in metres on the spheroid."""
    return cast(geometry, Geography(geometry_type=None, spatial_index=False))


class ExplainJson(Executable, ClauseElement):
    """``EXPLAIN (FORMAT JSON)`` of a Core statement with its values written in by SQLAlchemy
    (``literal_binds``): the planner's estimate for the values themselves. Executing it raises
    CompileError when a value has no literal form."""

    inherit_cache = False

    def __init__(self, statement: ClauseElement):
        self.statement = statement


@compiles(ExplainJson)
def _explain_json(element: ExplainJson, compiler: SQLCompiler, **kw: Any) -> str:
    kw["literal_binds"] = True
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def unnest_rows(alias: str, **columns: tuple[Sequence[Any], TypeEngine[Any]]) -> TableValuedAlias:
    """``unnest(:a, :b, ...) AS alias(a, b, ...)``: parallel arrays as rows, each array one
    bound parameter (``name=(values, item type)``), for set-based writes of thousands of rows."""
    arrays = [
        bindparam(f"{alias}_{name}", list(values), type_=ARRAY(item))
        for name, (values, item) in columns.items()
    ]
    return func.unnest(*arrays).table_valued(*columns).render_derived(name=alias)
