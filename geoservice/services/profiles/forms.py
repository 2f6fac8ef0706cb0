"""Profile forms as data: ``layers/profiles/<id>.yaml`` loaded into strict models, and the values
of a kelurahan checked against them.

A form is what the walidata asks every kelurahan for (Prodeskel's Potensi: batas, luas,
prasarana, kelembagaan ...), field by field with the Satu Data metadata of each variable: its
definition, unit and reference code (``kode_referensi``, e.g. the Prodeskel item). A form can
also come from an XLSForm spreadsheet (:mod:`~geoservice.services.profiles.xlsform`). Errors name
the file and the key path, as for layers; fields that refer to unknown fields, layers or
indicators are errors too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from geoservice.catalog import (
    IDENTIFIER,
    MAX_TEXT_LENGTH,
    CatalogError,
    LocalizedText,
    has_control_characters,
)
from geoservice.catalog.loading import _load_model
from geoservice.catalog.metadata import DatasetMetadata
from geoservice.catalog.models import _Strict
from geoservice.errors import FieldProblem, attribute_problem
from geoservice.i18n.profiles import TYPE_MESSAGES
from geoservice.input_limits import has_lone_surrogate
from geoservice.services.profiles.expressions import Expression, ExpressionError, parse

if TYPE_CHECKING:
    from geoservice.catalog import Catalog

#: Where profile forms live, inside the layers folder.
PROFILE_FOLDER = "profiles"

FieldType = Literal["integer", "decimal", "text", "select_one", "select_multiple", "date", "yes_no"]
PeriodKind = Literal["yearly", "semester", "quarterly", "monthly"]
PERIOD_PATTERNS: dict[str, str] = {
    "yearly": r"^\d{4}$",
    "semester": r"^\d{4}-S[12]$",
    "quarterly": r"^\d{4}-Q[1-4]$",
    "monthly": r"^\d{4}-(0[1-9]|1[0-2])$",
}
PERIOD_EXAMPLES = {"yearly": "2025", "semester": "2025-S1", "quarterly": "2025-Q3",
                   "monthly": "2025-03"}  # fmt: skip

Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER, max_length=60)]


class Choice(_Strict):
    """One answer of a select field."""

    value: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,60}$")]
    label: LocalizedText


class Derived(_Strict):
    """How a read-only field is computed, never typed: the boundary's area, the verified
    points of a layer in the kelurahan, or an indicator's value for the period."""

    kind: Literal["area_km2", "verified_points", "indicator"]
    layer: str | None = None
    indicator: str | None = None
    #: the typed field this one checks (``jumlah_rt`` against the verified RT points)
    compares: str | None = None

    @model_validator(mode="after")
    def _arguments(self) -> Derived:
        if (self.kind == "verified_points") != (self.layer is not None):
            raise ValueError("layer is required with, and only with, kind verified_points")
        if (self.kind == "indicator") != (self.indicator is not None):
            raise ValueError("indicator is required with, and only with, kind indicator")
        return self


class ProfileField(_Strict):
    """One variable of a form, with its Satu Data metadata."""

    type: FieldType
    title: LocalizedText
    section: Identifier
    definition: LocalizedText | None = None
    unit: LocalizedText | None = None
    kode_referensi: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    #: an XLSForm constraint on the value (``.``), e.g. ``. <= ${jumlah_kk}``
    constraint: str | None = None
    #: what the constraint asks for, in plain words (people never see the expression)
    constraint_message: LocalizedText | None = None
    #: show-if: the field applies only when this holds (``${ada_pasar} = 'ya'``)
    relevant: str | None = None
    choices: list[Choice] | None = None
    visibility: Literal["public", "restricted"] = "public"
    max_length: int | None = Field(default=None, gt=0, le=MAX_TEXT_LENGTH)
    derived: Derived | None = None

    @field_validator("constraint", "relevant")
    @classmethod
    def _parses(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse(value)
            except ExpressionError as exc:
                raise ValueError(f"not a valid expression: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _options_fit_type(self) -> ProfileField:
        numeric = self.type in ("integer", "decimal")
        if (self.minimum is not None or self.maximum is not None) and not numeric:
            raise ValueError(f"minimum/maximum apply to integer or decimal, not {self.type}")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("minimum is greater than maximum")
        selects = self.type in ("select_one", "select_multiple")
        if selects and not self.choices:
            raise ValueError(f"a {self.type} field needs choices")
        if not selects and self.choices is not None:
            raise ValueError(f"choices apply to select_one or select_multiple, not {self.type}")
        if self.choices is not None:
            values = [c.value for c in self.choices]
            if len(set(values)) != len(values):
                raise ValueError("two choices have the same value")
        if self.constraint is not None and self.constraint_message is None:
            raise ValueError("a constraint needs a constraint_message {id, en} in plain words")
        if self.max_length is not None and self.type != "text":
            raise ValueError(f"max_length applies to text, not {self.type}")
        if self.derived is not None:
            if not numeric:
                raise ValueError("a derived field is integer or decimal")
            if self.required or self.constraint or self.relevant:
                raise ValueError("a derived field is computed: no required/constraint/relevant")
        return self

    def expression(self, which: Literal["constraint", "relevant"]) -> Expression | None:
        """The parsed ``constraint`` or ``relevant``."""
        source = self.constraint if which == "constraint" else self.relevant
        return None if source is None else parse(source)


class Section(_Strict):
    """A group of fields, shown together."""

    title: LocalizedText


class ProfileForm(_Strict):
    """A profile form as declared in ``layers/profiles/<id>.yaml``."""

    id: Annotated[str, StringConstraints(pattern=IDENTIFIER, max_length=40)]
    title: LocalizedText
    description: LocalizedText | None = None
    period: PeriodKind = "yearly"
    #: invented content (the demo's): pages say so wherever they show it
    sample: bool = False
    sections: dict[Identifier, Section]
    fields: dict[Identifier, ProfileField]
    #: Satu Data metadata (merged with ``layers/catalog.yaml``: services/datasets)
    metadata: DatasetMetadata | None = None

    @model_validator(mode="after")
    def _references_exist(self) -> ProfileForm:
        if not self.fields:
            raise ValueError("a form needs at least one field")
        for name, item in self.fields.items():
            if item.section not in self.sections:
                raise ValueError(
                    f"fields.{name}.section: unknown section '{item.section}' "
                    f"(sections: {', '.join(self.sections)})"
                )
            for which in ("constraint", "relevant"):
                expression = item.expression(which)
                for ref in sorted(expression.references if expression else ()):
                    if ref not in self.fields:
                        raise ValueError(f"fields.{name}.{which}: unknown field '${{{ref}}}'")
                    if which == "relevant" and ref == name:
                        raise ValueError(f"fields.{name}.relevant: refers to the field itself")
            if item.derived is not None and item.derived.compares is not None:
                other = self.fields.get(item.derived.compares)
                if other is None or other.derived is not None:
                    raise ValueError(
                        f"fields.{name}.derived.compares: '{item.derived.compares}' is not a "
                        "typed field of this form"
                    )
        return self

    def typed_fields(self) -> dict[str, ProfileField]:
        """The fields people fill in (not derived)."""
        return {k: f for k, f in self.fields.items() if f.derived is None}

    def visible_fields(self, restricted: bool) -> dict[str, ProfileField]:
        """The fields a reader sees: all, or only the public ones."""
        return {k: f for k, f in self.fields.items() if restricted or f.visibility == "public"}

    def period_valid(self, period: str) -> bool:
        """True when ``period`` has the form of this form's period kind."""
        return re.fullmatch(PERIOD_PATTERNS[self.period], period) is not None

    def current_period(self, today: dt.date | None = None) -> str:
        """The period ``today`` falls in."""
        day = today or dt.date.today()
        if self.period == "semester":
            return f"{day.year}-S{1 if day.month <= 6 else 2}"
        if self.period == "quarterly":
            return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        if self.period == "monthly":
            return f"{day.year}-{day.month:02d}"
        return str(day.year)


def load_form(path: Path) -> ProfileForm:
    """Load and validate one form file; errors name the file and the key path."""
    return _load_model(path, ProfileForm, "profile form", "id")


def reference_problems(form: ProfileForm, catalog: Catalog) -> list[tuple[str, str, str]]:
    """Cross-file rules: derived fields name layers and indicators the catalog holds. Each
    problem as (field, key, message)."""
    problems = []
    for name, item in form.fields.items():
        derived = item.derived
        if derived is None:
            continue
        if derived.layer is not None and derived.layer not in catalog.layers:
            problems.append((name, "layer", f"unknown layer '{derived.layer}' "
                             f"(layers: {', '.join(catalog.layers)})"))  # fmt: skip
        if derived.indicator is not None and derived.indicator not in catalog.indicators:
            problems.append((name, "indicator", f"unknown indicator '{derived.indicator}' "
                             f"(indicators: {', '.join(catalog.indicators)})"))  # fmt: skip
    return problems


def check_references(form: ProfileForm, catalog: Catalog, path: Path) -> list[str]:
    """:func:`reference_problems` as messages naming the file and the key path."""
    return [
        f"{path}: fields.{name}.derived.{key}: {message}"
        for name, key, message in reference_problems(form, catalog)
    ]


def load_forms(folder: Path, catalog: Catalog) -> tuple[dict[str, ProfileForm], list[str]]:
    """Every form of ``folder`` (none when it does not exist) and the errors of all files."""
    forms: dict[str, ProfileForm] = {}
    errors: list[str] = []
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        try:
            form = load_form(path)
        except CatalogError as exc:
            errors.append(str(exc))
            continue
        errors += check_references(form, catalog, path)
        forms[form.id] = form
    return forms, errors


# -- checking values -------------------------------------------------------------------------------


#: A value's problem is the service's one field problem, named by the field's title:
#: ``attribute_problem(field, key, params, title=..., hint=...)``.
ValueIssue = FieldProblem


_YES = {"true", "ya", "y", "yes", "1"}
_NO = {"false", "tidak", "tdk", "no", "n", "0"}


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _coerce(name: str, item: ProfileField, raw: Any) -> tuple[Any, ValueIssue | None]:
    """One value as stored (numbers as numbers, dates as ISO text, choices by value)."""

    def bad(key: str, **params: Any) -> tuple[Any, ValueIssue]:
        return None, attribute_problem(name, key, params, title=item.title)

    value: Any = raw
    if item.type in ("integer", "decimal"):
        if isinstance(value, bool) or isinstance(value, list | dict):
            return bad(TYPE_MESSAGES[item.type])
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if item.type == "integer" and re.fullmatch(r"-?\d{1,3}(\.\d{3})+", value):
                value = value.replace(".", "")  # Indonesian digit grouping: 1.250
            if item.type == "decimal" and "," in value and "." not in value:
                value = value.replace(",", ".")  # Indonesian decimal comma
            try:
                value = float(value)
            except ValueError:
                return bad(TYPE_MESSAGES[item.type])
        if not math.isfinite(value):
            return bad(TYPE_MESSAGES[item.type])
        if item.type == "integer":
            if not float(value).is_integer() or abs(value) > 2**31 - 1:
                return bad("profile.type.integer")
            value = int(value)
        else:
            value = float(value)
        if item.minimum is not None and value < item.minimum:
            return bad("profile.min", limit=_fmt(item.minimum))
        if item.maximum is not None and value > item.maximum:
            return bad("profile.max", limit=_fmt(item.maximum))
    elif item.type == "text":
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return bad("profile.type.text")
        value = str(value).strip()
        if has_control_characters(value) or has_lone_surrogate(value):
            return bad("profile.control")
        limit = item.max_length or MAX_TEXT_LENGTH
        if len(value) > limit:
            return bad("profile.max_length", limit=limit)
    elif item.type == "yes_no":
        if isinstance(value, bool):
            pass
        elif isinstance(value, str) and value.strip().lower() in _YES:
            value = True
        elif isinstance(value, str) and value.strip().lower() in _NO:
            value = False
        else:
            return bad("profile.type.yes_no")
    elif item.type == "date":
        try:
            value = dt.date.fromisoformat(value.strip()).isoformat()
        except (AttributeError, ValueError):
            return bad("profile.type.date")
    else:
        choices = {c.value.casefold(): c.value for c in item.choices or []}
        labels = ", ".join(f"{c.value} ({c.label.id})" for c in item.choices or [])
        if item.type == "select_one":
            if not isinstance(value, str) or value.strip().casefold() not in choices:
                return bad("profile.choice", choices=labels)
            value = choices[value.strip().casefold()]
        else:
            if isinstance(value, str):
                value = value.split()
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return bad("profile.choices", choices=labels)
            unknown = [v for v in value if v.strip().casefold() not in choices]
            if unknown:
                return bad("profile.choices", choices=labels)
            picked = {choices[v.strip().casefold()] for v in value}
            value = [c.value for c in item.choices or [] if c.value in picked]
            if not value:
                return None, None
    return value, None


def is_empty(value: Any) -> bool:
    """None, blank text and an empty list count as no answer."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def check_values(
    form: ProfileForm, values: Mapping[str, Any], *, complete: bool
) -> tuple[dict[str, Any], list[ValueIssue]]:
    """Values checked against ``form``: the clean values and every problem.

    Types, choices and ranges always; ``constraint`` on each answered field; a field whose
    ``relevant`` does not hold is dropped (as ODK Collect clears a hidden question). ``complete``
    (a submission) also asks for every required field that applies; a draft may be partial.
    """
    clean: dict[str, Any] = {}
    issues: list[ValueIssue] = []
    for name, raw in values.items():
        item = form.fields.get(name)
        if item is None:
            issues.append(attribute_problem(name, "profile.unknown"))
            continue
        if item.derived is not None:
            issues.append(attribute_problem(name, "profile.derived", title=item.title))
            continue
        if is_empty(raw):
            continue
        value, issue = _coerce(name, item, raw)
        if issue is not None:
            issues.append(issue)
        elif value is not None:
            clean[name] = value
    # relevance: in form order, so a field hidden by a hidden field is hidden too
    for name, item in form.fields.items():
        relevant = item.expression("relevant")
        if relevant is not None and not relevant.evaluate(clean.get(name), clean):
            clean.pop(name, None)
    failed = {i.field for i in issues}
    for name, item in form.fields.items():
        constraint = item.expression("constraint")
        if (
            constraint is not None
            and name in clean
            and constraint.references <= clean.keys()  # checked once the others are answered
            and not constraint.evaluate(clean[name], clean)
        ):
            issues.append(
                attribute_problem(
                    name, "profile.constraint", title=item.title, hint=item.constraint_message
                )
            )
        if complete and item.required and name not in clean and name not in failed:
            relevant = item.expression("relevant")
            if relevant is None or relevant.evaluate(None, clean):
                issues.append(attribute_problem(name, "profile.required", title=item.title))
    return clean, issues
