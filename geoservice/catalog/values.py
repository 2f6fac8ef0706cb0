"""Attribute values against a layer's schema: coercion (Indonesian spellings of booleans and
decimals, spreadsheet cells), the text rules every value obeys, and the localized problem of a
value that does not fit."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from geoservice.errors import FieldProblem, attribute_problem
from geoservice.input_limits import has_lone_surrogate

if TYPE_CHECKING:
    from geoservice.catalog.models import AttributeDef


def is_empty(value: Any) -> bool:
    """None, blank text and NaN (what pandas gives for an empty cell) count as empty."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, list | dict) else False
    except (TypeError, ValueError):
        return False


#: C0 control characters but tab, line feed and carriage return, and DEL: no name or note
#: holds one, and PostgreSQL cannot store NUL in text at all
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


#: Longest text attribute when the layer sets no ``max_length`` (a name, an address, a note).
MAX_TEXT_LENGTH = 2000
#: The range of PostgreSQL's ``integer``, which integer attributes are cast to in filters.
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1


def has_control_characters(value: str) -> bool:
    """True when ``value`` holds a character of :data:`CONTROL_CHARACTERS`."""
    return CONTROL_CHARACTERS.search(value) is not None


_TRUE = {"true", "ya", "y", "yes", "1", "benar", "aktif"}
_FALSE = {"false", "tidak", "tdk", "no", "n", "0", "salah", "nonaktif", "tidak aktif"}

_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    "integer": TypeAdapter(int),
    "number": TypeAdapter(float),
    "date": TypeAdapter(dt.date),
}


def coerce(name: str, attr: AttributeDef, raw: Any) -> tuple[Any, FieldProblem | None]:
    """Coerce one value of ``attr``; pydantic does the type parsing, we keep the messages
    localized."""

    def bad(key: str, **params: Any) -> tuple[Any, FieldProblem]:
        if key == "attr.pattern" and attr.pattern_message is not None:
            return None, attribute_problem(name, "attr.pattern", title=attr.title,
                                           hint=attr.pattern_message)  # fmt: skip
        return None, attribute_problem(name, key, params, title=attr.title)

    value: Any = raw
    if attr.type == "string":
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # spreadsheet cells: 12.0 means "12"
        if isinstance(value, bool | dict | list):
            return bad("attr.type", type="string")
        value = str(value).strip()
        if has_control_characters(value):
            return bad("attr.control")
        if has_lone_surrogate(value):
            return bad("input.surrogate_attr")
        if len(value) > MAX_TEXT_LENGTH:
            return bad("attr.max_length", limit=MAX_TEXT_LENGTH)
    elif attr.type == "boolean":
        if isinstance(value, bool):
            pass
        elif str(value).strip().lower() in _TRUE:
            value = True
        elif str(value).strip().lower() in _FALSE:
            value = False
        else:
            return bad("attr.type", type="boolean")
    elif attr.type in ("integer", "number"):
        if isinstance(value, bool):
            return bad("attr.type", type=attr.type)
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if attr.type == "number" and "," in value and "." not in value:
                value = value.replace(",", ".")  # Indonesian decimal comma
            if attr.type == "integer" and re.fullmatch(r"-?\d+\.0+", value):
                value = value.split(".")[0]
        if attr.type == "integer" and isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            value = _ADAPTERS[attr.type].validate_python(value)
        except ValidationError:
            return bad("attr.type", type=attr.type)
        if attr.type == "number" and not math.isfinite(value):
            return bad("attr.type", type=attr.type)
        if attr.type == "integer" and not INTEGER_MIN <= value <= INTEGER_MAX:
            # filters and sorting cast to PostgreSQL's integer, which holds no more
            return bad("attr.integer_range", minimum=INTEGER_MIN, maximum=INTEGER_MAX)
        if attr.minimum is not None and value < attr.minimum:
            return bad("attr.min", limit=_fmt(attr.minimum))
        if attr.maximum is not None and value > attr.maximum:
            return bad("attr.max", limit=_fmt(attr.maximum))
    elif attr.type == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        try:
            value = _ADAPTERS["date"].validate_python(
                value.strip() if isinstance(value, str) else value
            )
        except ValidationError:
            return bad("attr.type", type="date")
        value = value.isoformat()

    if attr.type == "string":
        if attr.max_length is not None and len(value) > attr.max_length:
            return bad("attr.max_length", limit=attr.max_length)
        if attr.pattern is not None and not re.fullmatch(attr.pattern, value):
            return bad("attr.pattern", pattern=attr.pattern)
    if attr.enum is not None:
        match = _match_enum(value, attr.enum)
        if match is None:
            return bad("attr.enum", choices=", ".join(str(c) for c in attr.enum))
        value = match
    return value, None


def _match_enum(value: Any, choices: list[str | int | float]) -> Any:
    for choice in choices:
        if isinstance(choice, str) and isinstance(value, str):
            if choice.casefold() == value.strip().casefold():
                return choice
        elif choice == value:
            return choice
    return None


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)
