"""Cells of the files people open in a spreadsheet (CSV and XLSX exports, import reports),
written so that no cell can act as a formula.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and tab or
carriage return let such a cell hide behind whitespace): a point name like
``=HYPERLINK("http://…", "klik")`` would otherwise run on the walidata's computer. Following
OWASP's CSV-injection rule, such a text cell is prefixed with an apostrophe, which the
spreadsheet shows as text and does not print. Numbers stay numbers.

Every CSV is UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the computer's code
page and garbles "Ngronggo, Kec. Kota"-style names) in one of two locales: ``id`` separates
cells with ``;`` and writes ``3,5`` (what Excel set to Indonesian, or to most of Europe, opens in
columns; a ``,`` file opens there as one column), ``en`` is RFC 4180's ``,`` with ``3.5``, for
Excel in English and for machines. Whole numbers are written without ``.0`` in both (pandas
writes a count that shares a column with an empty cell as ``8923.0``).
"""

from __future__ import annotations

import csv
import io
import numbers
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import pandas as pd

if TYPE_CHECKING:
    import geopandas as gpd

#: The media types of the files this module writes (IANA).
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GPKG_TYPE = "application/geopackage+sqlite3"
#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CsvLocale = Literal["id", "en"]
#: The cell separator and decimal mark of each CSV locale.
SEPARATORS: dict[CsvLocale, tuple[str, str]] = {"id": (";", ","), "en": (",", ".")}
BOM = "\ufeff"


def csv_locale(locale: str | None, lang: str) -> CsvLocale:
    """The CSV locale: ``locale`` when given, else the response language's (``id`` for
    Bahasa Indonesia, ``en`` for English)."""
    if locale in SEPARATORS:
        return locale
    return "en" if lang == "en" else "id"


def csv_number(value: Any, locale: CsvLocale = "en") -> Any:
    """A number as ``locale`` writes it: whole numbers without ``.0``, the decimal mark of the
    locale, never an exponent; anything else unchanged (NaN is an empty cell)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        return value
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if not isinstance(value, numbers.Real | Decimal):
        return value
    number = Decimal(value) if isinstance(value, Decimal) else Decimal(repr(float(value)))
    if not number.is_finite():
        return "" if number.is_nan() else value
    if number == number.to_integral_value():
        return str(int(number))
    return format(number, "f").replace(".", SEPARATORS[locale][1])


def safe_cell(value: Any) -> Any:
    """``value``, with a text that a spreadsheet would run as a formula made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Every cell of ``row`` through ``safe_cell``."""
    return [safe_cell(value) for value in row]


def write_csv(
    handle: IO[str],
    header: Sequence[Any],
    rows: Iterable[Iterable[Any]],
    locale: CsvLocale = "en",
) -> None:
    """A CSV table on ``handle`` in ``locale``, after a byte-order mark, every cell safe for
    spreadsheets (``handle`` is opened with ``encoding="utf-8"`` and ``newline=""``)."""
    writer = csv.writer(handle, delimiter=SEPARATORS[locale][0])
    handle.write(BOM)
    writer.writerow(safe_row(header))
    # numbers are formatted after safe_cell: a negative number is a number, not a formula
    writer.writerows([csv_number(cell, locale) for cell in safe_row(row)] for row in rows)


def csv_text(header: Sequence[Any], rows: Iterable[Iterable[Any]], locale: CsvLocale = "en") -> str:
    """The CSV table as text, byte-order mark first (see ``write_csv``)."""
    out = io.StringIO()
    write_csv(out, header, rows, locale)
    return out.getvalue()


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are safe for spreadsheets;
    openpyxl would even store a text starting with ``=`` as a formula."""
    out = frame.copy()
    out.columns = [safe_cell(str(c)) for c in out.columns]
    for column in out.columns:
        values = out[column]
        # text columns are "object" or (pandas 3) "str" typed
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            out[column] = values.map(safe_cell)
    return out


def xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook of one sheet per frame (in order), every text cell safe."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe_frame(frame).to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def geopackage(frame: gpd.GeoDataFrame, layer: str) -> bytes:
    """A GeoPackage of one layer (written by GDAL through geopandas in a temporary folder)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{layer}.gpkg"
        frame.to_file(path, layer=layer, driver="GPKG")
        return path.read_bytes()


def _frame(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> pd.DataFrame:
    """Rows as a frame with nullable column types: a whole-number column with gaps stays
    whole (Int64), a yes/no column boolean."""
    return pd.DataFrame(list(rows), columns=list(header), dtype=object).convert_dtypes()


def table_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str) -> bytes:
    """A one-sheet XLSX workbook of a table (see :func:`xlsx`)."""
    return xlsx({sheet: _frame(header, rows)})


def table_geopackage(
    header: Sequence[str], rows: Iterable[Sequence[Any]], srid: int, layer: str
) -> bytes:
    """A GeoPackage layer of a table whose last column is WKB geometry in EPSG ``srid``."""
    import geopandas as gpd
    import shapely

    table = [list(row) for row in rows]
    shapes = shapely.from_wkb([bytes(row[-1]) for row in table])
    frame = _frame(header[:-1], [row[:-1] for row in table])
    return geopackage(gpd.GeoDataFrame(frame, geometry=shapes, crs=f"EPSG:{srid}"), layer)
