"""Progress of the data collection: ``/progress`` (per area and campaign, for the walidata and
planners), ``/progress/public`` (completeness only, for everyone), the quality queue and its
decisions, and the coordination report."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, StringConstraints

from geoservice.deps import CatalogDep, ConnectionDep, CurrentUser, EngineDep, LanguageDep
from geoservice.errors import BadRequest, Forbidden
from geoservice.services.auth import Principal
from geoservice.services.feature_query import parse_kode
from geoservice.services.progress import figures, quality, report

router = APIRouter(tags=["progress"])
REPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
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


def _level(level: int) -> int:
    if level not in figures.CODE_LENGTH:
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
) -> dict[str, Any]:
    """Per desa/kelurahan (or rolled up to ``level``) and campaign: expected, verified,
    submitted, draft, rejected, completeness, late days, timeliness, last verified change and
    freshness; the PICs with their last activity."""
    return figures.progress(conn, catalog, parse_kode(kode), _level(level), lang)


@router.get("/progress/public", summary="Completeness per area, without people's names")
def get_public_progress(
    catalog: CatalogDep,
    conn: ConnectionDep,
    lang: LanguageDep,
    kode: Kode = None,
    level: Level = 4,
) -> dict[str, Any]:
    """The city's Satu Data coverage for everyone: completeness per area and campaign only."""
    return figures.public(conn, catalog, parse_kode(kode), _level(level), lang)


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

    subject: Annotated[str, StringConstraints(min_length=3, max_length=200)]
    decision: Literal["keep_both", "merge", "move", "correct"]
    #: for merge: the point that stays (the oldest by default)
    keep: int | None = None
    note: Annotated[str, StringConstraints(max_length=500)] | None = None


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
