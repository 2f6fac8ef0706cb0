"""Importing indicator values: messy names matched (or refused) row by row, Indonesian numbers,
dry runs, and all-or-nothing writes. Real boundaries of Kota Kediri and Kota Palembang."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, text

from geoservice.catalog import Catalog
from geoservice.services.imports.boundaries import BoundaryOptions, import_boundaries
from geoservice.services.imports.indicators import (
    import_indicators,
    parse_number,
    write_match_report,
)
from geoservice.services.imports.readers import InputError
from tests.factories import empty_tables
from tests.support import CITIES, KEDIRI_KELURAHAN, KEDIRI_PARENTS

PALEMBANG = [
    CITIES / f"kota_palembang_{level}.geojson"
    for level in ("kabkota", "kecamatan", "desa_kelurahan")
]


@pytest.fixture(scope="module")
def areas(engine: Engine) -> Engine:
    """Kota Kediri and Kota Palembang, provinsi to kelurahan."""
    empty_tables(engine)
    assert all(r.written for r in import_boundaries(engine, [*KEDIRI_PARENTS, KEDIRI_KELURAHAN]))
    reports = import_boundaries(
        engine, PALEMBANG, BoundaryOptions(derive_parents=True, allow_partial_parents=True)
    )
    assert all(r.written for r in reports)
    return engine


@pytest.fixture()
def db(areas: Engine) -> Engine:
    with areas.begin() as conn:
        conn.execute(text("TRUNCATE indicator_value, indicator_import RESTART IDENTITY"))
    return areas


def stored(engine: Engine) -> dict[tuple[str, str, str], float]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT indicator, period, kode, value FROM indicator_value"))
        return {(i, p, k): v for i, p, k, v in rows}


def write_csv(path: Path, text_: str) -> Path:
    path.write_text(text_.strip() + "\n", encoding="utf-8")
    return path


MESSY = """
No;kode;kelurahan;kecamatan;kabkota;penduduk;persen_miskin
1;;Kel. 26 Ilir I;Ilir Barat I;Kota Palembang;12.345;12,5
2;;SEI  SELINCAH;Kec. Kalidoni;Palembang;1.234;8
3;;Sukamulia;;Palembang;20.000;15,25
4;;Desa Bandar Lor;;Kota Kediri;8.817;9,9
5;;Bandar;;Kota Kediri;1;1
6;35.71.01.1002;;;;15.927;10,2
7;35.71.09.1999;;;;100;1
8;;Pahlawan;;Kab. Palembang;100;1
9;;Sukamaju;Ilir Timur I;Palembang;100;1
"""


def test_messy_names_give_the_exact_match_report(
    db: Engine, catalog: Catalog, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "dtsen kelurahan.csv", MESSY)
    report = import_indicators(db, catalog, path, period="2025", dry_run=True)
    rows = {r.row: r for r in report.results}
    got = {
        row: (
            r.match.status if r.match else None,
            r.match.area.code if r.match and r.match.area else None,
        )
        for row, r in rows.items()
    }
    assert got == {
        2: ("nama", "16.71.04.1003"),  # Dua-puluh-enam Ilir Satu
        3: ("nama", "16.71.10.1004"),  # Sungaiselincah
        4: ("fuzzy", "16.71.16.1002"),  # Sukamulya
        5: ("nama", "35.71.01.1001"),  # Bandar Lor
        6: ("unmatched", None),
        7: ("kode", "35.71.01.1002"),
        8: (None, None),  # unknown code
        9: ("unmatched", None),  # a kabupaten Palembang does not exist
        10: ("unmatched", None),  # Sukamaju is in Sako, not Ilir Timur I
    }
    assert rows[2].values == {"penduduk": 12345.0, "persen_miskin": 12.5}
    assert rows[4].values == {"penduduk": 20000.0, "persen_miskin": 15.25}
    candidates = [c.area.name for c in rows[6].match.candidates]  # type: ignore[union-attr]
    assert set(candidates) >= {"Bandar Lor", "Bandar Kidul"}
    issues = {(i.row, i.severity, i.key) for i in report.issues}
    assert issues == {
        (4, "warning", "indicator.fuzzy"),
        (6, "error", "indicator.unmatched_kelurahan"),
        (8, "error", "indicator.unknown_code"),
        (9, "error", "indicator.unmatched_kabkota"),
        (10, "error", "indicator.unmatched_kelurahan"),
    }
    messages = {i.row: i.message("id") for i in report.issues}
    assert "Bandar Lor (35.71.01.1001" in messages[6]
    assert "'Sukamulia' dicocokkan dengan Sukamulya (16.71.16.1002)" in messages[4]
    assert report.notes == [("indicator.ignored_columns", {"columns": "No"})]
    assert not report.ok and not report.written and stored(db) == {}
    # the same report as CSV, one line per row, for the office to fix its file
    out = tmp_path / "report.csv"
    write_match_report(report, out)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 9  # the header, then file rows 2-10
    assert lines[3].startswith("4;") and "Sukamulya" in lines[3]  # Bahasa: ';' between cells
    assert lines[5].startswith("6;") and "Bandar Kidul" in lines[5]


def test_a_clean_file_is_written_and_a_second_import_updates(
    db: Engine, catalog: Catalog, tmp_path: Path
) -> None:
    good = "\n".join(MESSY.strip().splitlines()[:5])  # rows 2-5: matched (one by similarity)
    path = write_csv(tmp_path / "good.csv", good)
    report = import_indicators(db, catalog, path, period="2025", username="perencana")
    assert report.ok and report.written and (report.inserted, report.updated) == (8, 0)
    assert stored(db)[("persen_miskin", "2025", "16.71.16.1002")] == 15.25
    again = write_csv(tmp_path / "again.csv", good.replace("15,25", "16"))
    report = import_indicators(db, catalog, again, period="2025")
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 7)
    with db.connect() as conn:
        imports = conn.execute(
            text(
                "SELECT source, imported_by, rows, values_written FROM indicator_import ORDER BY id"
            )
        ).all()
    assert imports == [("good.csv", "perencana", 4, 8), ("again.csv", None, 4, 8)]


def test_a_bad_row_fails_with_its_row_number_and_writes_nothing(
    db: Engine, catalog: Catalog, tmp_path: Path
) -> None:
    first = write_csv(tmp_path / "first.csv", "kode,penduduk\n35.71.01.1001,100\n")
    assert import_indicators(db, catalog, first, period="2024").written
    before = stored(db)
    bad = write_csv(
        tmp_path / "bad.csv",
        "kode,periode,penduduk,persen_miskin\n"
        '35.71.01.1001,2024,"1.500","10,5"\n'
        '35.71.01.1002,2024,12x,"10,5"\n'
        '35.71.01.1003,2024,"1.234.5","101"\n'
        "35.71.01.1001,2024,7,1\n"
        "35.71.01.1004,2024/25,7,1\n",
    )
    report = import_indicators(db, catalog, bad)
    assert not report.written
    problems = sorted((i.row, i.column, i.key) for i in report.issues if i.severity == "error")
    assert problems == [
        (3, "penduduk", "indicator.bad_number"),
        (4, "penduduk", "indicator.bad_number"),
        (4, "persen_miskin", "indicator.above_maximum"),
        (5, None, "indicator.duplicate"),
        (6, "periode", "indicator.bad_period"),
    ]
    duplicate = next(i for i in report.issues if i.key == "indicator.duplicate")
    assert duplicate.message("en") == "35.71.01.1001 for period 2024 is already on row 2"
    assert stored(db) == before  # row 2 was fine, but nothing of the file was written


def test_xlsx_with_numbers_text_and_an_empty_cell(
    db: Engine, catalog: Catalog, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Kode", "Kelurahan", "Tahun", "penduduk", "balita_stunting"])
    sheet.append(["35.71.01.1001", "Bandar Lor", 2025, 8817, "12"])
    sheet.append(["35.71.01.1002", "Bandar Kidul", 2025, "15.927", None])
    path = tmp_path / "posyandu.xlsx"
    book.save(path)
    report = import_indicators(db, catalog, path)
    assert report.written, report.as_dict("en")["issues"]
    assert [(i.row, i.severity, i.key) for i in report.issues] == [
        (3, "warning", "indicator.empty_value")
    ]
    assert stored(db) == {
        ("penduduk", "2025", "35.71.01.1001"): 8817.0,
        ("penduduk", "2025", "35.71.01.1002"): 15927.0,
        ("balita_stunting", "2025", "35.71.01.1001"): 12.0,
    }


def test_names_are_matched_only_within_the_scope(
    db: Engine, catalog: Catalog, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "s.csv", "kelurahan,penduduk\nBandar Lor,5\n")
    report = import_indicators(db, catalog, path, period="2025", scope="16.71", dry_run=True)
    assert report.results[0].match is not None and report.results[0].match.status == "unmatched"


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ("kelurahan,jumlah\nBandar Lor,5\n", "indicator.no_value_columns"),
        ("nomor,penduduk\n1,5\n", "indicator.no_key_column"),
        ("kode,penduduk\n", "import.no_rows"),
    ],
)
def test_files_that_cannot_be_used_say_why(
    db: Engine, catalog: Catalog, tmp_path: Path, content: str, key: str
) -> None:
    path = write_csv(tmp_path / "x.csv", content)
    with pytest.raises(InputError) as caught:
        import_indicators(db, catalog, path, period="2025")
    assert caught.value.key == key
    with pytest.raises(InputError) as caught:
        import_indicators(
            db, catalog, write_csv(tmp_path / "y.csv", "kode,penduduk\n35.71.01.1001,1")
        )
    assert caught.value.key == "indicator.no_period"


@pytest.mark.parametrize(
    ("cell", "value"),
    [("1.234,5", 1234.5), ("12,5", 12.5), ("1.234", 1234.0), ("1.234.567", 1234567.0),
     ("12,5%", 12.5), ("-3", -3.0), (7, 7.0), (2.5, 2.5), ("", None), ("-", None), (None, None)],
)  # fmt: skip
def test_indonesian_numbers(cell: object, value: float | None) -> None:
    assert parse_number(cell) == value


@pytest.mark.parametrize("cell", ["1234.5", "12x", "1,2,3", "satu", True])
def test_what_is_not_a_number(cell: object) -> None:
    with pytest.raises(ValueError):
        parse_number(cell)


def test_a_spreadsheet_with_a_bad_row_fails_with_its_row_number(
    db: Engine, catalog: Catalog, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["kode", "periode", "penduduk", "balita_stunting"])
    sheet.append(["35.71.01.1001", "2025", 8817, 12])
    sheet.append(["35.71.01.1002", "2025", 15927, 9])
    sheet.append(["35.71.01.1003", "2025", "dua ribu", 4])
    sheet.append(["35.71.01.1004", "2025", 7000, -1])
    path = tmp_path / "dinkes.xlsx"
    book.save(path)
    report = import_indicators(db, catalog, path, username="perencana")
    assert not report.written and stored(db) == {}
    assert [(i.row, i.column, i.key) for i in report.issues] == [
        (4, "penduduk", "indicator.bad_number"),
        (5, "balita_stunting", "indicator.below_minimum"),
    ]
    assert (
        report.issues[0].message("en") == "'dua ribu' is not a number (Indonesian format: 1.234,5)"
    )
    with db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM indicator_import")).scalar_one() == 0
