"""The small expression language of a form's ``constraint`` and ``relevant``: XLSForm's syntax,
parsed here and evaluated without ``eval``.

What it reads (the part of XPath that XLSForm authors write for a profile form)::

    . >= 0 and . <= 100          ${ada_pasar} = 'ya'          selected(${sarana}, 'masjid')
    not(${jumlah_rw} = 0)        . <= ${jumlah_kk} * 10       count-selected(.) >= 1

``.`` is the field's own value, ``${name}`` another field's; numbers, quoted text, ``true()``
and ``false()``; ``or``, ``and``, ``= != < <= > >=``, ``+ - * div mod`` and parentheses; the
functions ``not``, ``selected``, ``count-selected``, ``string-length``. An empty value is the
empty text, as in XPath: a comparison of a number with it is false. Anything else is a
:class:`ExpressionError` at load time, naming the position.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>\d+(?:\.\d+)?)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<ref>\$\{[a-z][a-z0-9_]*\})
    | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
    | (?P<name>[a-z][a-z0-9_-]*(?:\(\))?)
    | (?P<dot>\.)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "div", "mod"}
_FUNCTIONS = {"not": 1, "selected": 2, "count-selected": 1, "string-length": 1}
_MAX_LENGTH = 500


class ExpressionError(ValueError):
    """An expression that does not parse; the message says where."""


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its text, its tree and the fields it refers to."""

    source: str
    tree: tuple[Any, ...]
    references: frozenset[str]

    def evaluate(self, own: Any, values: Mapping[str, Any]) -> bool:
        """True when the expression holds for ``own`` (the ``.``) and the other ``values``."""
        return _truth(_eval(self.tree, own, values))


def parse(source: str) -> Expression:
    """The expression ``source``, parsed; :class:`ExpressionError` when it is not one."""
    if len(source) > _MAX_LENGTH:
        raise ExpressionError(f"longer than {_MAX_LENGTH} characters")
    tokens = _tokenize(source)
    parser = _Parser(tokens)
    tree = parser.expression()
    left = parser.peek()
    if left is not None:
        raise ExpressionError(f"unexpected '{left[1]}' at position {left[2]}")
    return Expression(source, tree, frozenset(_references(tree)))


def _tokenize(source: str) -> list[tuple[str, str, int]]:
    tokens = []
    position = 0
    stripped = source.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"cannot read '{stripped[position:position + 10].strip()}' "
                                  f"at position {position + 1}")  # fmt: skip
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind), match.start(kind) + 1))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent, lowest precedence first: or, and, comparison, sum, product, unary."""

    def __init__(self, tokens: list[tuple[str, str, int]]):
        self.tokens = tokens
        self.index = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def position(self) -> int:
        token = self.peek()
        return token[2] if token else (self.tokens[-1][2] + 1 if self.tokens else 1)

    def take(self, *values: str) -> str | None:
        token = self.peek()
        if token is not None and token[0] in ("op", "name") and token[1] in values:
            self.index += 1
            return token[1]
        return None

    def expect(self, value: str) -> None:
        if self.take(value) is None:
            found = self.peek()
            raise ExpressionError(
                f"expected '{value}' at position {self.position()}"
                + (f", found '{found[1]}'" if found else " (the expression ended)")
            )

    def binary(self, operators: tuple[str, ...], operand: Callable[[], tuple[Any, ...]]):  # type: ignore[no-untyped-def]
        left = operand()
        while (op := self.take(*operators)) is not None:
            left = ("op", op, left, operand())
        return left

    def expression(self) -> tuple[Any, ...]:
        return self.binary(("or",), self.conjunction)  # type: ignore[no-any-return]

    def conjunction(self) -> tuple[Any, ...]:
        return self.binary(("and",), self.comparison)  # type: ignore[no-any-return]

    def comparison(self) -> tuple[Any, ...]:
        return self.binary(("=", "!=", "<", "<=", ">", ">="), self.sum)  # type: ignore[no-any-return]

    def sum(self) -> tuple[Any, ...]:
        return self.binary(("+", "-"), self.product)  # type: ignore[no-any-return]

    def product(self) -> tuple[Any, ...]:
        return self.binary(("*", "div", "mod"), self.unary)  # type: ignore[no-any-return]

    def unary(self) -> tuple[Any, ...]:
        if self.take("-") is not None:
            return ("neg", self.unary())
        return self.primary()

    def primary(self) -> tuple[Any, ...]:
        token = self.peek()
        if token is None:
            raise ExpressionError(f"a value is missing at position {self.position()}")
        kind, value, where = token
        self.index += 1
        if kind == "number":
            return ("const", float(value))
        if kind == "string":
            return ("const", value[1:-1])
        if kind == "ref":
            return ("ref", value[2:-1])
        if kind == "dot":
            return ("self",)
        if kind == "op" and value == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if kind == "name" and value in ("true()", "false()"):
            return ("const", value == "true()")
        if kind == "name" and value in _FUNCTIONS:
            self.expect("(")
            args = [self.expression()]
            while self.take(",") is not None:
                args.append(self.expression())
            self.expect(")")
            if len(args) != _FUNCTIONS[value]:
                raise ExpressionError(
                    f"{value}() takes {_FUNCTIONS[value]} argument(s), not {len(args)} "
                    f"(position {where})"
                )
            return ("call", value, *args)
        if kind == "name" and value not in _KEYWORDS:
            raise ExpressionError(f"unknown function or word '{value}' at position {where}")
        raise ExpressionError(f"unexpected '{value}' at position {where}")


def _references(tree: tuple[Any, ...]) -> set[str]:
    if tree[0] == "ref":
        return {tree[1]}
    found: set[str] = set()
    for part in tree[1:]:
        if isinstance(part, tuple):
            found |= _references(part)
    return found


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list):
        return math.nan
    try:
        return float(str(value))
    except ValueError:
        return math.nan


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    return str(value)


_YES = {"yes", "ya", "true", "1"}
_NO = {"no", "tidak", "false", "0"}


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    word = _text(value).strip().lower()
    return True if word in _YES else False if word in _NO else None


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    return bool(_text(value))


def _compare(op: str, left: Any, right: Any) -> bool:
    if op in ("=", "!="):
        numeric = any(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
        if numeric:
            a, b = _number(left), _number(right)
            equal = a == b  # NaN (an empty value) equals nothing
        elif isinstance(left, bool) or isinstance(right, bool):
            yes_a, yes_b = _yes_no(left), _yes_no(right)  # a yes/no answer against 'ya'
            equal = yes_a is not None and yes_a == yes_b
        else:
            equal = _text(left) == _text(right)
        return equal if op == "=" else not equal
    a, b = _number(left), _number(right)
    if math.isnan(a) or math.isnan(b):
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _eval(tree: tuple[Any, ...], own: Any, values: Mapping[str, Any]) -> Any:
    kind = tree[0]
    if kind == "const":
        return tree[1]
    if kind == "self":
        return own
    if kind == "ref":
        return values.get(tree[1])
    if kind == "neg":
        return -_number(_eval(tree[1], own, values))
    if kind == "call":
        name, args = tree[1], tree[2:]
        if name == "not":
            return not _truth(_eval(args[0], own, values))
        if name == "selected":
            chosen = _eval(args[0], own, values)
            wanted = _text(_eval(args[1], own, values))
            items = chosen if isinstance(chosen, list) else _text(chosen).split()
            return wanted in [_text(item) for item in items]
        if name == "count-selected":
            chosen = _eval(args[0], own, values)
            return float(len(chosen if isinstance(chosen, list) else _text(chosen).split()))
        return float(len(_text(_eval(args[0], own, values))))  # string-length
    op = tree[1]
    if op == "or":
        return _truth(_eval(tree[2], own, values)) or _truth(_eval(tree[3], own, values))
    if op == "and":
        return _truth(_eval(tree[2], own, values)) and _truth(_eval(tree[3], own, values))
    left, right = _eval(tree[2], own, values), _eval(tree[3], own, values)
    if op in ("=", "!=", "<", "<=", ">", ">="):
        return _compare(op, left, right)
    a, b = _number(left), _number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        return a / b if b else math.nan
    return math.fmod(a, b) if b else math.nan  # mod
