"""A metadata quality score per dataset, in the spirit of the EU's Metadata Quality Assessment
(data.europa.eu MQA): five dimensions of 100 points each, every point tied to one check the
walidata can fix. The weights (documented in docs/catalog.md) follow MQA's where the check
exists there (keywords 30, themes 30, spatial 20, temporal 20; access URL 50, download URL 50;
licence, access rights, contact point, publisher) and give Satu Data's own fields (produsen and
pembina data, kode referensi, konsep, definisi, satuan, klasifikasi) the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geoservice.catalog.metadata import LICENCES
from geoservice.services.datasets.computed import Figures
from geoservice.services.datasets.distributions import Distribution
from geoservice.services.datasets.metadata import Dataset

if TYPE_CHECKING:
    pass

#: dimension -> [(check, points)], 100 points per dimension
WEIGHTS: dict[str, list[tuple[str, int]]] = {
    "findability": [("kata_kunci", 30), ("tema", 30), ("cakupan_wilayah", 20),
                    ("cakupan_waktu", 20)],
    "accessibility": [("access_url", 50), ("download_url", 50)],
    "interoperability": [("format", 30), ("format_terbuka", 30), ("tipe_media", 20),
                         ("kode_referensi", 20)],
    "reusability": [("lisensi", 20), ("lisensi_kosakata", 10), ("sifat", 10), ("kontak", 20),
                    ("produsen_data", 15), ("walidata", 15), ("pembina_data", 10)],
    "contextuality": [("deskripsi", 10), ("konsep", 15), ("definisi", 20), ("satuan", 15),
                      ("klasifikasi", 10), ("frekuensi", 10), ("perubahan_terakhir", 20)],
}  # fmt: skip
MAXIMUM = sum(points for checks in WEIGHTS.values() for _, points in checks)
#: the rating of a share of the maximum (MQA: excellent, good, sufficient, bad)
RATINGS = ((0.85, "sangat_baik"), (0.60, "baik"), (0.35, "cukup"), (0.0, "kurang"))


@dataclass(frozen=True)
class Quality:
    """The score of one dataset: points per dimension and the checks it failed."""

    dataset: str
    points: int
    dimensions: dict[str, int]
    missing: list[str]

    @property
    def percent(self) -> int:
        """Points as a share of the maximum, rounded."""
        return round(100 * self.points / MAXIMUM)

    @property
    def rating(self) -> str:
        """sangat_baik, baik, cukup or kurang."""
        return next(name for floor, name in RATINGS if self.points >= floor * MAXIMUM)

    def as_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "skor": self.points,
            "maksimum": MAXIMUM,
            "persen": self.percent,
            "peringkat": self.rating,
            "dimensi": self.dimensions,
            "kurang": self.missing,
        }


def _passed(dataset: Dataset, figures: Figures, found: list[Distribution]) -> set[str]:
    meta = dataset.metadata
    passed = {
        name
        for name in ("kata_kunci", "tema", "kode_referensi", "lisensi", "sifat", "kontak",
                     "produsen_data", "walidata", "pembina_data", "deskripsi", "konsep",
                     "definisi", "satuan", "klasifikasi", "frekuensi")
        if getattr(meta, name)
    }  # fmt: skip
    if meta.cakupan_wilayah and figures.bbox:
        passed.add("cakupan_wilayah")
    if figures.start or meta.periode:
        passed.add("cakupan_waktu")
    if found:
        passed.add("access_url")
    if any(d.download_url for d in found):
        passed.add("download_url")
    if found and all(d.file_type for d in found if d.download_url):
        passed.add("format")
    if any(d.open_format and d.download_url for d in found):
        passed.add("format_terbuka")
    if found and all(d.media_type for d in found):
        passed.add("tipe_media")
    if meta.lisensi in LICENCES:
        passed.add("lisensi_kosakata")
    if figures.modified:
        passed.add("perubahan_terakhir")
    return passed


def score(dataset: Dataset, figures: Figures, found: list[Distribution]) -> Quality:
    """The quality of one dataset's metadata."""
    passed = _passed(dataset, figures, found)
    dimensions = {
        dim: sum(points for check, points in checks if check in passed)
        for dim, checks in WEIGHTS.items()
    }
    missing = [check for checks in WEIGHTS.values() for check, _ in checks if check not in passed]
    return Quality(dataset.id, sum(dimensions.values()), dimensions, missing)
