"""The models of the layer files: a layer (``layers/<id>.yaml``) with its attribute schema and
map style, and an indicator (``layers/indicators/<code>.yaml``). Strict: an unknown key is an
error."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from geoservice.catalog.metadata import DatasetMetadata
from geoservice.catalog.text import LocalizedText as LocalizedText  # re-exported
from geoservice.catalog.text import _Strict as _Strict  # re-exported
from geoservice.catalog.values import coerce, is_empty
from geoservice.errors import FieldProblem, attribute_problem

IDENTIFIER = r"^[a-z][a-z0-9_]*$"


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
    #: Satu Data metadata (merged with ``layers/catalog.yaml``: services/datasets)
    metadata: DatasetMetadata | None = None

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
    ) -> tuple[dict[str, Any], list[FieldProblem]]:
        """Check and coerce ``values`` against the schema.

        Returns the clean attributes (canonical enum spelling, numbers as numbers, dates as
        ISO text; empty values dropped) and the list of problems, empty when valid.
        ``partial`` skips the required check (for patches).
        """
        clean: dict[str, Any] = {}
        issues: list[FieldProblem] = []
        for name, raw in values.items():
            if name not in self.attributes:
                if not ignore_unknown:
                    issues.append(attribute_problem(name, "attr.unknown"))
                continue
            if is_empty(raw):
                continue
            value, issue = coerce(name, self.attributes[name], raw)
            if issue:
                issues.append(issue)
            else:
                clean[name] = value
        if not partial:
            for name, attr in self.attributes.items():
                if attr.required and name not in clean and not any(i.field == name for i in issues):
                    issues.append(attribute_problem(name, "attr.required", title=attr.title))
        return clean, issues


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
    #: Satu Data metadata (merged with ``layers/catalog.yaml``: services/datasets)
    metadata: DatasetMetadata | None = None

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
