"""The collections the service offers: four boundary levels, one per layer in ``layers/`` and
one per profile form in ``layers/profiles/`` (its verified profiles as kelurahan features)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, func, select

from geoservice.catalog import Catalog
from geoservice.db.models import AdminArea, Facility
from geoservice.errors import NotFound
from geoservice.i18n import Language, t
from geoservice.services.crs import CRS84, supported_crs
from geoservice.services.profiles import collection as profile_collection

#: Boundary collections: id -> (level, title per language).
BOUNDARY_COLLECTIONS: dict[str, tuple[int, dict[str, str]]] = {
    "provinsi": (1, {"id": "Provinsi", "en": "Provinces"}),
    "kabkota": (2, {"id": "Kabupaten/Kota", "en": "Regencies and cities"}),
    "kecamatan": (3, {"id": "Kecamatan", "en": "Districts (kecamatan)"}),
    "kelurahan": (4, {"id": "Desa/Kelurahan", "en": "Villages (desa/kelurahan)"}),
}

OGC_REL = "http://www.opengis.net/def/rel/ogc/1.0/"
#: The JSON Schemas a collection links to: its features' (Part 5, also ``describedby``, which
#: GDAL and QGIS read), its queryables (Part 3) and its sortables (Part 5).
SCHEMA_LINKS = (
    ("schema", "describedby"),
    ("schema", f"{OGC_REL}schema"),
    ("queryables", f"{OGC_REL}queryables"),
    ("sortables", f"{OGC_REL}sortables"),
)


def _extents(key: Any, geom: Any, *where: Any) -> Select[Any]:
    """Per ``key``: the count and the extent (minx, miny, maxx, maxy) of ``geom``."""
    grouped = (
        select(key.label("key"), func.count().label("n"), func.ST_Extent(geom).label("e"))
        .where(*where)
        .group_by(key)
        .subquery("s")
    )
    e = grouped.c.e
    return select(
        grouped.c.key,
        grouped.c.n,
        func.ST_XMin(e),
        func.ST_YMin(e),
        func.ST_XMax(e),
        func.ST_YMax(e),
    )


@dataclass(frozen=True)
class CollectionInfo:
    """One collection as listed by ``/collections``."""

    id: str
    kind: str  # "boundaries", "facilities" or "profiles"
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
            "crs": supported_crs(),
            "storageCrs": CRS84,
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
                {
                    "href": f"{base_url}collections/{self.id}?f=html",
                    "rel": "alternate",
                    "type": "text/html",
                },
                *(
                    {
                        "href": f"{base_url}collections/{self.id}/{path}",
                        "rel": rel,
                        "type": "application/schema+json",
                    }
                    for path, rel in SCHEMA_LINKS
                ),
                *(
                    []
                    if self.kind == "profiles"  # a table of kelurahan: read as features
                    else [
                        {
                            "href": f"{base_url}collections/{self.id}/tiles",
                            "rel": f"{OGC_REL}tilesets-vector",
                            "type": "application/json",
                        }
                    ]
                ),
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


def list_collections(
    conn: Connection, catalog: Catalog, lang: Language, only: str | None = None
) -> list[CollectionInfo]:
    """Boundary levels then layers, with their feature counts and extents.

    ``only`` restricts the listing (and its two aggregate queries) to one known collection id.
    """
    boundary_ids = [c for c in BOUNDARY_COLLECTIONS if only in (None, c)]
    layers_wanted = [layer for layer in catalog if only in (None, layer.id)]
    level = BOUNDARY_COLLECTIONS[only][0] if only in BOUNDARY_COLLECTIONS else None
    areas: dict[int, Any] = {}
    if boundary_ids:
        of_level = [] if level is None else [AdminArea.level == level]
        rows = conn.execute(_extents(AdminArea.level, AdminArea.geom, *of_level))
        areas = {row[0]: row[1:] for row in rows}
    layers: dict[str, Any] = {}
    if layers_wanted:
        # only published points count for this public listing (drafts are internal)
        of_layer = [] if only is None else [Facility.layer_id == only]
        rows = conn.execute(
            _extents(
                Facility.layer_id,
                Facility.geom,
                Facility.deleted_at.is_(None),
                Facility.status == "verified",
                *of_layer,
            )
        )
        layers = {row[0]: row[1:] for row in rows}
    result = []
    for cid in boundary_ids:
        level_of, titles = BOUNDARY_COLLECTIONS[cid]
        count, *bbox = areas.get(level_of, (0, None, None, None, None))
        result.append(CollectionInfo(cid, "boundaries", titles[lang], None, count, _bbox(bbox)))
    for layer in layers_wanted:
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
    if only is None or only in catalog.profiles:
        for form, period, count, bbox in profile_collection.listing(conn, catalog, only):
            title = f"{form.title.get(lang)} {period}"
            about = t("profile.collection.description", lang, period=period)
            result.append(CollectionInfo(form.id, "profiles", title, about, count, _bbox(bbox)))
    return result


def _bbox(values: list[Any]) -> list[float] | None:
    return None if any(v is None for v in values) else [round(float(v), 7) for v in values]


def get_collection(
    conn: Connection, catalog: Catalog, lang: Language, collection_id: str
) -> CollectionInfo:
    """One collection; NotFound (listing the valid ids) when there is none of that id."""
    known = collection_id in catalog or collection_id in catalog.profiles
    if collection_id in BOUNDARY_COLLECTIONS or known:
        (info,) = list_collections(conn, catalog, lang, only=collection_id)
        return info
    available = ", ".join([*BOUNDARY_COLLECTIONS, *catalog.layers, *catalog.profiles])
    raise NotFound("collection_not_found", collection=collection_id, available=available)
