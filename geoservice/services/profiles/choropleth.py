"""Numeric profile fields mapped as choropleths, as indicators are: the verified values of one
field for the desa/kelurahan of a scope, classified by mapclassify
(:mod:`~geoservice.services.indicators.classes`) into the indicators' own
:class:`~geoservice.services.indicators.choropleth.Choropleth`, so the planner page, its legend
and its GeoJSON treat both alike. A field is named ``<form>.<field>``
(``profil_kelurahan.jumlah_rt``), titled "<field title> (profil)".

A kelurahan without a verified profile of the period has no value (grey, "no data"). A
restricted field exists only for internal viewers (planners, admins), as a restricted indicator.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, case, func, null, select

from geoservice.catalog import Catalog, IndicatorDef, LocalizedText
from geoservice.errors import NotFound
from geoservice.i18n import t
from geoservice.services.indicators.choropleth import Choropleth
from geoservice.services.indicators.classes import classify
from geoservice.services.indicators.values import AreaValue
from geoservice.services.profiles.derived import AREA, PROFILE
from geoservice.services.profiles.forms import ProfileField, ProfileForm
from geoservice.services.profiles.published import field_columns, numeric_fields, verified_periods
from geoservice.services.viewer import Viewer

#: The ramp of profile choropleths (indicators default to YlOrRd: a profile is not a problem
#: to highlight but a figure to compare).
SCHEME = "YlGnBu"


def field_code(form: ProfileForm, name: str) -> str:
    """The name a profile field is chosen by, beside indicator codes."""
    return f"{form.id}.{name}"


def find_field(
    catalog: Catalog, code: str, viewer: Viewer
) -> tuple[ProfileForm, str, ProfileField] | None:
    """The form and numeric field ``<form>.<field>`` names, if this viewer may map it."""
    form_id, _, name = code.partition(".")
    form = catalog.profiles.get(form_id)
    if form is None:
        return None
    item = numeric_fields(catalog, form, viewer.internal).get(name)
    return None if item is None else (form, name, item)


def field_or_404(catalog: Catalog, form: ProfileForm, name: str, viewer: Viewer) -> ProfileField:
    """The numeric field ``name`` of ``form``; 404 naming the fields that can be mapped (a
    restricted field does not exist for the public)."""
    found = find_field(catalog, field_code(form, name), viewer)
    if found is None:
        mapped = numeric_fields(catalog, form, viewer.internal)
        raise NotFound(
            "profile.field_unknown", form=form.id, field=name[:60], fields=", ".join(mapped) or "-"
        )
    return found[2]


def as_indicator(form: ProfileForm, name: str, item: ProfileField) -> IndicatorDef:
    """The field described as an indicator (code, titles, unit, source, decimals, ramp), for
    the choropleth's metadata and legend. Not validated: its code has a dot on purpose."""
    title = LocalizedText.model_construct(
        id=t("profile.stats.title", "id", title=item.title.get("id")),
        en=t("profile.stats.title", "en", title=item.title.get("en")),
    )
    unit = item.unit or LocalizedText.model_construct(id="", en="")
    decimals = 0 if item.type == "integer" else 4 if item.derived is not None else 2
    return IndicatorDef.model_construct(
        code=field_code(form, name), title=title, description=item.definition, unit=unit,
        source=f"{form.title.id}" + (f" ({item.kode_referensi})" if item.kode_referensi else ""),
        visibility=item.visibility, aggregation="none", weight=None, decimals=decimals,
        minimum=item.minimum, maximum=item.maximum, suppress_below=None, population=False,
        scheme=SCHEME,
    )  # fmt: skip


def choropleth(
    conn: Connection,
    catalog: Catalog,
    form: ProfileForm,
    name: str,
    viewer: Viewer,
    *,
    period: str | None,
    scope: str = "",
    method: str = "quantiles",
    k: int = 5,
    scheme: str | None = None,
) -> Choropleth:
    """The field's verified values of ``period`` (the latest verified one by default) for the
    desa/kelurahan of ``scope``, classified."""
    item = field_or_404(catalog, form, name, viewer)
    known = verified_periods(conn, form)
    chosen = period if period is not None else (known[-1] if known else None)
    if chosen is None or chosen not in known:
        raise NotFound(
            "profile.no_period_values", form=form.id, period=chosen or "-",
            periods=", ".join(known) or "-",
        )  # fmt: skip
    column = field_columns(catalog, form, chosen, viewer.internal, viewer.anonymous)[name]
    value = case((PROFILE.c.verified_values.is_(None), null()), else_=column)
    rows = conn.execute(
        select(AREA.c.code, AREA.c.name, value, PROFILE.c.is_sample)
        .select_from(
            AREA.outerjoin(
                PROFILE,
                and_(
                    PROFILE.c.kelurahan_code == AREA.c.code,
                    PROFILE.c.form_id == form.id,
                    PROFILE.c.period == chosen,
                ),
            )
        )
        .where(AREA.c.level == 4, AREA.c.code.startswith(scope, autoescape=True))
        .order_by(AREA.c.code)
    ).all()
    areas = [
        AreaValue(code, area_name, None if v is None else float(v), 1, int(v is not None))
        for code, area_name, v, _ in rows
    ]
    ramp_name = scheme or SCHEME
    classes = classify([a.value for a in areas], method, k, ramp_name)
    sample = form.sample or any(bool(s) for *_, s in rows)
    return Choropleth(
        as_indicator(form, name, item), chosen, None, 4, scope, areas, classes, sample=sample
    )


def planner_choices(
    conn: Connection, catalog: Catalog, viewer: Viewer, lang: str
) -> list[dict[str, Any]]:
    """The numeric profile fields the planner page offers beside the indicators, each as the
    page describes an indicator, with the choropleth path its script loads."""
    choices = []
    for form in catalog.profiles.values():
        periods = verified_periods(conn, form)
        if not periods:
            continue
        for name, item in numeric_fields(catalog, form, viewer.internal).items():
            indicator = as_indicator(form, name, item)
            choices.append(
                {
                    "code": indicator.code,
                    "title": indicator.title.get(lang),
                    "unit": indicator.unit.get(lang),
                    "source": indicator.source,
                    "decimals": indicator.decimals,
                    "periods": periods,
                    "visibility": item.visibility,
                    "path": f"profiles/{form.id}/fields/{name}/choropleth",
                    "compare": False,
                }
            )
    return choices


def kabkota_with_profiles(conn: Connection, form: ProfileForm) -> list[dict[str, str]]:
    """The kabupaten/kota that have verified profiles of ``form``: the planner's areas."""
    code = func.left(PROFILE.c.kelurahan_code, 5)
    found = (
        select(code.label("code"))
        .distinct()
        .where(PROFILE.c.form_id == form.id, PROFILE.c.verified_values.is_not(None))
        .subquery("found")
    )
    rows = conn.execute(
        select(AREA.c.code, AREA.c.name)
        .join(found, AREA.c.code == found.c.code)
        .order_by(AREA.c.code)
    )
    return [{"kode": c, "nama": n} for c, n in rows]
