"""Datasets and their merged metadata: the city's defaults (``layers/catalog.yaml``), then the
defaults of the data's kind (statistics or geospatial), then what the item's own file says
anyway (title, description, unit, visibility, period kind), then its ``metadata:`` block.

Who may see a dataset follows ``sifat``: ``terbuka`` everyone, ``terbatas`` planners and admins,
``tertutup`` admins only. A restricted indicator or attribute can never be made ``terbuka``: the
check refuses the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from geoservice.catalog.metadata import (
    BOUNDARY_LEVELS,
    CATALOG_FILE,
    REQUIRED,
    DatasetMetadata,
)
from geoservice.catalog.text import LocalizedText
from geoservice.services.collections import BOUNDARY_COLLECTIONS

if TYPE_CHECKING:
    from geoservice.catalog import Catalog
    from geoservice.services.auth import Principal

Kind = Literal["boundary", "layer", "indicator", "profile", "raster"]
#: statistics get BPS as pembina data, geospatial data BIG (``kind_defaults``)
STATISTICAL: frozenset[str] = frozenset({"indicator", "profile"})
PROFILE_FREQUENCY = {"yearly": "tahunan", "semester": "semesteran", "quarterly": "triwulanan",
                     "monthly": "bulanan"}  # fmt: skip


@dataclass(frozen=True)
class Dataset:
    """One dataset of the catalog."""

    id: str  # "layer-posyandu": kind and the item's id, unique across kinds
    kind: Kind
    key: str  # the layer id, indicator code, form id or boundary level
    metadata: DatasetMetadata  # merged
    #: the file that declares it (errors and the page name it)
    source: str
    sample: bool = False

    @property
    def sifat(self) -> str:
        """terbuka, terbatas or tertutup."""
        return self.metadata.sifat or "terbatas"

    def title(self, lang: str) -> str:
        """Its judul in ``lang``."""
        return self.metadata.judul.get(lang) if self.metadata.judul else self.key


def may_see(dataset: Dataset, principal: Principal | None) -> bool:
    """May this reader see the dataset (its metadata and its entry in the catalog)?"""
    if dataset.sifat == "terbuka":
        return True
    if principal is None:
        return False
    if dataset.sifat == "terbatas":
        return principal.role in ("planner", "admin")
    return principal.role == "admin"


def _merge(*layers: DatasetMetadata | dict[str, Any] | None) -> DatasetMetadata:
    merged: dict[str, Any] = {}
    for layer in layers:
        if layer is None:
            continue
        values = layer if isinstance(layer, dict) else layer.model_dump(exclude_none=True)
        merged.update({k: v for k, v in values.items() if v is not None})
    return DatasetMetadata.model_validate(merged)


def _own(
    title: LocalizedText | None = None,
    description: LocalizedText | None = None,
    restricted: bool = False,
    **more: Any,
) -> dict[str, Any]:
    """What an item's file says anyway, as metadata."""
    own: dict[str, Any] = {"judul": title, "deskripsi": description, **more}
    if restricted:
        own["sifat"] = "terbatas"
    return {k: v.model_dump() if isinstance(v, LocalizedText) else v for k, v in own.items()}


def _items(catalog: Catalog) -> Iterator[tuple[Kind, str, dict[str, Any], DatasetMetadata | None, str, bool]]:  # fmt: skip  # noqa: E501
    """(kind, key, own metadata, block, file, sample) of every item, boundaries first."""
    blocks = catalog.metadata.boundaries if catalog.metadata else {}
    for level in BOUNDARY_LEVELS:
        title = BOUNDARY_COLLECTIONS[level][1]
        own = _own(LocalizedText(id=f"Batas {title['id']}", en=f"Boundaries: {title['en']}"),
                   tingkat_penyajian=level)  # fmt: skip
        yield (
            "boundary",
            level,
            own,
            blocks.get(level),
            f"{CATALOG_FILE}: boundaries.{level}",
            False,
        )
    for layer in catalog.layers.values():
        # a layer's restricted attributes stay out of every public format: the layer is open
        own = _own(layer.title, layer.description, tingkat_penyajian="titik")
        yield "layer", layer.id, own, layer.metadata, f"{layer.id}.yaml", False
    for ind in catalog.indicators.values():
        own = _own(ind.title, ind.description, ind.visibility == "restricted",
                   satuan=ind.unit.model_dump(), tingkat_penyajian="kelurahan")  # fmt: skip
        yield "indicator", ind.code, own, ind.metadata, f"indicators/{ind.code}.yaml", False
    for form in catalog.profiles.values():
        own = _own(form.title, form.description, frekuensi=PROFILE_FREQUENCY[form.period],
                   tingkat_penyajian="kelurahan")  # fmt: skip
        yield "profile", form.id, own, form.metadata, f"profiles/{form.id}.yaml", form.sample
    # rasters (layers/rasters/*.yaml) join the registry separately; each has id, title,
    # description, visibility and a ``metadata`` block of this same model
    for raster in getattr(catalog, "rasters", {}).values():
        restricted = getattr(raster, "visibility", "public") == "restricted"
        source = f"rasters/{raster.id}.yaml"
        block = getattr(raster, "metadata", None)
        if isinstance(block, dict):  # a plain mapping: checked by the same model here
            try:
                block = DatasetMetadata.model_validate(block)
            except ValidationError as exc:
                raise ValueError(f"{source}: metadata: {exc}") from exc
        own = _own(raster.title, getattr(raster, "description", None), restricted,
                   tingkat_penyajian="grid")  # fmt: skip
        yield "raster", raster.id, own, block, source, bool(getattr(raster, "sample", False))


def datasets(catalog: Catalog) -> list[Dataset]:
    """Every dataset of the catalog, boundaries, layers, indicators then profile forms."""
    city = catalog.metadata
    found = []
    for kind, key, own, block, source, sample in _items(catalog):
        kind_defaults = None
        if city is not None:
            by_kind = city.kind_defaults
            kind_defaults = by_kind.statistik if kind in STATISTICAL else by_kind.geospasial
        merged = _merge(city.defaults if city else None, kind_defaults, own, block)
        if merged.sifat is None:
            merged = merged.model_copy(update={"sifat": "terbuka"})
        found.append(Dataset(f"{kind}-{key}", kind, key, merged, source, sample))
    return found


def check_metadata(catalog: Catalog, folder: Path) -> list[str]:
    """Errors of the merged metadata, each naming the file and the key: a required key that
    neither the item nor ``catalog.yaml`` sets, a restricted item declared ``terbuka``. Only a
    layers folder with a ``catalog.yaml`` publishes a catalog; without one nothing is checked."""
    if catalog.metadata is None:
        return []
    errors = []
    try:
        found = datasets(catalog)
    except ValueError as exc:  # a raster's metadata mapping that does not validate
        return [str(exc)]
    restricted = {f"indicator-{i.code}" for i in catalog.indicators.values()
                  if i.visibility == "restricted"}  # fmt: skip
    for item in found:
        where = f"{folder / item.source}" + ("" if item.kind == "boundary" else ": metadata")
        for key in REQUIRED:
            if getattr(item.metadata, key) is None:
                errors.append(
                    f"{where}.{key}: required key is missing (set it here, or as a default "
                    f"in {folder / CATALOG_FILE})"
                )
        if item.id in restricted and item.sifat == "terbuka":
            errors.append(
                f"{where}.sifat: 'terbuka' for a restricted indicator (visibility: restricted); "
                "use terbatas or tertutup"
            )
    return errors
