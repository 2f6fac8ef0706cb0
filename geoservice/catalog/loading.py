"""Loading the catalog: every layer and indicator file validated, all their errors reported
together, and the catalog of a running process kept in step with its files."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from geoservice.catalog.metadata import CATALOG_FILE, CatalogFile, load_catalog_file
from geoservice.catalog.models import IndicatorDef, LayerDef
from geoservice.catalog.rasters import RASTER_FOLDER, RasterDef, check_rasters, raster_indicators

if TYPE_CHECKING:
    from geoservice.services.profiles.forms import ProfileForm
    from geoservice.services.progress.campaigns import Campaign

log = logging.getLogger("geoservice.catalog")


class CatalogError(ValueError):
    """A layer file is missing, unreadable or invalid; the message says where and why."""


_M = TypeVar("_M", bound=BaseModel)


#: Where indicator files live, inside the layers folder.
INDICATOR_FOLDER = "indicators"


@dataclass(frozen=True)
class Catalog:
    """All layers, by id, in file-name order."""

    layers: dict[str, LayerDef]
    indicators: dict[str, IndicatorDef] = dataclass_field(default_factory=dict)
    #: the profile forms of ``layers/profiles/`` (:mod:`geoservice.services.profiles.forms`)
    profiles: dict[str, ProfileForm] = dataclass_field(default_factory=dict)
    #: the data collection campaigns of ``layers/campaigns/`` (services/progress/campaigns)
    campaigns: dict[str, Campaign] = dataclass_field(default_factory=dict)
    #: ``layers/catalog.yaml``: the data catalog and its defaults (None without the file)
    metadata: CatalogFile | None = None
    #: the rasters of ``layers/rasters/`` (:mod:`geoservice.catalog.rasters`)
    rasters: dict[str, RasterDef] = dataclass_field(default_factory=dict)

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


def load_raster(path: Path) -> RasterDef:
    """Load and validate one raster file (``layers/rasters/<id>.yaml``)."""
    return _load_model(path, RasterDef, "raster", "id")


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
        if path.name == CATALOG_FILE:
            continue
        try:
            loaded.append(load(path))
        except CatalogError as exc:
            errors.append(str(exc))
    return loaded


def load_catalog(layers_dir: Path) -> Catalog:
    """Load every ``*.yaml`` in ``layers_dir``, the indicators in ``layers_dir/indicators``, the
    profile forms in ``layers_dir/profiles`` and the campaigns in ``layers_dir/campaigns``; all
    errors of all files are reported together."""
    from geoservice.services.datasets.metadata import check_metadata
    from geoservice.services.profiles.forms import PROFILE_FOLDER, load_forms
    from geoservice.services.progress.campaigns import CAMPAIGN_FOLDER, load_campaigns

    if not layers_dir.is_dir():
        raise CatalogError(f"{layers_dir}: layers folder does not exist")
    errors: list[str] = []
    layers = {layer.id: layer for layer in _load_folder(layers_dir, load_layer, errors)}
    indicator_dir = layers_dir / INDICATOR_FOLDER
    indicators = {i.code: i for i in _load_folder(indicator_dir, load_indicator, errors)}
    raster_dir = layers_dir / RASTER_FOLDER
    rasters = {r.id: r for r in _load_folder(raster_dir, load_raster, errors)}
    errors += check_rasters(rasters, raster_dir)
    indicators, raster_errors = raster_indicators(rasters, indicators, raster_dir)
    errors += raster_errors
    errors += _check_indicators(indicators, indicator_dir)
    profiles, profile_errors = load_forms(layers_dir / PROFILE_FOLDER, Catalog(layers, indicators))
    errors += profile_errors
    campaigns, campaign_errors = load_campaigns(
        layers_dir / CAMPAIGN_FOLDER, Catalog(layers, indicators, profiles)
    )
    errors += campaign_errors
    metadata = None
    if (layers_dir / CATALOG_FILE).is_file():
        try:
            metadata = load_catalog_file(layers_dir / CATALOG_FILE)
        except ValueError as exc:
            errors.append(str(exc))
    if errors:
        raise CatalogError("\n".join(errors))
    if not layers:
        raise CatalogError(f"{layers_dir}: no layer files (*.yaml) found")
    catalog = Catalog(
        layers, indicators, profiles, campaigns=campaigns, metadata=metadata, rasters=rasters
    )
    errors = check_metadata(catalog, layers_dir)
    if errors:
        raise CatalogError("\n".join(errors))
    return catalog


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
        folders = ("", INDICATOR_FOLDER, "profiles", "campaigns", RASTER_FOLDER)
        for folder in (self.folder / name for name in folders):
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
