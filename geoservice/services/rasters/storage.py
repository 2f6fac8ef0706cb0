"""The raster files: where a raster's COG lives (named by its registry id, under the data
folder), and the import that puts it there.

``import_raster`` reads any single-band GeoTIFF in any CRS, checks it (a CRS, one band, a
nodata value, inside Indonesia, classes of a categorical raster), writes a Cloud Optimized
GeoTIFF with overviews (rio-cogeo) to a temporary file beside the destination, checksums it
(SHA-256) and only then renames it into place with its metadata: a refused or interrupted
import leaves nothing behind and never replaces a good raster with a broken one.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from rasterio.errors import RasterioError
from rasterio.warp import transform_bounds

from geoservice.catalog import Catalog
from geoservice.catalog.rasters import RasterDef
from geoservice.errors import NotFound
from geoservice.services.imports.readers import InputError
from geoservice.settings import Settings

#: Indonesia with a margin (lon, lat): a raster wholly outside is a wrong CRS or a wrong file.
INDONESIA = (94.0, -12.0, 142.0, 7.0)
#: Reported stages: (stage key, done, total).
Progress = Callable[[str, int, int], None]


def raster_folder(settings: Settings) -> Path:
    """Where the raster COGs are kept: ``<data dir>/rasters`` unless set otherwise."""
    return settings.rasters_dir or settings.data_dir / "rasters"


def cog_path(settings: Settings, raster_id: str) -> Path:
    """The COG of ``raster_id`` (an id of the catalog, never a name from a request)."""
    return raster_folder(settings) / f"{raster_id}.tif"


def info_path(settings: Settings, raster_id: str) -> Path:
    """The metadata written beside the COG by the import (checksum, grid, bounds)."""
    return raster_folder(settings) / f"{raster_id}.json"


def read_info(settings: Settings, raster_id: str) -> dict[str, Any] | None:
    """The import's metadata of ``raster_id``, or None when it was never imported.

    Asked on every tile and page: the file is parsed once per import (its size and change
    time), not on every request; a new import (another process) changes both."""
    cog, info = cog_path(settings, raster_id), info_path(settings, raster_id)
    try:
        written = info.stat()
        stamps = (cog.stat().st_mtime_ns, written.st_mtime_ns, written.st_size)
    except OSError:
        return None
    return _parsed_info(info, stamps)


@functools.lru_cache(maxsize=64)
def _parsed_info(path: Path, _stamps: tuple[int, int, int]) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data


def imported(settings: Settings, raster: RasterDef) -> tuple[Path, dict[str, Any]]:
    """The COG of ``raster`` and its import's metadata; 404 when it has not been imported."""
    info = read_info(settings, raster.id)
    if info is None:
        raise NotFound("raster.not_imported", id=raster.id)
    return cog_path(settings, raster.id), info


def imported_file(settings: Settings, raster: RasterDef) -> Path:
    """The COG of ``raster``; 404 when it has not been imported yet."""
    return imported(settings, raster)[0]


@dataclass
class RasterImport:
    """What an import wrote."""

    raster: str
    path: Path
    sha256: str
    size: int
    info: dict[str, Any]


def _sha256(path: Path, progress: Progress) -> str:
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            done += len(chunk)
            progress("raster.stage.checksum", done, total)
    return digest.hexdigest()


def _check(src: Any, raster: RasterDef) -> float:
    """Refuse what cannot be served or counted; the nodata value to use."""
    if src.crs is None:
        raise InputError("raster.no_crs")
    if src.count != 1:
        raise InputError("raster.bands", bands=src.count)
    if src.transform.is_identity:
        raise InputError("raster.no_georeference")
    nodata = src.nodata if src.nodata is not None else raster.nodata
    if nodata is None:
        raise InputError("raster.no_nodata")
    if raster.nodata is not None and src.nodata is not None and src.nodata != raster.nodata:
        raise InputError("raster.nodata_differs", file=src.nodata, declared=raster.nodata)
    west, south, east, north = transform_bounds(src.crs, "EPSG:4326", *src.bounds)
    if east < INDONESIA[0] or west > INDONESIA[2] or north < INDONESIA[1] or south > INDONESIA[3]:
        raise InputError(
            "raster.outside", bounds=f"{west:.3f}, {south:.3f}, {east:.3f}, {north:.3f}"
        )
    if raster.kind == "categorical":
        if not np.issubdtype(np.dtype(src.dtypes[0]), np.integer):
            raise InputError("raster.categorical_dtype", dtype=src.dtypes[0])
        known = {c.value for c in raster.classes or []} | {int(nodata)}
        found: set[int] = set()
        for _, window in src.block_windows(1):
            found.update(int(v) for v in np.unique(src.read(1, window=window)))
        unknown = sorted(found - known)
        if unknown:
            raise InputError(
                "raster.unknown_classes",
                values=", ".join(map(str, unknown[:10])),
                classes=", ".join(str(c.value) for c in raster.classes or []),
            )
    return float(nodata)


def import_raster(
    settings: Settings,
    catalog: Catalog,
    raster_id: str,
    source: Path,
    progress: Progress | None = None,
) -> RasterImport:
    """Check ``source`` and write it as the COG of ``raster_id``; InputError when refused
    (nothing is written then)."""
    from rio_cogeo.cogeo import cog_translate
    from rio_cogeo.profiles import cog_profiles

    report = progress or (lambda stage, done, total: None)
    raster = catalog.rasters.get(raster_id)
    if raster is None:
        raise InputError("raster.unknown_id", id=raster_id, known=", ".join(catalog.rasters) or "-")
    if not source.is_file():
        raise InputError("file.not_found", path=str(source))
    report("raster.stage.check", 0, 1)
    folder = raster_folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{raster_id}-", suffix=".tif", dir=folder)
    os.close(handle)
    temp = Path(temp_name)
    try:
        try:
            with rasterio.open(source) as src:
                nodata = _check(src, raster)
                report("raster.stage.check", 1, 1)
                report("raster.stage.cog", 0, 1)
                categorical = raster.kind == "categorical"
                profile = dict(cog_profiles.get("deflate"))  # type: ignore[no-untyped-call]
                profile.update(blockxsize=256, blockysize=256)  # the tiles' size
                cog_translate(
                    src,
                    temp,
                    profile,
                    nodata=nodata,
                    overview_resampling="nearest" if categorical else "average",
                    quiet=True,
                    in_memory=False,
                    additional_cog_metadata={"geoservice_raster": raster_id},
                )
        except RasterioError as exc:
            raise InputError("raster.unreadable", name=source.name) from exc
        report("raster.stage.cog", 1, 1)
        digest = _sha256(temp, report)
        with rasterio.open(temp) as cog:
            west, south, east, north = transform_bounds(cog.crs, "EPSG:4326", *cog.bounds)
            info = {
                "id": raster_id,
                "source_file": source.name,
                "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "sha256": digest,
                "size": temp.stat().st_size,
                "crs": cog.crs.to_string(),
                "width": cog.width,
                "height": cog.height,
                "resolution": [abs(cog.transform.a), abs(cog.transform.e)],
                "dtype": cog.dtypes[0],
                "nodata": nodata,
                "overviews": cog.overviews(1),
                "bounds": [west, south, east, north],
            }
        info_temp = temp.with_suffix(".json")
        info_temp.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        temp.chmod(0o644)  # mkstemp's 0600 would hide it from a service running as another user
        os.replace(temp, cog_path(settings, raster_id))
        os.replace(info_temp, info_path(settings, raster_id))
    finally:
        temp.unlink(missing_ok=True)
        temp.with_suffix(".json").unlink(missing_ok=True)
    return RasterImport(raster_id, cog_path(settings, raster_id), digest, info["size"], info)
