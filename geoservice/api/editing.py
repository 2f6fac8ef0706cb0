"""Writes on facility collections (OGC API - Features Part 4: Create, Replace, Update, Delete),
the verification steps, and the history of points and kelurahan."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

from geoservice.catalog import Catalog, LayerDef
from geoservice.deps import (
    CatalogDep,
    ConnectionDep,
    CsvLocaleDep,
    CurrentUser,
    EngineDep,
    LanguageDep,
    TileCacheDep,
)
from geoservice.errors import BadRequest, MethodNotAllowed, UnsupportedMediaType
from geoservice.services import exports, feature_query, features
from geoservice.services.auth import Principal
from geoservice.services.points import editing, history, payload, queues
from geoservice.services.points.editing import Written
from geoservice.services.tile_cache import TileCache

router = APIRouter(tags=["editing"])
GEOJSON = "application/geo+json"
FEATURE_TYPES = ("application/geo+json", "application/json")
PATCH_TYPES = ("application/merge-patch+json", *FEATURE_TYPES)
ITEM = "/collections/{collection_id}/items/{feature_id}"

AllowDuplicate = Annotated[
    bool,
    Query(description="Save even when a point of similar name lies within 30 m (after a 409)."),
]


def _layer(catalog: Catalog, collection_id: str) -> LayerDef:
    """The layer written to: 404 naming the collections for an unknown id, 405 for the
    read-only boundary collections."""
    collection = features.resolve(catalog, collection_id)
    if collection.layer is None:
        error = MethodNotAllowed(
            "edit.read_only", collection=collection_id, layers=", ".join(catalog.layers)
        )
        error.headers["Allow"] = "GET, HEAD"
        raise error
    return collection.layer


async def _json(request: Request, accepted: tuple[str, ...]) -> Any:
    """The body as JSON, after its media type (415) and size (413, by the middleware)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in accepted:
        raise UnsupportedMediaType(
            "edit.media_type", media_type=media_type or "-", expected=" / ".join(accepted)
        )
    return payload.parse_json(await request.body())


def _if_match(request: Request) -> int:
    return payload.parse_if_match(request.headers.get("if-match"))


@dataclass(frozen=True)
class Edit:
    """A write request's context: the layer, the signed-in user, and how to run the change."""

    layer: LayerDef
    user: Principal
    engine: Engine
    cache: TileCache

    async def run(self, action: Callable[[Connection], Written]) -> Written:
        """``action`` in one transaction (in a worker thread: the body was read on the event
        loop), then this process's tiles of the point dropped (other processes hear of it from
        the database trigger)."""
        return await run_in_threadpool(self._run, action)

    def _run(self, action: Callable[[Connection], Written]) -> Written:
        with self.engine.begin() as conn:
            written = action(conn)
        self.cache.invalidate_points(self.layer.id, written.points)
        return written


def edit_context(
    collection_id: str,
    user: CurrentUser,
    catalog: CatalogDep,
    engine: EngineDep,
    cache: TileCacheDep,
) -> Edit:
    """The layer being written (405 for boundaries, 404 for unknown ids) and the writer."""
    return Edit(_layer(catalog, collection_id), user, engine, cache)


EditDep = Annotated[Edit, Depends(edit_context)]


def _answer(request: Request, written: Written, status: int = 200) -> Response:
    headers = {"ETag": payload.etag(written.version), "Cache-Control": "no-store"}
    if status == 201:
        collection_id = request.path_params["collection_id"]
        headers["Location"] = f"{request.base_url}collections/{collection_id}/items/{written.id}"
    if written.feature is None:
        return Response(status_code=204, headers=headers)
    return Response(written.feature, status_code=status, media_type=GEOJSON, headers=headers)


@router.post(
    "/collections/{collection_id}/items",
    summary="Add a point (PIC of its kelurahan, admin)",
    status_code=201,
    response_class=Response,
    responses={201: {"content": {GEOJSON: {}}, "description": "Created; Location names it"}},
    openapi_extra={"requestBody": {"content": {GEOJSON: {}}, "required": True}},
)
async def create_item(
    request: Request, edit: EditDep, allow_duplicate: AllowDuplicate = False
) -> Response:
    """A new point, as a draft, in one of the caller's kelurahan."""
    point = payload.parse_feature(await _json(request, FEATURE_TYPES))
    written = await edit.run(
        lambda c: editing.create(c, edit.layer, edit.user, point, allow_duplicate=allow_duplicate)
    )
    return _answer(request, written, 201)


@router.put(
    ITEM,
    summary="Replace a point (If-Match required)",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}}},
    openapi_extra={"requestBody": {"content": {GEOJSON: {}}, "required": True}},
)
async def replace_item(
    feature_id: str, request: Request, edit: EditDep, allow_duplicate: AllowDuplicate = False
) -> Response:
    """New position and attributes; the point becomes a draft again."""
    version = _if_match(request)
    point = payload.parse_feature(await _json(request, FEATURE_TYPES))
    written = await edit.run(
        lambda c: editing.replace(
            c, edit.layer, edit.user, feature_id, version, point, allow_duplicate=allow_duplicate
        )
    )
    return _answer(request, written)


@router.patch(
    ITEM,
    summary="Change a point with a JSON merge patch (If-Match required)",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}}},
    openapi_extra={
        "requestBody": {"content": {"application/merge-patch+json": {}}, "required": True}
    },
)
async def patch_item(
    feature_id: str, request: Request, edit: EditDep, allow_duplicate: AllowDuplicate = False
) -> Response:
    """RFC 7396: ``{"properties": {"rw": 3}}`` changes one attribute, ``null`` clears one."""
    version = _if_match(request)
    changes = await _json(request, PATCH_TYPES)
    written = await edit.run(
        lambda c: editing.patch(
            c, edit.layer, edit.user, feature_id, version, changes, allow_duplicate=allow_duplicate
        )
    )
    return _answer(request, written)


@router.delete(ITEM, summary="Delete a point (If-Match required)", status_code=204)
async def delete_item(feature_id: str, request: Request, edit: EditDep) -> Response:
    """Soft delete: the point leaves every view; an admin can restore it."""
    version = _if_match(request)
    written = await edit.run(
        lambda c: editing.delete(c, edit.layer, edit.user, feature_id, version)
    )
    return _answer(request, written)


def _step_route(step: str, summary: str) -> None:
    async def handler(feature_id: str, request: Request, edit: EditDep) -> Response:
        version = _if_match(request)
        reason = None
        if step == "reject":
            reason = payload.reason_of(await _json(request, ("application/json",)))
        if step == "restore":
            action: Callable[[Connection], Written] = lambda c: editing.restore(  # noqa: E731
                c, edit.layer, edit.user, feature_id, version
            )
        else:
            action = lambda c: editing.transition(  # noqa: E731
                c, edit.layer, edit.user, feature_id, version, step, reason
            )
        written = await edit.run(action)
        return _answer(request, written)

    handler.__name__ = f"{step}_item"
    handler.__doc__ = summary
    extra: dict[str, Any] = {}
    if step == "reject":
        extra = payload.REJECTION_BODY
    router.post(
        f"{ITEM}/{step}",
        summary=summary,
        response_class=Response,
        responses={200: {"content": {GEOJSON: {}}}},
        openapi_extra=extra or None,
    )(handler)


_step_route("submit", "Submit a draft or rejected point for verification (its editors)")
_step_route("verify", "Verify a submitted point: it is published (admin)")
_step_route("reject", "Reject a submitted point with a reason (admin)")
_step_route("restore", "Restore a deleted point (admin)")


@router.get("/submissions", summary="Points waiting for verification, per kelurahan")
def get_submissions(
    user: CurrentUser,
    catalog: CatalogDep,
    conn: ConnectionDep,
    kode: Annotated[str | None, Query(description="Kemendagri code prefix, e.g. 35.71")] = None,
) -> dict[str, Any]:
    """The walidata's queue (a PIC sees their own kelurahan's); each point with the ETag its
    verify or reject needs."""
    prefix = feature_query.parse_kode(kode)
    return {"kelurahan": queues.submissions(conn, catalog, user, prefix)}


@router.get("/quality", summary="Findings of imports waiting for the walidata's review")
def get_quality(
    user: CurrentUser,
    catalog: CatalogDep,
    conn: ConnectionDep,
    kode: Annotated[str | None, Query(description="Kemendagri code prefix, e.g. 35.71")] = None,
) -> dict[str, Any]:
    """Open review items (``review_item``), oldest first: points an import loaded next to a
    stored point of similar name (admins and planners see all, a PIC their own kelurahan)."""
    prefix = feature_query.parse_kode(kode)
    return {"items": queues.review_queue(conn, catalog, user, prefix)}


@router.get(f"{ITEM}/history", summary="Every version of a point, with what changed")
def get_history(
    collection_id: str,
    feature_id: str,
    user: CurrentUser,
    catalog: CatalogDep,
    conn: ConnectionDep,
) -> dict[str, Any]:
    """Who changed what and when, oldest first (deleted points too)."""
    layer = _layer(catalog, collection_id)
    versions = history.history(conn, layer, user, feature_id)
    return {"id": int(feature_id), "collection": layer.id, "versions": versions}


def _date(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest("edit.date", value=value) from exc
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


@router.get(
    "/kelurahan/{kelurahan}/changes",
    summary="Change log of a kelurahan's points (JSON or CSV)",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "text/csv": {}}}},
)
def get_change_log(
    kelurahan: str,
    request: Request,
    user: CurrentUser,
    conn: ConnectionDep,
    lang: LanguageDep,
    locale: CsvLocaleDep,
    since: Annotated[str | None, Query(description="from this day (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, Query(description="before this day (YYYY-MM-DD)")] = None,
    f: Annotated[str | None, Query(description="json (default) or csv")] = None,
) -> Response:
    """Every version of every point of the kelurahan (and of points that left it)."""
    versions = history.change_log(conn, user, kelurahan, _date(since), _date(until))
    wants_csv = (f or "").lower() == "csv" or (
        f is None and "text/csv" in request.headers.get("accept", "")
    )
    if not wants_csv:
        body = {"kelurahan": kelurahan, "changes": versions}
        return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")
    header, rows = history.change_log_rows(versions, lang)
    name = f"perubahan_{kelurahan}.csv" if lang == "id" else f"changes_{kelurahan}.csv"
    return Response(
        exports.csv_text(header, rows, locale),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
