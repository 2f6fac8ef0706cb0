"""Cells of the files people open in a spreadsheet (CSV and XLSX exports, import reports),
written so that no cell can act as a formula.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and tab or
carriage return let such a cell hide behind whitespace): a point name like
``=HYPERLINK("http://…", "klik")`` would otherwise run on the walidata's computer. Following
OWASP's CSV-injection rule, such a text cell is prefixed with an apostrophe, which the
spreadsheet shows as text and does not print. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, with a text that a spreadsheet would run as a formula made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Every cell of ``row`` through ``safe_cell``."""
    return [safe_cell(value) for value in row]


def write_csv(handle: IO[str], header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> None:
    """A CSV table on ``handle``, every cell safe for spreadsheets."""
    writer = csv.writer(handle)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)


def csv_text(header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> str:
    """The CSV table as text (see ``write_csv``)."""
    out = io.StringIO()
    write_csv(out, header, rows)
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
