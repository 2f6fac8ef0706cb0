"""Kelurahan profiles: the forms, and the values per desa/kelurahan and period (read with an
ETag, written with a JSON merge patch and If-Match, then submitted, verified or rejected)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from geoservice.api import indicators
from geoservice.api.indicators import ChoroplethDep
from geoservice.catalog import LocalizedText
from geoservice.db.models import CODE_PATTERNS
from geoservice.deps import (
    CatalogDep,
    ConnectionDep,
    CurrentUser,
    EngineDep,
    LanguageDep,
    PrincipalDep,
    ViewerDep,
)
from geoservice.errors import BadRequest, NotFound, UnsupportedMediaType
from geoservice.i18n import t
from geoservice.services import areas, exports, feature_query
from geoservice.services.indicators import visibility
from geoservice.services.points import payload
from geoservice.services.profiles import choropleth as profile_choropleth
from geoservice.services.profiles import published, queues, values
from geoservice.services.profiles.forms import ProfileField, ProfileForm
from geoservice.web import html
from geoservice.web.conditional import etag_response, viewer_cache_headers

router = APIRouter(tags=["profiles"])
PROFILE = "/kelurahan/{kelurahan}/profile/{form_id}"
PATCH_TYPES = ("application/merge-patch+json", "application/json")

Kelurahan = Annotated[
    str, Path(pattern=CODE_PATTERNS[4], description="Kemendagri code, e.g. 35.71.01.1001")
]
Period = Annotated[
    str | None,
    Query(max_length=20, description="Period of the form's kind (2025, 2025-S1, 2025-Q3, ...)"),
]


def _text(text: LocalizedText | None, lang: str) -> str | None:
    return None if text is None else text.get(lang)


def _field(name: str, item: ProfileField, lang: str) -> dict[str, Any]:
    return {
        "id": name,
        "type": item.type,
        "title": item.title.get(lang),
        "definition": _text(item.definition, lang),
        "unit": _text(item.unit, lang),
        "kode_referensi": item.kode_referensi,
        "required": item.required,
        "minimum": item.minimum,
        "maximum": item.maximum,
        "max_length": item.max_length,
        "constraint": item.constraint,
        "constraint_message": _text(item.constraint_message, lang),
        "relevant": item.relevant,
        "choices": None
        if item.choices is None
        else [{"value": c.value, "label": c.label.get(lang)} for c in item.choices],
        "visibility": item.visibility,
        "derived": item.derived is not None,
        "derived_from": None
        if item.derived is None
        else item.derived.model_dump(exclude_none=True),
    }


def describe(form: ProfileForm, lang: str, restricted: bool) -> dict[str, Any]:
    """A form as ``GET /profiles`` lists it: sections with their fields, in order."""
    fields = form.visible_fields(restricted)
    return {
        "id": form.id,
        "title": form.title.get(lang),
        "description": _text(form.description, lang),
        "period": form.period,
        "current_period": form.current_period(),
        "sample": form.sample,
        "sections": [
            {
                "id": section_id,
                "title": section.title.get(lang),
                "fields": [
                    _field(name, item, lang)
                    for name, item in fields.items()
                    if item.section == section_id
                ],
            }
            for section_id, section in form.sections.items()
        ],
    }


@router.get("/profiles", summary="The profile forms, with their fields")
def list_forms(catalog: CatalogDep, principal: PrincipalDep, lang: LanguageDep) -> dict[str, Any]:
    """Every form of ``layers/profiles/``; restricted fields only for signed-in users."""
    restricted = principal is not None
    return {"forms": [describe(f, lang, restricted) for f in catalog.profiles.values()]}


@router.get("/profiles/submissions", summary="Submitted profiles waiting for verification")
def list_submissions(
    user: CurrentUser,
    catalog: CatalogDep,
    conn: ConnectionDep,
    kode: Annotated[str | None, Query(description="Kemendagri code prefix, e.g. 35.71")] = None,
) -> dict[str, Any]:
    """The walidata's queue of profiles (a PIC sees their own kelurahan's), with the fields
    changed since the last verification and the ETag each verify or reject needs."""
    prefix = feature_query.parse_kode(kode)
    return {"profiles": queues.submissions(conn, catalog, user, prefix)}


def _answer(body: dict[str, Any], tag: str, request: Request | None = None) -> Response:
    headers = {"ETag": tag, "Cache-Control": "private, no-cache"}
    return etag_response(request, json.dumps(body, ensure_ascii=False), "application/json", headers)


@router.get(PROFILE, summary="A kelurahan's profile for a period (with an ETag)")
def get_profile(
    kelurahan: Kelurahan,
    form_id: str,
    request: Request,
    catalog: CatalogDep,
    conn: ConnectionDep,
    principal: PrincipalDep,
    lang: LanguageDep,
    period: Period = None,
) -> Response:
    """The typed values, the derived figures and the differences between them. Its PIC,
    planners and admins see the current version (draft included); everyone else the last
    verified values of the public fields."""
    form = values.form_of(catalog, form_id)
    chosen = values.period_of(form, period)
    body, tag = values.read(conn, catalog, form, kelurahan, chosen, principal, lang)
    return _answer(body, tag, request)


async def _json(request: Request) -> Any:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in PATCH_TYPES:
        raise UnsupportedMediaType(
            "edit.media_type", media_type=media_type or "-", expected=" / ".join(PATCH_TYPES)
        )
    return payload.parse_json(await request.body())


@router.patch(
    PROFILE,
    summary="Change a profile with a JSON merge patch (If-Match required)",
    response_class=Response,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/merge-patch+json": {
                    "schema": {
                        "type": "object",
                        "properties": {"values": {"type": "object"}},
                        "required": ["values"],
                    }
                }
            },
        }
    },
)
async def patch_profile(
    kelurahan: Kelurahan,
    form_id: str,
    request: Request,
    user: CurrentUser,
    catalog: CatalogDep,
    engine: EngineDep,
    lang: LanguageDep,
    period: Period = None,
) -> Response:
    """``{"values": {"jumlah_rt": 19}}`` sets a value, ``null`` clears one; a draft may be
    partial. ``If-Match: "0"`` for a profile not written yet."""
    form = values.form_of(catalog, form_id)
    chosen = values.period_of(form, period)
    version = payload.parse_if_match(request.headers.get("if-match"))
    body = await _json(request)

    def run() -> tuple[dict[str, Any], str]:
        with engine.begin() as conn:
            values.write(conn, form, kelurahan, chosen, user, version, body)
            return values.read(conn, catalog, form, kelurahan, chosen, user, lang)

    return _answer(*await run_in_threadpool(run))


def _step_route(step: str, summary: str) -> None:
    async def handler(
        kelurahan: Kelurahan,
        form_id: str,
        request: Request,
        user: CurrentUser,
        catalog: CatalogDep,
        engine: EngineDep,
        lang: LanguageDep,
        period: Period = None,
    ) -> Response:
        form = values.form_of(catalog, form_id)
        chosen = values.period_of(form, period)
        version = payload.parse_if_match(request.headers.get("if-match"))
        reason = None
        if step == "reject":
            reason = payload.reason_of(payload.parse_json(await request.body()))

        def run() -> tuple[dict[str, Any], str]:
            with engine.begin() as conn:
                values.transition(conn, form, kelurahan, chosen, user, version, step, reason)
                return values.read(conn, catalog, form, kelurahan, chosen, user, lang)

        return _answer(*await run_in_threadpool(run))

    handler.__name__ = f"{step}_profile"
    handler.__doc__ = summary
    extra: dict[str, Any] | None = None
    if step == "reject":
        extra = payload.REJECTION_BODY
    router.post(f"{PROFILE}/{step}", summary=summary, response_class=Response,
                openapi_extra=extra)(handler)  # fmt: skip


_step_route("submit", "Submit a profile for verification (its PIC, admin); required fields first")
_step_route("verify", "Verify a submitted profile: its public fields are published (admin)")
_step_route("reject", "Reject a submitted profile with a reason (admin)")


@router.get(f"{PROFILE}/history", summary="Every version of a profile: who, when, what")
def get_history(
    kelurahan: Kelurahan,
    form_id: str,
    user: CurrentUser,
    catalog: CatalogDep,
    conn: ConnectionDep,
    period: Period = None,
) -> dict[str, Any]:
    """Oldest first, each version with the fields it changed (old -> new)."""
    form = values.form_of(catalog, form_id)
    chosen = values.period_of(form, period)
    versions = values.history(conn, form, kelurahan, chosen, user)
    return {"form": form.id, "kelurahan": kelurahan, "period": chosen, "versions": versions}


# -- the /profil page --------------------------------------------------------------------------

page_router = APIRouter(tags=["pages"], include_in_schema=False)
#: the texts of the page and its script
PAGE_TEXTS = (
    "profile.page.title", "profile.page.kelurahan", "profile.page.period", "profile.page.open",
    "profile.page.code_hint", "profile.page.sample", "profile.page.no_kelurahan",
    "profile.page.derived", "profile.page.choose", "profile.page.yes", "profile.page.no",
    "profile.page.save", "profile.page.submit", "profile.page.verify", "profile.page.reject",
    "profile.page.reason", "profile.page.previous", "profile.page.prefilled",
    "profile.page.saved", "profile.page.sent", "profile.page.verified", "profile.page.rejected",
    "profile.page.stale", "profile.page.network", "profile.page.read_only",
    "profile.page.changes", "profile.page.differences", "profile.page.status",
    "profile.page.status_none", "profile.page.status_draft", "profile.page.status_submitted",
    "profile.page.status_verified", "profile.page.status_rejected",
)  # fmt: skip


def _page_field(item: ProfileField) -> dict[str, Any]:
    """What profile.js needs of a field: its type, whether it is derived, and its show-if
    condition as the parsed tree (relevance.js evaluates it by the server's rules)."""
    relevant = item.expression("relevant")
    return {
        "type": item.type,
        "derived": item.derived is not None,
        "relevant": None if relevant is None else relevant.tree,
    }


@page_router.get("/profil", response_class=HTMLResponse)
def profile_page(
    request: Request,
    lang: LanguageDep,
    principal: PrincipalDep,
    conn: ConnectionDep,
    catalog: CatalogDep,
    kelurahan: Annotated[str | None, Query(max_length=13)] = None,
    form: Annotated[str | None, Query(max_length=40)] = None,
    period: Period = None,
) -> Response:
    """The profile form of a kelurahan for a period, phone-first, grouped by section: a PIC's
    own kelurahan (a switcher when they have several), any for planners and admins. The page
    script reads and writes through the profile API, which checks everything again."""
    from geoservice.api import pages

    if principal is None:
        return pages._login_redirect(request, lang)
    forms = list(catalog.profiles.values())
    if not forms:
        raise NotFound("profile.form_unknown", form=form or "-", forms="-")
    chosen_form = values.form_of(catalog, form) if form else forms[0]
    chosen_period = values.period_of(chosen_form, period)
    own = sorted(principal.kelurahan)
    code = kelurahan or (own[0] if own else None)
    names = {a["kode"]: a["nama"] for a in areas.names(conn, [*own, *([code] if code else [])])}
    words = {key: t(key, lang) for key in PAGE_TEXTS}
    config = {
        "csrf": principal.csrf_token,
        "form": chosen_form.id,
        "kelurahan": code if code in names else None,
        "period": chosen_period,
        "may_review": principal.may_review(),
        "editable": bool(code) and principal.may_edit(code or ""),
        "words": words,
        "fields": {name: _page_field(item) for name, item in chosen_form.fields.items()},
    }
    context = {
        "w": words,
        "form": describe(chosen_form, lang, restricted=True),
        "forms": [(f.id, f.title.get(lang)) for f in forms],
        "own": [(c, names.get(c, c)) for c in own],
        "code": code or "",
        "known": code in names,
        "period": chosen_period,
        "may_review": principal.may_review(),
        "reads_all": principal.role in ("admin", "planner"),
        "config": pages._config_json(request, lang, config),
    }
    return html.page(request, "profile.html", lang, words["profile.page.title"], context)


@router.get(
    "/profiles/{form_id}/kelurahan",
    summary="Verified profiles of a period as kelurahan features (GeoJSON or CSV)",
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {}, "text/csv": {}}}},
)
def get_published(
    form_id: str,
    catalog: CatalogDep,
    conn: ConnectionDep,
    period: Period = None,
    kode: Annotated[str | None, Query(description="Kemendagri code prefix, e.g. 35.71")] = None,
    f: Annotated[str | None, Query(description="geojson (default) or csv")] = None,
) -> Response:
    """What the walidata verified, public fields only, the same for every reader: GDAL and
    QGIS read the GeoJSON, spreadsheets the CSV."""
    form = values.form_of(catalog, form_id)
    chosen = values.period_of(form, period)
    output = (f or "geojson").lower()
    features = queues.published(
        conn, catalog, form, chosen, feature_query.parse_kode(kode), geometry=output != "csv"
    )
    if output == "csv":
        header = list(features[0]["properties"]) if features else ["kode", "nama", "periode"]
        rows = [[published.cell(feat["properties"].get(k)) for k in header] for feat in features]
        return Response(
            exports.csv_text(header, rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{form.id}_{chosen}.csv"'},
        )
    if output != "geojson":
        raise BadRequest("features.format", value=f, formats="geojson, csv")
    body = {"type": "FeatureCollection", "features": features}
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/geo+json")


@router.get(
    "/profiles/{form_id}/fields/{field}/choropleth",
    summary="A numeric profile field's verified values as a classified choropleth (GeoJSON)",
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {}}}},
)
def get_field_choropleth(
    form_id: str,
    field: str,
    conn: ConnectionDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
    query: ChoroplethDep,
) -> Response:
    """As ``/indicators/{code}/choropleth`` (``nilai``, ``kelas``, ``warna``, the indicators of
    the period, the facility counts, ``classification``), for the desa/kelurahan with a
    verified profile of ``period`` (the latest by default); no ``compare``, no ``level``."""
    form = values.form_of(catalog, form_id)
    for name, given in (("compare", query.compare), ("level", query.level)):
        if given is not None and not (name == "level" and given == 4):
            raise BadRequest("profile.no_compare", name=name)
    chart = profile_choropleth.choropleth(
        conn, catalog, form, field, viewer, period=query.period,
        scope=visibility.check_scope(query.kode), method=query.method, k=query.k,
        scheme=query.scheme,
    )  # fmt: skip
    body = indicators.feature_collection(conn, catalog, viewer, chart, lang)
    headers = viewer_cache_headers(viewer.anonymous)
    return Response(body, media_type="application/geo+json", headers=headers)
