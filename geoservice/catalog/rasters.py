"""Rasters as data: ``layers/rasters/<id>.yaml`` declares a raster (population per cell,
night lights, hazard classes), how it is drawn, who may see it and the indicators its zonal
statistics per desa/kelurahan become.

The raster itself is a Cloud Optimized GeoTIFF that ``geoservice import raster ID FILE`` writes
under the data folder, named by the id only: no request ever names a path or URL.

Each declared indicator (``indicators:``) is an :class:`~geoservice.catalog.IndicatorDef` of
the catalog like those of ``layers/indicators/`` (choropleths, ``/statistics``, exports and the
planner read it unchanged), with the raster's source and visibility.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from geoservice.catalog.models import IDENTIFIER, IndicatorDef, LocalizedText

#: Where raster files live, inside the layers folder.
RASTER_FOLDER = "rasters"

Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Statistic = Literal["sum", "mean", "share", "weighted_sum"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RasterClass(_Strict):
    """One class of a categorical raster (a flood hazard class): its value, label and colour."""

    value: int
    label: LocalizedText
    color: Color


class ColorStop(_Strict):
    """A colour of a continuous raster's ramp at a value (values between are interpolated)."""

    value: float
    color: Color


class WeightRaster(_Strict):
    """The second raster of a ``weighted_sum``: a cell counts when its class in ``raster`` is
    at least ``at_least`` (people living in flood class 2 or more)."""

    raster: Annotated[str, StringConstraints(pattern=IDENTIFIER)]
    at_least: float


class RasterIndicator(_Strict):
    """An indicator computed from the raster per desa/kelurahan (period = the raster's year).

    ``sum`` (counts: coverage-weighted sum), ``mean`` (densities: coverage-weighted mean),
    ``share`` (categorical: percent of the area in ``classes``), ``weighted_sum`` (the sum of
    this raster where ``weights`` holds)."""

    code: Annotated[str, StringConstraints(pattern=IDENTIFIER, max_length=40)]
    statistic: Statistic
    title: LocalizedText
    description: LocalizedText | None = None
    unit: LocalizedText
    decimals: int = Field(default=0, ge=0, le=4)
    classes: list[int] | None = None
    weights: WeightRaster | None = None
    scheme: str = "YlOrRd"

    @model_validator(mode="after")
    def _options_fit(self) -> RasterIndicator:
        if (self.statistic == "share") != (self.classes is not None):
            raise ValueError("classes is required with, and only with, statistic share")
        if (self.statistic == "weighted_sum") != (self.weights is not None):
            raise ValueError("weights is required with, and only with, statistic weighted_sum")
        return self


class RasterDef(_Strict):
    """A raster as declared in ``layers/rasters/<id>.yaml``."""

    id: Annotated[str, StringConstraints(pattern=IDENTIFIER, max_length=40)]
    title: LocalizedText
    description: LocalizedText | None = None
    source: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    licence: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    year: int = Field(ge=1900, le=2100)
    kind: Literal["count", "density", "categorical"]
    unit: LocalizedText
    #: the value of cells without data when the file declares none
    nodata: float | None = None
    #: a rio-tiler colormap name (``viridis``, ``ylorrd``...) for count and density rasters
    colormap: str | None = None
    #: the values the colour ramp spans, [low, high]
    rescale: tuple[float, float] | None = None
    #: the classes of a categorical raster
    classes: list[RasterClass] | None = None
    visibility: Literal["public", "restricted"] = "public"
    #: invented data (the demo's): every page, legend and answer says so
    sample: bool = False
    indicators: list[RasterIndicator] = Field(default_factory=list)
    #: dataset metadata of the catalog (DCAT); free-form here, checked by the catalog's work
    metadata: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> RasterDef:
        categorical = self.kind == "categorical"
        if categorical and not self.classes:
            raise ValueError("a categorical raster needs classes [{value, label, color}]")
        if not categorical and self.classes:
            raise ValueError("classes apply to a categorical raster only")
        if not categorical and (self.colormap is None or self.rescale is None):
            raise ValueError(f"a {self.kind} raster needs colormap and rescale [low, high]")
        if self.rescale is not None and self.rescale[0] >= self.rescale[1]:
            raise ValueError("rescale: low must be below high")
        if self.colormap is not None:
            from rio_tiler.colormap import cmap

            if self.colormap not in cmap.list():
                raise ValueError(f"unknown colormap '{self.colormap}'")
        for ind in self.indicators:
            allowed = {"count": {"sum", "mean", "weighted_sum"}, "density": {"mean"}}
            if ind.statistic not in allowed.get(self.kind, {"share"}):
                raise ValueError(
                    f"indicator {ind.code}: {ind.statistic} does not fit a {self.kind} raster"
                )
            known = {c.value for c in self.classes or []}
            for value in ind.classes or []:
                if value not in known:
                    raise ValueError(f"indicator {ind.code}: class {value} is not declared")
        return self

    def indicator_defs(self) -> list[IndicatorDef]:
        """The catalog indicators this raster's zonal statistics fill."""
        from geoservice.catalog.metadata import DatasetMetadata

        sample = " (contoh)" if self.sample else ""
        # an indicator computed from the raster is described by the raster's own metadata
        # (its producer, frequency, themes), with its own description where it has one
        metadata = DatasetMetadata.model_validate(self.metadata) if self.metadata else None
        return [
            IndicatorDef(
                code=ind.code,
                title=ind.title,
                description=ind.description,
                unit=ind.unit,
                source=f"{self.source}{sample}"[:200],
                visibility=self.visibility,
                aggregation="sum" if ind.statistic in ("sum", "weighted_sum") else "none",
                decimals=ind.decimals,
                minimum=0,
                scheme=ind.scheme,
                metadata=(
                    metadata.model_copy(update={"deskripsi": ind.description})
                    if metadata is not None and ind.description is not None
                    else metadata
                ),
            )
            for ind in self.indicators
        ]


def check_rasters(rasters: dict[str, RasterDef], folder: Path) -> list[str]:
    """Cross-file rules: a weight raster exists and is categorical."""
    errors = []
    for raster in rasters.values():
        for ind in raster.indicators:
            if ind.weights is None:
                continue
            other = rasters.get(ind.weights.raster)
            if other is None:
                errors.append(
                    f"{folder}/{raster.id}.yaml: {ind.code}: weights: unknown raster "
                    f"'{ind.weights.raster}'"
                )
            elif other.kind != "categorical":
                errors.append(
                    f"{folder}/{raster.id}.yaml: {ind.code}: weights: '{other.id}' is not "
                    "categorical"
                )
    return errors


def raster_indicators(
    rasters: dict[str, RasterDef], indicators: dict[str, IndicatorDef], folder: Path
) -> tuple[dict[str, IndicatorDef], list[str]]:
    """The indicators of ``rasters`` added to ``indicators``; a code already taken is an error."""
    merged = dict(indicators)
    errors = []
    for raster in rasters.values():
        for ind in raster.indicator_defs():
            if ind.code in merged:
                errors.append(
                    f"{folder}/{raster.id}.yaml: indicators: '{ind.code}' is already an indicator"
                )
            merged[ind.code] = ind
    return merged, errors
