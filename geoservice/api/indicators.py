"""Indicators over HTTP: the list, values per area, classified choropleths as GeoJSON and
vector tiles, and the import upload for planners (the per-kelurahan table is
:mod:`geoservice.api.statistics`).

Every route asks :mod:`geoservice.services.indicators` what the requester may see; the routes
only translate parameters and formats.
"""

from __future__ import annotations

import inspect
import json
import logging
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_type_hints

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from sqlalchemy import Connection

from geoservice.catalog import Catalog, IndicatorDef
from geoservice.deps import (
    CatalogDep,
    ConnectionDep,
    CurrentUser,
    EngineDep,
    LanguageDep,
    ViewerDep,
)
from geoservice.errors import BadRequest, Forbidden, ValidationFailed
from geoservice.services.features import collection_text
from geoservice.services.imports.indicator_columns import parse_column_map
from geoservice.services.imports.indicators import import_indicators
from geoservice.services.imports.readers import TABLE_SUFFIXES, InputError
from geoservice.services.indicators import choropleth as service
from geoservice.services.indicators import classes as indicator_classes
from geoservice.services.indicators import values as indicator_values
from geoservice.services.indicators import visibility
from geoservice.services.profiles import published
from geoservice.services.tiles import MAX_ZOOM, MVT, check_tile, etag
from geoservice.services.viewer import Viewer
from geoservice.web.conditional import etag_response, viewer_cache_headers

log = logging.getLogger("geoservice")
router = APIRouter(tags=["indicators"])

GEOJSON = "application/geo+json"
#: A GeoJSON choropleth holds at most this many areas; beyond, the tiles serve.
MAX_GEOJSON_FEATURES = 10_000
#: Choropleths kept for tiles (each holds its areas' values and classes).
CHOROPLETH_CACHE_SIZE = 32

Level = Annotated[
    int | None,
    Query(ge=1, le=4, description="1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan"),
]
Scope = Annotated[
    str | None, Query(description="Kemendagri code prefix: 35.71 is every area in Kota Kediri")
]
Period = Annotated[str | None, Query(description="Period (e.g. 2025); the latest when left out")]
Compare = Annotated[
    str | None, Query(description="Earlier period: the map shows the change from it to period")
]
MethodParam = Annotated[
    Literal["quantiles", "equal_interval", "fisher_jenks", "std_mean"],
    Query(description="mapclassify method; std_mean ignores k"),
]
Classes = Annotated[int, Query(ge=indicator_classes.MIN_CLASSES, le=indicator_classes.MAX_CLASSES)]
Scheme = Annotated[str | None, Query(description="ColorBrewer scheme, e.g. YlOrRd, Blues, RdBu")]


@dataclass
class ChoroplethQuery:
    """The parameters a choropleth's GeoJSON and its tiles share."""

    period: Period = None
    compare: Compare = None
    level: Level = None
    kode: Scope = None
    method: MethodParam = "quantiles"
    k: Classes = 5
    scheme: Scheme = None

    def compute(
        self, conn: Connection, indicator: IndicatorDef, viewer: Viewer, level: int
    ) -> service.Choropleth:
        """The choropleth these parameters ask for, at ``level``."""
        return service.choropleth(
            conn, indicator, viewer, period=self.period, compare=self.compare, level=level,
            scope=visibility.check_scope(self.kode), method=self.method, k=self.k,
            scheme=self.scheme,
        )  # fmt: skip


ChoroplethDep = Annotated[ChoroplethQuery, Depends()]

#: The planner page's names (Bahasa Indonesia, as its form sends them) for the choropleth
#: parameters it shares with the API; ``kode`` is the same on both.
PAGE_ALIASES = {"period": "periode", "compare": "banding", "method": "metode", "k": "kelas"}
#: The methods a choropleth classifies by, in the order the planner page lists them.
METHODS: tuple[str, ...] = get_args(get_args(MethodParam)[0])


def _aliased_query(aliases: dict[str, str]) -> Callable[..., ChoroplethQuery]:
    """A dependency reading :class:`ChoroplethQuery`'s fields named in ``aliases`` under those
    names: the same types, limits and defaults (a bad ``kelas`` is the 400 a bad ``k`` is), and
    the other fields at their defaults."""
    hints = get_type_hints(ChoroplethQuery, include_extras=True)
    defaults = {f.name: f.default for f in fields(ChoroplethQuery)}
    english = {alias: name for name, alias in aliases.items()}

    def dependency(**values: Any) -> ChoroplethQuery:
        return ChoroplethQuery(**{english[alias]: value for alias, value in values.items()})

    dependency.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                alias,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=hints[name],
                default=defaults[name],
            )
            for name, alias in aliases.items()
        ],
        return_annotation=ChoroplethQuery,
    )
    return dependency


#: The choropleth parameters under the planner page's names (``?periode=2025&kelas=7``).
PageChoroplethDep = Annotated[ChoroplethQuery, Depends(_aliased_query(PAGE_ALIASES))]


def _cache_headers(response: Response, viewer: Viewer) -> None:
    response.headers.update(viewer_cache_headers(viewer.anonymous))


def _describe(
    indicator: IndicatorDef, periods: list[str], lang: str, request: Request
) -> dict[str, Any]:
    own = f"{request.base_url}indicators/{indicator.code}"
    return {
        "code": indicator.code,
        "title": indicator.title.get(lang),
        "description": indicator.description.get(lang) if indicator.description else None,
        "unit": indicator.unit.get(lang),
        "source": indicator.source,
        "visibility": indicator.visibility,
        "aggregation": indicator.aggregation,
        "weight": indicator.weight,
        "decimals": indicator.decimals,
        "population": indicator.population,
        "suppress_below": indicator.suppress_below,
        "scheme": indicator.scheme,
        "periods": periods,
        "links": [
            {"rel": "self", "href": own},
            {
                "rel": "data",
                "type": GEOJSON,
                "href": f"{own}/choropleth",
            },
            {
                "rel": "item",
                "type": MVT,
                "href": f"{own}/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}",
                "templated": "true",
            },
        ],
    }


@router.get("/indicators", summary="Indicators you may see, with their periods")
def list_indicators(
    request: Request,
    response: Response,
    conn: ConnectionDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
) -> dict[str, Any]:
    """Public indicators for everyone; restricted ones for planners and admins only."""
    _cache_headers(response, viewer)
    periods = indicator_values.all_periods(conn)
    return {
        "indicators": [
            _describe(i, periods.get(i.code, []), lang, request)
            for i in visibility.visible_indicators(catalog, viewer)
        ]
    }


@router.get("/indicators/{code}", summary="One indicator and its periods")
def get_indicator(
    code: str,
    request: Request,
    response: Response,
    conn: ConnectionDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
) -> dict[str, Any]:
    """404 for an unknown indicator and for a restricted one you may not see."""
    indicator = visibility.get_indicator(catalog, code, viewer)
    _cache_headers(response, viewer)
    return _describe(indicator, indicator_values.periods(conn, code), lang, request)


@router.get(
    "/indicators/{code}/choropleth",
    summary="Classified values per area as GeoJSON",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}}},
)
def get_choropleth(
    code: str,
    response: Response,
    conn: ConnectionDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
    query: ChoroplethDep,
) -> Response:
    """Each area with ``nilai`` (the value, or the change with ``compare``), ``kelas`` and
    ``warna`` (class and colour), the other indicators' values of the period and its verified
    facility counts; ``classification`` holds the breaks and the legend."""
    indicator = visibility.get_indicator(catalog, code, viewer)
    chart = query.compute(conn, indicator, viewer, query.level or 4)
    body = feature_collection(conn, catalog, viewer, chart, lang)
    _cache_headers(response, viewer)
    return Response(body, media_type=GEOJSON, headers=response.headers)


def feature_collection(
    conn: Connection, catalog: Catalog, viewer: Viewer, chart: service.Choropleth, lang: str
) -> str:
    """The choropleth's GeoJSON text, with each outline's GeoJSON as PostGIS wrote it (see
    ``features.collection_text``): parsing the 514 kab/kota outlines into Python and writing
    them out again took 0.4 of the 1 s the national map cost in this process. A choropleth
    of desa/kelurahan carries their verified profiles too (``profil``: per form, the period
    and the fields this viewer may see), for the planner's popup. More than
    ``MAX_GEOJSON_FEATURES`` areas (a country's desa) is a 400: such a map is the tiles' job."""
    if len(chart.areas) > MAX_GEOJSON_FEATURES:
        raise BadRequest(
            "indicator.too_many_features", count=len(chart.areas), maximum=MAX_GEOJSON_FEATURES
        )
    shapes = service.outlines(conn, [a.code for a in chart.areas], chart.level)
    counts = indicator_values.facility_counts(conn, catalog, chart.level, chart.scope)
    others: dict[str, dict[str, float | None]] = {}
    known = indicator_values.all_periods(conn)
    for other in visibility.visible_indicators(catalog, viewer):
        if other.code == chart.indicator.code or (chart.level != 4 and other.aggregation == "none"):
            continue
        if chart.period in known.get(other.code, []):
            found = indicator_values.values(
                conn, other, chart.period, chart.level, chart.scope, viewer
            )
            others[other.code] = {a.code: a.value for a in found}
    profiles = (
        published.by_kelurahan(conn, catalog, chart.scope, chart.period, viewer)
        if chart.level == 4
        else {}
    )
    features = []  # one GeoJSON text per feature
    classes = chart.classification
    for area in chart.areas:
        props: dict[str, Any] = {
            "kode": area.code,
            "nama": area.name,
            "nilai": area.value,
            "kelas": classes.class_of(area.value),
            "warna": classes.color_of(area.value),
            "disembunyikan": area.withheld,
            "jumlah_desa": area.parts,
            "desa_berdata": area.with_value,
        }
        if chart.compare is not None:
            props["nilai_awal"] = chart.before.get(area.code)
            props["nilai_akhir"] = chart.after.get(area.code)
        for other_code, found_values in others.items():
            props[other_code] = found_values.get(area.code)
        for layer in catalog:
            props[f"jumlah_{layer.id}"] = counts.get(area.code, {}).get(layer.id, 0)
        if chart.level == 4:
            props["profil"] = profiles.get(area.code, {})
        features.append(
            f'{{"type": "Feature", "id": {json.dumps(area.code)}, '
            f'"geometry": {shapes.get(area.code, "null")}, '
            f'"properties": {json.dumps(props, ensure_ascii=False)}}}'
        )
    head = {
        "type": "FeatureCollection",
        "classification": chart.metadata(lang),
        "numberReturned": len(features),
    }
    return collection_text(head, "[" + ", ".join(features) + "]")


@router.get(
    "/indicators/{code}/tiles/WebMercatorQuad/{z}/{x}/{y}",
    summary="Choropleth vector tile",
    response_class=Response,
    responses={200: {"content": {MVT: {}}}},
)
def get_tile(
    code: str,
    z: int,
    x: int,
    y: int,
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    query: ChoroplethDep,
) -> Response:
    """The areas in the tile with ``nilai``, ``kelas`` and ``warna`` joined. Without
    ``level``, desa/kelurahan from zoom 8, kecamatan at 6-7 and kabupaten/kota below, as in
    the boundary tiles; classes are computed over the whole scope, so tiles agree."""
    indicator = visibility.get_indicator(catalog, code, viewer)
    check_tile(z, x, y)
    shown = service.tile_level(indicator, query.level, z)
    chart = _cached_choropleth(request, conn, query, indicator, viewer, shown)
    content = service.tile(conn, chart, z, x, y)
    # the ETag is of the bytes: another period, class or viewer's suppression is another tag
    headers = {**viewer_cache_headers(viewer.anonymous), "ETag": etag(content)}
    return etag_response(request, content, MVT, headers)


@router.get(
    "/indicators/{code}/tiles/WebMercatorQuad",
    summary="TileJSON 3.0 of an indicator's choropleth tiles",
)
def get_tilejson(
    code: str,
    request: Request,
    response: Response,
    conn: ConnectionDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
) -> dict[str, Any]:
    """The tile URL template (with this request's query: period, method, classes...), the
    extent of the areas with values and the fields of the features."""
    indicator = visibility.get_indicator(catalog, code, viewer)
    _cache_headers(response, viewer)
    query = str(request.url.query)
    template = f"{request.base_url}indicators/{code}/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}"
    west, south, east, north = indicator_values.values_extent(conn, code) or [
        94.0,
        -11.5,
        142.0,
        6.5,
    ]
    title = indicator.title.get(lang)
    return {
        "tilejson": "3.0.0",
        "name": code,
        "description": f"{title} ({indicator.unit.get(lang)}; {indicator.source})",
        "scheme": "xyz",
        "tiles": [template + (f"?{query}" if query else "")],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "bounds": [west, south, east, north],
        "vector_layers": [
            {
                "id": code,
                "description": title,
                "fields": {
                    "kode": "String",
                    "nama": "String",
                    "nilai": "Number",
                    "kelas": "Number",
                    "warna": "String",
                },
            }
        ],
    }


def _cached_choropleth(
    request: Request,
    conn: Connection,
    query: ChoroplethQuery,
    indicator: IndicatorDef,
    viewer: Viewer,
    level: int,
) -> service.Choropleth:
    """Tiles of one map share their choropleth: computed once per data version (the latest
    import), not once per tile."""
    version = indicator_values.data_version(conn)
    cache: OrderedDict[tuple[Any, ...], service.Choropleth] = request.app.state.choropleths
    key = (indicator.code, astuple(query), level, viewer.anonymous, version)
    chart = cache.get(key)
    if chart is None:
        chart = cache[key] = query.compute(conn, indicator, viewer, level)
        while len(cache) > CHOROPLETH_CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return chart


@router.post("/indicators/import", summary="Import indicator values from CSV or XLSX")
def post_import(
    engine: EngineDep,
    catalog: CatalogDep,
    user: CurrentUser,
    lang: LanguageDep,
    file: Annotated[UploadFile, File(description="CSV or XLSX, one row per desa/kelurahan")],
    period: Annotated[str | None, Form(description="Period of every row without one")] = None,
    kode: Annotated[str | None, Form(description="Match names only within this code")] = None,
    sheet: Annotated[str | None, Form(description="XLSX sheet (the first by default)")] = None,
    dry_run: Annotated[bool, Form(description="Match and check only; write nothing")] = False,
    column_map: Annotated[
        str | None,
        Form(
            alias="map",
            description="Indicator of columns not headed by its code: "
            "'Jumlah Penduduk=penduduk; Persentase Miskin=persen_miskin' or a JSON object; "
            "the report's proposals list what the titles suggest",
        ),
    ] = None,
) -> dict[str, Any]:
    """Planners and admins. Returns the match report of every row; a file with a bad row is
    answered 422 with the same report, and nothing is written."""
    if not user.may_import_indicators():
        raise Forbidden("indicator.import_role", role=user.role)
    scope = visibility.check_scope(kode) or None
    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise BadRequest(
            "file.unsupported", suffix=suffix or "(none)", supported=", ".join(TABLE_SUFFIXES)
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(file.file.read())
        try:
            report = import_indicators(
                engine, catalog, path, source=file.filename, period=period or None,
                scope=scope, sheet=sheet or None, dry_run=dry_run, username=user.username,
                column_map=parse_column_map(column_map),
            )  # fmt: skip
        except InputError as exc:
            # the client sees its own file name and a fixed reason; the server's temporary
            # path and the library's exception go to the log only
            log.info("indicator upload %r refused: %s", file.filename, exc)
            if exc.key == "file.unreadable":
                raise BadRequest("file.upload_unreadable", name=file.filename or "-") from exc
            params = {
                **exc.params,
                **({"path": file.filename or "-"} if "path" in exc.params else {}),
            }
            if proposals := exc.extra.get("proposals"):
                # the proposal in the syntax of this upload's `map` field, not the CLI's --map
                params["proposed"] = "; ".join(f"{p['column']}={p['indicator']}" for p in proposals)
            raise BadRequest(exc.key, **params).with_extra(**exc.extra) from exc
    body = report.as_dict(lang)
    if not report.ok and not dry_run:
        rows = sorted({i.row for i in report.issues if i.severity == "error" and i.row})
        raise ValidationFailed(
            "indicator.failed",
            errors=body["errors"],
            rows=", ".join(map(str, rows)) or "-",
            extra={"report": body},
        )
    return body
