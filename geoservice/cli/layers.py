"""``geoservice validate-layers``: check the layer and indicator YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from geoservice.cli.common import fail, out
from geoservice.settings import Settings


def validate_layers(
    layers_dir: Annotated[Path | None, typer.Argument(help="Folder of layer YAML files.")] = None,
) -> None:
    """Check every layers/*.yaml file (indicators, profiles and rasters too); exit 1 with
    precise messages when one is invalid."""
    from geoservice.catalog import CatalogError, load_catalog

    folder = layers_dir or Settings().layers_dir
    try:
        catalog = load_catalog(folder)
    except CatalogError as exc:
        raise fail(str(exc)) from exc
    table = Table("id", "title", "attributes", "required")
    for layer in catalog:
        table.add_row(
            layer.id,
            layer.title.id,
            ", ".join(layer.attributes),
            ", ".join(k for k, a in layer.attributes.items() if a.required),
        )
    out.print(table)
    out.print(f"{len(catalog)} layer(s) valid in {folder}")
    for form in catalog.profiles.values():
        derived = sum(1 for f in form.fields.values() if f.derived is not None)
        out.print(
            f"profile form {form.id}: {len(form.fields)} field(s) in {len(form.sections)} "
            f"section(s), {derived} derived, per {form.period}"
        )
    if catalog.metadata is not None:
        from geoservice.services.datasets.metadata import datasets

        found = datasets(catalog)
        public = sum(1 for d in found if d.sifat == "terbuka")
        out.print(
            f"data catalog: {len(found)} dataset(s) with complete metadata ({public} terbuka), "
            "published at /catalog.jsonld"
        )
    for raster in catalog.rasters.values():
        codes = ", ".join(i.code for i in raster.indicators) or "-"
        sample = ", sample" if raster.sample else ""
        out.print(
            f"raster {raster.id}: {raster.kind}, {raster.year}, {raster.visibility}{sample}; "
            f"indicators: {codes}"
        )
