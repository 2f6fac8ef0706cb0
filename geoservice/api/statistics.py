"""``/statistics``: per desa/kelurahan, the facility counts, counts per 1,000 people and the
indicator values of a period, as JSON, CSV, XLSX, GeoPackage or an HTML page."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from babel.numbers import format_decimal
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from geoservice.api.indicators import Period, Scope
from geoservice.deps import (
    CatalogDep,
    ConnectionDep,
    CsvLocaleDep,
    LanguageDep,
    PrincipalDep,
    ViewerDep,
)
from geoservice.i18n import Language
from geoservice.services import exports
from geoservice.services.indicators import statistics, visibility
from geoservice.web import html
from geoservice.web.conditional import viewer_cache_headers

router = APIRouter(tags=["indicators"])

XLSX, GPKG = exports.XLSX_TYPE, exports.GPKG_TYPE


@router.get(
    "/statistics",
    summary="Per desa/kelurahan: facility counts, per 1,000 people, indicator values",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/json": {},
                "text/csv": {},
                XLSX: {},
                GPKG: {},
                "text/html": {},
            }
        }
    },
)
def get_statistics(
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
    locale: CsvLocaleDep,
    _principal: PrincipalDep,  # resolved for the HTML page's header
    kode: Scope = None,
    period: Period = None,
    f: Annotated[Literal["json", "csv", "xlsx", "gpkg", "html"], Query()] = "json",
) -> Response:
    """The table for reports; ``f`` chooses JSON, CSV, XLSX, GeoPackage or an HTML page."""
    scope = visibility.check_scope(kode)
    data = statistics.table(conn, catalog, viewer, scope=scope, period=period, lang=lang)
    headers = viewer_cache_headers(viewer.anonymous)
    # the period is one that has values (checked above) and the scope a code: a safe file name
    name = f"statistik_{(scope or 'indonesia').replace('.', '_')}_{data.period or 'kosong'}"
    if f == "csv":
        headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return Response(
            statistics.to_csv(data, locale), media_type="text/csv; charset=utf-8", headers=headers
        )
    if f == "xlsx":
        headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return Response(statistics.to_xlsx(data, lang), media_type=XLSX, headers=headers)
    if f == "gpkg":
        headers["Content-Disposition"] = f'attachment; filename="{name}.gpkg"'
        return Response(statistics.to_geopackage(conn, data), media_type=GPKG, headers=headers)
    if f == "html":
        return _statistics_page(request, lang, data, headers)
    body = {
        "period": data.period,
        "scope": data.scope,
        "withheld": data.withheld,
        "columns": [c.__dict__ for c in data.columns],
        "rows": data.rows,
    }
    return Response(
        json.dumps(body, ensure_ascii=False), media_type="application/json", headers=headers
    )


def _statistics_page(
    request: Request, lang: Language, data: statistics.Table, headers: dict[str, str]
) -> HTMLResponse:
    def query_for(f: str) -> str:
        return str(request.url.include_query_params(f=f).query)

    def format_value(value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, float):
            return format_decimal(value, "#,##0.###", locale="en" if lang == "en" else "id")
        return str(value)

    response = html.page(
        request,
        "statistics.html",
        lang,
        html.LABELS["statistics_title"][lang],
        {"table": data, "query_for": query_for, "format_value": format_value},
    )
    response.headers.update(headers)
    return response
