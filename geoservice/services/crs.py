"""The coordinate reference systems items can be read in (OGC API - Features Part 2)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geoservice.errors import BadRequest

#: Decimals of degrees written (1 cm at the equator).
COORDINATE_DECIMALS = 7

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/"
#: The EPSG CRSs offered besides CRS84 (the stored one), reprojected by PostGIS: WGS 84 and
#: DGN95 (geographic), Web Mercator, UTM north and south zones over Indonesia, and DGN95 /
#: Indonesia TM-3 (the BPN's cadastral zones).
EPSG_CODES = (
    4326,
    4755,
    3857,
    *range(32646, 32655),
    *range(32746, 32755),
    *range(23830, 23846),
)
#: Geographic CRSs whose EPSG axis order is latitude, longitude (OGC API - Features Part 2
#: keeps it, unlike CRS84's longitude, latitude).
LAT_LON = frozenset({4326, 4755})


@dataclass(frozen=True)
class Crs:
    """A supported coordinate reference system."""

    uri: str
    srid: int

    @property
    def lat_lon(self) -> bool:
        """Coordinates are written latitude first."""
        return self.srid in LAT_LON and self.uri != CRS84

    @property
    def geographic(self) -> bool:
        """In degrees."""
        return self.srid in LAT_LON

    @property
    def decimals(self) -> int:
        """Decimals written: 7 for degrees (1 cm), 3 for metres."""
        return COORDINATE_DECIMALS if self.geographic else 3


def supported_crs() -> list[str]:
    """The URIs of every CRS the items can be read in (CRS84 first)."""
    return [CRS84, *(f"{EPSG_URI}{code}" for code in EPSG_CODES)]


def parse_crs(value: str | None, name: str = "crs") -> Crs | None:
    """``crs``/``bbox-crs``: an OGC URI (also ``EPSG:4326`` or ``[EPSG:4326]``); None when
    absent; BadRequest naming the supported ones otherwise."""
    if value is None:
        return None
    text = value.strip().strip("[]")
    if text in (CRS84, "CRS84", "OGC:CRS84"):
        return Crs(CRS84, 4326)
    found = re.fullmatch(
        r"(?:http://www\.opengis\.net/def/crs/EPSG/0/|EPSG:|urn:ogc:def:crs:EPSG::)([0-9]{4,5})",
        text,
    )
    if found is not None and int(found.group(1)) in EPSG_CODES:
        return Crs(f"{EPSG_URI}{int(found.group(1))}", int(found.group(1)))
    raise BadRequest("features.crs", name=name, value=value, supported=", ".join(supported_crs()))
