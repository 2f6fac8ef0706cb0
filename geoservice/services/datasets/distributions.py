"""The distributions of a dataset: where its data can be downloaded (GeoJSON, CSV, XLSX,
GeoPackage) and the services GIS users connect to (OGC API - Features, vector tiles), as URLs of
this service scoped to the dataset's ``cakupan_wilayah``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from geoservice.catalog.metadata import EU
from geoservice.codes import CODE_LENGTH
from geoservice.services.collections import BOUNDARY_COLLECTIONS
from geoservice.services.datasets.computed import Figures
from geoservice.services.datasets.metadata import Dataset
from geoservice.services.exports import GPKG_TYPE, XLSX_TYPE

IANA = "http://www.iana.org/assignments/media-types/"
#: the features of one download: the API's largest page
PAGE = 10_000


@dataclass(frozen=True)
class Distribution:
    """One way to get the data."""

    key: str  # geojson, csv, xlsx, gpkg, ogcapi, tiles
    title: dict[str, str]
    access_url: str
    download_url: str | None
    media_type: str
    #: the EU file type (``dct:format``), when it has one
    file_type: str | None
    #: an open, machine-readable format (MQA's interoperability)
    open_format: bool = True
    #: OGC API - Features / Tiles endpoint (``dcat:accessService``)
    service: str | None = None

    def as_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "format": self.key,
            "judul": self.title,
            "accessURL": self.access_url,
            "downloadURL": self.download_url,
            "mediaType": self.media_type,
            "format_uri": self.file_type,
        }


FILES = {
    "geojson": ({"id": "GeoJSON", "en": "GeoJSON"}, "application/geo+json", "GEOJSON", True),
    "csv": ({"id": "CSV (tabel)", "en": "CSV (table)"}, "text/csv", "CSV", True),
    "xlsx": ({"id": "Excel (XLSX)", "en": "Excel (XLSX)"},
             XLSX_TYPE, "XLSX", False),
    "gpkg": ({"id": "GeoPackage", "en": "GeoPackage"}, GPKG_TYPE, "GPKG", True),
}  # fmt: skip
OGC_FEATURES = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
OGC_TILES = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core"


def _file(key: str, url: str) -> Distribution:
    title, media, file_type, open_format = FILES[key]
    return Distribution(key, title, url, url, media, EU + "file-type/" + file_type, open_format)


def _query(**params: str | int | None) -> str:
    return urlencode({k: v for k, v in params.items() if v is not None})


def _scope(dataset: Dataset) -> str | None:
    scope = dataset.metadata.cakupan_wilayah
    if scope and dataset.kind == "boundary":
        return scope[: CODE_LENGTH[BOUNDARY_COLLECTIONS[dataset.key][0]]]
    return scope


def distributions(dataset: Dataset, figures: Figures, base: str) -> list[Distribution]:
    """The distributions of ``dataset``, absolute URLs under ``base`` (ending in ``/``)."""
    kode = _scope(dataset)
    key = dataset.key
    if dataset.kind in ("boundary", "layer"):
        items = f"{base}collections/{key}/items?"
        found = [
            _file("geojson", items + _query(kode=kode, limit=PAGE, f="json")),
            _file("csv", items + _query(kode=kode, limit=PAGE, f="csv")),
            _file("xlsx", items + _query(kode=kode, limit=PAGE, f="xlsx")),
            _file("gpkg", items + _query(kode=kode, limit=PAGE, f="gpkg")),
            Distribution("ogcapi", {"id": "OGC API - Features", "en": "OGC API - Features"},
                         f"{base}collections/{key}", None, "application/json",
                         EU + "file-type/JSON", service=OGC_FEATURES),
            Distribution("tiles", {"id": "Vector tiles (MVT)", "en": "Vector tiles (MVT)"},
                         f"{base}collections/{key}/tiles/WebMercatorQuad", None,
                         "application/vnd.mapbox-vector-tile", None, service=OGC_TILES),
        ]  # fmt: skip
        return found
    if dataset.kind == "indicator":
        stats = f"{base}statistics?"
        choropleth = f"{base}indicators/{key}/choropleth?"
        period = figures.latest_period
        return [
            _file("geojson", choropleth + _query(kode=kode, period=period)),
            _file("csv", stats + _query(kode=kode, period=period, f="csv")),
            _file("xlsx", stats + _query(kode=kode, period=period, f="xlsx")),
            _file("gpkg", stats + _query(kode=kode, period=period, f="gpkg")),
            Distribution("api", {"id": "API (JSON)", "en": "API (JSON)"}, f"{base}indicators/{key}",
                         None, "application/json", EU + "file-type/JSON"),
            Distribution("tiles", {"id": "Vector tiles (MVT)", "en": "Vector tiles (MVT)"},
                         f"{base}indicators/{key}/tiles/WebMercatorQuad?" + _query(kode=kode),
                         None, "application/vnd.mapbox-vector-tile", None),
        ]  # fmt: skip
    if dataset.kind == "profile":
        published = f"{base}profiles/{key}/kelurahan?"
        period = figures.latest_period
        return [
            _file("geojson", published + _query(kode=kode, period=period)),
            _file("csv", published + _query(kode=kode, period=period, f="csv")),
        ]
    if dataset.kind == "raster":
        # the cells themselves are not offered for download: their tiles and their zonal
        # statistics are the service's interface (the indicators it fills are datasets too)
        raster = f"{base}rasters/{key}"
        return [
            Distribution("tiles", {"id": "Ubin raster (PNG)", "en": "Raster tiles (PNG)"},
                         f"{raster}/tiles/WebMercatorQuad", None, "image/png",
                         EU + "file-type/PNG"),
            Distribution("api", {"id": "Statistik per kelurahan (JSON)",
                                 "en": "Statistics per kelurahan (JSON)"},
                         f"{raster}/statistics?" + _query(kode=kode), None, "application/json",
                         EU + "file-type/JSON"),
        ]  # fmt: skip
    return []
