"""Profile forms as data: the demo form, precise errors, the expression language, and values
checked per type, constraint and relevance."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from geoservice.__main__ import app
from geoservice.catalog import Catalog, CatalogError, load_catalog
from geoservice.services.profiles.expressions import ExpressionError, parse
from geoservice.services.profiles.forms import ProfileForm, check_values
from geoservice.settings import PROJECT_ROOT

LAYERS = PROJECT_ROOT / "layers"
MINIMAL = """\
id: contoh
title: {id: Contoh}
sections:
  umum: {title: {id: Umum}}
fields:
  jumlah_rt:
    type: integer
    section: umum
    title: {id: Jumlah RT}
"""


@pytest.fixture()
def form(catalog: Catalog) -> ProfileForm:
    return catalog.profiles["profil_kelurahan"]


def test_the_demo_form_is_a_sample_with_sections_and_metadata(form: ProfileForm) -> None:
    assert form.sample and form.period == "yearly"
    assert len(form.typed_fields()) >= 15 and len(form.sections) >= 3
    assert {f.section for f in form.fields.values()} == set(form.sections)
    assert {"batas_utara", "batas_selatan", "batas_timur", "batas_barat"} <= form.fields.keys()
    derived = {k: f.derived.kind for k, f in form.fields.items() if f.derived is not None}
    assert derived == {
        "luas_wilayah_km2": "area_km2",
        "jumlah_rt_peta": "verified_points",
        "jumlah_posyandu_peta": "verified_points",
        "jumlah_pos_kamling_peta": "verified_points",
        "jumlah_penduduk": "indicator",
    }
    assert all(f.kode_referensi for f in form.typed_fields().values())
    assert form.fields["jumlah_kk_miskin"].visibility == "restricted"


def _layers_with(tmp_path: Path, content: str) -> Path:
    shutil.copytree(LAYERS, tmp_path / "layers")
    (tmp_path / "layers" / "profiles" / "contoh.yaml").write_text(content)
    return tmp_path / "layers"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("type: integer", "type: angka"), "fields.jumlah_rt.type: Input should be"),
        (("section: umum", "section: lain"), "fields.jumlah_rt.section: unknown section 'lain'"),
        (
            ("    title: {id: Jumlah RT}", "    title: {id: Jumlah RT}\n    satuan: RT"),
            "fields.jumlah_rt.satuan: unknown key",
        ),
        (
            (
                "    title: {id: Jumlah RT}",
                "    title: {id: Jumlah RT}\n    minimum: 5\n    maximum: 1",
            ),
            "minimum is greater than maximum",
        ),
        (
            ("    title: {id: Jumlah RT}", "    title: {id: Jumlah RT}\n    constraint: '. >= '"),
            "fields.jumlah_rt.constraint: Value error, not a valid expression: a value is missing",
        ),
        (
            ("    title: {id: Jumlah RT}", "    title: {id: Jumlah RT}\n    relevant: '${rw} = 1'"),
            "fields.jumlah_rt.relevant: unknown field '${rw}'",
        ),
        (
            ("    title: {id: Jumlah RT}", "    title: {id: Jumlah RT}\n    constraint: '. > 0'"),
            "a constraint needs a constraint_message",
        ),
        (("    type: integer", "    type: select_one"), "a select_one field needs choices"),
        (
            (
                "    title: {id: Jumlah RT}",
                "    title: {id: Jumlah RT}\n    derived: {kind: verified_points, layer: sekolah}",
            ),
            "fields.jumlah_rt.derived.layer: unknown layer 'sekolah'",
        ),
        (("id: contoh", "id: lain"), "id: 'lain' must equal the file name 'contoh'"),
        (("sections:", "period: weekly\nsections:"), "period: Input should be"),
    ],
)
def test_mistakes_name_the_file_and_the_key(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    folder = _layers_with(tmp_path, MINIMAL.replace(*change))
    with pytest.raises(CatalogError) as err:
        load_catalog(folder)
    assert str(err.value).startswith(str(folder / "profiles" / "contoh.yaml") + ": ")
    assert message in str(err.value)


def test_validate_layers_reports_forms_and_their_mistakes(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["validate-layers", str(LAYERS)])
    assert ok.exit_code == 0, ok.output
    assert "profile form profil_kelurahan: 23 field(s) in 4 section(s), 5 derived" in ok.output
    folder = _layers_with(tmp_path, MINIMAL.replace("type: integer", "type: angka"))
    bad = runner.invoke(app, ["validate-layers", str(folder)])
    assert bad.exit_code == 1
    assert "contoh.yaml: fields.jumlah_rt.type" in bad.output


@pytest.mark.parametrize(
    ("source", "own", "values", "holds"),
    [
        (". >= 0 and . <= 100", 50, {}, True),
        (". >= 0 and . <= 100", 101, {}, False),
        (". >= ${rw}", 3, {"rw": 4}, False),
        (". <= ${kk} * 10", 30, {"kk": 3}, True),
        ("${pasar} = 'ya'", None, {"pasar": True}, True),
        ("${pasar} = 'ya'", None, {"pasar": False}, False),
        ("${pasar} = 'ya'", None, {}, False),
        ("selected(${ibadah}, 'masjid')", None, {"ibadah": ["gereja", "masjid"]}, True),
        ("not(selected(${ibadah}, 'masjid'))", None, {"ibadah": ["gereja"]}, True),
        ("count-selected(.) >= 2 or . = 'x'", ["a"], {}, False),
        ("string-length(.) <= 3", "abcd", {}, False),
        ("(. + 1) div 2 = 2 and . mod 2 = 1", 3, {}, True),
        ("-. < 0", 2, {}, True),
        (". > 0", None, {}, False),  # empty compares with no number
    ],
)
def test_expressions(source: str, own: Any, values: dict[str, Any], holds: bool) -> None:
    assert parse(source).evaluate(own, values) is holds


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (". >=", "a value is missing at position"),
        ("__import__('os')", "cannot read"),
        ("eval(1)", "unknown function or word 'eval' at position 1"),
        ("selected(.)", "selected() takes 2 argument(s), not 1"),
        ("(. > 1", "expected ')'"),
        (". > 1 )", "unexpected ')' at position 7"),
    ],
)
def test_expression_mistakes_say_where(source: str, message: str) -> None:
    with pytest.raises(ExpressionError) as err:
        parse(source)
    assert message in str(err.value)


WHOLE = "Jumlah RW: isi dengan bilangan bulat, misalnya 12."
GOOD = {
    "batas_utara": "Kel. Ngronggo",
    "batas_selatan": "Kel. Semampir",
    "batas_timur": "Sungai Brantas",
    "batas_barat": "Kel. Pocanan",
    "jumlah_rw": "4",
    "jumlah_rt": 19,
    "jumlah_kk": "1.250",
}


def test_values_are_coerced_per_type(form: ProfileForm) -> None:
    clean, issues = check_values(
        form,
        {
            **GOOD,
            "jumlah_kk": 1250.0,
            "topografi": "Dataran",
            "sarana_ibadah": ["gereja", "masjid"],
            "jumlah_masjid": "3",
            "ada_pasar": "ya",
            "jumlah_pasar": 1,
            "tanggal_pendataan": "2025-08-17",
        },
        complete=True,
    )
    assert issues == []
    assert clean["jumlah_rw"] == 4 and clean["jumlah_kk"] == 1250
    assert clean["topografi"] == "dataran"
    assert clean["sarana_ibadah"] == ["masjid", "gereja"]  # in the form's order
    assert clean["ada_pasar"] is True and clean["tanggal_pendataan"] == "2025-08-17"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"jumlah_rw": "empat"}, [("jumlah_rw", WHOLE)]),
        ({"jumlah_rw": 2.5}, [("jumlah_rw", WHOLE)]),
        ({"jumlah_rw": 0}, [("jumlah_rw", "Jumlah RW: paling sedikit 1.")]),
        ({"jumlah_rw": True}, [("jumlah_rw", WHOLE)]),
        (
            {"topografi": "gunung"},
            [
                (
                    "topografi",
                    "Bentang wilayah: pilih salah satu dari: "
                    "dataran (Dataran), perbukitan (Perbukitan), "
                    "bantaran_sungai (Bantaran sungai).",
                )
            ],
        ),
        ({"ada_pasar": "mungkin"}, [("ada_pasar", "Ada pasar: pilih ya atau tidak.")]),
        (
            {"tanggal_pendataan": "17/08/2025"},
            [("tanggal_pendataan", "Tanggal pendataan: isi dengan tanggal, misalnya 2025-08-17.")],
        ),
        (
            {"jumlah_rt": 3, "jumlah_rw": 4},
            [
                (
                    "jumlah_rt",
                    "Jumlah RT: jumlah RT tidak boleh kurang dari jumlah RW (setiap RW "
                    "punya paling sedikit satu RT).",
                )
            ],
        ),
        (
            {"luas_wilayah_km2": 2},
            [
                (
                    "luas_wilayah_km2",
                    "Luas wilayah (dari peta): angka ini dihitung otomatis dari peta "
                    "dan data lain, jadi tidak perlu diisi.",
                )
            ],
        ),
        ({"warna": "merah"}, [("warna", "'warna': isian ini tidak ada dalam formulir.")]),
        (
            {"batas_utara": "a\x07b"},
            [
                (
                    "batas_utara",
                    "Batas sebelah utara: berisi karakter "
                    "tersembunyi yang tidak bisa disimpan; ketik ulang isiannya.",
                )
            ],
        ),
    ],
)
def test_a_draft_names_each_bad_field_in_plain_words(
    form: ProfileForm, values: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    _, issues = check_values(form, values, complete=False)
    assert [(i.field, i.message("id")) for i in issues] == expected


def test_a_draft_may_be_partial_a_submission_may_not(form: ProfileForm) -> None:
    clean, issues = check_values(form, {"jumlah_rt": 19}, complete=False)
    assert clean == {"jumlah_rt": 19} and issues == []  # the RW constraint waits for jumlah_rw
    _, issues = check_values(form, {"jumlah_rt": 19}, complete=True)
    missing = [i.field for i in issues]
    assert missing == [
        "batas_utara",
        "batas_selatan",
        "batas_timur",
        "batas_barat",
        "jumlah_rw",
        "jumlah_kk",
    ]
    assert issues[0].message("en") == "Northern boundary: is required."


def test_a_field_that_does_not_apply_is_dropped(form: ProfileForm) -> None:
    clean, issues = check_values(
        form,
        {
            **GOOD,
            "ada_pasar": False,
            "jumlah_pasar": 2,
            "sarana_ibadah": "gereja",
            "jumlah_masjid": 4,
        },
        complete=True,
    )
    assert issues == []
    assert "jumlah_pasar" not in clean and "jumlah_masjid" not in clean
    clean, _ = check_values(form, {**GOOD, "ada_pasar": "ya", "jumlah_pasar": 2}, complete=True)
    assert clean["jumlah_pasar"] == 2
