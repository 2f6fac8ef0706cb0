"""XLSForm spreadsheets: the round trip gives the same form, mistakes name sheet, row and column,
and the import command writes a form the catalog loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from geoservice.__main__ import app
from geoservice.catalog import Catalog, load_catalog
from geoservice.services.profiles.forms import load_form
from geoservice.services.profiles.xlsform import XLSFormError, read_xlsform, write_xlsform
from geoservice.settings import PROJECT_ROOT


def test_round_trip_gives_the_same_form(catalog: Catalog, tmp_path: Path) -> None:
    form = catalog.profiles["profil_kelurahan"]
    path = tmp_path / "profil_kelurahan.xlsx"
    write_xlsform(form, path)
    assert read_xlsform(path) == form
    sheets = openpyxl.load_workbook(path).sheetnames
    assert sheets == ["survey", "choices", "settings"]


def _edit(path: Path, sheet: str, cell: str, value: object) -> None:
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


def _row_of(path: Path, name: str) -> int:
    rows = openpyxl.load_workbook(path)["survey"].iter_rows(values_only=True)
    return next(i for i, row in enumerate(rows, start=1) if row[1] == name)


@pytest.fixture()
def sheet(catalog: Catalog, tmp_path: Path) -> Path:
    path = tmp_path / "profil_kelurahan.xlsx"
    write_xlsform(catalog.profiles["profil_kelurahan"], path)
    return path


@pytest.mark.parametrize(
    ("field", "column", "value", "message"),
    [
        ("jumlah_rw", "A", "angka", "column 'type': type 'angka' is not one of integer"),
        ("jumlah_rw", "Q", "banyak", "column 'minimum': not a number"),
        ("jumlah_rw", "R", "0", "column 'maximum' (jumlah_rw): Value error, minimum is greater"),
        ("jumlah_rt", "I", ". >= ", "column 'constraint' (jumlah_rt): Value error, not a valid"),
        (
            "jumlah_rt_peta",
            "T",
            "verified_points sekolah",
            "column 'derived' (jumlah_rt_peta): unknown layer 'sekolah'",
        ),
        ("jumlah_kk_miskin", "P", "rahasia", "column 'visibility' (jumlah_kk_miskin): Input "),
    ],
)
def test_mistakes_name_sheet_row_and_column(
    sheet: Path, field: str, column: str, value: str, message: str, catalog: Catalog
) -> None:
    row = _row_of(sheet, field)
    _edit(sheet, "survey", f"{column}{row}", value)
    with pytest.raises(XLSFormError) as err:
        read_xlsform(sheet, catalog)
    assert str(err.value).startswith(f"{sheet}: sheet 'survey', row {row}, ")
    assert message in str(err.value)


def test_pyxform_refuses_what_odk_would_refuse(sheet: Path) -> None:
    row = _row_of(sheet, "jumlah_pasar")
    _edit(sheet, "survey", f"H{row}", "${pasar_tidak_ada} = 'ya'")
    with pytest.raises(XLSFormError) as err:
        read_xlsform(sheet)
    assert "not a valid XLSForm" in str(err.value) and "pasar_tidak_ada" in str(err.value)


def test_a_question_outside_every_section(sheet: Path) -> None:
    book = openpyxl.load_workbook(sheet)
    book["survey"].insert_rows(2)
    book["survey"]["A2"], book["survey"]["B2"], book["survey"]["C2"] = "integer", "lepas", "Lepas"
    book.save(sheet)
    with pytest.raises(XLSFormError) as err:
        read_xlsform(sheet)
    assert "sheet 'survey', row 2, column 'type': 'lepas' lies outside every section" in str(
        err.value
    )


def test_import_command_writes_the_yaml(sheet: Path, tmp_path: Path) -> None:
    layers = tmp_path / "layers"
    # the campaigns name the sample form, which this test replaces
    shutil.copytree(PROJECT_ROOT / "layers", layers, ignore=shutil.ignore_patterns("campaigns"))
    (layers / "profiles" / "profil_kelurahan.yaml").unlink()
    runner = CliRunner()
    checked = runner.invoke(
        app, ["import", "profile-form", str(sheet), "--layers-dir", str(layers), "--check"]
    )
    assert checked.exit_code == 0, checked.output
    assert not (layers / "profiles" / "profil_kelurahan.yaml").exists()
    written = runner.invoke(
        app, ["import", "profile-form", str(sheet), "--layers-dir", str(layers)]
    )
    assert written.exit_code == 0, written.output
    path = layers / "profiles" / "profil_kelurahan.yaml"
    assert load_form(path) == read_xlsform(sheet)
    assert load_catalog(layers).profiles["profil_kelurahan"] == read_xlsform(sheet)
    _edit(sheet, "survey", f"A{_row_of(sheet, 'jumlah_rw')}", "angka")
    bad = runner.invoke(app, ["import", "profile-form", str(sheet), "--layers-dir", str(layers)])
    assert bad.exit_code == 1 and "column 'type'" in bad.output
