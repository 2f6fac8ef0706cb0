"""``/collections/{id}/items[/{featureId}]``: OGC API - Features items as GeoJSON."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Connection

from geoservice.catalog import Catalog
from geoservice.deps import (
    CatalogDep,
    ConnectionDep,
    CsvLocaleDep,
    LanguageDep,
    PrincipalDep,
    ViewerDep,
)
from geoservice.errors import BadRequest
from geoservice.i18n import Language
from geoservice.services import exports, feature_query, feature_schemas, features
from geoservice.services.collections import BOUNDARY_COLLECTIONS
from geoservice.services.crs import CRS84, Crs, parse_crs
from geoservice.services.exports import CsvLocale
from geoservice.services.feature_query import ItemsQuery
from geoservice.services.points import payload
from geoservice.services.viewer import Viewer
from geoservice.web import html
from geoservice.web.conditional import etag_response
from geoservice.web.html import FormatParam, wants_html

router = APIRouter(tags=["features"])
GEOJSON = "application/geo+json"
XLSX, GPKG = exports.XLSX_TYPE, exports.GPKG_TYPE
FORMATS = ("json", "geojson", "csv", "xlsx", "gpkg", "html")
#: The file formats of a page of items, with their media types.
DOWNLOADS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX, "gpkg": GPKG}
#: Parameters with a meaning of their own; any other that names a property is an equality filter,
#: and the rest are a 400 (OGC API - Features /req/core/query-param-unknown).
RESERVED = {
    "limit",
    "offset",
    "bbox",
    "kode",
    "properties",
    "f",
    "lang",
    "locale",
    "filter",
    "filter-lang",
    "sortby",
    "simplify",
    "ids",
    "datetime",
    "crs",
    "bbox-crs",
}
CrsParam = Annotated[
    str | None,
    Query(
        description="CRS of the geometries: CRS84 (default), EPSG:4326 (lat, lon), EPSG:3857, "
        "EPSG:4755, UTM and TM-3 zones; see the collection's crs"
    ),
]


def _whole_number(value: str | None, default: int, low: int, high: int, key: str) -> int:
    if value is None:
        return default
    if not re.fullmatch(r"[0-9]{1,12}", value.strip()) or not low <= int(value) <= high:
        raise BadRequest(key, value=value, maximum=high)
    return int(value)


@router.head("/collections/{collection_id}/items", include_in_schema=False)
@router.get(
    "/collections/{collection_id}/items",
    summary="Features of a collection (GeoJSON)",
    response_class=Response,
    responses={
        200: {
            "content": {GEOJSON: {}, "text/csv": {}, XLSX: {}, GPKG: {}, "text/html": {}},
            "description": "A GeoJSON FeatureCollection; the same page of features as CSV "
            "(f=csv, in the locale's separators), XLSX (f=xlsx) or GeoPackage (f=gpkg), "
            "or a page (f=html)",
        }
    },
)
def get_items(
    collection_id: str,
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
    locale: CsvLocaleDep,
    limit: Annotated[str | None, Query(description=f"1 to {feature_query.MAX_LIMIT}")] = None,
    offset: Annotated[str | None, Query(description="features to skip")] = None,
    bbox: Annotated[str | None, Query(description="minx,miny,maxx,maxy (CRS84)")] = None,
    kode: Annotated[str | None, Query(description="Kemendagri code prefix, e.g. 35.71")] = None,
    properties: Annotated[str | None, Query(description="comma-separated properties")] = None,
    sortby: Annotated[str | None, Query(description="e.g. -tingkat,nama")] = None,
    filter: Annotated[  # noqa: A002 (the OGC parameter name)
        str | None, Query(description="CQL2 filter, e.g. strata = 'Madya' AND rw > 2")
    ] = None,
    filter_lang: Annotated[
        str | None, Query(alias="filter-lang", description="cql2-text (default) or cql2-json")
    ] = None,
    simplify: Annotated[
        str | None, Query(description="boundaries simplified to this tolerance in metres")
    ] = None,
    f: Annotated[
        str | None, Query(description="json (GeoJSON, default), csv, xlsx, gpkg or html")
    ] = None,
    ids: Annotated[str | None, Query(description="feature ids, comma-separated")] = None,
    datetime: Annotated[
        str | None,
        Query(description="last change: an RFC 3339 date or date-time, or start/end (..: open)"),
    ] = None,
    crs: CrsParam = None,
    bbox_crs: Annotated[
        str | None, Query(alias="bbox-crs", description="CRS of bbox (default CRS84)")
    ] = None,
) -> Response:
    """Features with ``bbox``, ``kode`` prefix, property equality filters and paging links
    (and ``period`` for a profile form's collection: the latest verified one by default)."""
    collection = features.resolve(catalog, collection_id, profiles=True)
    collection = features.with_period(conn, collection, request.query_params.get("period"))
    allowed = collection.property_names(viewer)
    reserved = RESERVED | ({"period"} if collection.form else set())
    unknown = sorted({k for k in request.query_params if k not in reserved and k not in allowed})
    if unknown:
        raise BadRequest(
            "features.unknown_parameter",
            names=", ".join(unknown),
            allowed=", ".join([*sorted(reserved), *allowed]),
        )
    box_crs = parse_crs(bbox_crs, "bbox-crs")
    query = ItemsQuery(
        limit=_whole_number(
            limit, feature_query.DEFAULT_LIMIT, 1, feature_query.MAX_LIMIT, "features.limit"
        ),
        offset=_whole_number(offset, 0, 0, 10**9, "features.offset"),
        bbox=feature_query.parse_bbox(bbox, box_crs),
        bbox_crs=box_crs,
        crs=parse_crs(crs),
        ids=feature_query.parse_ids(ids),
        datetime=feature_query.parse_datetime(datetime),
        kode=feature_query.parse_kode(kode),
        properties=feature_query.parse_properties(properties, allowed),
        equals={
            k: v for k, v in request.query_params.items() if k in allowed and k not in RESERVED
        },
        filter=feature_query.parse_filter(filter, filter_lang, collection, viewer),
        sortby=feature_query.parse_sortby(sortby, allowed),
        simplify=feature_query.parse_simplify(simplify),
    )
    output = _output_format(f, request.headers.get("accept"))
    if output in DOWNLOADS:
        content, table = _download(output, conn, collection, query, viewer, locale)
        return _conditional(
            request,
            content,
            DOWNLOADS[output],
            # the table, not the file: an XLSX or GeoPackage records when it was written
            identity=(output, locale, table),
            headers={"Content-Disposition": f'attachment; filename="{collection.id}.{output}"'},
            private=not viewer.anonymous,
        )
    page = features.items(
        conn, collection, query, viewer, request.app.state.settings.exact_count_below
    )
    head: dict[str, Any] = {
        "type": "FeatureCollection",
        "numberMatched": page.matched,
        "numberReturned": page.returned,
        "timeStamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "links": _links(request, query, page),
    }
    if page.matched_is_estimate:
        # the planner's estimate (a count would cost more than the page); not an OGC member
        head["numberMatchedEstimated"] = True
    text = features.collection_text(head, page.features)
    if output == "html":
        title = html.LABELS["items_of"][lang].replace("{kind}", _kind(collection, lang))
        context = {
            "collection_id": collection_id,
            "column_titles": _column_titles(collection, lang),
            "features": json.loads(page.features),
            "columns": query.properties or allowed,
            "matched": page.matched,
            "returned": page.returned,
            "estimated": page.matched_is_estimate,
            "links": head["links"],
            "downloads": [
                (name, str(request.url.include_query_params(f=output)))
                for output, name in (("csv", "CSV"), ("xlsx", "XLSX"), ("gpkg", "GeoPackage"))
            ],
        }
        return html.page(request, "items.html", lang, title, context, geojson=text)
    # the ETag leaves out timeStamp: two answers with the same features are the same page
    return _conditional(
        request,
        text,
        GEOJSON,
        identity=(str(page.matched), page.features),
        headers=_content_crs(query.crs),
        private=not viewer.anonymous,
    )


@router.head("/collections/{collection_id}/items/{feature_id}", include_in_schema=False)
@router.get(
    "/collections/{collection_id}/items/{feature_id}",
    summary="One feature (GeoJSON)",
    response_class=Response,
    responses={
        200: {
            "content": {GEOJSON: {}, "text/html": {}},
            "description": "A GeoJSON Feature (a page with f=html)",
        }
    },
)
def get_item(
    collection_id: str,
    feature_id: str,
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    viewer: ViewerDep,
    lang: LanguageDep,
    f: FormatParam = None,
    crs: CrsParam = None,
) -> Response:
    """The feature with this id: the Kemendagri code of an area (of a kelurahan in a profile
    collection, whose ``period`` is the latest verified one by default), a point's number."""
    collection = features.resolve(catalog, collection_id, profiles=True)
    collection = features.with_period(conn, collection, request.query_params.get("period"))
    output_crs = parse_crs(crs)
    body = features.item(conn, collection, feature_id, viewer, output_crs)
    if wants_html(request, f, formats=("json", "geojson")):
        feature = json.loads(body)
        title = _item_title(collection, feature, lang)
        context = {
            "collection_id": collection_id,
            "feature": feature,
            "column_titles": _column_titles(collection, lang),
            "kind": _kind(collection, lang),
        }
        return html.page(request, "item.html", lang, title, context, geojson=body)
    base = str(request.base_url)
    links = [
        {"href": str(request.url), "rel": "self", "type": GEOJSON},
        {
            "href": f"{base}collections/{collection_id}",
            "rel": "collection",
            "type": "application/json",
        },
    ]
    text = body[:-1] + ', "links": ' + json.dumps(links) + "}"
    if collection.layer is not None and not viewer.anonymous:
        # a signed-in reader may edit: the ETag names the version, for If-Match
        version = json.loads(body)["properties"]["versi"]
        headers = {"ETag": payload.etag(version), "Cache-Control": "private, no-cache"}
        headers.update(_content_crs(output_crs))
        return etag_response(request, text, GEOJSON, headers)
    return _conditional(
        request,
        text,
        GEOJSON,
        identity=(text,),
        headers=_content_crs(output_crs),
        private=not viewer.anonymous,
    )


def _content_crs(crs: Crs | None) -> dict[str, str]:
    """OGC API - Features Part 2's ``Content-Crs`` header."""
    return {"Content-Crs": f"<{CRS84 if crs is None else crs.uri}>"}


READ_METHODS = ("GET", "HEAD", "OPTIONS")


@router.options("/collections/{collection_id}/items", include_in_schema=False)
def options_items(collection_id: str, catalog: CatalogDep, principal: PrincipalDep) -> Response:
    """``Allow``: the methods this caller may use on the items (POST for an editor of a
    layer); QGIS decides from it whether a layer is editable."""
    collection = features.resolve(catalog, collection_id)
    methods = list(READ_METHODS)
    if (
        collection.layer is not None
        and principal is not None
        and (principal.may_review() or (principal.role == "pic" and principal.kelurahan))
    ):
        methods.append("POST")
    return Response(status_code=204, headers={"Allow": ", ".join(methods)})


@router.options("/collections/{collection_id}/items/{feature_id}", include_in_schema=False)
def options_item(
    collection_id: str,
    feature_id: str,
    conn: ConnectionDep,
    catalog: CatalogDep,
    principal: PrincipalDep,
    viewer: ViewerDep,
) -> Response:
    """``Allow``: PUT, PATCH and DELETE too when this caller may edit the point's kelurahan;
    404 for a feature the caller cannot see."""
    collection = features.with_period(conn, features.resolve(catalog, collection_id, True), None)
    body = features.item(conn, collection, feature_id, viewer)
    methods = list(READ_METHODS)
    if collection.layer is not None and principal is not None:
        if principal.may_edit(json.loads(body)["properties"]["kode_kelurahan"]):
            methods += ["PUT", "PATCH", "DELETE"]
    return Response(status_code=204, headers={"Allow": ", ".join(methods)})


def _download(
    output: str,
    conn: Connection,
    collection: features.FeatureCollection,
    query: ItemsQuery,
    viewer: Viewer,
    locale: CsvLocale,
) -> tuple[bytes, str]:
    """The page of items as a CSV (``locale``), XLSX or GeoPackage file, and a digest of its
    table: the rows and columns of the GeoJSON page, so the same viewer rules hold. CSV and a
    point layer's XLSX carry the geometry as WKT; boundaries in XLSX leave it out (a
    kelurahan's WKT passes Excel's 32,767 characters a cell), the GeoPackage has it in the
    ``crs`` asked for."""
    geometry: Literal["wkt", "wkb"] | None = "wkt"
    if output == "gpkg":
        geometry = "wkb"
    elif output == "xlsx" and collection.layer is None:
        geometry = None
    header, rows = features.items_table(conn, collection, query, viewer, geometry)
    table = hashlib.sha256(repr((header, rows)).encode()).hexdigest()
    if output == "csv":
        return exports.csv_text(header, rows, locale).encode("utf-8"), table
    if output == "xlsx":
        return exports.table_xlsx(header, rows, collection.id), table
    srid = 4326 if query.crs is None else query.crs.srid
    return exports.table_geopackage(header, rows, srid, collection.id), table


def _conditional(
    request: Request,
    content: str | bytes,
    media_type: str,
    identity: tuple[str, ...],
    headers: dict[str, str] | None = None,
    private: bool = False,
) -> Response:
    """``content`` with a weak ETag of ``identity`` (the parts that make two answers the same)
    and Cache-Control asking caches to revalidate; 304 when the client's copy is current."""
    # SHA-256, not BLAKE2: this machine's CPU hashes a 2.3 MB page in 1.9 ms with it, 4.8 ms
    # with BLAKE2b, and the hash is paid on every page
    digest = hashlib.sha256()
    for part in identity:
        digest.update(part.encode())
        digest.update(b"\x00")
    tag = 'W/"' + digest.hexdigest()[:32] + '"'
    cache_control = "private, no-cache" if private else "public, no-cache"
    headers = {**(headers or {}), "ETag": tag, "Cache-Control": cache_control}
    return etag_response(request, content, media_type, headers)


def _output_format(f: str | None, accept: str | None) -> str:
    """``f=csv|xlsx|gpkg|html|json|geojson``; without it ``Accept`` decides: text/csv, XLSX's
    or GeoPackage's media type, a browser's text/html (before any JSON), and GeoJSON for
    everything else (``*/*`` included)."""
    if f is not None:
        if f.lower() not in FORMATS:
            raise BadRequest("features.format", value=f, formats=", ".join(FORMATS))
        return {"geojson": "json"}.get(f.lower(), f.lower())
    accept = accept or ""
    if "json" not in accept:
        for output in ("xlsx", "gpkg"):
            if DOWNLOADS[output] in accept:
                return output
        if "text/csv" in accept:
            return "csv"
    return "html" if html.prefers_html(accept) else "json"


def _links(request: Request, query: ItemsQuery, page: features.ItemsPage) -> list[dict[str, str]]:
    links = [{"href": str(request.url), "rel": "self", "type": GEOJSON}]
    more = (
        page.returned == query.limit
        if page.matched_is_estimate
        else query.offset + query.limit < page.matched
    )
    if more:
        nxt = request.url.include_query_params(offset=query.offset + query.limit, limit=query.limit)
        links.append({"href": str(nxt), "rel": "next", "type": GEOJSON})
    if query.offset > 0:
        prev = request.url.include_query_params(
            offset=max(query.offset - query.limit, 0), limit=query.limit
        )
        links.append({"href": str(prev), "rel": "prev", "type": GEOJSON})
    return links


@router.get(
    "/collections/{collection_id}/queryables",
    summary="Properties a filter may use (JSON Schema)",
    response_class=Response,
    responses={200: {"content": {"application/schema+json": {}}}},
)
def get_queryables(
    collection_id: str, request: Request, catalog: CatalogDep, viewer: ViewerDep
) -> Response:
    """OGC API - Features Part 3 queryables of a collection."""
    return _json_schema(feature_schemas.queryables, request, catalog, collection_id, viewer)


@router.get(
    "/collections/{collection_id}/sortables",
    summary="Properties sortby may use (JSON Schema)",
    response_class=Response,
    responses={200: {"content": {"application/schema+json": {}}}},
)
def get_sortables(
    collection_id: str, request: Request, catalog: CatalogDep, viewer: ViewerDep
) -> Response:
    """OGC API - Features Part 5 sortables of a collection."""
    return _json_schema(feature_schemas.sortables, request, catalog, collection_id, viewer)


@router.get(
    "/collections/{collection_id}/schema",
    summary="JSON Schema of the collection's features",
    response_class=Response,
    responses={200: {"content": {"application/schema+json": {}}}},
)
def get_schema(
    collection_id: str, request: Request, catalog: CatalogDep, viewer: ViewerDep
) -> Response:
    """OGC API - Features Part 5 schema of the features, as this caller reads them."""
    return _json_schema(feature_schemas.schema, request, catalog, collection_id, viewer)


def _json_schema(
    build: Callable[[str, features.FeatureCollection, Viewer], dict[str, Any]],
    request: Request,
    catalog: Catalog,
    collection_id: str,
    viewer: Viewer,
) -> Response:
    """A collection's JSON Schema document (queryables, sortables, feature schema)."""
    body = build(str(request.base_url), features.resolve(catalog, collection_id, True), viewer)
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/schema+json")


def _kind(collection: features.FeatureCollection, lang: Language) -> str:
    """What the collection holds, as people call it (Desa/Kelurahan, Posyandu)."""
    if collection.form is not None:
        return collection.form.title.get(lang)
    if collection.layer is None:
        return BOUNDARY_COLLECTIONS[collection.id][1][lang]
    return collection.layer.title.get(lang)


def _column_titles(collection: features.FeatureCollection, lang: Language) -> dict[str, str]:
    """The pages' headings of the properties: the layer file's titles, the boundary and
    status properties' labels; the JSON keeps the machine names."""
    titles = {
        name[len("prop.") :]: text[lang]
        for name, text in html.LABELS.items()
        if name.startswith("prop.")
    }
    if collection.layer is not None:
        titles.update({n: a.title.get(lang) for n, a in collection.layer.attributes.items()})
    if collection.form is not None:
        titles.update({n: f.title.get(lang) for n, f in collection.form.fields.items()})
    return titles


def _item_title(
    collection: features.FeatureCollection, feature: dict[str, Any], lang: Language
) -> str:
    """A feature page's heading: its name, then what it is (Bandar Lor · Desa/Kelurahan
    35.71.01.1001); the collection and id alone when it has no name."""
    layer = collection.layer
    name = feature["properties"].get("nama" if layer is None else layer.name_attribute)
    what = f"{_kind(collection, lang)} {feature['id']}"
    return f"{name} · {what}" if name else what
