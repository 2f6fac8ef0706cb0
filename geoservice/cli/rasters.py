"""``geoservice import raster ID FILE``: a GeoTIFF checked and written as the COG of a
declared raster, then its indicators computed per desa/kelurahan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geoservice.cli.common import (
    LangOption,
    console,
    fail,
    load_layers,
    migrated_engine,
    out,
    progress_bar,
)
from geoservice.i18n import t
from geoservice.settings import Settings


def import_raster_cmd(
    raster_id: Annotated[str, typer.Argument(metavar="ID", help="Raster id (layers/rasters/).")],
    file: Annotated[Path, typer.Argument(help="A single-band GeoTIFF, in any CRS.")],
    statistics: Annotated[
        bool, typer.Option(help="Compute its indicators per desa/kelurahan afterwards.")
    ] = True,
    lang: LangOption = "id",
) -> None:
    """Import a raster: checked, converted to a COG with overviews, checksummed."""
    from geoservice.services.imports.readers import InputError
    from geoservice.services.rasters import access, storage

    settings = Settings()
    catalog = load_layers(settings)
    progress, update = progress_bar(lambda stage: t(stage, lang))
    try:
        with progress:
            result = storage.import_raster(settings, catalog, raster_id, file, update)
    except InputError as exc:
        raise fail(exc.message(lang), lang=lang) from exc
    info = result.info
    out.print(
        t("raster.cli_written", lang, id=raster_id, path=result.path, size=result.size,
          sha256=result.sha256, crs=info["crs"], width=info["width"], height=info["height"]),
        highlight=False, soft_wrap=True,
    )  # fmt: skip
    if not statistics:
        return
    engine = migrated_engine(settings)
    for raster in access.dependents(catalog, raster_id):
        if not raster.indicators:
            continue
        with progress:
            update("raster.stage.statistics", 0, 1)
            written = access.write_indicators(engine, settings, raster)
        codes = ", ".join(i.code for i in raster.indicators)
        line = t("raster.cli_indicators", lang, raster=raster.id, count=written, codes=codes,
                 year=raster.year)  # fmt: skip
        out.print(line, highlight=False, soft_wrap=True)
        missing = access.waiting(settings, raster)
        if missing:
            line = t("raster.cli_waiting", lang, raster=raster.id, needs=", ".join(missing))
            console.print(f"[yellow]{line}[/]", highlight=False, soft_wrap=True)
