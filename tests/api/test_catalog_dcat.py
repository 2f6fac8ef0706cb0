"""The data catalog (issue 24) on the Kota Kediri demo: ``/catalog.jsonld`` conforms to the
DCAT-AP 3 shapes, every public layer and indicator is a dataset whose every download is fetched
and parsed, restricted datasets reach only planners and admins, and the quality score shows
what metadata is missing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pyogrio
import pytest
from fastapi.testclient import TestClient
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

from geoservice.catalog import Catalog, load_catalog
from geoservice.services.datasets.quality import MAXIMUM
from geoservice.services.datasets.records import records
from geoservice.settings import PROJECT_ROOT
from tests.api.editing_world import World
from tests.support import read_csv

#: SEMIC's official DCAT-AP 3.0.1 shapes: mandatory, recommended (warnings) and class ranges
SHAPES_DIR = Path(__file__).parent.parent / "data" / "dcat-ap-3.0.1"
SHAPES = ("shapes.ttl", "shapes_recommended.ttl", "range.ttl")
EU = "http://publications.europa.eu/resource/authority/"
SH = Namespace("http://www.w3.org/ns/shacl#")
#: the restricted indicator of the project, and restricted attributes of public layers
RESTRICTED_INDICATOR = "keluarga_desil_1"
RESTRICTED_ATTRIBUTES = {"posyandu": "kontak", "rt": "ketua"}


@pytest.fixture(scope="module")
def jsonld(world_client: TestClient) -> Graph:
    response = world_client.get("/catalog.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    return Graph().parse(data=response.text, format="json-ld")


def _shapes() -> Graph:
    shapes = Graph()
    for name in SHAPES:
        shapes.parse(SHAPES_DIR / name, format="turtle")
    return shapes


def _datasets(graph: Graph) -> dict[str, Any]:
    return {
        str(graph.value(d, DCTERMS.identifier)): d for d in graph.subjects(RDF.type, DCAT.Dataset)
    }


def test_the_catalog_conforms_to_the_dcat_ap_3_shapes(
    jsonld: Graph, world_client: TestClient
) -> None:
    conforms, results, text = validate(jsonld, shacl_graph=_shapes(), inference="none")
    assert conforms, text
    # not even a warning about a recommended property
    assert not list(results.subjects(RDF.type, SH.ValidationResult)), text
    # the Turtle is the same graph
    turtle = Graph().parse(data=world_client.get("/catalog.ttl").text, format="turtle")
    assert len(turtle) == len(jsonld)
    assert set(_datasets(turtle)) == set(_datasets(jsonld))


def test_the_shapes_catch_a_dataset_without_title(jsonld: Graph) -> None:
    """The shapes are not vacuous: the graph without one dataset's title does not conform."""
    broken = Graph()
    for triple in jsonld:
        broken.add(triple)
    dataset = _datasets(jsonld)["layer-posyandu"]
    broken.remove((dataset, DCTERMS.title, None))
    conforms, _, text = validate(broken, shacl_graph=_shapes(), inference="none")
    assert not conforms and "title" in text


def test_every_public_layer_and_indicator_is_a_dataset(jsonld: Graph, catalog: Catalog) -> None:
    found = _datasets(jsonld)
    expected = {f"layer-{layer.id}" for layer in catalog}
    expected |= {
        f"indicator-{i.code}" for i in catalog.indicators.values() if i.visibility == "public"
    }
    expected |= {f"boundary-{b}" for b in ("provinsi", "kabkota", "kecamatan", "kelurahan")}
    expected |= {f"profile-{p}" for p in catalog.profiles}
    expected |= {f"raster-{r.id}" for r in catalog.rasters.values() if r.visibility == "public"}
    assert set(found) == expected
    posyandu = found["layer-posyandu"]
    values = {p: set(jsonld.objects(posyandu, p)) for p in (DCTERMS.accrualPeriodicity, DCAT.theme,
                                                           DCTERMS.license)}  # fmt: skip
    assert {str(v) for v in values[DCTERMS.accrualPeriodicity]} == {EU + "frequency/UPDATE_CONT"}
    assert {str(v) for v in values[DCAT.theme]} == {EU + "data-theme/HEAL"}
    assert {str(v) for v in values[DCTERMS.license]} == {EU + "licence/CC_BY_4_0"}
    for dataset in found.values():
        for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.contactPoint,
                     DCTERMS.accrualPeriodicity, DCTERMS.spatial, DCTERMS.temporal, DCAT.theme,
                     DCAT.keyword, DCAT.distribution, DCTERMS.license):  # fmt: skip
            assert jsonld.value(dataset, prop) is not None, (dataset, prop)
    # the time covered: the demo's indicator periods 2024 and 2025; the boundaries' periode
    covered = [
        ("indicator-penduduk", "2024-01-01", "2025-12-31"),
        ("boundary-kelurahan", "2025-01-01", "2025-12-31"),
    ]
    for identifier, first, last in covered:
        period = jsonld.value(found[identifier], DCTERMS.temporal)
        assert str(jsonld.value(period, DCAT.startDate)) == first
        assert str(jsonld.value(period, DCAT.endDate)) == last
    # the spatial extent is the demo's: Kota Kediri lies around 112.0 E, 7.8 S
    spatial = jsonld.value(found["boundary-kelurahan"], DCTERMS.spatial)
    bbox = str(jsonld.value(spatial, DCAT.bbox))
    assert bbox.startswith("POLYGON((111.9") and "-7.8" in bbox


def _parse(fmt: str, content: bytes, tmp_path: Path) -> tuple[list[str], int]:
    """The columns and the rows of a download."""
    if fmt == "geojson":
        body = json.loads(content)
        assert body["type"] == "FeatureCollection"
        columns = {k for f in body["features"] for k in f["properties"]}
        return sorted(columns), len(body["features"])
    if fmt == "csv":
        rows = read_csv(content)
        return list(rows[0]) if rows else [], len(rows)
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        table = list(sheet.iter_rows(values_only=True))
        return [str(c) for c in table[0]], len(table) - 1
    assert fmt == "gpkg"
    path = tmp_path / "download.gpkg"
    path.write_bytes(content)
    info = pyogrio.read_info(path)
    return list(info["fields"]), int(info["features"])


def test_every_distribution_is_reachable_and_parses(
    jsonld: Graph, world_client: TestClient, tmp_path: Path, catalog: Catalog
) -> None:
    # the sample rasters are not imported in this world (tests/api/test_rasters.py serves them
    # and the indicators they fill)
    from_rasters = {f"raster-{r.id}" for r in catalog.rasters.values()}
    from_rasters |= {f"indicator-{i.code}" for r in catalog.rasters.values() for i in r.indicators}
    checked = 0
    for identifier, dataset in _datasets(jsonld).items():
        if identifier in from_rasters:
            continue
        for dist in jsonld.objects(dataset, DCAT.distribution):
            access = str(jsonld.value(dist, DCAT.accessURL))
            download = jsonld.value(dist, DCAT.downloadURL)
            fmt = str(dist).rsplit("#", 1)[1]
            if download is None:  # a service: the API or the TileJSON answers JSON
                response = world_client.get(access)
                assert response.status_code == 200, access
                assert response.json()
                continue
            response = world_client.get(str(download))
            assert response.status_code == 200, download
            media = str(jsonld.value(dist, DCAT.mediaType)).rsplit("media-types/", 1)[1]
            assert response.headers["content-type"].startswith(media), (download, media)
            columns, rows = _parse(fmt, response.content, tmp_path)
            assert rows > 0, download
            assert RESTRICTED_INDICATOR not in columns, download
            layer = identifier.removeprefix("layer-")
            if layer in RESTRICTED_ATTRIBUTES:
                assert RESTRICTED_ATTRIBUTES[layer] not in columns, download
            checked += 1
    # 4 boundary levels and 4 layers x 4 files, 3 indicators x 4, 1 profile form x 2
    assert checked == 8 * 4 + 3 * 4 + 2


@pytest.mark.parametrize("role", ["anonymous", "pic_own", "planner", "admin"])
def test_restricted_datasets_only_for_planners_and_admins(
    world: World, world_client: TestClient, role: str
) -> None:
    headers = world.headers(role)
    sees = role in ("planner", "admin")
    listed = {d["id"] for d in world_client.get("/datasets", headers=headers).json()["datasets"]}
    assert (f"indicator-{RESTRICTED_INDICATOR}" in listed) == sees
    one = world_client.get(f"/datasets/indicator-{RESTRICTED_INDICATOR}", headers=headers)
    assert one.status_code == (200 if sees else 404)
    page = world_client.get(f"/katalog/indicator-{RESTRICTED_INDICATOR}", headers=headers)
    assert page.status_code == (200 if sees else 404)
    listing = world_client.get("/katalog", headers=headers).text
    assert (f"indicator-{RESTRICTED_INDICATOR}" in listing) == sees
    # the harvested catalog is the public one whoever asks
    for path in ("/catalog.jsonld", "/catalog.ttl"):
        text = world_client.get(path, headers=headers).text
        assert RESTRICTED_INDICATOR not in text and "DTSEN decile 1" not in text


def test_quality_scores_show_missing_metadata(world_client: TestClient, catalog: Catalog) -> None:
    body = world_client.get("/datasets").json()
    scores = {d["id"]: d["kualitas"] for d in body["datasets"]}
    posyandu = scores["layer-posyandu"]
    assert posyandu["maksimum"] == MAXIMUM == 500
    assert posyandu["kurang"] == [] and posyandu["persen"] == 100
    # kantor_kelurahan declares no kode_referensi, definisi, klasifikasi
    office = scores["layer-kantor_kelurahan"]
    assert {"kode_referensi", "definisi", "klasifikasi"} <= set(office["kurang"])
    assert office["skor"] == MAXIMUM - 20 - 20 - 10
    assert office["dimensi"]["contextuality"] == 100 - 20 - 10
    assert set(body["kualitas_bobot"]) == {"findability", "accessibility", "interoperability",
                                           "reusability", "contextuality"}  # fmt: skip
    assert all(sum(p for _, p in checks) == 100 for checks in body["kualitas_bobot"].values())
    # the service function the progress page reads gives the same figures
    with world_client.app.state.engine.connect() as conn:  # type: ignore[attr-defined]
        direct = {r.id: r.quality for r in records(conn, catalog, None, "/")}
    assert {k: v.points for k, v in direct.items()} == {k: v["skor"] for k, v in scores.items()}
    page = world_client.get("/katalog/layer-kantor_kelurahan").text
    assert "kode_referensi" in page and f"{round(100 * office['skor'] / MAXIMUM)}%" in page


def _monitor_rows(page: str) -> list[tuple[str, str, str]]:
    """(dataset id, percent, missing checks) of each row of /pantauan's metadata table."""
    section = page.split('id="metadata-quality"', 1)[1].split("</section>", 1)[0]
    found = []
    for row in section.split('<li data-id="')[1:]:
        percent = row.split("<strong>", 1)[1].split("%", 1)[0]
        missing = row.split("</li>", 1)[0].partition('class="missing">')[2]
        found.append((row.split('"', 1)[0], percent, missing))
    return found


@pytest.mark.parametrize("role", ["planner", "admin"])
def test_the_progress_page_shows_the_weakest_metadata_first(
    world: World, world_client: TestClient, role: str
) -> None:
    scores = {
        d["id"]: d["kualitas"]
        for d in world_client.get("/datasets", headers=world.headers(role)).json()["datasets"]
    }
    page = world_client.get("/pantauan", headers=world.headers(role))
    assert page.status_code == 200
    rows = _monitor_rows(page.text)
    # every dataset the reader may see (the restricted indicator included), weakest first
    assert {r[0] for r in rows} == set(scores)
    assert f"indicator-{RESTRICTED_INDICATOR}" in {r[0] for r in rows}
    assert [int(r[1]) for r in rows] == sorted(s["persen"] for s in scores.values())
    assert all(int(p) == scores[i]["persen"] for i, p, _ in rows)
    # what is missing is named by its title, not its key
    office = next(r for r in rows if r[0] == "layer-kantor_kelurahan")
    for title in ("Kode referensi", "Definisi", "Klasifikasi"):
        assert f">{title}</span>" in office[2]
    complete = next(r for r in rows if r[0] == "layer-posyandu")
    assert complete[1] == "100" and complete[2] == ""
    english = world_client.get("/pantauan?lang=en", headers=world.headers(role)).text
    assert ">Reference code</span>" in english and "Metadata quality" in english


@pytest.mark.parametrize("role", ["anonymous", "pic_own"])
def test_the_public_monitor_has_no_metadata_table(
    world: World, world_client: TestClient, role: str
) -> None:
    public = world_client.get("/pantauan/publik", headers=world.headers(role)).text
    assert 'id="metadata-quality"' not in public and RESTRICTED_INDICATOR not in public
    refused = world_client.get("/pantauan", headers=world.headers(role), follow_redirects=False)
    assert refused.status_code in (303, 403) and RESTRICTED_INDICATOR not in refused.text


def test_the_catalogue_describes_itself_its_service_and_its_vocabularies(jsonld: Graph) -> None:
    """What the recommended shapes ask, with the values a harvester shows: the catalogue's
    issue date, licence and area; the OGC API with the datasets it serves; the labels of the
    EU themes and of the publisher and licence types."""
    catalog = next(jsonld.subjects(RDF.type, DCAT.Catalog))
    assert str(jsonld.value(catalog, DCTERMS.issued)) == "2026-12-01"
    assert str(jsonld.value(catalog, DCTERMS.license)) == EU + "licence/CC_BY_4_0"
    area = jsonld.value(catalog, DCTERMS.spatial)
    assert str(jsonld.value(area, SKOS.prefLabel)) == "Kota Kediri"
    assert str(jsonld.value(area, DCAT.centroid)).startswith("POINT(112.0")
    service = next(jsonld.subjects(RDF.type, DCAT.DataService))
    served = {
        str(d).split("/katalog/")[1].removesuffix("#dataset")
        for d in jsonld.objects(service, DCAT.servesDataset)
    }
    assert {"layer-posyandu", "boundary-kelurahan"} <= served
    assert not any(d.startswith("indicator-") for d in served)  # no OGC API of their own
    health = URIRef(EU + "data-theme/HEAL")
    labels = {str(label) for label in jsonld.objects(health, SKOS.prefLabel)}
    assert labels == {"Kesehatan", "Health"}
    agents = {str(jsonld.value(a, FOAF.name)): str(jsonld.value(a, DCTERMS.type))
              for a in jsonld.subjects(RDF.type, FOAF.Agent)}  # fmt: skip
    assert agents["Badan Pusat Statistik"].endswith("publishertype/NationalAuthority")
    assert agents["Dinas Kesehatan Kota Kediri"].endswith("publishertype/LocalAuthority")


def test_the_kept_catalogue_follows_the_address_and_the_catalog(world_client: TestClient) -> None:
    """The serialized catalogue is kept per base URL and per catalog: another address gets its
    own URLs, and a catalog without a layer (a reload) drops it at once."""
    from dataclasses import replace

    here = world_client.get("/catalog.jsonld").text
    assert "http://testserver/katalog/layer-posyandu" in here
    other = world_client.get("http://127.0.0.1/catalog.jsonld").text
    assert "http://127.0.0.1/katalog/layer-posyandu" in other and "testserver" not in other
    state = world_client.app.state  # type: ignore[attr-defined]
    kept, files = state.catalog, getattr(state, "catalog_files", None)
    state.catalog_files = None
    state.catalog = replace(kept, layers={k: v for k, v in kept.layers.items() if k != "posyandu"})
    try:
        for path in ("/catalog.jsonld", "/catalog.ttl"):
            assert "layer-posyandu" not in world_client.get(path).text
    finally:
        state.catalog, state.catalog_files = kept, files
    assert world_client.get("/catalog.jsonld").text == here
    # the OGC API is listed by the catalogue itself, not only through its distributions
    graph = Graph().parse(data=here, format="json-ld")
    root = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert str(graph.value(root, DCAT.service)) == "http://testserver/#ogcapi"


def test_a_harvester_polling_gets_304_until_something_changes(world_client: TestClient) -> None:
    first = world_client.get("/catalog.jsonld")
    tag = first.headers["etag"]
    again = world_client.get("/catalog.jsonld", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["etag"] == tag
    assert first.headers["cache-control"] == "public, max-age=60"


def test_landing_page_links_the_catalog(world_client: TestClient) -> None:
    links = world_client.get("/").json()["links"]
    described = {link["type"]: link["href"] for link in links if link["rel"] == "describedby"}
    assert described["application/ld+json"].endswith("/catalog.jsonld")
    assert described["text/turtle"].endswith("/catalog.ttl")


def test_katalog_searches_by_word_theme_opd_and_area(world_client: TestClient) -> None:
    def ids(**params: str) -> set[str]:
        text = world_client.get("/katalog", params=params).text
        return {part.split('"', 1)[0] for part in text.split('data-id="')[1:]}

    assert ids(q="posyandu") == {"layer-posyandu", "indicator-balita_stunting"}
    assert ids(q="Posyandu KADER") == {"layer-posyandu"}  # every word, any case
    assert ids(tema="kesehatan") == {"layer-posyandu", "indicator-balita_stunting"}
    assert ids(opd="Dinas Sosial Kota Kediri") == {"indicator-persen_miskin"}
    everything = {d["id"] for d in world_client.get("/datasets").json()["datasets"]}
    assert ids(wilayah="35.71") == everything and ids(wilayah="31") == set()
    assert ids(q="tidak ada kata seperti ini") == set()


# metadata validation: a missing required key names the file and the key


def _copy_layers(tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", target)
    return target


def test_a_missing_required_key_names_the_file_and_the_key(tmp_path: Path) -> None:
    from geoservice.catalog import CatalogError

    layers = _copy_layers(tmp_path)
    path = layers / "posyandu.yaml"
    path.write_text(path.read_text().replace("  tema: [kesehatan]\n", ""))
    with pytest.raises(CatalogError) as err:
        load_catalog(layers)
    assert f"{path}: metadata.tema: required key is missing" in str(err.value)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("posyandu.yaml", "  frekuensi: terus_menerus\n", "  frekuensi: kadang\n",
         "posyandu.yaml: metadata.frekuensi: Input should be"),
        ("posyandu.yaml", "  tema: [kesehatan]\n", "  tema: [kesehatan]\n  warna: merah\n",
         "posyandu.yaml: metadata.warna: unknown key"),
        ("indicators/keluarga_desil_1.yaml", "  sifat: terbatas\n", "  sifat: terbuka\n",
         "keluarga_desil_1.yaml: metadata.sifat: 'terbuka' for a restricted indicator"),
        ("catalog.yaml", "  lisensi: CC-BY-4.0\n", "  lisensi: bebas\n",
         "catalog.yaml: defaults.lisensi: Value error, 'bebas' is neither a licence URI"),
        ("catalog.yaml", '  cakupan_wilayah: "35.71"\n', "",
         "catalog.yaml: boundaries.provinsi.cakupan_wilayah: required key is missing"),
        ("catalog.yaml", "tingkat: pusat}", "tingkat: provinsi}",
         "catalog.yaml: kind_defaults.statistik.pembina_data.tingkat: Input should be"),
        ("catalog.yaml", "  diterbitkan: 2026-12-01\n", "  diterbitkan: kemarin\n",
         "catalog.yaml: catalog.diterbitkan: Input should be a valid date"),
    ],
)  # fmt: skip
def test_metadata_mistakes_are_refused(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    from geoservice.catalog import CatalogError

    layers = _copy_layers(tmp_path)
    path = layers / file
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(CatalogError) as err:
        load_catalog(layers)
    assert message in str(err.value)


def test_validate_layers_names_the_missing_key(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from geoservice.cli import app

    layers = _copy_layers(tmp_path)
    path = layers / "rt.yaml"
    path.write_text(
        path.read_text().replace("  produsen_data: {nama: Bagian", "  konsep2: {nama: B")
    )
    good = CliRunner().invoke(app, ["validate-layers", str(PROJECT_ROOT / "layers")])
    assert (
        good.exit_code == 0 and "18 dataset(s) with complete metadata (17 terbuka)" in good.output
    )
    result = CliRunner().invoke(app, ["validate-layers", str(layers)])
    assert result.exit_code == 1
    assert "rt.yaml: metadata.konsep2: unknown key" in result.output


def test_sifat_decides_who_sees_a_dataset(tmp_path: Path) -> None:
    """terbuka: everyone; terbatas: planners and admins; tertutup: admins only."""
    from geoservice.services.auth import Principal
    from geoservice.services.datasets.metadata import datasets, may_see

    layers = _copy_layers(tmp_path)
    path = layers / "pos_kamling.yaml"
    path.write_text(
        path.read_text().replace("  tema: [keamanan]\n", "  tema: [keamanan]\n  sifat: tertutup\n")
    )
    catalog = load_catalog(layers)
    found = {d.id: d for d in datasets(catalog)}
    people = {
        "anonymous": None,
        "pic": Principal(1, "pic", "pic", frozenset({"35.71.01.1001"})),
        "planner": Principal(2, "perencana", "planner", frozenset()),
        "admin": Principal(3, "admin", "admin", frozenset()),
    }
    seen = {
        who: {i for i in ("layer-pos_kamling", "indicator-keluarga_desil_1", "layer-rt")
              if may_see(found[i], principal)}
        for who, principal in people.items()
    }  # fmt: skip
    assert seen == {
        "anonymous": {"layer-rt"},
        "pic": {"layer-rt"},
        "planner": {"layer-rt", "indicator-keluarga_desil_1"},
        "admin": {"layer-rt", "indicator-keluarga_desil_1", "layer-pos_kamling"},
    }


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [("2025", "2025-01-01", "2025-12-31"), ("2024-S2", "2024-07-01", "2024-12-31"),
     ("2024-Q1", "2024-01-01", "2024-03-31"), ("2024-02", "2024-02-01", "2024-02-29")],
)  # fmt: skip
def test_period_bounds(period: str, first: str, last: str) -> None:
    from geoservice.services.datasets.computed import period_bounds

    assert [d.isoformat() for d in period_bounds(period)] == [first, last]


def test_a_raster_is_a_dataset_by_the_same_model(catalog: Catalog) -> None:
    """Rasters join the registry separately (``catalog.rasters``); their ``metadata`` mapping is
    merged and checked like every other dataset's."""
    from dataclasses import replace
    from types import SimpleNamespace

    from geoservice.catalog import LocalizedText
    from geoservice.services.datasets.metadata import check_metadata, datasets

    block = {"produsen_data": {"nama": "Bappeda"}, "frekuensi": "tahunan", "tema": ["sosial"],
             "deskripsi": {"id": "Grid penduduk 100 m (contoh)"}}  # fmt: skip
    raster = SimpleNamespace(id="penduduk_grid", title=LocalizedText(id="Grid penduduk"),
                             visibility="public", metadata=block, sample=True)  # fmt: skip
    world = replace(catalog, rasters={"penduduk_grid": raster})
    found = {d.id: d for d in datasets(world)}["raster-penduduk_grid"]
    assert found.metadata.tingkat_penyajian == "grid" and found.sample
    assert found.metadata.walidata is not None and found.metadata.pembina_data is not None
    assert found.metadata.pembina_data.singkatan == "BIG"  # geospatial data
    assert check_metadata(world, Path("layers")) == []
    del block["tema"]
    assert check_metadata(world, Path("layers")) == [
        "layers/rasters/penduduk_grid.yaml: metadata.tema: required key is missing (set it "
        "here, or as a default in layers/catalog.yaml)"
    ]
