"""Published profiles: what the walidata verified, as everyone else reads it, beside the
indicators (``/statistics``), as an OGC API collection, in the planner's popup and as
choropleths of numeric fields.

Only verified values leave here, for every reader; restricted fields (and fields derived from a
restricted indicator) only for internal viewers (planners, admins), and a derived indicator
value below its ``suppress_below`` is withheld from anonymous viewers, as
:func:`~geoservice.services.profiles.values.read` and the indicators' own rules do. Derived
fields are SQL expressions on the kelurahan's row, so the collection can page, filter and sort
by them and every output computes them the same way (PostGIS's area on the ellipsoid, the
verified points of the layer, the indicator's latest value up to the period).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    Float,
    Numeric,
    String,
    any_,
    case,
    cast,
    func,
    null,
    select,
)

from geoservice.catalog import Catalog
from geoservice.db import geography, statement
from geoservice.i18n import t
from geoservice.services.profiles.derived import AREA, FACILITY, INDICATOR_VALUE, PROFILE
from geoservice.services.profiles.forms import ProfileField, ProfileForm
from geoservice.services.viewer import Viewer

#: Field types a choropleth can map.
NUMERIC = ("integer", "decimal")


def published_fields(
    catalog: Catalog, form: ProfileForm, internal: bool
) -> dict[str, ProfileField]:
    """The fields a reader of the published profile sees, in form order: public ones (all for
    internal viewers), without those derived from an indicator the reader may not see."""
    fields = {}
    for name, item in form.visible_fields(restricted=internal).items():
        source = item.derived
        if source is not None and source.indicator is not None and not internal:
            indicator = catalog.indicators.get(source.indicator)
            if indicator is None or indicator.visibility == "restricted":
                continue
        fields[name] = item
    return fields


def derived_column(
    catalog: Catalog, item: ProfileField, code: Any, geom: Any, period: str, anonymous: bool
) -> Any:
    """The SQL expression of a derived field for the kelurahan whose code and boundary are the
    columns ``code`` and ``geom``, rounded as the profile shows it."""
    source = item.derived
    assert source is not None
    if source.kind == "area_km2":
        area = func.ST_Area(geography(geom), True) / 1e6
        return cast(func.round(cast(area, Numeric), 4), Float)
    if source.kind == "verified_points":
        return (
            select(func.count())
            .where(
                FACILITY.c.kelurahan_code == code,
                FACILITY.c.layer_id == source.layer,
                FACILITY.c.status == "verified",
                FACILITY.c.deleted_at.is_(None),
            )
            .scalar_subquery()
        )
    indicator = catalog.indicators.get(source.indicator or "")
    decimals = indicator.decimals if indicator is not None else 0
    # the indicator's periods up to this one, found once per query by the periods' skip scan,
    # then one primary-key probe per period and kelurahan: "period <= :p ORDER BY period DESC"
    # walked the (indicator, period, kode) key past every other kode (2.9x the boundaries'
    # page time for 1,000 desa of Jawa Timur, and worse with the whole country's values)
    pairs = statement("indicators/periods.sql").columns(indicator=String, period=String)
    known = pairs.subquery("pairs")
    periods = select(known.c.period).where(
        known.c.indicator == source.indicator,
        known.c.period <= period + "\uffff",  # 2025 covers 2025-Q4
    )
    value = (
        select(INDICATOR_VALUE.c.value)
        .where(
            INDICATOR_VALUE.c.indicator == source.indicator,
            INDICATOR_VALUE.c.period == any_(func.array(periods.scalar_subquery())),
            INDICATOR_VALUE.c.kode == code,
        )
        .order_by(INDICATOR_VALUE.c.period.desc())
        .limit(1)
        .scalar_subquery()
    )
    rounded = cast(func.round(cast(value, Numeric), decimals), Float)
    if anonymous and indicator is not None and indicator.suppress_below is not None:
        return case((value < indicator.suppress_below, null()), else_=rounded)
    return rounded


def typed_column(item: ProfileField, name: str, values: Any) -> Any:
    """The SQL expression of a typed field read from the JSONB ``values``: numbers as numbers,
    a yes/no as a boolean, several choices as a JSON array, the rest as text."""
    if item.type == "integer":
        return cast(cast(values.op("->>")(name), Numeric), BigInteger)
    if item.type == "decimal":
        return cast(values.op("->>")(name), Float)
    if item.type == "yes_no":
        return cast(values.op("->")(name), Boolean)
    if item.type == "select_multiple":
        return values.op("->")(name)
    return values.op("->>")(name)


def field_columns(
    catalog: Catalog, form: ProfileForm, period: str, internal: bool, anonymous: bool
) -> dict[str, Any]:
    """Field name -> SQL expression on the kelurahan joined with its verified profile, for
    every field this reader sees."""
    columns = {}
    for name, item in published_fields(catalog, form, internal).items():
        if item.derived is None:
            columns[name] = typed_column(item, name, PROFILE.c.verified_values)
        else:
            columns[name] = derived_column(
                catalog, item, AREA.c.code, AREA.c.geom, period, anonymous
            )
    return columns


def verified_periods(conn: Connection, form: ProfileForm) -> list[str]:
    """The periods that have a verified profile of ``form``, oldest first."""
    rows = conn.execute(
        select(PROFILE.c.period)
        .distinct()
        .where(PROFILE.c.form_id == form.id, PROFILE.c.verified_values.is_not(None))
        .order_by(PROFILE.c.period)
    )
    return [str(p) for p in rows.scalars()]


def period_for(conn: Connection, form: ProfileForm, period: str | None) -> str | None:
    """The profile period shown beside indicators of ``period`` (a year): the same year for a
    yearly form, else the latest verified period within it; the latest verified period when
    ``period`` is None; None when there is none."""
    known = verified_periods(conn, form)
    if period is None:
        return known[-1] if known else None
    if form.period == "yearly":
        return period
    within = [p for p in known if p.startswith(period[:4])]
    return within[-1] if within else None


@dataclass(frozen=True)
class PublishedRow:
    """One kelurahan's verified profile as a reader sees it."""

    code: str
    name: str
    values: dict[str, Any]
    verified_at: str | None
    sample: bool


def rows(
    conn: Connection,
    catalog: Catalog,
    form: ProfileForm,
    period: str,
    prefix: str | None,
    *,
    internal: bool = False,
    anonymous: bool = True,
) -> list[PublishedRow]:
    """The verified profiles of ``period`` within the code ``prefix``, kelurahan by code, with
    every field the reader sees (derived ones computed by PostGIS)."""
    columns = field_columns(catalog, form, period, internal, anonymous)
    statement = (
        select(
            AREA.c.code,
            AREA.c.name,
            PROFILE.c.verified_at,
            PROFILE.c.is_sample,
            *(column.label(f"f_{i}") for i, column in enumerate(columns.values())),
        )
        .join(PROFILE, PROFILE.c.kelurahan_code == AREA.c.code)
        .where(
            PROFILE.c.form_id == form.id,
            PROFILE.c.period == period,
            PROFILE.c.verified_values.is_not(None),
            AREA.c.level == 4,
        )
        .order_by(AREA.c.code)
    )
    if prefix:
        statement = statement.where(AREA.c.code.startswith(prefix, autoescape=True))
    found = []
    names = list(columns)
    for code, name, verified_at, sample, *values in conn.execute(statement):
        found.append(
            PublishedRow(
                code,
                name,
                dict(zip(names, values, strict=True)),
                verified_at.isoformat() if verified_at else None,
                bool(sample or form.sample),
            )
        )
    return found


def numeric_fields(catalog: Catalog, form: ProfileForm, internal: bool) -> dict[str, ProfileField]:
    """The fields a choropleth can map for this reader: integer or decimal ones."""
    return {
        name: item
        for name, item in published_fields(catalog, form, internal).items()
        if item.type in NUMERIC
    }


def cell(value: Any) -> Any:
    """A value as a table cell: several choices as one text (space-separated, as XLSForm)."""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value


def _table_cell(value: Any, lang: str) -> Any:
    """A statistics cell: a yes/no answer in words (a spreadsheet would read True as 1)."""
    if isinstance(value, bool):
        return t("profile.page.yes" if value else "profile.page.no", lang)
    return cell(value)


@dataclass(frozen=True)
class TableColumn:
    """A profile field as a column of the per-kelurahan statistics: name, title, unit, source
    and the value of each kelurahan that has a verified profile."""

    name: str
    title: str
    unit: str
    source: str
    values: dict[str, Any]


def table_columns(
    conn: Connection,
    catalog: Catalog,
    scope: str,
    period: str | None,
    lang: str,
    *,
    internal: bool,
    anonymous: bool,
) -> list[TableColumn]:
    """Every published field of every form, for the statistics of ``period`` within ``scope``:
    named ``<form>_<field>``, titled "<field title> (profil)", with its unit and the form,
    period and reference code it comes from."""
    columns = []
    for form in catalog.profiles.values():
        chosen = period_for(conn, form, period)
        if chosen is None:
            continue
        found = rows(conn, catalog, form, chosen, scope, internal=internal, anonymous=anonymous)
        for name, item in published_fields(catalog, form, internal).items():
            reference = f", {item.kode_referensi}" if item.kode_referensi else ""
            columns.append(
                TableColumn(
                    f"{form.id}_{name}",
                    t("profile.stats.title", lang, title=item.title.get(lang)),
                    item.unit.get(lang) if item.unit else "",
                    f"{form.title.get(lang)} {chosen}{reference}",
                    {r.code: _table_cell(r.values.get(name), lang) for r in found},
                )
            )
    return columns


def by_kelurahan(
    conn: Connection, catalog: Catalog, scope: str, period: str | None, viewer: Viewer
) -> dict[str, dict[str, Any]]:
    """Per kelurahan code: per form, the verified profile shown beside indicators of
    ``period`` (``{"periode": ..., "nilai": {field: value}}``), as ``viewer`` may read it."""
    found: dict[str, dict[str, Any]] = {}
    for form in catalog.profiles.values():
        chosen = period_for(conn, form, period)
        if chosen is None:
            continue
        for row in rows(
            conn, catalog, form, chosen, scope,
            internal=viewer.internal, anonymous=viewer.anonymous,
        ):  # fmt: skip
            found.setdefault(row.code, {})[form.id] = {"periode": chosen, "nilai": row.values}
    return found


def popup_fields(catalog: Catalog, viewer: Viewer, lang: str) -> list[dict[str, Any]]:
    """What the planner's popup needs to list a kelurahan's published profile: per form, its
    title and the fields this viewer sees, with title, unit, type and choice labels."""
    return [
        {
            "form": form.id,
            "title": form.title.get(lang),
            "sample": form.sample,
            "fields": [
                {
                    "name": name,
                    "title": item.title.get(lang),
                    "unit": item.unit.get(lang) if item.unit else "",
                    "type": item.type,
                    "choices": {c.value: c.label.get(lang) for c in item.choices or []},
                }
                for name, item in published_fields(catalog, form, viewer.internal).items()
            ],
        }
        for form in catalog.profiles.values()
    ]
