"""The DCAT-AP 3 catalog of the public datasets, as an rdflib graph serialized to JSON-LD
(``/catalog.jsonld``, what CKAN's ckanext-dcat harvests) and Turtle (``/catalog.ttl``).

Each dataset has the properties DCAT-AP 3 makes mandatory or recommended (title, description,
contact point, distributions, keywords, publisher, spatial and temporal coverage, themes) plus
licence, access rights, frequency and last change; the Satu Data roles map to ``dct:creator``
(produsen data), ``dct:publisher`` (walidata) and a ``prov:qualifiedAttribution`` (pembina
data). Every node a property points to is typed with the class DCAT-AP names for it, so the
SHACL shapes can check the ranges.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, SKOS, XSD

from geoservice.catalog.metadata import (
    ADMS_LICENCE,
    ADMS_PUBLISHER,
    EU,
    LICENCE_TYPES,
    PUBLISHER_TYPES,
    THEMES,
    Contact,
    Organisation,
)
from geoservice.services.datasets.distributions import IANA, Distribution
from geoservice.services.datasets.records import Box, Record, frequency_uri, theme_uri

if TYPE_CHECKING:
    from geoservice.catalog.metadata import CatalogFile
    from geoservice.catalog.text import LocalizedText

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
#: every distribution is served live by this service: EU planned availability "stable"
STABLE = (EU + "planned-availability/STABLE", {"id": "Stabil", "en": "Stable"})
THEME_SCHEME = EU + "data-theme"
DISTRIBUTION_DESCRIPTION = {
    "id": "{title} dalam format {format}, diambil langsung dari layanan ini.",
    "en": "{title} as {format}, served live by this service.",
}
#: the roles of a ``prov:qualifiedAttribution`` (ISO 19115 CI_RoleCode)
ROLE = Namespace("http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/")
SAMPLE_NOTE = {
    "id": "CONTOH: data ini dibuat untuk demonstrasi, bukan data resmi.",
    "en": "SAMPLE: this data was generated for a demonstration; it is not official data.",
}
ACCESS = {"terbuka": "PUBLIC", "terbatas": "RESTRICTED", "tertutup": "NON_PUBLIC"}

#: the JSON-LD context of ``/catalog.jsonld`` (prefixes only: every term stays a full IRI)
CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "locn": str(LOCN),
    "adms": str(ADMS),
    "dcatap": str(DCATAP),
    "xsd": str(XSD),
}


def _text(graph: Graph, node: URIRef | BNode, prop: URIRef, text: LocalizedText | None) -> None:
    if text is None:
        return
    graph.add((node, prop, Literal(text.id, lang="id")))
    if text.en:
        graph.add((node, prop, Literal(text.en, lang="en")))


def _node(*parts: str) -> BNode:
    """A blank node with a label made of ``parts``: the same catalog serializes to the same
    bytes (its ETag holds), and one agent is one node wherever it appears."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).hexdigest()
    return BNode(f"{parts[0]}{digest}")


def _agent(graph: Graph, org: Organisation) -> BNode:
    # the level is part of the name: one organisation declared at two levels is two agents,
    # each with one dct:type, not one agent with two
    node = _node("agent", org.nama, org.url or "", org.tingkat)
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, RDF.type, FOAF.Organization))
    graph.add((node, FOAF.name, Literal(org.nama, lang="id")))
    if org.url:
        graph.add((node, FOAF.homepage, URIRef(org.url)))
    kind, label = PUBLISHER_TYPES[org.tingkat]
    graph.add((node, DCTERMS.type, _concept(graph, ADMS_PUBLISHER + kind, label)))
    return node


def _contact(graph: Graph, contact: Contact) -> BNode:
    node = _node("contact", contact.nama, contact.email, contact.telepon or "")
    graph.add((node, RDF.type, VCARD.Kind))
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, Literal(contact.nama)))
    graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{contact.email}")))
    if contact.telepon:
        graph.add((node, VCARD.hasTelephone, Literal(contact.telepon)))
    return node


def _typed(graph: Graph, uri: str, cls: URIRef) -> URIRef:
    node = URIRef(uri)
    graph.add((node, RDF.type, cls))
    return node


def _concept(graph: Graph, uri: str, label: dict[str, str], scheme: str | None = None) -> URIRef:
    """A ``skos:Concept`` of a controlled vocabulary with the label people read (the
    vocabulary itself is not part of the catalogue, so the label travels with the concept)."""
    node = _typed(graph, uri, SKOS.Concept)
    graph.add((node, SKOS.prefLabel, Literal(label["id"], lang="id")))
    graph.add((node, SKOS.prefLabel, Literal(label["en"], lang="en")))
    if scheme:
        graph.add((node, SKOS.inScheme, URIRef(scheme)))
    return node


def _licence(graph: Graph, uri: str, key: str | None) -> URIRef:
    node = _typed(graph, uri, DCTERMS.LicenseDocument)
    if key in LICENCE_TYPES:
        kind, label = LICENCE_TYPES[key]
        graph.add((node, DCTERMS.type, _concept(graph, ADMS_LICENCE + kind, label)))
    return node


def _theme(graph: Graph, theme: str) -> URIRef:
    return _concept(graph, theme_uri(theme), THEMES[theme][1], THEME_SCHEME)


def _location(
    graph: Graph, key: str, code: str | None, name: str | None, bbox: Box | None
) -> BNode:
    """A ``dct:Location``: the area's code and name, its bounding box and the box's centre."""
    place = _node("location", key)
    graph.add((place, RDF.type, DCTERMS.Location))
    if name:
        graph.add((place, SKOS.prefLabel, Literal(name, lang="id")))
    if code:
        graph.add((place, SKOS.notation, Literal(code)))
    if bbox:
        x0, y0, x1, y1 = bbox
        centre = f"POINT({round((x0 + x1) / 2, 6)} {round((y0 + y1) / 2, 6)})"
        graph.add((place, DCAT.bbox, Literal(_bbox_wkt(bbox), datatype=GSP.wktLiteral)))
        graph.add((place, DCAT.centroid, Literal(centre, datatype=GSP.wktLiteral)))
    return place


def _bbox_wkt(bbox: tuple[float, float, float, float]) -> str:
    x0, y0, x1, y1 = bbox
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def _dataset(graph: Graph, item: Record, base: str) -> URIRef:
    meta = item.dataset.metadata
    node = URIRef(f"{base}katalog/{item.id}#dataset")
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(item.id)))
    _text(graph, node, DCTERMS.title, meta.judul)
    _text(graph, node, DCTERMS.description, meta.deskripsi)
    if item.sample:
        graph.add((node, DCTERMS.description, Literal(SAMPLE_NOTE["id"], lang="id")))
        graph.add((node, DCTERMS.description, Literal(SAMPLE_NOTE["en"], lang="en")))
        graph.add((node, DCAT.keyword, Literal("contoh", lang="id")))
    graph.add((node, DCAT.landingPage, _typed(graph, f"{base}katalog/{item.id}", FOAF.Document)))
    if meta.walidata:
        graph.add((node, DCTERMS.publisher, _agent(graph, meta.walidata)))
    if meta.produsen_data:
        graph.add((node, DCTERMS.creator, _agent(graph, meta.produsen_data)))
    if meta.pembina_data:
        attribution = _node("attribution", item.id)
        graph.add((attribution, RDF.type, PROV.Attribution))
        graph.add((attribution, PROV.agent, _agent(graph, meta.pembina_data)))
        graph.add((attribution, DCAT.hadRole, _typed(graph, str(ROLE.custodian), DCAT.Role)))
        graph.add((node, PROV.qualifiedAttribution, attribution))
    if meta.kontak:
        graph.add((node, DCAT.contactPoint, _contact(graph, meta.kontak)))
    licence = meta.licence_uri()
    if licence:
        graph.add((node, DCTERMS.license, _licence(graph, licence, meta.lisensi)))
    graph.add((node, DCTERMS.accessRights,
               _typed(graph, f"{EU}access-right/{ACCESS[item.dataset.sifat]}", DCTERMS.RightsStatement)))  # fmt: skip  # noqa: E501
    frequency = frequency_uri(meta.frekuensi)
    if frequency:
        graph.add((node, DCTERMS.accrualPeriodicity, _typed(graph, frequency, DCTERMS.Frequency)))
    for theme in meta.tema or []:
        graph.add((node, DCAT.theme, _theme(graph, theme)))
    for word in meta.kata_kunci or []:
        graph.add((node, DCAT.keyword, Literal(word, lang="id")))
    if meta.kode_referensi:
        identifier = _node("identifier", item.id)
        graph.add((identifier, RDF.type, ADMS.Identifier))
        graph.add((identifier, SKOS.notation, Literal(meta.kode_referensi)))
        graph.add((node, ADMS.identifier, identifier))
    _coverage(graph, node, item)
    if item.figures.modified:
        modified = item.figures.modified.astimezone(dt.UTC).replace(microsecond=0)
        graph.add((node, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.dateTime)))
    for dist in item.distributions:
        graph.add((node, DCAT.distribution, _distribution(graph, item, dist, base, licence)))
    return node


def _coverage(graph: Graph, node: URIRef, item: Record) -> None:
    meta, figures = item.dataset.metadata, item.figures
    if meta.cakupan_wilayah or figures.bbox:
        # the data's own extent where there is data, else the area's
        bbox = figures.bbox or item.area_bbox
        place = _location(graph, item.id, meta.cakupan_wilayah, item.area_name, bbox)
        graph.add((node, DCTERMS.spatial, place))
    start, end = figures.start, figures.end
    if start is None and meta.periode:
        first, interval, last = meta.periode.partition("/")
        start = _day(first)
        end = _last_day(last if interval else first) if last != ".." else None
    if start is not None:
        period = _node("period", item.id)
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        graph.add((period, DCAT.startDate, Literal(start.isoformat(), datatype=XSD.date)))
        if end is not None:
            graph.add((period, DCAT.endDate, Literal(end.isoformat(), datatype=XSD.date)))
        graph.add((node, DCTERMS.temporal, period))


def _day(text: str) -> dt.date:
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _last_day(text: str) -> dt.date:
    """The last day of a year, month or day (``2025`` -> 2025-12-31)."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    month = parts[1] if len(parts) == 2 else 12
    return dt.date(parts[0], month, calendar.monthrange(parts[0], month)[1])


def _distribution(
    graph: Graph, item: Record, dist: Distribution, base: str, licence: str | None
) -> URIRef:
    node = URIRef(f"{base}katalog/{item.id}#{dist.key}")
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(dist.title["id"], lang="id")))
    graph.add((node, DCTERMS.title, Literal(dist.title["en"], lang="en")))
    judul = item.dataset.metadata.judul
    for lang, pattern in DISTRIBUTION_DESCRIPTION.items():
        title = (judul.get(lang) if judul else None) or item.dataset.id
        description = pattern.format(title=title, format=dist.title[lang])
        graph.add((node, DCTERMS.description, Literal(description, lang=lang)))
    graph.add((node, DCATAP.availability, _concept(graph, *STABLE)))
    graph.add((node, DCAT.accessURL, URIRef(dist.access_url)))
    if dist.download_url:
        graph.add((node, DCAT.downloadURL, URIRef(dist.download_url)))
    media = IANA + dist.media_type
    graph.add((node, DCAT.mediaType, _typed(graph, media, DCTERMS.MediaType)))
    # a file type of the EU vocabulary, else (vector tiles: it has none) the IANA media type
    file_type = dist.file_type or media
    graph.add((node, DCTERMS.format, _typed(graph, file_type, DCTERMS.MediaTypeOrExtent)))
    if licence:
        graph.add((node, DCTERMS.license, URIRef(licence)))
    if dist.service:
        service = URIRef(f"{base}#ogcapi")
        graph.add((service, DCTERMS.conformsTo, _typed(graph, dist.service, DCTERMS.Standard)))
        graph.add((service, DCAT.servesDataset, URIRef(f"{base}katalog/{item.id}#dataset")))
        graph.add((node, DCAT.accessService, service))
    return node


def _service(
    graph: Graph, catalog: URIRef, base: str, items: list[Record], city: CatalogFile | None
) -> None:
    """The OGC API (Features and Tiles) of this service, once, with what it serves."""
    service = URIRef(f"{base}#ogcapi")
    if (service, DCAT.servesDataset, None) not in graph:
        return
    graph.add((catalog, DCAT.service, service))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("OGC API geoservice", lang="id")))
    graph.add((service, DCAT.endpointURL, URIRef(base)))
    graph.add((service, DCAT.endpointDescription, URIRef(f"{base}api")))
    for word in ("OGC API", "vector tiles", "GeoJSON"):
        graph.add((service, DCAT.keyword, Literal(word, lang="en")))
    served = {str(o) for o in graph.objects(service, DCAT.servesDataset)}
    themes = {
        theme
        for item in items
        if f"{base}katalog/{item.id}#dataset" in served
        for theme in item.dataset.metadata.tema or []
    }
    for theme in sorted(themes):
        graph.add((service, DCAT.theme, _theme(graph, theme)))
    if city is not None:
        if city.defaults.walidata:
            graph.add((service, DCTERMS.publisher, _agent(graph, city.defaults.walidata)))
        if city.defaults.kontak:
            graph.add((service, DCAT.contactPoint, _contact(graph, city.defaults.kontak)))


def catalog_graph(items: list[Record], city: CatalogFile | None, base: str) -> Graph:
    """The ``dcat:Catalog`` of ``items`` (the caller passes the public ones only)."""
    graph = Graph()
    for prefix, uri in CONTEXT.items():
        graph.bind(prefix, Namespace(uri))
    node = URIRef(f"{base}katalog#catalog")
    graph.add((node, RDF.type, DCAT.Catalog))
    if city is not None:
        _text(graph, node, DCTERMS.title, city.catalog.judul)
        _text(graph, node, DCTERMS.description, city.catalog.deskripsi)
        if city.defaults.walidata:
            graph.add((node, DCTERMS.publisher, _agent(graph, city.defaults.walidata)))
        if city.catalog.diterbitkan:
            issued = city.catalog.diterbitkan.isoformat()
            graph.add((node, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
        licence = city.defaults.licence_uri()
        if licence:
            graph.add((node, DCTERMS.license, _licence(graph, licence, city.defaults.lisensi)))
        code = city.defaults.cakupan_wilayah
        if code:
            area = next((i for i in items if i.dataset.metadata.cakupan_wilayah == code), None)
            name, bbox = (area.area_name, area.area_bbox) if area else (None, None)
            graph.add((node, DCTERMS.spatial, _location(graph, "catalog", code, name, bbox)))
    else:
        graph.add((node, DCTERMS.title, Literal("geoservice", lang="id")))
        graph.add((node, DCTERMS.description, Literal("Data spasial kelurahan", lang="id")))
    graph.add((node, FOAF.homepage, _typed(graph, f"{base}katalog", FOAF.Document)))
    for lang in ("IND", "ENG"):
        language = _typed(graph, f"{EU}language/{lang}", DCTERMS.LinguisticSystem)
        graph.add((node, DCTERMS.language, language))
    scheme = _typed(graph, THEME_SCHEME, SKOS.ConceptScheme)
    graph.add((scheme, DCTERMS.title, Literal("Data theme", lang="en")))
    graph.add((node, DCAT.themeTaxonomy, scheme))
    for item in items:
        graph.add((node, DCAT.dataset, _dataset(graph, item, base)))
    _service(graph, node, base, items, city)
    modified = [i.figures.modified for i in items if i.figures.modified]
    if modified:
        last = max(modified).astimezone(dt.UTC).replace(microsecond=0)
        graph.add((node, DCTERMS.modified, Literal(last.isoformat(), datatype=XSD.dateTime)))
    return graph


def to_jsonld(graph: Graph) -> str:
    """JSON-LD with the prefixes as its context."""
    return graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True)


def to_turtle(graph: Graph) -> str:
    """Turtle."""
    return graph.serialize(format="turtle")
