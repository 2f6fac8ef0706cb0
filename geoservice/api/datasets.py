"""The data catalog over HTTP: ``/datasets`` (JSON, with the quality score), the DCAT-AP 3
catalog of the public datasets (``/catalog.jsonld``, ``/catalog.ttl``) that CKAN harvests, and
the pages ``/katalog`` and ``/katalog/{id}``. Who sees which dataset is decided in
:mod:`geoservice.services.datasets.metadata` (``may_see``); the DCAT files are the public view
whoever asks, so a harvester with a token never copies restricted datasets out."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection

from geoservice.catalog import Catalog
from geoservice.catalog.metadata import FREQUENCIES, THEMES
from geoservice.deps import (
    CatalogDep,
    ConnectionDep,
    DatasetFiguresDep,
    LanguageDep,
    PrincipalDep,
)
from geoservice.i18n import Language
from geoservice.i18n.datasets import CATALOG_LABELS
from geoservice.services.datasets import dcat
from geoservice.services.datasets.computed import AllFigures
from geoservice.services.datasets.preview import preview_geojson
from geoservice.services.datasets.quality import MAXIMUM, WEIGHTS
from geoservice.services.datasets.records import Record, record, records
from geoservice.services.tiles import etag
from geoservice.web import html
from geoservice.web.conditional import etag_response, viewer_cache_headers

router = APIRouter(tags=["catalog"])

JSONLD = "application/ld+json"
TURTLE = "text/turtle"


@router.get("/datasets", summary="Every dataset you may see, with metadata and quality score")
def list_datasets(
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    principal: PrincipalDep,
    figures: DatasetFiguresDep,
) -> Response:
    """The Satu Data metadata of each dataset (merged with the city's defaults), what the
    database says (count, last change, bbox, time covered), its distributions and the metadata
    quality score; restricted datasets for planners and admins only."""
    base = str(request.base_url)
    found = records(conn, catalog, principal, base, figures)
    body = {
        "datasets": [r.as_json(base) for r in found],
        "kualitas_bobot": WEIGHTS,
        "links": [
            {"rel": "describedby", "type": JSONLD, "href": f"{base}catalog.jsonld"},
            {"rel": "alternate", "type": "text/html", "href": f"{base}katalog"},
        ],
    }
    return _json(body, principal is None)


@router.get("/datasets/{dataset_id}", summary="One dataset's metadata and quality score")
def get_dataset(
    dataset_id: str,
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    principal: PrincipalDep,
    figures: DatasetFiguresDep,
) -> Response:
    """404 for an unknown dataset and for a restricted one you may not see."""
    base = str(request.base_url)
    found = record(conn, catalog, principal, base, dataset_id, figures)
    return _json(found.as_json(base), principal is None)


def _json(body: dict[str, Any], anonymous: bool) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False),
        media_type="application/json",
        headers=viewer_cache_headers(anonymous),
    )


def _public_catalog(
    request: Request, conn: Connection, catalog: Catalog, figures: AllFigures, syntax: str
) -> str:
    """The public catalogue serialized as ``syntax`` (``json-ld`` or ``turtle``), kept with the
    figures it was built from: rdflib needs tens of milliseconds to build and write the graph,
    which changes only when the figures (every 30 s at most) or the catalog do."""
    base = str(request.base_url)
    state = request.app.state
    kept = getattr(state, "public_catalog", None)
    if kept is None or kept[0] is not figures or kept[1] is not catalog or kept[2] != base:
        shown = records(conn, catalog, None, base, figures)
        kept = (figures, catalog, base, dcat.catalog_graph(shown, catalog.metadata, base), {})
        state.public_catalog = kept
    texts: dict[str, str] = kept[4]
    if syntax not in texts:
        graph = kept[3]
        texts[syntax] = dcat.to_jsonld(graph) if syntax == "json-ld" else dcat.to_turtle(graph)
    return texts[syntax]


@router.get(
    "/catalog.jsonld",
    summary="DCAT-AP 3 catalog of the public datasets (JSON-LD)",
    response_class=Response,
    responses={200: {"content": {JSONLD: {}}}},
)
def catalog_jsonld(
    request: Request, conn: ConnectionDep, catalog: CatalogDep, figures: DatasetFiguresDep
) -> Response:
    """What open-data portals harvest (CKAN ckanext-dcat reads JSON-LD with rdflib)."""
    text = _public_catalog(request, conn, catalog, figures, "json-ld")
    return _conditional(request, text, JSONLD)


@router.get(
    "/catalog.ttl",
    summary="DCAT-AP 3 catalog of the public datasets (Turtle)",
    response_class=Response,
    responses={200: {"content": {TURTLE: {}}}},
)
def catalog_turtle(
    request: Request, conn: ConnectionDep, catalog: CatalogDep, figures: DatasetFiguresDep
) -> Response:
    """The same graph as ``/catalog.jsonld``, in Turtle."""
    text = _public_catalog(request, conn, catalog, figures, "turtle")
    return _conditional(request, text, f"{TURTLE}; charset=utf-8")


def _conditional(request: Request, text: str, media_type: str) -> Response:
    """The public catalog with an ETag of its bytes: a harvester polling it gets 304 until a
    dataset changes."""
    body = text.encode("utf-8")
    headers = {**viewer_cache_headers(True), "ETag": etag(body)}
    return etag_response(request, body, media_type, headers)


def _labels(lang: Language) -> dict[str, str]:
    return {key: text[lang] for key, text in CATALOG_LABELS.items()}


def _matches(item: Record, q: str, tema: str, opd: str, wilayah: str) -> bool:
    meta = item.dataset.metadata
    if tema and tema not in (meta.tema or []):
        return False
    if opd and (meta.produsen_data is None or meta.produsen_data.nama != opd):
        return False
    if wilayah and not (meta.cakupan_wilayah or "").startswith(wilayah):
        return False
    if q:
        words = [
            item.dataset.id,
            *(t.id + " " + (t.en or "") for t in (meta.judul, meta.deskripsi, meta.konsep,
                                                  meta.definisi) if t is not None),
            *(meta.kata_kunci or []),
            meta.produsen_data.nama if meta.produsen_data else "",
        ]  # fmt: skip
        haystack = " ".join(words).casefold()
        return all(word in haystack for word in q.casefold().split())
    return True


Text = Annotated[str, Query(max_length=100)]


@router.get("/katalog", include_in_schema=False, response_class=HTMLResponse)
def catalog_page(
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    principal: PrincipalDep,
    lang: LanguageDep,
    figures: DatasetFiguresDep,
    q: Text = "",
    tema: Text = "",
    opd: Text = "",
    wilayah: Text = "",
) -> HTMLResponse:
    """Search the catalog by word, theme, OPD and area (a GET form: works without script)."""
    base = str(request.base_url)
    every = records(conn, catalog, principal, base, figures)
    shown = [r for r in every if _matches(r, q.strip(), tema, opd, wilayah)]
    opds = sorted({r.dataset.metadata.produsen_data.nama for r in every
                   if r.dataset.metadata.produsen_data})  # fmt: skip
    areas = sorted({(r.dataset.metadata.cakupan_wilayah, r.area_name) for r in every
                    if r.dataset.metadata.cakupan_wilayah}, key=lambda a: a[0] or "")  # fmt: skip
    context = {
        "k": _labels(lang),
        "items": shown,
        "total": len(every),
        "query": {"q": q, "tema": tema, "opd": opd, "wilayah": wilayah},
        "themes": [(key, label[lang]) for key, (_, label) in THEMES.items()],
        "opds": opds,
        "areas": areas,
        "maximum": MAXIMUM,
        "json_url": f"{base}datasets",
    }
    response = html.page(request, "katalog.html", lang, _labels(lang)["cat.title"], context)
    response.headers.setdefault("Cache-Control", "no-cache")
    return response


@router.get("/katalog/{dataset_id}", include_in_schema=False, response_class=HTMLResponse)
def dataset_page(
    dataset_id: str,
    request: Request,
    conn: ConnectionDep,
    catalog: CatalogDep,
    principal: PrincipalDep,
    lang: LanguageDep,
    figures: DatasetFiguresDep,
) -> HTMLResponse:
    """One dataset: its metadata, a preview map of its extent, downloads, API and tile links,
    and what its metadata still lacks."""
    base = str(request.base_url)
    found = record(conn, catalog, principal, base, dataset_id, figures)
    labels = _labels(lang)
    context = {
        "k": labels,
        "item": found,
        "meta": found.dataset.metadata,
        "fields": _fields(found, lang),
        "themes": {key: label[lang] for key, (_, label) in THEMES.items()},
        "maximum": MAXIMUM,
        "weights": WEIGHTS,
        "json_url": f"{base}datasets/{found.id}",
    }
    name = None
    if found.dataset.kind == "layer":
        layer = catalog.layers[found.dataset.key]
        if layer.attributes[layer.name_attribute].visibility == "public":
            name = layer.name_attribute
    shapes = preview_geojson(conn, found.dataset, name)
    title = found.dataset.title(lang)
    response = html.page(request, "dataset.html", lang, title, context, geojson=shapes)
    response.headers.setdefault("Cache-Control", "no-cache")
    return response


def _fields(item: Record, lang: Language) -> list[tuple[str, str]]:
    """(label, text) of every metadata field that is set, in the issue's order."""
    meta = item.dataset.metadata
    labels = _labels(lang)
    rows: list[tuple[str, str]] = []

    def add(name: str, text: str | None) -> None:
        if text:
            rows.append((labels[f"field.{name}"], text))

    add("deskripsi", meta.deskripsi.get(lang) if meta.deskripsi else None)
    for role in ("produsen_data", "walidata", "pembina_data"):
        org = getattr(meta, role)
        add(role, f"{org.nama} ({org.singkatan})" if org and org.singkatan else org and org.nama)
    add("kode_referensi", meta.kode_referensi)
    for name in ("konsep", "definisi", "satuan", "klasifikasi"):
        text = getattr(meta, name)
        add(name, text.get(lang) if text else None)
    add("frekuensi", meta.frekuensi.replace("_", " ") if meta.frekuensi else None)
    if meta.frekuensi:
        rows[-1] = (rows[-1][0], f"{rows[-1][1]} ({FREQUENCIES[meta.frekuensi]})")
    area = meta.cakupan_wilayah
    add("cakupan_wilayah", f"{item.area_name} ({area})" if item.area_name else area)
    add("tingkat_penyajian", meta.tingkat_penyajian)
    add("periode", meta.periode)
    add("lisensi", f"{meta.lisensi} – {meta.licence_uri()}" if meta.lisensi else None)
    if meta.kontak:
        add("kontak", f"{meta.kontak.nama} <{meta.kontak.email}>")
    add("sifat", item.dataset.sifat)
    add("kata_kunci", ", ".join(meta.kata_kunci or []))
    return rows
