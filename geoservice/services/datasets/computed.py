"""What the database says about each dataset: how many features or values it has, its last
change, its spatial extent (bbox) and the time it covers. One grouped query per kind, over the
published data only (verified points, verified profiles, imported values), so the figures are
the same for every reader."""

from __future__ import annotations

import calendar
import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from geoservice.db.models import (
    AdminArea,
    Facility,
    IndicatorImport,
    IndicatorValue,
    KelurahanProfile,
)


@dataclass(frozen=True)
class Figures:
    """The computed metadata of one dataset."""

    count: int = 0
    modified: dt.datetime | None = None
    bbox: tuple[float, float, float, float] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    #: the latest period with data (indicators, profiles)
    latest_period: str | None = None
    #: holds generated sample data (the demo's): shown as CONTOH wherever it appears
    sample: bool = False

    def as_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "jumlah": self.count,
            "perubahan_terakhir": self.modified.isoformat() if self.modified else None,
            "bbox": list(self.bbox) if self.bbox else None,
            "cakupan_waktu": {
                "mulai": self.start.isoformat() if self.start else None,
                "selesai": self.end.isoformat() if self.end else None,
            },
            "periode_terakhir": self.latest_period,
            "contoh": self.sample,
        }


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period (``2025``, ``2025-S1``, ``2025-Q3``, ``2025-03``)."""
    year = int(period[:4])
    rest = period[5:]
    if not rest:
        first, last = 1, 12
    elif rest.startswith("S"):
        first = 1 if rest == "S1" else 7
        last = first + 5
    elif rest.startswith("Q"):
        first = (int(rest[1]) - 1) * 3 + 1
        last = first + 2
    else:
        first = last = int(rest[:2])
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def _bbox(row: Any) -> tuple[float, float, float, float] | None:
    values = [row.minx, row.miny, row.maxx, row.maxy]
    return None if any(v is None for v in values) else tuple(round(float(v), 6) for v in values)  # type: ignore[return-value]


def _extent(geom: Any) -> list[Any]:
    extent = func.ST_Extent(geom)
    return [
        func.ST_XMin(extent).label("minx"),
        func.ST_YMin(extent).label("miny"),
        func.ST_XMax(extent).label("maxx"),
        func.ST_YMax(extent).label("maxy"),
    ]


def boundary_figures(conn: Connection) -> dict[int, Figures]:
    """Per boundary level: areas, last change, extent."""
    statement = select(
        AdminArea.level, func.count().label("n"), func.max(AdminArea.updated_at).label("at"),
        *_extent(AdminArea.geom),
    ).group_by(AdminArea.level)  # fmt: skip
    return {row.level: Figures(row.n, row.at, _bbox(row)) for row in conn.execute(statement)}


def layer_figures(conn: Connection) -> dict[str, Figures]:
    """Per layer: verified points, their last change, extent and the time from the first
    point's creation to the last change."""
    statement = (
        select(
            Facility.layer_id, func.count().label("n"), func.max(Facility.updated_at).label("at"),
            func.min(Facility.created_at).label("first"),
            func.bool_or(Facility.is_sample).label("sample"), *_extent(Facility.geom),
        )
        .where(Facility.deleted_at.is_(None), Facility.status == "verified")
        .group_by(Facility.layer_id)
    )  # fmt: skip
    return {
        row.layer_id: Figures(
            row.n, row.at, _bbox(row), row.first.date(), row.at.date(), sample=row.sample
        )
        for row in conn.execute(statement)
    }


def indicator_figures(conn: Connection) -> dict[str, Figures]:
    """Per indicator: values, the last import, the extent of the areas with values and the
    periods from the first to the last."""
    values = (
        select(
            IndicatorValue.indicator, func.count().label("n"),
            func.min(IndicatorValue.period).label("first"),
            func.max(IndicatorValue.period).label("last"),
            func.max(IndicatorImport.imported_at).label("at"),
            func.coalesce(func.bool_or(IndicatorImport.is_sample), False).label("sample"),
            *_extent(AdminArea.geom),
        )
        .join(AdminArea, AdminArea.code == IndicatorValue.kode)
        .outerjoin(IndicatorImport, IndicatorImport.id == IndicatorValue.import_id)
        .group_by(IndicatorValue.indicator)
    )  # fmt: skip
    return {row.indicator: _periodic(row) for row in conn.execute(values)}


def profile_figures(conn: Connection) -> dict[str, Figures]:
    """Per profile form: verified profiles, the last verification, their kelurahan's extent
    and periods."""
    statement = (
        select(
            KelurahanProfile.form_id.label("key"), func.count().label("n"),
            func.min(KelurahanProfile.period).label("first"),
            func.max(KelurahanProfile.period).label("last"),
            func.max(KelurahanProfile.verified_at).label("at"),
            func.bool_or(KelurahanProfile.is_sample).label("sample"), *_extent(AdminArea.geom),
        )
        .join(AdminArea, AdminArea.code == KelurahanProfile.kelurahan_code)
        .where(KelurahanProfile.verified_values.is_not(None))
        .group_by(KelurahanProfile.form_id)
    )  # fmt: skip
    return {row.key: _periodic(row) for row in conn.execute(statement)}


def _periodic(row: Any) -> Figures:
    start, _ = period_bounds(row.first)
    _, end = period_bounds(row.last)
    return Figures(row.n, row.at, _bbox(row), start, end, row.last, bool(row.sample))


@dataclass(frozen=True)
class AllFigures:
    """The figures of every kind, as the catalog reads them."""

    boundaries: dict[int, Figures]
    layers: dict[str, Figures]
    indicators: dict[str, Figures]
    profiles: dict[str, Figures]

    def of(self, kind: str, key: str) -> Figures:
        """The figures of one dataset (empty ones when it has no data)."""
        from geoservice.services.collections import BOUNDARY_COLLECTIONS

        if kind == "boundary":
            return self.boundaries.get(BOUNDARY_COLLECTIONS[key][0], Figures())
        table = {"layer": self.layers, "indicator": self.indicators, "profile": self.profiles}
        return table.get(kind, {}).get(key, Figures())


def all_figures(conn: Connection) -> AllFigures:
    """Four grouped queries: boundaries, layers, indicators, profiles."""
    return AllFigures(
        boundary_figures(conn), layer_figures(conn), indicator_figures(conn), profile_figures(conn)
    )


class FiguresCache:
    """The figures of a process, computed at most every ``ttl`` seconds: on national data the
    four grouped queries take about a second (``scripts/bench_catalog``), and the public
    catalog may be a minute old anyway (``Cache-Control: public, max-age=60``). One request
    computes while the others wait for its answer."""

    def __init__(self, ttl: float = 30.0):
        self.ttl = ttl
        self._lock = threading.Lock()
        self._value: AllFigures | None = None
        self._at = 0.0

    def get(self, conn: Connection) -> AllFigures:
        """The figures, computed again when they are older than ``ttl``."""
        with self._lock:
            if self._value is None or time.monotonic() - self._at >= self.ttl:
                self._value = all_figures(conn)
                self._at = time.monotonic()
            return self._value
