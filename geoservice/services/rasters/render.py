"""Drawing a raster: PNG tiles of the WebMercatorQuad with rio-tiler (its colormap, nodata
transparent), the value at a point, and the legend that explains the colours.

rio-tiler is synchronous and CPU-bound: :class:`RenderPool` runs it in worker threads, at most
``threads`` at once with a bounded queue, so a crowd of tile requests gets a fast 503 instead
of a growing wait (the request queue of :mod:`geoservice.web.admission` admits them first).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread
import numpy as np

from geoservice.catalog.rasters import RasterDef
from geoservice.errors import ServiceBusy
from geoservice.i18n import t

TILE_SIZE = 256
#: How many colours of a continuous ramp the legend shows.
LEGEND_STOPS = 5
_T = TypeVar("_T")


def _transparent_png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGBA", (TILE_SIZE, TILE_SIZE), (0, 0, 0, 0)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


#: The tile of a place the raster does not reach (Leaflet draws an error for a 204).
EMPTY_PNG = _transparent_png()


class RenderPool:
    """At most ``threads`` renders at once, ``queue`` more waiting; beyond, ServiceBusy."""

    def __init__(self, threads: int, queue: int):
        self.limiter = anyio.CapacityLimiter(threads)
        self.queue = queue
        self.pending = 0

    async def run(self, function: Callable[..., _T], *args: Any) -> _T:
        """``function(*args)`` in a worker thread."""
        if self.pending >= self.limiter.total_tokens + self.queue:
            raise ServiceBusy("service_busy.detail", retry_after=1)
        self.pending += 1
        try:
            return await anyio.to_thread.run_sync(function, *args, limiter=self.limiter)
        finally:
            self.pending -= 1


def _hex(rgb: Any) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(c) for c in rgb[:3]))


def _rgba(color: str) -> tuple[int, int, int, int]:
    return (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16), 255)


def _colormap(raster: RasterDef) -> dict[int, tuple[int, int, int, int]]:
    if raster.kind == "categorical":
        return {c.value: _rgba(c.color) for c in raster.classes or []}
    return _ramp(raster.colormap or "viridis")


@cache
def _ramp(name: str) -> dict[int, tuple[int, int, int, int]]:
    from rio_tiler.colormap import cmap

    ramp = cmap.get(name)
    assert isinstance(ramp, dict)
    return {int(k): (int(v[0]), int(v[1]), int(v[2]), int(v[3])) for k, v in ramp.items()}


def tile(path: Path, raster: RasterDef, z: int, x: int, y: int) -> bytes | None:
    """The PNG of tile z/x/y, or None when the raster does not reach it."""
    from rio_tiler.errors import TileOutsideBounds
    from rio_tiler.io import Reader

    with Reader(str(path)) as reader:
        try:
            image = reader.tile(x, y, z, tilesize=TILE_SIZE)
        except TileOutsideBounds:
            return None
    if not image.mask.any():
        return None
    if raster.kind == "categorical":
        image.array = image.array.astype("uint8")
    else:
        assert raster.rescale is not None
        image.rescale(in_range=[raster.rescale])
    return bytes(image.render(img_format="PNG", colormap=_colormap(raster)))


def point(path: Path, raster: RasterDef, lon: float, lat: float, lang: str) -> dict[str, Any]:
    """The value of the cell at (lon, lat); None outside the raster or on nodata."""
    from rio_tiler.errors import PointOutsideBounds
    from rio_tiler.io import Reader

    value: float | None = None
    with Reader(str(path)) as reader:
        try:
            data = reader.point(lon, lat)
            if not np.ma.is_masked(data.array[0]) and bool(data.mask.all()):
                value = float(data.array[0])
        except PointOutsideBounds:
            value = None
    body: dict[str, Any] = {
        "raster": raster.id,
        "at": [lon, lat],
        "value": value,
        "unit": raster.unit.get(lang),
        "sample": raster.sample,
    }
    if raster.kind == "categorical":
        label = next((c.label.get(lang) for c in raster.classes or [] if c.value == value), None)
        body["class"] = label
    return body


def legend(raster: RasterDef, lang: str) -> dict[str, Any]:
    """The colours and what they mean: classes, or stops along the ramp over ``rescale``."""
    body: dict[str, Any] = {
        "raster": raster.id,
        "title": raster.title.get(lang),
        "unit": raster.unit.get(lang),
        "sample": raster.sample,
        "note": t("raster.sample_note", lang) if raster.sample else None,
    }
    if raster.kind == "categorical":
        body["type"] = "classes"
        body["classes"] = [
            {"value": c.value, "label": c.label.get(lang), "color": c.color}
            for c in raster.classes or []
        ]
        return body
    assert raster.rescale is not None
    low, high = raster.rescale
    colors = _colormap(raster)
    stops = []
    for i in range(LEGEND_STOPS):
        share = i / (LEGEND_STOPS - 1)
        color = _hex(colors[round(255 * share)])
        stops.append({"value": low + share * (high - low), "color": color})
    body["type"] = "ramp"
    body["stops"] = stops
    return body


@functools.lru_cache(maxsize=64)
def zoom_range(path: Path, _checksum: str) -> tuple[int, int]:
    """The zooms the raster is worth drawing at (rio-tiler's from its resolution), read once
    per import (``_checksum``, the import's sha256, is the cache key)."""
    from rio_tiler.io import Reader

    with Reader(str(path)) as reader:
        return int(reader.minzoom), int(reader.maxzoom)
