"""The layer catalog: ``layers/*.yaml`` loaded into validated models, and attribute validation.

A layer is data, not code: a new YAML file in ``layers/`` adds a layer to the API, the imports and
the maps. Files are validated strictly (unknown keys are errors) and every error names the file
and the path inside it, so a typo is found at startup rather than at the first request.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from geoservice.i18n import t
from geoservice.i18n.imports import ATTRIBUTE_TYPES
from geoservice.input_limits import has_lone_surrogate

if TYPE_CHECKING:
    from geoservice.services.profiles.forms import ProfileForm

IDENTIFIER = r"^[a-z][a-z0-9_]*$"
log = logging.getLogger(__name__)


class CatalogError(ValueError):
    """A layer file is missing, unreadable or invalid; the message says where and why."""


_M = TypeVar("_M", bound=BaseModel)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(_Strict):
    """User-facing text: Indonesian required, English optional (falls back to Indonesian)."""

    id: Annotated[str, StringConstraints(min_length=1)]
    en: str | None = None

    def get(self, lang: str) -> str:
        """The text in ``lang``."""
        return (self.en if lang == "en" else None) or self.id


AttributeType = Literal["string", "integer", "number", "boolean", "date"]


class AttributeDef(_Strict):
    """One attribute of a layer's schema."""

    title: LocalizedText
    type: AttributeType
    required: bool = False
    enum: list[str | int | float] | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = Field(default=None, gt=0)
    pattern: str | None = None
    #: what the pattern asks for, in words (people never see the regular expression)
    pattern_message: LocalizedText | None = None
    visibility: Literal["public", "restricted"] = "public"
    description: LocalizedText | None = None

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _options_fit_type(self) -> AttributeDef:
        numeric = self.type in ("integer", "number")
        if (self.minimum is not None or self.maximum is not None) and not numeric:
            raise ValueError(f"minimum/maximum apply to integer or number, not {self.type}")
        if self.pattern is not None and self.pattern_message is None:
            raise ValueError("a pattern needs a pattern_message {id, en} saying what it asks for")
        if (self.max_length is not None or self.pattern is not None) and self.type != "string":
            raise ValueError(f"max_length/pattern apply to string, not {self.type}")
        if self.enum is not None and self.type not in ("string", "integer", "number"):
            raise ValueError(f"enum does not apply to {self.type}")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("minimum is greater than maximum")
        return self


class LayerStyle(_Strict):
    """Default map style of a layer's points."""

    color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] = "#3388ff"
    fill_color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] = "#3388ff"
    fill_opacity: float = Field(default=0.8, ge=0, le=1)
    radius: int = Field(default=6, ge=1, le=40)
    icon: str | None = None


class NameRule(_Strict):
    """``name_matches_kelurahan``: a point's name must name the desa/kelurahan it lies in.

    ``strip`` lists the phrases that only say what the point is (``kantor lurah``); what is
    left is the place name, compared with the official name by the indicator matcher's
    normalization and fuzzy threshold (:mod:`geoservice.services.place_names`).
    """

    strip: list[Annotated[str, StringConstraints(min_length=1)]] = Field(default_factory=list)


class LayerDef(_Strict):
    """A facility layer as declared in ``layers/<id>.yaml``."""

    id: Annotated[str, StringConstraints(pattern=IDENTIFIER, max_length=40)]
    title: LocalizedText
    description: LocalizedText | None = None
    geometry: Literal["point"] = "point"
    name_attribute: str
    attributes: dict[Annotated[str, StringConstraints(pattern=IDENTIFIER)], AttributeDef]
    unique_within_kelurahan: list[str] = Field(default_factory=list)
    max_per_kelurahan: int | None = Field(default=None, ge=1)
    #: Points of this layer closer than this with similar names are near-duplicates.
    duplicate_radius_m: float = Field(default=30.0, gt=0, le=1000)
    name_matches_kelurahan: NameRule | None = None
    style: LayerStyle = LayerStyle()

    @model_validator(mode="after")
    def _references_exist(self) -> LayerDef:
        if self.name_attribute not in self.attributes:
            raise ValueError(
                f"name_attribute '{self.name_attribute}' is not one of the attributes "
                f"({', '.join(self.attributes)})"
            )
        for name in self.unique_within_kelurahan:
            if name not in self.attributes:
                raise ValueError(f"unique_within_kelurahan names unknown attribute '{name}'")
            if not self.attributes[name].required:
                raise ValueError(f"unique_within_kelurahan attribute '{name}' must be required")
        if (
            self.name_matches_kelurahan is not None
            and self.attributes[self.name_attribute].type != "string"
        ):
            raise ValueError("name_matches_kelurahan needs a name_attribute of type string")
        return self

    def public_attributes(self) -> list[str]:
        """Attributes anonymous users may see."""
        return [k for k, a in self.attributes.items() if a.visibility == "public"]

    def validate_attributes(
        self, values: Mapping[str, Any], *, partial: bool = False, ignore_unknown: bool = False
    ) -> tuple[dict[str, Any], list[AttributeIssue]]:
        """Check and coerce ``values`` against the schema.

        Returns the clean attributes (canonical enum spelling, numbers as numbers, dates as
        ISO text; empty values dropped) and the list of problems, empty when valid.
        ``partial`` skips the required check (for patches).
        """
        clean: dict[str, Any] = {}
        issues: list[AttributeIssue] = []
        for name, raw in values.items():
            if name not in self.attributes:
                if not ignore_unknown:
                    issues.append(AttributeIssue(name, "attr.unknown"))
                continue
            if is_empty(raw):
                continue
            value, issue = _coerce(name, self.attributes[name], raw)
            if issue:
                issues.append(issue)
            else:
                clean[name] = value
        if not partial:
            for name, attr in self.attributes.items():
                if attr.required and name not in clean and not any(i.field == name for i in issues):
                    issues.append(AttributeIssue(name, "attr.required", title=attr.title))
        return clean, issues


@dataclass(frozen=True)
class AttributeIssue:
    """One attribute problem: the field, a message key and its parameters."""

    field: str
    key: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)
    #: the field's title from the layer file (the label people see beside it)
    title: LocalizedText | None = None
    #: for a pattern: what it asks for, in words
    hint: LocalizedText | None = None

    def message(self, lang: str = "id") -> str:
        """``Nama posyandu: wajib diisi`` in ``lang``: the field by its title (by its name in
        quotes when the layer has no such field), never a regular expression."""
        params = dict(self.params)
        if "type" in params:
            params["type"] = t(ATTRIBUTE_TYPES[params["type"]], lang)
        field = self.title.get(lang) if self.title is not None else f"'{self.field}'"
        text = self.hint.get(lang) if self.hint is not None else t(self.key, lang, **params)
        return t("attr.invalid", lang, field=field, message=text)


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


def _coerce(name: str, attr: AttributeDef, raw: Any) -> tuple[Any, AttributeIssue | None]:
    """Coerce one value; pydantic does the type parsing, we keep the messages localized."""

    def bad(key: str, **params: Any) -> tuple[Any, AttributeIssue]:
        if key == "attr.pattern" and attr.pattern_message is not None:
            return None, AttributeIssue(name, "attr.pattern", title=attr.title,
                                        hint=attr.pattern_message)  # fmt: skip
        return None, AttributeIssue(name, key, params, title=attr.title)

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


#: Where indicator files live, inside the layers folder.
INDICATOR_FOLDER = "indicators"
#: A period: a year, optionally with a semester, quarter or month (``2025``, ``2025-S1``,
#: ``2025-Q3``, ``2025-03``); periods sort as text in time order.
PERIOD_PATTERN = r"^\d{4}(-(S[12]|Q[1-4]|0[1-9]|1[0-2]))?$"


class IndicatorDef(_Strict):
    """A social or poverty indicator, as declared in ``layers/indicators/<code>.yaml``.

    Values are stored per desa/kelurahan and period; ``aggregation`` says how they roll up to
    kecamatan, kabupaten/kota and provinsi: ``sum`` (counts), ``weighted_mean`` (rates, weighted
    by the summed indicator ``weight``) or ``none`` (shown per desa/kelurahan only).
    """

    code: Annotated[str, StringConstraints(pattern=IDENTIFIER, max_length=40)]
    title: LocalizedText
    description: LocalizedText | None = None
    unit: LocalizedText
    source: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    visibility: Literal["public", "restricted"] = "public"
    aggregation: Literal["sum", "weighted_mean", "none"] = "none"
    weight: str | None = None
    decimals: int = Field(default=0, ge=0, le=4)
    minimum: float | None = None
    maximum: float | None = None
    #: For anonymous users, values of a public indicator below this are withheld.
    suppress_below: float | None = Field(default=None, gt=0)
    #: The number of residents: facility counts per 1,000 people use it.
    population: bool = False
    #: ColorBrewer ramp of its choropleth.
    scheme: str = "YlOrRd"

    @model_validator(mode="after")
    def _consistent(self) -> IndicatorDef:
        if (self.aggregation == "weighted_mean") != (self.weight is not None):
            raise ValueError("weight is required with, and only with, aggregation weighted_mean")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("minimum is greater than maximum")
        if self.population and self.aggregation != "sum":
            raise ValueError("a population indicator must have aggregation sum")
        return self

    @field_validator("scheme")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        from branca.utilities import color_brewer

        try:
            color_brewer(value, 5)
        except (ValueError, KeyError) as exc:
            raise ValueError(f"unknown ColorBrewer scheme '{value}'") from exc
        return value


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


# -- loading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalog:
    """All layers, by id, in file-name order."""

    layers: dict[str, LayerDef]
    indicators: dict[str, IndicatorDef] = dataclass_field(default_factory=dict)
    #: the profile forms of ``layers/profiles/`` (:mod:`geoservice.services.profiles.forms`)
    profiles: dict[str, ProfileForm] = dataclass_field(default_factory=dict)

    def get(self, layer_id: str) -> LayerDef | None:
        """The layer ``layer_id`` or None."""
        return self.layers.get(layer_id)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.layers.values())

    def __len__(self) -> int:
        return len(self.layers)

    def __contains__(self, layer_id: object) -> bool:
        return layer_id in self.layers


def _load_model(path: Path, model: type[_M], what: str, key: str) -> _M:
    """Load and validate one YAML file; errors name the file, the line or the key path. The
    value of ``key`` (the id or code) must equal the file name."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"{path}: cannot be read: {exc.strerror}") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CatalogError(f"{path}:{where}: YAML syntax error: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: YAML error: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping of {what} settings at the top level")
    try:
        loaded = model.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown key (check its spelling)"
            elif err["type"] == "missing":
                msg = "required key is missing"
            lines.append(f"{path}: {loc}: {msg}")
        raise CatalogError("\n".join(lines)) from exc
    name = getattr(loaded, key)
    if name != path.stem:
        raise CatalogError(f"{path}: {key}: '{name}' must equal the file name '{path.stem}'")
    return loaded


def load_layer(path: Path) -> LayerDef:
    """Load and validate one layer file; errors name the file, the line or the key path."""
    return _load_model(path, LayerDef, "layer", "id")


def load_indicator(path: Path) -> IndicatorDef:
    """Load and validate one indicator file (``layers/indicators/<code>.yaml``)."""
    return _load_model(path, IndicatorDef, "indicator", "code")


def _check_indicators(indicators: dict[str, IndicatorDef], folder: Path) -> list[str]:
    """Cross-file rules: weights name summed indicators; at most one population indicator."""
    errors = []
    for ind in indicators.values():
        if ind.weight is not None:
            weight = indicators.get(ind.weight)
            if weight is None:
                errors.append(f"{folder}/{ind.code}.yaml: weight: unknown indicator '{ind.weight}'")
            elif weight.aggregation != "sum":
                errors.append(
                    f"{folder}/{ind.code}.yaml: weight: '{ind.weight}' must have aggregation sum"
                )
    population = [i.code for i in indicators.values() if i.population]
    if len(population) > 1:
        errors.append(f"{folder}: population: true is set on several ({', '.join(population)})")
    return errors


def _load_folder(folder: Path, load: Callable[[Path], _M], errors: list[str]) -> list[_M]:
    """Every ``*.yaml`` of ``folder`` loaded by ``load``, in name order; the error of each file
    that fails goes to ``errors`` (so all files are reported together)."""
    loaded = []
    for path in sorted(folder.glob("*.y*ml")):
        try:
            loaded.append(load(path))
        except CatalogError as exc:
            errors.append(str(exc))
    return loaded


def load_catalog(layers_dir: Path) -> Catalog:
    """Load every ``*.yaml`` in ``layers_dir``, the indicators in ``layers_dir/indicators`` and
    the profile forms in ``layers_dir/profiles``; all errors of all files are reported together."""
    from geoservice.services.profiles.forms import PROFILE_FOLDER, load_forms

    if not layers_dir.is_dir():
        raise CatalogError(f"{layers_dir}: layers folder does not exist")
    errors: list[str] = []
    layers = {layer.id: layer for layer in _load_folder(layers_dir, load_layer, errors)}
    indicator_dir = layers_dir / INDICATOR_FOLDER
    indicators = {i.code: i for i in _load_folder(indicator_dir, load_indicator, errors)}
    errors += _check_indicators(indicators, indicator_dir)
    profiles, profile_errors = load_forms(layers_dir / PROFILE_FOLDER, Catalog(layers, indicators))
    errors += profile_errors
    if errors:
        raise CatalogError("\n".join(errors))
    if not layers:
        raise CatalogError(f"{layers_dir}: no layer files (*.yaml) found")
    return Catalog(layers, indicators, profiles)


class CatalogFiles:
    """The catalog of a running process, kept in step with its files: a new or changed layer or
    indicator YAML takes effect without a restart, in every process (each one notices).

    :meth:`current` looks at the files' names, sizes and modification times at most every
    ``interval`` seconds (a few ``stat`` calls) and reloads when they changed. A file that no
    longer validates is logged and the catalog in use is kept, so a typo saved by hand does not
    take the service down; ``geoservice validate-layers`` names the mistake.
    """

    def __init__(self, folder: Path, catalog: Catalog, interval: float = 2.0):
        self.folder = folder
        self.catalog = catalog
        self.interval = interval
        self._signature = self._files()
        self._checked = time.monotonic()

    def _files(self) -> tuple[tuple[str, int, int], ...]:
        found = []
        for folder in (self.folder, self.folder / INDICATOR_FOLDER, self.folder / "profiles"):
            for path in folder.glob("*.y*ml"):
                try:
                    stat = path.stat()
                except OSError:
                    continue
                found.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(sorted(found))

    def current(self) -> Catalog:
        """The catalog, reloaded first when its files changed."""
        now = time.monotonic()
        if now - self._checked < self.interval:
            return self.catalog
        self._checked = now
        signature = self._files()
        if signature != self._signature:
            self._signature = signature
            try:
                self.catalog = load_catalog(self.folder)
                log.info("layer catalog reloaded from %s", self.folder)
            except CatalogError as exc:
                log.warning("layer files changed but do not validate; kept the catalog: %s", exc)
        return self.catalog
