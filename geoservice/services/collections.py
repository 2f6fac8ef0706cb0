"""The collections the service offers: four boundary levels and one per layer in ``layers/``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from geoservice.catalog import Catalog
from geoservice.errors import NotFound
from geoservice.i18n import Language

#: Boundary collections: id -> (level, title per language).
BOUNDARY_COLLECTIONS: dict[str, tuple[int, dict[str, str]]] = {
    "provinsi": (1, {"id": "Provinsi", "en": "Provinces"}),
    "kabkota": (2, {"id": "Kabupaten/Kota", "en": "Regencies and cities"}),
    "kecamatan": (3, {"id": "Kecamatan", "en": "Districts (kecamatan)"}),
    "kelurahan": (4, {"id": "Desa/Kelurahan", "en": "Villages (desa/kelurahan)"}),
}

_AREA_EXTENTS = """
SELECT level, n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
  FROM (SELECT level, count(*) AS n, ST_Extent(geom) AS e FROM admin_area GROUP BY level) s
"""

# Only published points count for this public listing (drafts are internal).
_LAYER_EXTENTS = """
SELECT layer_id, n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
  FROM (SELECT layer_id, count(*) AS n, ST_Extent(geom) AS e
          FROM facility
         WHERE deleted_at IS NULL AND status = 'verified'
         GROUP BY layer_id) s
"""


@dataclass(frozen=True)
class CollectionInfo:
    """One collection as listed by ``/collections``."""

    id: str
    kind: str  # "boundaries" or "facilities"
    title: str
    description: str | None
    count: int
    bbox: list[float] | None

    def as_json(self, base_url: str) -> dict[str, Any]:
        """The OGC API - Features collection object (links grow with the OGC API issue)."""
        body: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "itemType": "feature",
            "geoservice:kind": self.kind,
            "geoservice:count": self.count,
            "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
            "links": [
                {
                    "href": f"{base_url}collections/{self.id}",
                    "rel": "self",
                    "type": "application/json",
                    "title": self.title,
                },
                {
                    "href": f"{base_url}collections/{self.id}/items",
                    "rel": "items",
                    "type": "application/geo+json",
                    "title": self.title,
                },
            ],
        }
        if self.description:
            body["description"] = self.description
        if self.bbox:
            body["extent"] = {
                "spatial": {
                    "bbox": [self.bbox],
                    "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                }
            }
        return body


def list_collections(conn: Connection, catalog: Catalog, lang: Language) -> list[CollectionInfo]:
    """Boundary levels then layers, with their feature counts and extents."""
    areas = {row[0]: row[1:] for row in conn.execute(text(_AREA_EXTENTS))}
    layers = {row[0]: row[1:] for row in conn.execute(text(_LAYER_EXTENTS))}
    result = []
    for cid, (level, titles) in BOUNDARY_COLLECTIONS.items():
        count, *bbox = areas.get(level, (0, None, None, None, None))
        result.append(CollectionInfo(cid, "boundaries", titles[lang], None, count, _bbox(bbox)))
    for layer in catalog:
        count, *bbox = layers.get(layer.id, (0, None, None, None, None))
        result.append(
            CollectionInfo(
                layer.id,
                "facilities",
                layer.title.get(lang),
                layer.description.get(lang) if layer.description else None,
                count,
                _bbox(bbox),
            )
        )
    return result


def _bbox(values: list[Any]) -> list[float] | None:
    return None if any(v is None for v in values) else [round(float(v), 7) for v in values]


def get_collection(
    conn: Connection, catalog: Catalog, lang: Language, collection_id: str
) -> CollectionInfo:
    """One collection; NotFound (listing the valid ids) when there is none of that id."""
    for info in list_collections(conn, catalog, lang):
        if info.id == collection_id:
            return info
    available = ", ".join([*BOUNDARY_COLLECTIONS, *catalog.layers])
    raise NotFound("collection_not_found", collection=collection_id, available=available)
