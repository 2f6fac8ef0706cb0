"""The Kota Kediri demo: real boundaries (MIT, see README.md here) and SAMPLE facility points."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, exists, func, select

from geoservice.catalog import Catalog
from geoservice.db import any_of
from geoservice.db.models import AdminArea, AppUser, Facility, IndicatorImport, IndicatorValue
from geoservice.services.imports.boundaries import import_boundaries
from geoservice.services.imports.facilities import FacilityOptions, import_facilities
from geoservice.services.imports.reports import ImportReport
from geoservice.settings import Settings

DEMO_DIR = Path(__file__).resolve().parent
BOUNDARY_FILES = (
    "jawa_timur_provinsi.geojson",
    "kota_kediri_kabkota.geojson",
    "kota_kediri_kecamatan.geojson",
    "kota_kediri_desa_kelurahan.geojson",
)

#: SAMPLE indicator values (scripts/generate_demo_indicators.py).
INDICATOR_FILE = "sample_indicators.csv"

#: SAMPLE rasters (scripts/generate_demo_raster.py), by the raster id they are imported as.
RASTER_FILES = {
    "contoh_banjir": "sample_raster_banjir.tif",
    "contoh_penduduk": "sample_raster_penduduk.tif",
}
#: The demo accounts' password: published in the README, so refused outside development.
DEMO_PASSWORD = "kediri-demo-2026"


@dataclass(frozen=True)
class DemoUser:
    """A demo account."""

    username: str
    role: str
    full_name: str
    kelurahan: tuple[str, ...] = ()


DEMO_USERS = (
    DemoUser("admin", "admin", "Walidata Diskominfo Kota Kediri (demo)"),
    DemoUser("perencana", "planner", "Perencana Bappeda (demo)"),
    DemoUser("pic.bandarlor", "pic", "PIC Kelurahan Bandar Lor (demo)", ("35.71.01.1001",)),
    DemoUser("pic.semampir", "pic", "PIC Kelurahan Semampir (demo)", ("35.71.02.1001",)),
)


def load_demo_users(engine: Engine) -> list[str]:
    """Create the demo accounts that do not exist yet (development only); their names."""
    from geoservice.services.accounts import add_user

    created = []
    with engine.begin() as conn:
        for user in DEMO_USERS:
            taken = conn.execute(
                select(AppUser.id).where(func.lower(AppUser.username) == user.username)
            ).first()
            if taken:
                continue
            present = conn.execute(
                select(AdminArea.code).where(AdminArea.code == any_of(user.kelurahan))
            ).scalars()
            add_user(
                conn,
                user.username,
                user.role,
                DEMO_PASSWORD,
                full_name=user.full_name,
                kelurahan=list(present),  # a database without Kota Kediri: no grant
                granted_by="demo",
            )
            created.append(user.username)
    return created


class DemoLoadError(RuntimeError):
    """The packaged demo data did not load (a bug: it is checked by the tests)."""


@dataclass
class DemoSummary:
    """What ``load_demo`` did."""

    loaded: bool
    areas: int = 0
    points: dict[str, int] = field(default_factory=dict)
    indicator_values: int = 0
    profiles: int = 0
    rasters: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for the console."""
        if not self.loaded:
            rasters = f"; SAMPLE rasters loaded: {', '.join(self.rasters)}" if self.rasters else ""
            return f"demo data not loaded: the database already has areas{rasters}"
        points = ", ".join(f"{n} {layer}" for layer, n in self.points.items())
        return (
            f"demo data loaded: Kota Kediri, {self.areas} areas; SAMPLE points: {points}; "
            f"SAMPLE indicator values: {self.indicator_values}; "
            f"SAMPLE profiles: {self.profiles}; "
            f"SAMPLE rasters: {', '.join(self.rasters) or '-'}"
        )


def load_demo(
    engine: Engine,
    catalog: Catalog,
    *,
    only_if_empty: bool = True,
    settings: Settings | None = None,
) -> DemoSummary:
    """Load the demo; with ``only_if_empty`` do nothing when any area exists. With
    ``settings``, the sample rasters too (into its raster folder) and their indicators."""
    if only_if_empty:
        with engine.connect() as conn:
            if conn.execute(select(exists().select_from(AdminArea))).scalar():
                kediri = conn.execute(select(AdminArea.code).where(AdminArea.code == "35.71"))
                # a demo loaded before the rasters existed gets them too
                rasters = []
                if settings is not None and kediri.first() is not None:
                    rasters = load_demo_rasters(engine, catalog, settings)
                return DemoSummary(loaded=False, rasters=rasters)
    reports = import_boundaries(engine, [DEMO_DIR / name for name in BOUNDARY_FILES])
    _require_written(reports)
    summary = DemoSummary(loaded=True, areas=sum(r.loaded for r in reports))
    options = FacilityOptions(status="verified", user="demo", is_sample=True)
    for layer in catalog:
        path = DEMO_DIR / f"sample_{layer.id}.geojson"
        if not path.exists():
            continue
        with engine.connect() as conn:
            already = conn.execute(
                select(func.count())
                .select_from(Facility)
                .where(Facility.layer_id == layer.id, Facility.is_sample)
            ).scalar()
        if already:
            summary.points[layer.id] = int(already or 0)
            continue
        report = import_facilities(engine, layer, path, options)
        _require_written([report])
        summary.points[layer.id] = report.inserted
    summary.indicator_values = load_demo_indicators(engine, catalog)
    summary.profiles = load_demo_profiles(engine, catalog)
    if settings is not None:  # after the indicator CSV, which loads only into an empty table
        summary.rasters = load_demo_rasters(engine, catalog, settings)
    return summary


def load_demo_rasters(engine: Engine, catalog: Catalog, settings: Settings) -> list[str]:
    """Import the SAMPLE rasters that are declared and not imported yet, then write their
    indicators for Kota Kediri; the ids imported."""
    from geoservice.services.rasters import access, storage

    imported = []
    for raster_id, name in RASTER_FILES.items():
        if raster_id in catalog.rasters and storage.read_info(settings, raster_id) is None:
            storage.import_raster(settings, catalog, raster_id, DEMO_DIR / name)
            imported.append(raster_id)
    for raster_id in RASTER_FILES:
        raster = catalog.rasters.get(raster_id)
        if raster is None or not raster.indicators:
            continue
        with engine.connect() as conn:
            done = conn.execute(
                select(exists().where(IndicatorValue.indicator == raster.indicators[0].code))
            ).scalar()
        if not done:
            access.write_indicators(engine, settings, raster, scope="35.71")
    return imported


def load_demo_profiles(engine: Engine, catalog: Catalog) -> int:
    """The SAMPLE profiles of three Kediri kelurahan (``sample_profiles.yaml``), verified,
    unless the sample form is missing or profiles of it exist; profiles written."""
    import yaml

    from geoservice.services.profiles.values import has_profiles, sample_values

    data = yaml.safe_load((DEMO_DIR / "sample_profiles.yaml").read_text(encoding="utf-8"))
    form = catalog.profiles.get(data["form"])
    if form is None:
        return 0  # a deployment with its own forms
    with engine.begin() as conn:
        if has_profiles(conn, form):
            return 0
        for code, values in data["kelurahan"].items():
            sample_values(conn, form, code, str(data["period"]), values, "demo")
    return len(data["kelurahan"])


def load_demo_indicators(engine: Engine, catalog: Catalog) -> int:
    """The SAMPLE indicator values of Kota Kediri (unless some are loaded); values written."""
    from geoservice.services.imports.indicators import import_indicators

    with engine.connect() as conn:
        if conn.execute(select(exists().select_from(IndicatorImport))).scalar():
            return 0
    known = ("penduduk", "keluarga_desil_1", "persen_miskin", "balita_stunting")
    if not all(code in catalog.indicators for code in known):
        return 0  # a deployment with its own indicator declarations
    report = import_indicators(
        engine, catalog, DEMO_DIR / INDICATOR_FILE, username="demo", sample=True
    )
    if not report.written:
        raise DemoLoadError(f"{INDICATOR_FILE}: {report.as_dict('en')['issues'][:3]}")
    return report.inserted + report.updated


def _require_written(reports: list[ImportReport]) -> None:
    for report in reports:
        if report.rejected:
            issues = "; ".join(i.message("en") for i in report.issues[:5])
            raise DemoLoadError(f"demo file {report.source} was rejected: {issues}")
