"""Layer YAML files: the project's layers load; mistakes give precise messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from geoservice.catalog import Catalog, CatalogError, load_catalog
from geoservice.cli import app
from geoservice.settings import PROJECT_ROOT

GOOD = """\
id: sekolah
title: {id: Sekolah, en: School}
name_attribute: nama
attributes:
  nama: {title: {id: Nama}, type: string, required: true}
"""


#: what a new file of the project's layers folder must add to the city's defaults (catalog.yaml)
METADATA = (
    "metadata:\n  deskripsi: {id: Contoh}\n  produsen_data: {nama: Dinas Uji}\n"
    "  frekuensi: tahunan\n  tema: [sosial]\n"
)


def test_project_layers(catalog: Catalog) -> None:
    assert list(catalog.layers) == ["kantor_kelurahan", "pos_kamling", "posyandu", "rt"]
    posyandu = catalog.layers["posyandu"]
    assert posyandu.attributes["strata"].enum == ["Pratama", "Madya", "Purnama", "Mandiri"]
    rt = catalog.layers["rt"]
    assert rt.unique_within_kelurahan == ["rw", "rt"]
    assert rt.attributes["rt"].required and rt.attributes["rw"].type == "integer"
    assert all(layer.title.id and layer.title.en for layer in catalog)
    assert catalog.layers["kantor_kelurahan"].max_per_kelurahan == 1


def test_a_new_layer_is_only_a_yaml_file(tmp_path: Path) -> None:
    (tmp_path / "sekolah.yaml").write_text(GOOD)
    assert load_catalog(tmp_path).layers["sekolah"].title.get("en") == "School"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (GOOD.replace("type: string", "type: text"), "attributes.nama.type: Input should be"),
        (GOOD + "colour: red\n", "colour: unknown key (check its spelling)"),
        (
            GOOD.replace("name_attribute: nama", "name_attribute: name"),
            "name_attribute 'name' is not one of the attributes (nama)",
        ),
        (GOOD.replace("title: {id: Sekolah, en: School}\n", ""), "title: required key is missing"),
        (GOOD.replace("id: sekolah", "id: school"), "id: 'school' must equal the file name"),
        (
            GOOD + "  kelas: {title: {id: K}, type: string, minimum: 1}\n",
            "attributes.kelas: Value error, minimum/maximum apply to integer or number",
        ),
        (
            GOOD + "  kode: {title: {id: K}, type: string, pattern: '[a-'}\n",
            "attributes.kode.pattern: Value error, not a valid regular expression",
        ),
        (GOOD + "unique_within_kelurahan: [nomor]\n", "unknown attribute 'nomor'"),
        ("id: sekolah\ntitle: [unclosed\n", "line 3, column 1: YAML syntax error"),
    ],
)
def test_mistakes_name_the_file_and_the_key(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "sekolah.yaml").write_text(content)
    with pytest.raises(CatalogError) as err:
        load_catalog(tmp_path)
    assert str(err.value).startswith(str(tmp_path / "sekolah.yaml"))
    assert message in str(err.value)


def test_validate_layers_command(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["validate-layers", str(PROJECT_ROOT / "layers")])
    assert ok.exit_code == 0 and "4 layer(s) valid" in ok.output
    (tmp_path / "sekolah.yaml").write_text(GOOD.replace("type: string", "type: txt"))
    bad = runner.invoke(app, ["validate-layers", str(tmp_path)])
    assert bad.exit_code == 1
    assert "sekolah.yaml: attributes.nama.type" in bad.output


@pytest.mark.parametrize(
    ("values", "clean", "problems"),
    [
        (
            {"nama": " Melati ", "strata": "mandiri", "rw": "3"},
            {"nama": "Melati", "strata": "Mandiri", "rw": 3},
            [],
        ),
        (
            {"nama": "A", "rw": 12.0, "jumlah_kader": "7.0"},
            {"nama": "A", "rw": 12, "jumlah_kader": 7},
            [],
        ),
        (
            {"strata": "Utama", "rw": "0", "kontak": "abc"},
            {},
            [
                ("strata", "attr.enum"),
                ("rw", "attr.min"),
                ("kontak", "attr.pattern"),
                ("nama", "attr.required"),
            ],
        ),
        ({"nama": "A", "warna": "merah"}, {"nama": "A"}, [("warna", "attr.unknown")]),
        ({"nama": "x" * 121}, {}, [("nama", "attr.max_length")]),
    ],
)
def test_attribute_validation(
    catalog: Catalog, values: dict, clean: dict, problems: list[tuple[str, str]]
) -> None:
    result, issues = catalog.layers["posyandu"].validate_attributes(values)
    assert result == clean
    assert [(i.field, i.key) for i in issues] == problems


def test_attribute_messages_in_both_languages(catalog: Catalog) -> None:
    _, issues = catalog.layers["pos_kamling"].validate_attributes({"nama": "A", "aktif": "mungkin"})
    (issue,) = issues
    # the field by its title, as the form labels it
    assert issue.message("id") == "Aktif: harus berupa ya/tidak"
    assert issue.message("en") == "Active: must be a yes/no"
    clean, _ = catalog.layers["pos_kamling"].validate_attributes({"nama": "A", "aktif": "Ya"})
    assert clean["aktif"] is True


def test_a_pattern_is_explained_in_words_never_shown(catalog: Catalog) -> None:
    _, issues = catalog.layers["posyandu"].validate_attributes({"nama": "A", "kontak": "telp?"})
    (issue,) = issues
    assert issue.message("id").startswith("Nomor kontak: tulis nomor telepon dengan angka saja")
    assert issue.message("en").startswith("Contact number: write the phone number in digits")
    assert "[0-9" not in issue.message("id") and "^" not in issue.message("en")


def test_a_pattern_without_its_sentence_is_refused(tmp_path: Path) -> None:
    layer = GOOD + "  kode: {title: {id: K}, type: string, pattern: '^[0-9]+$'}\n"
    (tmp_path / "sekolah.yaml").write_text(layer)
    with pytest.raises(CatalogError, match="pattern_message"):
        load_catalog(tmp_path)


def test_name_rule_needs_a_text_name(tmp_path: Path) -> None:
    from geoservice.catalog import CatalogError, load_layer

    path = tmp_path / "pos.yaml"
    path.write_text(
        "id: pos\ntitle: {id: Pos}\ngeometry: point\nname_attribute: nomor\n"
        "attributes:\n  nomor: {title: {id: Nomor}, type: integer}\n"
        "duplicate_radius_m: 0\nname_matches_kelurahan: {strip: [pos], typo: 1}\n"
    )
    with pytest.raises(CatalogError) as error:
        load_layer(path)
    message = str(error.value)
    assert "duplicate_radius_m: Input should be greater than 0" in message
    assert "name_matches_kelurahan.typo: unknown key" in message


def test_a_running_service_takes_up_new_layer_and_indicator_files(
    database_url: str, tmp_path: Path
) -> None:
    import shutil

    from tests.support import app_client

    layers = tmp_path / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", layers)
    with app_client(database_url, layers_dir=layers) as client:
        client.app.state.catalog_files.interval = 0  # type: ignore[attr-defined]
        assert client.get("/collections/balai_warga").status_code == 404
        assert client.get("/indicators/jumlah_kk").status_code == 404
        (layers / "balai_warga.yaml").write_text(
            "id: balai_warga\ntitle: {id: Balai Warga}\ngeometry: point\nname_attribute: nama\n"
            "attributes:\n  nama: {title: {id: Nama}, type: string, required: true}\n" + METADATA
        )
        (layers / "indicators" / "jumlah_kk.yaml").write_text(
            "code: jumlah_kk\ntitle: {id: Jumlah KK}\nunit: {id: KK}\nsource: DTSEN\n"
            "aggregation: sum\n" + METADATA
        )
        assert client.get("/collections/balai_warga").status_code == 200
        assert client.get("/indicators/jumlah_kk").status_code == 200
        # a broken file is logged; the catalog in use stays
        (layers / "rusak.yaml").write_text("id: rusak\n")
        assert client.get("/collections/balai_warga").status_code == 200
