"""Limits on what a request may send, so that bad input is a 4xx and never reaches a recursion
limit, Python's 4,300-digit integer limit or PostgreSQL's UTF-8 encoder.

- JSON bodies (and CQL2 JSON): at most :data:`MAX_JSON_DEPTH` nested arrays/objects (checked
  by a scan without recursion before ``json.loads``, which recurses per level), integers of at
  most :data:`MAX_NUMBER_DIGITS` digits (400), and no lone UTF-16 surrogate (``"\\ud800"``: valid
  JSON, but no UTF-8 text can hold it) in any key or string (422 naming the field).
- CQL2: a flat chain of ``OR``/``AND`` clauses is split before parsing, each clause parsed on
  its own and the chain rebuilt as a balanced tree, so 1,000 clauses cost no deeper recursion
  than 10; at most :data:`MAX_CQL2_CLAUSES` clauses and :data:`MAX_CQL2_DEPTH` levels of
  parentheses (400 beyond).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from geoservice.errors import BadRequest, FieldProblem, InvalidFields

#: Nesting of arrays and objects in a JSON body (a GeoJSON point feature needs 3).
MAX_JSON_DEPTH = 32
#: Digits of an integer in a JSON body (PostgreSQL's bigint has 19).
MAX_NUMBER_DIGITS = 100
#: Clauses of a CQL2 filter (a flat ``a = 1 OR a = 2 OR ...`` chain counts each).
MAX_CQL2_CLAUSES = 1000
#: Nested parentheses (text) or operators (JSON) of a CQL2 filter.
MAX_CQL2_DEPTH = 20

_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def json_depth(text: str | bytes, limit: int) -> int:
    """The nesting depth of a JSON document, scanning only up to ``limit + 1`` levels."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    depth = deepest = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif token in ("]", "}"):
            depth -= 1
    return deepest


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(f"integer of more than {MAX_NUMBER_DIGITS} digits")
    return int(digits)


def loads(body: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` within the limits: BadRequest for bad JSON, too deep a nesting or too
    long an integer; InvalidFields (422) naming the field that holds a lone surrogate."""
    try:
        depth = json_depth(body, max_depth)
        if depth > max_depth:
            raise BadRequest("input.json_depth", limit=max_depth)
        data = json.loads(body, parse_int=_parse_int)
    except UnicodeDecodeError as exc:
        raise BadRequest("edit.json", reason=f"UTF-8: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise BadRequest(
            "edit.json", reason=f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except ValueError as exc:  # parse_int's limit
        raise BadRequest("input.digits", limit=MAX_NUMBER_DIGITS) from exc
    raw = body if isinstance(body, bytes) else body.encode("utf-8", errors="surrogatepass")
    if _ESCAPED_SURROGATE.search(raw):
        check_surrogates(data)
    return data


def lone_surrogate_at(data: Any) -> str | None:
    """The path (``properties.nama``, ``args.1``) of the first key or string holding a lone
    surrogate, or None. Walks with a stack, not recursion."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _LONE_SURROGATE.search(value):
                return path or "body"
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if _LONE_SURROGATE.search(str(key)):
                    return child.encode("utf-8", errors="replace").decode()
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), v) for i, v in enumerate(value))
    return None


def has_lone_surrogate(value: str) -> bool:
    """True when ``value`` holds half of a UTF-16 surrogate pair (no UTF-8 text can)."""
    return _LONE_SURROGATE.search(value) is not None


def check_surrogates(data: Any) -> None:
    """InvalidFields (422) naming the field of ``data`` that holds a lone surrogate."""
    path = lone_surrogate_at(data)
    if path is not None:
        raise InvalidFields([FieldProblem(path, "input.surrogate", {"field": path})])


# -- CQL2 ----------------------------------------------------------------------------------------

_CQL2_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|[()]|\b(?:or|and|between)\b", re.IGNORECASE)


def split_cql2_text(text: str) -> list[list[str]]:
    """The clauses of a CQL2 text filter as OR-groups of AND-ed clauses, split at the
    top-level ``OR`` and ``AND`` (outside quotes and parentheses; the ``AND`` of a ``BETWEEN``
    stays in its clause). BadRequest beyond the depth or clause limit."""
    groups: list[list[str]] = []
    clauses: list[str] = []
    depth = 0
    start = 0
    pending_between = False
    count = 0
    for match in _CQL2_TOKENS.finditer(text):
        token = match.group().lower()
        if token == "(":
            depth += 1
            if depth > MAX_CQL2_DEPTH:
                raise BadRequest("input.cql2_depth", limit=MAX_CQL2_DEPTH)
        elif token == ")":
            depth -= 1
        elif depth == 0 and token == "between":
            pending_between = True
        elif depth == 0 and token == "and" and pending_between:
            pending_between = False
        elif depth == 0 and token in ("and", "or"):
            clauses.append(text[start : match.start()])
            start = match.end()
            count += 1
            if count >= MAX_CQL2_CLAUSES:
                raise BadRequest("input.cql2_clauses", limit=MAX_CQL2_CLAUSES)
            if token == "or":
                groups.append(clauses)
                clauses = []
    clauses.append(text[start:])
    groups.append(clauses)
    return groups


def balanced(nodes: list[Any], combine: Callable[[Any, Any], Any]) -> Any:
    """``nodes`` joined pairwise into a tree of depth log2(n) (no recursion)."""
    while len(nodes) > 1:
        paired = [combine(a, b) for a, b in zip(nodes[::2], nodes[1::2], strict=False)]
        if len(nodes) % 2:
            paired.append(nodes[-1])
        nodes = paired
    return nodes[0]


def cql2_json_depth(data: Any) -> int:
    """How deep the operators of a CQL2 JSON filter nest (walked with a stack)."""
    deepest = 0
    stack: list[tuple[int, Any]] = [(0, data)]
    while stack:
        depth, node = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, dict):
            stack.extend((depth + 1, v) for v in node.values())
        elif isinstance(node, list):
            stack.extend((depth, v) for v in node)
    return deepest


def balance_cql2_json(data: Any) -> Any:
    """A CQL2 JSON filter whose ``and``/``or`` operators each take two arguments, a long list
    of them regrouped as a balanced tree (pygeofilter chains them one inside the other, so
    1,000 arguments would recurse 1,000 deep). BadRequest beyond the clause or depth limit."""
    clauses = 0
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        args = node.get("args")
        if "op" in node and node["op"] not in ("and", "or", "not"):
            clauses += 1  # a predicate
            if clauses > MAX_CQL2_CLAUSES:
                raise BadRequest("input.cql2_clauses", limit=MAX_CQL2_CLAUSES)
        if node.get("op") in ("and", "or") and isinstance(args, list) and args:
            if len(args) > 2:
                op = node["op"]

                def pair(a: Any, b: Any, op: Any = op) -> dict[str, Any]:
                    return {"op": op, "args": [a, b]}

                node["args"] = balanced(args, pair)["args"]
        stack.extend(node.values())
    if cql2_json_depth(data) > MAX_CQL2_DEPTH * 2:
        raise BadRequest("input.cql2_depth", limit=MAX_CQL2_DEPTH)
    return data
