"""The Satu Data metadata of a dataset as declared in YAML: the ``metadata:`` block of a layer,
indicator or profile form file (and of a raster, by the same model), and ``layers/catalog.yaml``
with the city's defaults and the boundary levels' metadata.

Every key is optional here, because a block only says what differs from the defaults; the
merged metadata of each dataset must hold the keys of :data:`REQUIRED` (checked by
:func:`geoservice.services.datasets.metadata.check_metadata` when the catalog loads). The
vocabularies are the EU's, so that DCAT-AP 3 consumers (CKAN's ckanext-dcat, data.europa.eu's
MQA) understand them: frequencies, data themes and licences by URI.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import Field, StringConstraints, ValidationError, field_validator

from geoservice.catalog.text import LocalizedText, _Strict

EU = "http://publications.europa.eu/resource/authority/"

#: ``frekuensi`` -> the EU frequency vocabulary (``dct:accrualPeriodicity``).
FREQUENCIES: dict[str, str] = {
    "harian": "DAILY",
    "mingguan": "WEEKLY",
    "bulanan": "MONTHLY",
    "triwulanan": "QUARTERLY",
    "semesteran": "BIANNUAL",
    "tahunan": "ANNUAL",
    "lima_tahunan": "ANNUAL_5",
    "sepuluh_tahunan": "DECENNIAL",
    "terus_menerus": "UPDATE_CONT",
    "tidak_tentu": "IRREG",
    "tidak_diperbarui": "NEVER",
}

#: ``tema`` -> the EU data theme vocabulary (``dcat:theme``), with the label people read.
THEMES: dict[str, tuple[str, dict[str, str]]] = {
    "kesehatan": ("HEAL", {"id": "Kesehatan", "en": "Health"}),
    "sosial": ("SOCI", {"id": "Kependudukan dan sosial", "en": "Population and society"}),
    "pemerintahan": ("GOVE", {"id": "Pemerintahan", "en": "Government and public sector"}),
    "wilayah": ("REGI", {"id": "Wilayah dan kota", "en": "Regions and cities"}),
    "lingkungan": ("ENVI", {"id": "Lingkungan", "en": "Environment"}),
    "pendidikan": ("EDUC", {"id": "Pendidikan dan budaya", "en": "Education and culture"}),
    "ekonomi": ("ECON", {"id": "Ekonomi dan keuangan", "en": "Economy and finance"}),
    "pertanian": ("AGRI", {"id": "Pertanian dan pangan", "en": "Agriculture and food"}),
    "energi": ("ENER", {"id": "Energi", "en": "Energy"}),
    "transportasi": ("TRAN", {"id": "Transportasi", "en": "Transport"}),
    "keamanan": ("JUST", {"id": "Hukum dan keamanan", "en": "Justice and public safety"}),
    "iptek": ("TECH", {"id": "Ilmu pengetahuan dan teknologi", "en": "Science and technology"}),
}

#: Short licence names -> the EU licence vocabulary; any other http(s) URI is taken as it is.
LICENCES: dict[str, str] = {
    "CC-BY-4.0": EU + "licence/CC_BY_4_0",
    "CC-BY-SA-4.0": EU + "licence/CC_BY_SA_4_0",
    "CC0-1.0": EU + "licence/CC0",
    "ODbL-1.0": EU + "licence/ODBL",
    "OGL-ID": "https://data.go.id/lisensi",
}
ADMS_LICENCE = "http://purl.org/adms/licencetype/"
#: the licence vocabulary's keys -> their ADMS licence type (``dct:type`` of the licence)
LICENCE_TYPES: dict[str, tuple[str, dict[str, str]]] = {
    "CC-BY-4.0": ("Attribution", {"id": "Atribusi", "en": "Attribution"}),
    "CC-BY-SA-4.0": ("ShareAlike", {"id": "Berbagi serupa", "en": "Share alike"}),
    "CC0-1.0": ("PublicDomain", {"id": "Domain publik", "en": "Public domain"}),
    "ODbL-1.0": ("ShareAlike", {"id": "Berbagi serupa", "en": "Share alike"}),
    "OGL-ID": ("Attribution", {"id": "Atribusi", "en": "Attribution"}),
}
ADMS_PUBLISHER = "http://purl.org/adms/publishertype/"
#: ``tingkat`` of an organisation -> its ADMS publisher type (``dct:type`` of the agent)
PUBLISHER_TYPES: dict[str, tuple[str, dict[str, str]]] = {
    "daerah": ("LocalAuthority", {"id": "Pemerintah daerah", "en": "Local authority"}),
    "pusat": ("NationalAuthority", {"id": "Pemerintah pusat", "en": "National authority"}),
}

Sifat = Literal["terbuka", "terbatas", "tertutup"]
#: ``tingkat_penyajian``: the smallest unit the data is shown for (``titik``: each point).
Level = Literal["provinsi", "kabkota", "kecamatan", "kelurahan", "titik", "grid"]
#: a date, month or year, or an interval of them (ISO 8601: ``2024/2025``, ``2024-01/..``)
PERIOD = r"^\d{4}(-\d{2}(-\d{2})?)?(/(\d{4}(-\d{2}(-\d{2})?)?|\.\.))?$"
Text200 = Annotated[str, StringConstraints(min_length=1, max_length=200)]
#: a Kemendagri code of a provinsi, kabupaten/kota, kecamatan or desa/kelurahan
AreaCode = Annotated[str, StringConstraints(pattern=r"^\d{2}(\.\d{2}){0,2}(\.\d{4})?$")]


class Organisation(_Strict):
    """An OPD or agency (produsen data, walidata, pembina data)."""

    nama: Text200
    singkatan: Annotated[str, StringConstraints(min_length=1, max_length=30)] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    #: the level of government: a city's OPD (``daerah``, the default) or a ministry or
    #: national agency such as BPS and BIG (``pusat``)
    tingkat: Literal["daerah", "pusat"] = "daerah"


class Contact(_Strict):
    """Whom to ask about a dataset (``dcat:contactPoint``)."""

    nama: Text200
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    telepon: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()-]{6,20}$")] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None


class DatasetMetadata(_Strict):
    """The Satu Data metadata of one dataset, every key optional (a block or the defaults)."""

    judul: LocalizedText | None = None
    deskripsi: LocalizedText | None = None
    produsen_data: Organisation | None = None
    walidata: Organisation | None = None
    pembina_data: Organisation | None = None
    kode_referensi: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None
    konsep: LocalizedText | None = None
    definisi: LocalizedText | None = None
    satuan: LocalizedText | None = None
    klasifikasi: LocalizedText | None = None
    frekuensi: Literal[tuple(FREQUENCIES)] | None = None  # type: ignore[valid-type]
    #: a Kemendagri code (``35.71``: Kota Kediri)
    cakupan_wilayah: AreaCode | None = None
    tingkat_penyajian: Level | None = None
    periode: Annotated[str, StringConstraints(pattern=PERIOD)] | None = None
    lisensi: str | None = None
    kontak: Contact | None = None
    sifat: Sifat | None = None
    kata_kunci: list[Annotated[str, StringConstraints(min_length=1, max_length=60)]] | None = None
    tema: list[Literal[tuple(THEMES)]] | None = Field(default=None, min_length=1)  # type: ignore[valid-type]

    @field_validator("lisensi")
    @classmethod
    def _licence(cls, value: str | None) -> str | None:
        if (
            value is not None
            and value not in LICENCES
            and not value.startswith(("http://", "https://"))
        ):
            raise ValueError(f"'{value}' is neither a licence URI nor one of {', '.join(LICENCES)}")
        return value

    def licence_uri(self) -> str | None:
        """``lisensi`` as a URI."""
        return None if self.lisensi is None else LICENCES.get(self.lisensi, self.lisensi)


#: Keys every dataset's merged metadata must have (its block, the kind's or the city's defaults).
REQUIRED = (
    "judul",
    "deskripsi",
    "produsen_data",
    "walidata",
    "frekuensi",
    "cakupan_wilayah",
    "tingkat_penyajian",
    "lisensi",
    "kontak",
    "sifat",
    "tema",
)

#: Where the catalog's own settings and the defaults live, inside the layers folder.
CATALOG_FILE = "catalog.yaml"
BOUNDARY_LEVELS = ("provinsi", "kabkota", "kecamatan", "kelurahan")


class CatalogInfo(_Strict):
    """The catalog itself (``dcat:Catalog``)."""

    judul: LocalizedText
    deskripsi: LocalizedText
    #: the day the catalogue was first published (``dct:issued``)
    diterbitkan: dt.date | None = None


class KindDefaults(_Strict):
    """Defaults by the nature of the data: statistics (indicators, profiles: pembina BPS) and
    geospatial data (boundaries, layers, rasters: pembina BIG)."""

    statistik: DatasetMetadata = DatasetMetadata()
    geospasial: DatasetMetadata = DatasetMetadata()


class CatalogFile(_Strict):
    """``layers/catalog.yaml``."""

    catalog: CatalogInfo
    defaults: DatasetMetadata
    kind_defaults: KindDefaults = KindDefaults()
    #: the boundary levels' metadata (they have no YAML of their own)
    boundaries: dict[Literal[BOUNDARY_LEVELS], DatasetMetadata] = Field(default_factory=dict)  # type: ignore[valid-type]


def load_catalog_file(path: Path) -> CatalogFile:
    """``catalog.yaml`` validated; ValueError lines name the file and the key path."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    try:
        return CatalogFile.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
            msg = {"extra_forbidden": "unknown key (check its spelling)",
                   "missing": "required key is missing"}.get(err["type"], err["msg"])  # fmt: skip
            lines.append(f"{path}: {loc}: {msg}")
        raise ValueError("\n".join(lines)) from exc
