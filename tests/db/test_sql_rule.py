"""The SQL rule of :mod:`geoservice.db`, checked on the source: no SQL built by string formatting,
and ``text()`` only where the shrinking list below still allows it.

It reads the code with :mod:`ast`, so it needs no database and sees every module, imported or
not. A statement is "SQL-looking" when its literal parts hold an upper-case SQL keyword.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "geoservice"

#: ``text()`` calls still allowed, per module (relative to the repository). The loader of the
#: packaged statements keeps its one; every other entry goes as its module is converted to Core
#: or its statement moves to ``db/sql/<domain>/``. The test fails when a module has more than
#: its entry and when it has fewer (then lower the entry, so that the list only shrinks).
TEXT_ALLOWED: dict[str, int] = {
    "geoservice/db/__init__.py": 1,  # statement(): the packaged .sql files
}

#: SQL-looking strings still built by formatting, per module: (count, why). Shrinks like
#: TEXT_ALLOWED.
FORMAT_ALLOWED: dict[str, tuple[int, str]] = {
    "geoservice/db/__init__.py": (1, "ExplainJson: a compiler extension prefixing EXPLAIN"),
}

_SQL = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|JOIN|VALUES|RETURNING|GROUP BY|ORDER BY"
    r"|CREATE|DROP|ALTER|TRUNCATE|COPY|EXPLAIN|SET|IN|AND|OR|NOT NULL|IS NULL|ANY)\b"
)
#: a bind parameter such as ``:band``, the target of the ``.replace`` the rule forbids
_BIND = re.compile(r"^:[A-Za-z_]\w*$")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def _literal_text(node: ast.AST) -> str:
    """The literal string parts of an expression (constants, f-string pieces, both sides of
    ``+``), for telling SQL from other text."""
    parts = [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    return " ".join(parts)


def _looks_like_sql(node: ast.AST) -> bool:
    return bool(_SQL.search(_literal_text(node)))


def _composed(node: ast.AST) -> bool:
    """``psycopg.sql.SQL("...")``: its ``.format`` quotes ``sql.Identifier`` and binds
    ``sql.Literal``, the driver's equivalent of SQLAlchemy's quoting."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute | ast.Name)
        and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) == "SQL"
    )


def _text_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Local names of ``sqlalchemy.text`` and of the ``sqlalchemy`` module itself."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("sqlalchemy", "sqlalchemy.sql"):
            functions |= {a.asname or a.name for a in node.names if a.name == "text"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names if a.name == "sqlalchemy"}
    return functions, modules


def text_calls(tree: ast.Module) -> list[int]:
    """Lines of the ``sqlalchemy.text(...)`` calls in a module."""
    functions, modules = _text_names(tree)
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if (isinstance(f, ast.Name) and f.id in functions) or (
            isinstance(f, ast.Attribute)
            and f.attr == "text"
            and isinstance(f.value, ast.Name)
            and f.value.id in modules
        ):
            lines.append(node.lineno)
    return lines


def formatted_sql(tree: ast.Module) -> list[tuple[int, str]]:
    """SQL built by string formatting: f-strings, ``%``, ``+``, ``.format`` and ``.replace``
    whose text looks like SQL, ``.replace`` of a bind parameter, and ``literal_column`` of
    anything but a constant."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and any(
            isinstance(v, ast.FormattedValue) for v in node.values
        ):
            if _looks_like_sql(node):
                found.append((node.lineno, "f-string"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
            sides = (node.left, node.right)
            if any(
                isinstance(s, ast.Constant | ast.JoinedStr | ast.BinOp) for s in sides
            ) and _looks_like_sql(node):
                found.append((node.lineno, "% or + on SQL text"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr, receiver = node.func.attr, node.func.value
            if attr == "format" and _looks_like_sql(receiver) and not _composed(receiver):
                found.append((node.lineno, ".format on SQL text"))
            elif attr == "replace" and (
                _looks_like_sql(receiver)
                or any(
                    isinstance(a, ast.Constant)
                    and isinstance(a.value, str)
                    and _BIND.match(a.value)
                    for a in node.args[:1]
                )
            ):
                found.append((node.lineno, ".replace on SQL text"))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "literal_column"
            and not all(isinstance(a, ast.Constant) for a in node.args)
        ):
            found.append((node.lineno, "literal_column of a non-constant"))
    return sorted(set(found))


def _parsed() -> list[tuple[str, ast.Module]]:
    return [(_name(p), ast.parse(p.read_text(encoding="utf-8"))) for p in _modules()]


def test_no_sql_built_by_string_formatting() -> None:
    """Values are bound and identifiers quoted by SQLAlchemy: formatting SQL text is refused."""
    found = {module: formatted_sql(tree) for module, tree in _parsed()}
    problems = [
        f"{module}:{line}: {what}"
        for module, places in found.items()
        if len(places) > FORMAT_ALLOWED.get(module, (0, ""))[0]
        for line, what in places
    ]
    assert problems == []
    under = {
        m: (len(found.get(m, [])), n) for m, (n, _) in FORMAT_ALLOWED.items() if len(found[m]) < n
    }
    assert under == {}, "fewer than allowed: lower FORMAT_ALLOWED (count, allowed)"


def test_text_only_where_still_allowed() -> None:
    """``text()`` is the loader's, and the shrinking list's: new SQL is Core or a .sql file."""
    counts = Counter({module: len(text_calls(tree)) for module, tree in _parsed()})
    over = {m: n for m, n in counts.items() if n > TEXT_ALLOWED.get(m, 0)}
    assert over == {}, "new text() statements: write them in Core or as db/sql/<domain>/*.sql"
    under = {m: (counts[m], n) for m, n in TEXT_ALLOWED.items() if counts[m] < n}
    assert under == {}, "fewer text() than allowed: lower TEXT_ALLOWED (count, allowed)"


def test_no_driver_sql_strings() -> None:
    """``exec_driver_sql`` would run a string past SQLAlchemy: nothing in the package uses it."""
    calls = [
        f"{module}:{node.lineno}"
        for module, tree in _parsed()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "exec_driver_sql"
    ]
    assert calls == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('q = f"SELECT {cols} FROM t"', ["f-string"]),
        ('q = "DELETE FROM t WHERE id = %s" % x', ["% or + on SQL text"]),
        ('q = "SELECT a FROM " + table', ["% or + on SQL text"]),
        ('q = "SELECT * FROM {}".format(t)', [".format on SQL text"]),
        ('q = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(n))', []),
        ('conn.exec_driver_sql("EXPLAIN " + compiled)', ["% or + on SQL text"]),
        ('q = load_sql("x.sql").replace(":band", "5")', [".replace on SQL text"]),
        ("q = literal_column(name)", ["literal_column of a non-constant"]),
        ('q = f"{n} points from the file"', []),
        ('q = literal_column("1")', []),
        ('q = "a, b".replace(", ", ";")', []),
    ],
)
def test_the_checker_sees_formatting(source: str, expected: list[str]) -> None:
    """The checker itself: each way of formatting SQL is caught, ordinary text is not."""
    assert [what for _, what in formatted_sql(ast.parse(source))] == expected


def test_the_checker_counts_text_calls() -> None:
    """``text`` of SQLAlchemy is counted however it is imported; other ``text`` names are not."""
    source = (
        "import sqlalchemy as sa\nfrom sqlalchemy import text\n"
        "a = text('SELECT 1')\nb = sa.text('SELECT 2')\nc = _text(3)\nd = p.write_text('x')\n"
    )
    assert text_calls(ast.parse(source)) == [3, 4]
