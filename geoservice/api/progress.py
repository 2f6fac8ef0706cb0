"""Progress of the data collection: ``/progress`` (per area and campaign, for the walidata and
planners), ``/progress/public`` (completeness only, for everyone), the quality queue and its
decisions, and the coordination report."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator
from sqlalchemy import Connection

from geoservice.catalog import Catalog, has_control_characters
from geoservice.codes import CODE_LENGTH
from geoservice.deps import (
    CatalogDep,
    ConnectionDep,
    CurrentUser,
    EngineDep,
    LanguageDep,
    PrincipalDep,
    get_dataset_figures,
)
from geoservice.errors import BadRequest, Forbidden
from geoservice.i18n import Language, t
from geoservice.i18n.datasets import CATALOG_LABELS
from geoservice.services import exports
from geoservice.services.auth import Principal
from geoservice.services.datasets.computed import AllFigures
from geoservice.services.datasets.quality import MAXIMUM
from geoservice.services.datasets.records import Record, records
from geoservice.services.feature_query import parse_kode
from geoservice.services.progress import figures, quality, report
from geoservice.web import html

router = APIRouter(tags=["progress"])
REPORT_TYPES = {
    "xlsx": exports.XLSX_TYPE,
    "pdf": "application/pdf",
}

Kode = Annotated[str | None, Query(description="Kemendagri code prefix, e.g. 35.71")]
Level = Annotated[
    int, Query(description="1 provinsi, 2 kab/kota, 3 kecamatan, 4 desa/kelurahan (default)")
]


def require_monitor(user: CurrentUser) -> Principal:
    """The walidata (admin) or a planner: 403 for PICs (their own figures are on /profil and
    the editor), 401 for anonymous callers."""
    if user.role not in ("admin", "planner"):
        raise Forbidden("progress.role", role=user.role)
    return user


def _json(body: dict[str, Any]) -> Response:
    """The body serialized at once (a country's figures are large: FastAPI's encoder would
    walk every value again)."""
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")


def _level(level: int) -> int:
    if level not in CODE_LENGTH:
        raise BadRequest("progress.level")
    return level


@router.get(
    "/progress",
    summary="Progress per area and campaign (admins, planners)",
    dependencies=[Depends(require_monitor)],
)
def get_progress(
    catalog: CatalogDep,
    conn: ConnectionDep,
    lang: LanguageDep,
    kode: Kode = None,
    level: Level = 4,
) -> Response:
    """Per desa/kelurahan (or rolled up to ``level``) and campaign: expected, verified,
    submitted, draft, rejected, completeness, late days, timeliness, last verified change and
    freshness; the PICs with their last activity."""
    return _json(figures.progress(conn, catalog, parse_kode(kode), _level(level), lang))


@router.get("/progress/public", summary="Completeness per area, without people's names")
def get_public_progress(
    catalog: CatalogDep,
    conn: ConnectionDep,
    lang: LanguageDep,
    kode: Kode = None,
    level: Level = 4,
) -> Response:
    """The city's Satu Data coverage for everyone: completeness per area and campaign only."""
    return _json(figures.public(conn, catalog, parse_kode(kode), _level(level), lang))


@router.get(
    "/progress/quality",
    summary="The quality queue: missed and doubled (admins, planners)",
    dependencies=[Depends(require_monitor)],
)
def get_quality(
    catalog: CatalogDep,
    conn: ConnectionDep,
    lang: LanguageDep,
    kode: Kode = None,
) -> dict[str, Any]:
    """Open findings (gaps, doubles, empty layers, near-duplicates, name mismatches), each with
    its ``subject`` and the decisions it may get; decided ones are never listed again."""
    return {"items": quality.queue(conn, catalog, parse_kode(kode), lang)}


class Decision(BaseModel):
    """A decision on one finding of the quality queue."""

    model_config = ConfigDict(extra="forbid")

    subject: Annotated[
        str, StringConstraints(min_length=3, max_length=200, pattern=r"^[a-z_]+(:[A-Za-z0-9_.]*)+$")
    ]
    decision: Literal["keep_both", "merge", "move", "correct"]
    #: for merge: the point that stays (the oldest by default)
    keep: int | None = None
    note: Annotated[str, StringConstraints(max_length=500)] | None = None

    @field_validator("note")
    @classmethod
    def _plain_text(cls, value: str | None) -> str | None:
        if value is not None and has_control_characters(value):
            raise ValueError("control characters are not allowed")
        return value


@router.post("/progress/quality", summary="Decide a finding of the quality queue (admin)")
def post_quality(
    body: Decision,
    user: CurrentUser,
    catalog: CatalogDep,
    engine: EngineDep,
) -> dict[str, Any]:
    """Keep both, merge (the other points are deleted, recorded in their history), move (the
    PIC moves it in the editor) or mark as correct; recorded once and never asked again."""
    if not user.may_review():
        raise Forbidden("quality.decide_role", role=user.role)
    with engine.begin() as conn:
        return quality.decide(
            conn, catalog, user, body.subject, body.decision, body.keep, body.note
        )


@router.get(
    "/progress/report",
    summary="The coordination report as XLSX or PDF (admins, planners)",
    dependencies=[Depends(require_monitor)],
    response_class=Response,
)
def get_report(
    catalog: CatalogDep,
    conn: ConnectionDep,
    lang: LanguageDep,
    kode: Annotated[str, Query(description="Kemendagri code, e.g. 35.71")],
    f: Annotated[str, Query(description="xlsx or pdf")] = "xlsx",
) -> Response:
    """Per campaign, per kecamatan and per kelurahan, with the completeness map."""
    scope = parse_kode(kode) or ""
    if f not in REPORT_TYPES:
        raise BadRequest("progress.format", value=f)
    build = report.xlsx if f == "xlsx" else report.pdf
    name = f"progres-{scope.rstrip('.')}-{report.today_stamp()}.{f}"
    return Response(
        build(conn, catalog, scope.rstrip("."), lang),
        media_type=REPORT_TYPES[f],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },  # fmt: skip
    )


@router.get("/progress/map", summary="Completeness per area as GeoJSON (for everyone)")
def get_progress_map(
    catalog: CatalogDep,
    conn: ConnectionDep,
    kode: Kode = None,
    level: Level = 4,
) -> Response:
    """The public completeness of each area with its outline, class and colour."""
    body = figures.completeness_map(conn, catalog, parse_kode(kode), _level(level))
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/geo+json")


# -- the /pantauan pages -----------------------------------------------------------------------

page_router = APIRouter(tags=["pages"], include_in_schema=False)
#: the texts of the page and its script
PAGE_TEXTS = (
    "pantauan.title", "pantauan.public_title", "pantauan.sample", "pantauan.kode",
    "pantauan.open", "pantauan.up", "pantauan.map", "pantauan.table", "pantauan.area",
    "pantauan.overall", "pantauan.late_days", "pantauan.sort", "pantauan.late",
    "pantauan.none_late", "pantauan.no_pic", "pantauan.editor", "pantauan.late_line",
    "pantauan.quality", "pantauan.quality_empty", "pantauan.decision.keep_both",
    "pantauan.decision.merge", "pantauan.decision.move", "pantauan.decision.correct",
    "pantauan.decided", "pantauan.report", "pantauan.network",
)  # fmt: skip


def _default_scope(catalog: Catalog) -> str:
    """The kab/kota of the first campaign's scope (everything when it has none)."""
    for c in catalog.campaigns.values():
        if c.scope:
            return str(c.scope[0][:5])
    return ""


def _metadata_quality(
    request: Request, conn: Connection, catalog: Catalog, principal: Principal, figures: AllFigures
) -> list[Record]:
    """Every dataset the walidata or planner may see, the weakest metadata first (the catalog's
    score, from the same cached figures as /katalog)."""
    found = records(conn, catalog, principal, str(request.base_url), figures)
    return sorted(found, key=lambda r: (r.quality.points, r.id))


def _page(
    request: Request,
    lang: Language,
    catalog: Catalog,
    kode: str | None,
    public: bool,
    principal: Principal | None,
    metadata: list[Record] | None = None,
) -> Response:
    from geoservice.api import pages

    scope = (parse_kode(kode) or _default_scope(catalog)).rstrip(".")
    words = {key: t(key, lang) for key in PAGE_TEXTS}
    title = words["pantauan.public_title" if public else "pantauan.title"]
    config = {
        "csrf": None if principal is None else principal.csrf_token,
        "kode": scope,
        "public": public,
        "may_decide": principal is not None and principal.may_review() and not public,
        "words": words,
    }
    context = {
        "w": words,
        "public": public,
        "kode": scope,
        "sample": any(c.sample for c in catalog.campaigns.values()),
        "config": pages._config_json(request, lang, config),
        "metadata": metadata or [],
        "k": {key: text[lang] for key, text in CATALOG_LABELS.items()},
        "maximum": MAXIMUM,
    }
    return html.page(request, "progress.html", lang, title, context)


@page_router.get("/pantauan", response_class=HTMLResponse)
def progress_page(
    request: Request,
    lang: LanguageDep,
    principal: PrincipalDep,
    catalog: CatalogDep,
    conn: ConnectionDep,
    kode: Annotated[str | None, Query(max_length=13)] = None,
) -> Response:
    """The walidata's monitor: completeness map, sortable table with drill-down, who is late
    (with the PIC and a link to the editor), the quality queue, the report buttons and the
    metadata quality of every dataset."""
    from geoservice.api import pages

    if principal is None:
        return pages._login_redirect(request, lang)
    if principal.role not in ("admin", "planner"):
        error = Forbidden("progress.role", role=principal.role)
        return pages._message_page(request, lang, error, "forbidden_title")
    # the figures only after the role check: a refused reader costs no catalogue figures
    figures = get_dataset_figures(request, conn)
    metadata = _metadata_quality(request, conn, catalog, principal, figures)
    return _page(request, lang, catalog, kode, False, principal, metadata)


@page_router.get("/pantauan/publik", response_class=HTMLResponse)
def public_progress_page(
    request: Request,
    lang: LanguageDep,
    catalog: CatalogDep,
    kode: Annotated[str | None, Query(max_length=13)] = None,
) -> Response:
    """The city's Satu Data coverage for everyone: the map and the table, without people."""
    return _page(request, lang, catalog, kode, True, getattr(request.state, "principal", None))
