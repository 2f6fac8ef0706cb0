"""A dataset as the catalog shows it: merged metadata, computed figures, distributions and the
quality score, for the datasets the reader may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from geoservice.catalog.metadata import EU, FREQUENCIES, THEMES
from geoservice.db.models import AdminArea
from geoservice.errors import NotFound
from geoservice.services.datasets.computed import AllFigures, Figures, all_figures
from geoservice.services.datasets.distributions import Distribution, distributions
from geoservice.services.datasets.metadata import Dataset, datasets, may_see
from geoservice.services.datasets.quality import Quality, score

if TYPE_CHECKING:
    from geoservice.catalog import Catalog
    from geoservice.services.auth import Principal


@dataclass(frozen=True)
class Record:
    """One dataset with everything the catalog says about it."""

    dataset: Dataset
    figures: Figures
    distributions: list[Distribution]
    quality: Quality
    #: the name of ``cakupan_wilayah`` (``Kota Kediri``), when the area is in the database
    area_name: str | None
    #: the bounding box of ``cakupan_wilayah`` (lon/lat), when the area is in the database
    area_bbox: tuple[float, float, float, float] | None = None

    @property
    def id(self) -> str:
        """The dataset id."""
        return self.dataset.id

    @property
    def sample(self) -> bool:
        """Declared a sample (contoh), or holding generated data."""
        return bool(self.dataset.sample or self.figures.sample)

    def as_json(self, base: str) -> dict[str, Any]:
        """JSON-ready (``GET /datasets``)."""
        meta = self.dataset.metadata
        return {
            "id": self.dataset.id,
            "jenis": self.dataset.kind,
            "kunci": self.dataset.key,
            "contoh": self.sample,
            "metadata": meta.model_dump(mode="json", exclude_none=True),
            "lisensi_uri": meta.licence_uri(),
            "frekuensi_uri": frequency_uri(meta.frekuensi),
            "tema_uri": [theme_uri(t) for t in meta.tema or []],
            "cakupan_wilayah_nama": self.area_name,
            "dihitung": self.figures.as_json(),
            "distribusi": [d.as_json() for d in self.distributions],
            "kualitas": self.quality.as_json(),
            "links": [
                {"rel": "alternate", "type": "text/html", "href": f"{base}katalog/{self.id}"},
                {"rel": "self", "type": "application/json", "href": f"{base}datasets/{self.id}"},
            ],
        }


def frequency_uri(frequency: str | None) -> str | None:
    """The EU frequency URI of ``frekuensi``."""
    return None if frequency is None else EU + "frequency/" + FREQUENCIES[frequency]


def theme_uri(theme: str) -> str:
    """The EU data theme URI of ``tema``."""
    return EU + "data-theme/" + THEMES[theme][0]


Box = tuple[float, float, float, float]


def _areas(conn: Connection, codes: set[str]) -> dict[str, tuple[str, Box]]:
    """The name and bounding box of each area of ``codes`` in the database."""
    if not codes:
        return {}
    box = func.Box2D(AdminArea.geom)
    query = select(
        AdminArea.code,
        AdminArea.name,
        func.ST_XMin(box),
        func.ST_YMin(box),
        func.ST_XMax(box),
        func.ST_YMax(box),
    ).where(AdminArea.code.in_(codes))
    return {str(r[0]): (str(r[1]), (r[2], r[3], r[4], r[5])) for r in conn.execute(query)}


def records(
    conn: Connection,
    catalog: Catalog,
    principal: Principal | None,
    base: str,
    figures: AllFigures | None = None,
) -> list[Record]:
    """Every dataset ``principal`` may see (anonymous: the ``terbuka`` ones), in catalog order;
    ``figures`` computed here unless given (a :class:`FiguresCache`'s)."""
    figures = figures or all_figures(conn)
    shown = [d for d in datasets(catalog) if may_see(d, principal)]
    areas = _areas(conn, {d.metadata.cakupan_wilayah for d in shown if d.metadata.cakupan_wilayah})
    found = []
    for item in shown:
        its = figures.of(item.kind, item.key)
        dists = distributions(item, its, base)
        name, bbox = areas.get(item.metadata.cakupan_wilayah or "", (None, None))
        found.append(Record(item, its, dists, score(item, its, dists), name, bbox))
    return found


def record(
    conn: Connection,
    catalog: Catalog,
    principal: Principal | None,
    base: str,
    dataset_id: str,
    figures: AllFigures | None = None,
) -> Record:
    """One dataset; 404 when there is none or the reader may not see it (a restricted dataset
    does not exist for the public)."""
    for found in records(conn, catalog, principal, base, figures):
        if found.id == dataset_id:
            return found
    raise NotFound("dataset.unknown", id=dataset_id[:80])
