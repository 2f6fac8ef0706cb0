"""Every user-facing text exists in Bahasa Indonesia and English, with the same placeholders; every
key the code passes exists, and every message is used.

The code is read with ``ast``. A key is a string literal in the key position of ``t()``,
``render()``, the ServiceError family, the importers' and the editor's issues (FieldProblem,
``attribute_problem``, ``report.add``, InputError, CodeError), a ``title_key`` or a ``key = ...``
assignment (both branches of a conditional), and any literal shaped like a key of a domain the
messages have (``"geom.swapped"`` returned in a tuple). A key built at run time must belong to a
declared family (``i18n.requests.REQUEST_ERRORS`` and the others below), which is tested against
the set of values it covers.
"""

from __future__ import annotations

import ast
import importlib
import logging
import pkgutil
import re
import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest
from pydantic_core.core_schema import ErrorType

import geoservice
from geoservice import i18n
from geoservice.catalog import AttributeType
from geoservice.db.models import FACILITY_STATUSES, HISTORY_OPERATIONS, ROLES
from geoservice.errors import BadRequest, ServiceError
from geoservice.i18n import MESSAGES, PAGE_LABELS, SCRIPT_LABELS, merge, t
from geoservice.i18n.editing import CHANGE_LOG_HEADERS, OPERATIONS
from geoservice.i18n.imports import ATTRIBUTE_TYPES
from geoservice.i18n.indicators import AMBIGUOUS, MATCH_STATUSES, UNMATCHED
from geoservice.i18n.page_labels import ROLE_LABELS
from geoservice.i18n.profiles import TYPE_MESSAGES
from geoservice.i18n.progress import QUALITY_MESSAGES, REPORT_COLUMNS
from geoservice.i18n.requests import FIELD_TITLES, REQUEST_ERRORS
from geoservice.i18n.script_labels import STATUS_LABELS
from geoservice.services.auth import Role
from geoservice.services.imports.matching import Match, MatchStatus
from geoservice.services.points.history import CHANGE_LOG_COLUMNS
from geoservice.services.profiles.forms import FieldType

PACKAGE = Path(geoservice.__file__).parent
#: the code that passes keys: the package without its message tables
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if (PACKAGE / "i18n") not in p.parents)

#: Families of message keys looked up at run time, each an explicit mapping in its i18n module.
FAMILIES: dict[str, Mapping[str, str]] = {
    "REQUEST_ERRORS": REQUEST_ERRORS,
    "FIELD_TITLES": FIELD_TITLES,
    "ATTRIBUTE_TYPES": ATTRIBUTE_TYPES,
    "CHANGE_LOG_HEADERS": CHANGE_LOG_HEADERS,
    "OPERATIONS": OPERATIONS,
    "MATCH_STATUSES": MATCH_STATUSES,
    "AMBIGUOUS": AMBIGUOUS,
    "UNMATCHED": UNMATCHED,
    "TYPE_MESSAGES": TYPE_MESSAGES,
    "QUALITY_MESSAGES": QUALITY_MESSAGES,
    "REPORT_COLUMNS": REPORT_COLUMNS,
}
#: The f-string lookups left, each with the family that declares its keys: none (the CLI's went
#: with its move to t()).
F_STRING_KEYS: dict[tuple[str, str], Mapping[str, str]] = {}

KEY_SHAPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
#: dotted literals that are file names or ASGI event types, not keys
NOT_KEYS = re.compile(r".*\.(css|js|html|sql|json|csv|gpkg|geojson|log|conf|dump)|http\..*")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _key_positions() -> dict[str, int]:
    """Callable name -> index of its key argument."""
    for module in pkgutil.walk_packages(geoservice.__path__, "geoservice."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    positions = {
        "t": 0,
        "render": 0,
        "InputError": 0,
        "CodeError": 0,
        "FieldProblem": 1,
        "attribute_problem": 1,
    }
    pending: list[type] = [ServiceError]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        code = cls.__init__.__code__  # type: ignore[misc]
        if code.co_argcount + code.co_kwonlyargcount > 1 and code.co_varnames[1] == "key":
            positions[cls.__name__] = 0
    return positions


def _literals(node: ast.expr) -> Iterator[ast.Constant | ast.JoinedStr]:
    """The key literals an expression may evaluate to (variables are not followed)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, ast.JoinedStr):
        yield node


POSITIONS = _key_positions()
NAMESPACES = {key.split(".")[0] for key in MESSAGES} - {"http"}


def _keys_in(name: str, source: str) -> list[tuple[str, int, ast.Constant | ast.JoinedStr]]:
    """(file, line, literal) of every key ``source`` passes."""
    found = []
    for node in ast.walk(ast.parse(source, name)):
        exprs: list[ast.expr] = []
        if isinstance(node, ast.Call):
            func = node.func
            callee = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            index = POSITIONS.get(callee or "")
            if callee == "add" and ast.unparse(getattr(func, "value", func)).endswith("report"):
                index = 1
            if index is not None and len(node.args) > index:
                exprs.append(node.args[index])
            exprs += [k.value for k in node.keywords if k.arg == "key"]
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(x, ast.Name) and x.id in ("key", "title_key") for x in targets):
                exprs.append(node.value)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and KEY_SHAPE.fullmatch(node.value)
            and not NOT_KEYS.fullmatch(node.value)
            and node.value.split(".")[0] in NAMESPACES
        ):
            exprs.append(node)
        found += [(name, lit.lineno, lit) for e in exprs for lit in _literals(e)]
    return found


def _missing(found: list[tuple[str, int, ast.Constant | ast.JoinedStr]]) -> list[str]:
    return [
        f"{name}:{line} {lit.value!r}"
        for name, line, lit in found
        if isinstance(lit, ast.Constant) and lit.value not in MESSAGES
    ]


PASSED = [
    found
    for path in SOURCES
    for found in _keys_in(str(path.relative_to(PACKAGE)), path.read_text())
]


def test_every_key_the_code_passes_exists() -> None:
    assert _missing(PASSED) == []
    assert len({lit.value for _, _, lit in PASSED if isinstance(lit, ast.Constant)}) > 200


def test_the_scan_sees_a_mistyped_key_in_every_position() -> None:
    source = """
t("t.typo", lang)
raise Forbidden("forbidden.typo", role=role)
problems.append(FieldProblem("geometry", "point.typo"))
owner.report.add(None, "area.typo", severity="warning")
key = "edit.typo" if moved else "edit.swapped"
class Gone(NotFound):
    title_key = "gone.title"
def check():
    return "geom.typo", {}
"""
    assert {m.split(" ", 1)[1] for m in _missing(_keys_in("snippet.py", source))} == {
        repr(k)
        for k in (
            "t.typo", "forbidden.typo", "point.typo", "area.typo", "edit.typo", "gone.title",
            "geom.typo",
        )
    }  # fmt: skip


def test_keys_built_at_run_time_are_declared() -> None:
    for name, line, lit in PASSED:
        if isinstance(lit, ast.JoinedStr):
            head = lit.values[0]
            prefix = head.value if isinstance(head, ast.Constant) else ""
            assert (name, prefix) in F_STRING_KEYS, f"{name}:{line} {ast.unparse(lit)}"
    for (_, prefix), family in F_STRING_KEYS.items():
        assert all(key == prefix + value for value, key in family.items()), prefix


def test_every_message_is_used() -> None:
    used = {
        node.value
        for path in SOURCES
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    used |= {key for family in FAMILIES.values() for key in family.values()}
    assert sorted(set(MESSAGES) - used) == []


#: callables whose parameters follow the key positionally, as a dict
PARAMS_DICT = {"FieldProblem", "attribute_problem"}
#: parameters every issue of a report gets (FieldProblem.message)
ROW_PARAMS = {"code", "column"}


def _missing_params(name: str, source: str) -> list[str]:
    """Calls with a literal key whose text needs a parameter the call does not give (a KeyError
    in str.format: the other way a 4xx became a 500)."""
    missing = []
    for node in ast.walk(ast.parse(source, name)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        callee = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None) or ""
        index = POSITIONS.get(callee)
        if callee == "add" and ast.unparse(getattr(func, "value", func)).endswith("report"):
            index = 1
        if index is None or len(node.args) <= index:
            continue
        after = node.args[index + 1 :]
        if any(k.arg is None for k in node.keywords) or any(
            k.arg in ("attribute", "hint") for k in node.keywords
        ):
            continue  # parameters passed on (**params), or a message of its own
        if callee in PARAMS_DICT and any(not isinstance(a, ast.Dict) for a in after):
            continue  # parameters in a variable
        given = {k.arg for k in node.keywords if k.arg}
        given |= {
            k.value for a in after if isinstance(a, ast.Dict) for k in a.keys
            if isinstance(k, ast.Constant)
        }  # fmt: skip
        if callee in ("add", "FieldProblem"):
            given |= ROW_PARAMS
        if callee == "ServiceBusy":
            given.add("seconds")  # from retry_after
        for lit in _literals(node.args[index]):
            if isinstance(lit, ast.Constant) and lit.value in MESSAGES:
                texts = MESSAGES[lit.value]
                needed = _fields(texts["id"]) | _fields(texts["en"])
                if needed - given:
                    missing.append(f"{name}:{node.lineno} {lit.value!r} {sorted(needed - given)}")
    return missing


def test_every_call_gives_the_parameters_its_message_needs() -> None:
    assert [m for p in SOURCES for m in _missing_params(p.name, p.read_text())] == []
    assert _missing_params("snippet.py", 'raise BadRequest("features.limit", value=v)') == [
        "snippet.py:1 'features.limit' ['maximum']"
    ]


@pytest.mark.parametrize("name", FAMILIES)
def test_families_name_existing_messages(name: str) -> None:
    assert set(FAMILIES[name].values()) <= set(MESSAGES)


def _literal_values(annotation: Any) -> set[str]:
    values = set()
    for arg in get_args(annotation) or (annotation,):
        values |= set(get_args(arg)) if get_args(arg) else {arg}
    return {v for v in values if isinstance(v, str)}


def test_families_cover_the_values_they_name() -> None:
    assert set(REQUEST_ERRORS) <= set(get_args(ErrorType))
    assert set(ATTRIBUTE_TYPES) == set(get_args(AttributeType))
    assert set(TYPE_MESSAGES) == set(get_args(FieldType)) - {"select_one", "select_multiple"}
    assert set(CHANGE_LOG_HEADERS) == set(CHANGE_LOG_COLUMNS)
    assert set(OPERATIONS) == set(HISTORY_OPERATIONS)
    assert set(MATCH_STATUSES) == set(get_args(MatchStatus)) | {"invalid"}
    parts = _literal_values(get_type_hints(Match)["part"])
    assert set(AMBIGUOUS) == set(UNMATCHED) == parts == {"kabkota", "kecamatan", "kelurahan"}
    assert set(ROLE_LABELS) == set(ROLES) == set(get_args(Role))
    assert set(ROLE_LABELS.values()) <= set(PAGE_LABELS)
    assert set(STATUS_LABELS) == set(FACILITY_STATUSES)
    assert set(STATUS_LABELS.values()) <= set(SCRIPT_LABELS)


@pytest.mark.parametrize(
    "table",
    [MESSAGES, PAGE_LABELS, SCRIPT_LABELS],
    ids=["messages", "page labels", "script labels"],
)
def test_both_languages_with_the_same_placeholders(table: dict) -> None:
    for key, texts in table.items():
        assert set(texts) == {"id", "en"}, key
        assert texts["id"].strip() and texts["en"].strip(), key
        assert _fields(texts["id"]) == _fields(texts["en"]), key


def test_every_label_the_pages_and_scripts_name_exists() -> None:
    templates = "\n".join(p.read_text() for p in (PACKAGE / "templates").glob("*.html"))
    scripts = "\n".join(p.read_text() for p in (PACKAGE / "static").glob("*.js"))
    code = "\n".join(p.read_text() for p in SOURCES)
    page = (
        set(re.findall(r"\bt\.([a-z_]+)", templates))
        | set(re.findall(r'\bt\["([a-z_.]+)"\]', templates))
        | set(re.findall(r"LABELS\[[\"']([a-z_.]+)[\"']\]", code))
    )
    script = set(re.findall(r'label\(\s*"([a-z_.]+)"', scripts))
    assert len(page) > 50 and len(script) > 40
    assert page - set(PAGE_LABELS) == set()
    # editor.js: label("status." + status), the keys STATUS_LABELS declares
    assert script - set(SCRIPT_LABELS) == {"status."}


def test_a_key_defined_twice_stops_the_merge() -> None:
    one = {"conflict.title": {"id": "Konflik", "en": "Conflict"}}
    with pytest.raises(ValueError, match="conflict.title"):
        merge(MESSAGES, one, dict(one))


def test_no_key_twice_within_one_module() -> None:
    # the merge sees clashes between modules; inside one dict literal the later entry would
    # silently win
    for path in (PACKAGE / "i18n").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Dict):
                keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
                assert sorted({k for k in keys if keys.count(k) > 1}) == [], path.name


def test_no_message_module_over_500_lines() -> None:
    for path in (PACKAGE / "i18n").glob("*.py"):
        assert len(path.read_text().splitlines()) <= 500, path.name


def test_an_unknown_key_fails_the_tests() -> None:
    # tests/conftest.py turns strict mode on
    with pytest.raises(KeyError):
        t("no_such.key", "en")
    with pytest.raises(KeyError):
        BadRequest("features.limit", value="x")  # its text needs {maximum} too


def test_an_unknown_key_is_logged_and_the_user_keeps_the_4xx(
    caplog: pytest.LogCaptureFixture,
) -> None:
    i18n.strict(False)
    try:
        with caplog.at_level(logging.ERROR, "geoservice.i18n"):
            error = BadRequest("no_such.key", value="x")
            problem = error.to_problem("en")
            partial = t("features.limit", "id", value="x")
    finally:
        i18n.strict()
    assert problem["status"] == 400
    assert problem["title"] == "Bad request"
    assert problem["detail"] == "no_such.key"
    assert partial == MESSAGES["features.limit"]["id"]
    assert "'no_such.key'" in caplog.text and "'features.limit'" in caplog.text
