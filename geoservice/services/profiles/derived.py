"""Derived profile fields: figures the service already holds, shown read-only beside the typed
ones so the map and the profile cannot contradict each other.

``area_km2`` is the boundary's true area (PostGIS on the ellipsoid); ``verified_points`` counts
the verified, not deleted points of a layer in the kelurahan; ``indicator`` is the indicator's
value for the period (or the latest earlier one). A derived field that ``compares`` a typed one
reports a difference when the two disagree ("jumlah RT 24" while 19 RT points are verified).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, func, select

from geoservice.catalog import Catalog
from geoservice.db import geography
from geoservice.db.models import AdminArea, Facility, IndicatorValue, KelurahanProfile
from geoservice.i18n import t
from geoservice.services.profiles.forms import ProfileForm

FACILITY = cast(Table, Facility.__table__)
INDICATOR_VALUE = cast(Table, IndicatorValue.__table__)
AREA = cast(Table, AdminArea.__table__)
PROFILE = cast(Table, KelurahanProfile.__table__)


@dataclass(frozen=True)
class DerivedValue:
    """A computed figure, and the period of the indicator it comes from (indicators only)."""

    value: float | int | None
    period: str | None = None

    def as_json(self) -> dict[str, Any]:
        """``{"value": ..., "period": ...}`` (period only for indicators)."""
        body: dict[str, Any] = {"value": self.value}
        if self.period is not None:
            body["period"] = self.period
        return body


def derived_values(
    conn: Connection, catalog: Catalog, form: ProfileForm, code: str, period: str
) -> dict[str, DerivedValue]:
    """Every derived field of ``form`` for desa/kelurahan ``code`` and ``period``."""
    wanted = {name: f.derived for name, f in form.fields.items() if f.derived is not None}
    found: dict[str, DerivedValue] = {}
    if not wanted:
        return found
    area = None
    if any(d.kind == "area_km2" for d in wanted.values()):
        # the true area on the WGS 84 ellipsoid (geography): equal-area by construction, so no
        # projection's distortion enters the profile
        area = conn.execute(
            select(func.ST_Area(geography(AREA.c.geom), True) / 1e6).where(
                AREA.c.code == code, AREA.c.level == 4
            )
        ).scalar()
    layers = sorted({d.layer for d in wanted.values() if d.layer is not None})
    counts: dict[str, int] = {}
    if layers:
        rows = conn.execute(
            select(FACILITY.c.layer_id, func.count())
            .where(
                FACILITY.c.kelurahan_code == code,
                FACILITY.c.layer_id.in_(layers),
                FACILITY.c.status == "verified",
                FACILITY.c.deleted_at.is_(None),
            )
            .group_by(FACILITY.c.layer_id)
        ).all()
        counts = {layer: int(n) for layer, n in rows}
    for name, derived in wanted.items():
        if derived.kind == "area_km2":
            found[name] = DerivedValue(None if area is None else round(float(area), 4))
        elif derived.kind == "verified_points":
            found[name] = DerivedValue(counts.get(derived.layer or "", 0))
        else:
            row = conn.execute(
                select(INDICATOR_VALUE.c.value, INDICATOR_VALUE.c.period)
                .where(
                    INDICATOR_VALUE.c.indicator == derived.indicator,
                    INDICATOR_VALUE.c.kode == code,
                    INDICATOR_VALUE.c.period <= period + "\uffff",  # 2025 covers 2025-Q4
                )
                .order_by(INDICATOR_VALUE.c.period.desc())
                .limit(1)
            ).first()
            indicator = catalog.indicators.get(derived.indicator or "")
            decimals = indicator.decimals if indicator is not None else 0
            value: float | int | None = None
            if row is not None:
                value = round(float(row[0]), decimals) if decimals else round(float(row[0]))
            found[name] = DerivedValue(value, row[1] if row is not None else None)
    return found


def differences(
    form: ProfileForm, values: dict[str, Any], derived: dict[str, DerivedValue], lang: str
) -> list[dict[str, Any]]:
    """Typed figures that disagree with the derived field that checks them."""
    found = []
    for name, item in form.fields.items():
        if item.derived is None or item.derived.compares is None or name not in derived:
            continue
        typed_name = item.derived.compares
        typed, computed = values.get(typed_name), derived[name].value
        if typed is None or computed is None or typed == computed:
            continue
        typed_title = form.fields[typed_name].title.get(lang)
        found.append(
            {
                "field": typed_name,
                "typed": typed,
                "derived_field": name,
                "derived": computed,
                "difference": typed - computed,
                "message": t(
                    "profile.difference",
                    lang,
                    typed_title=typed_title,
                    typed=typed,
                    derived=computed,
                    derived_title=item.title.get(lang),
                ),
            }
        )
    return found
