"""Importing indicator values from CSV and XLSX, with a row-by-row match report.

A file has one row per desa/kelurahan, keyed by its Kemendagri code (``kode``) or by its name
(``kelurahan``/``desa``, with ``kecamatan`` and ``kabkota`` columns to tell same-named areas
apart), a ``periode`` column or one period for the whole file, and one column per indicator,
headed by the indicator's code (``penduduk``, ``persen_miskin``...). Numbers are read the
Indonesian way (``1.234,5``) by Babel. Every row is checked before anything is written; one
bad row (a name that matches nothing or more than one area, a number that cannot be read, a
value out of range, the same area twice) fails the whole import and the report names it.
A dry run returns the same report and writes nothing.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from babel.numbers import NumberFormatError, parse_decimal
from sqlalchemy import (
    BigInteger,
    Connection,
    Double,
    Engine,
    Text,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy import insert as sa_insert
from sqlalchemy.dialects.postgresql import insert as pg_insert

from geoservice.catalog import PERIOD_PATTERN, Catalog, IndicatorDef
from geoservice.db import unnest_rows
from geoservice.db.models import IndicatorImport, IndicatorValue
from geoservice.errors import FieldProblem, Severity
from geoservice.i18n import t
from geoservice.i18n.indicators import AMBIGUOUS, UNMATCHED
from geoservice.services.exports import CsvLocale, csv_locale, write_csv
from geoservice.services.imports.indicator_columns import (
    CODE_COLUMNS,
    KABKOTA_COLUMNS,
    KECAMATAN_COLUMNS,
    NAME_COLUMNS,
    PERIOD_COLUMNS,
    map_argument,
    propose_columns,
)
from geoservice.services.imports.matching import Gazetteer, Match
from geoservice.services.imports.readers import InputError, find_column, read_table

_EMPTY = {"", "-", "–", "—", "na", "n/a", "null"}
_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.[123]\d{3}$")


@dataclass
class RowResult:
    """One data row: what it said, which area it matched, and its values."""

    row: int
    given: dict[str, str]
    match: Match | None
    period: str | None
    values: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        m = self.match
        area = m.area if m is not None else None
        return {
            "baris": self.row,
            "masukan": self.given,
            "status": m.status if m is not None else None,
            "bagian": m.part if m is not None else None,
            "kode": area.code if area else None,
            "nama": area.name if area else None,
            "kecamatan": area.kecamatan if area else None,
            "kabkota": area.kabkota if area else None,
            "skor": round(m.score, 1) if m is not None and m.score is not None else None,
            "kandidat": [c.as_dict() for c in m.candidates] if m is not None else [],
            "periode": self.period,
            "nilai": self.values,
        }


@dataclass
class IndicatorImportReport:
    """The outcome of one indicator file: the match of every row and every problem found."""

    source: str
    dry_run: bool
    indicators: list[str] = field(default_factory=list)
    rows: int = 0
    results: list[RowResult] = field(default_factory=list)
    issues: list[FieldProblem] = field(default_factory=list)
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    written: bool = False
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    import_id: int | None = None
    #: for each column that is no indicator, the indicator its title suggests (see
    #: :func:`propose_columns`): what an upload form offers the planner to confirm
    proposals: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: int | None, key: str, severity: Severity = "error", **params: Any) -> None:
        """Record a problem (``error``: the import cannot be written) or a ``warning``."""
        column = params.pop("column", None)
        code = params.pop("code", None)
        self.issues.append(FieldProblem(column, key, params, row=row, severity=severity, code=code))

    @property
    def ok(self) -> bool:
        """No errors: the file can be written."""
        return not any(i.severity == "error" for i in self.issues)

    @property
    def periods(self) -> list[str]:
        """The periods of the rows, sorted."""
        return sorted({r.period for r in self.results if r.period})

    def counts(self) -> dict[str, int]:
        """Rows per match status."""
        counts: dict[str, int] = {}
        for result in self.results:
            status = result.match.status if result.match is not None else "invalid"
            counts[status] = counts.get(status, 0) + 1
        return counts

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        """Summary, matches and problems, JSON-ready."""
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "written": self.written,
            "import_id": self.import_id,
            "indicators": self.indicators,
            "periods": self.periods,
            "rows": self.rows,
            "matches": self.counts(),
            "values": {
                "inserted": self.inserted,
                "updated": self.updated,
                "unchanged": self.unchanged,
            },
            "errors": sum(1 for i in self.issues if i.severity == "error"),
            "proposals": self.proposals,
            "notes": [t(key, lang, **params) for key, params in self.notes],
            "issues": [i.as_dict(lang) for i in self.issues],
            "rows_detail": [r.as_dict() for r in self.results],
        }


def parse_number(raw: object) -> float | None:
    """A cell as a number: spreadsheet numbers as they are, text the Indonesian way
    (``1.234,5``, ``12,5%``); None for an empty cell. ValueError when it is not a number."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    if isinstance(raw, bool):
        raise ValueError(str(raw))
    if isinstance(raw, int | float | Decimal):
        return float(raw)
    cell = str(raw).replace("\u00a0", " ").strip()
    if cell.lower() in _EMPTY:
        return None
    cell = cell.removesuffix("%").strip()
    try:
        return float(parse_decimal(cell, locale="id", strict=True))
    except NumberFormatError as exc:
        raise ValueError(cell) from exc


def check_file(
    conn: Connection,
    catalog: Catalog,
    frame: pd.DataFrame,
    source: str,
    *,
    period: str | None = None,
    scope: str | None = None,
    dry_run: bool = False,
    column_map: dict[str, str] | None = None,
) -> IndicatorImportReport:
    """Match every row of ``frame`` and read its values; nothing is written. ``column_map``
    names the indicator of columns not headed by its code."""
    report = IndicatorImportReport(source=source, dry_run=dry_run, rows=len(frame))
    columns = list(frame.columns)
    column_map = column_map or {}
    for column, code in column_map.items():
        if column not in columns:
            raise InputError("file.column_unknown", column=column, columns=", ".join(columns))
        if code not in catalog.indicators:
            raise InputError(
                "indicator.map_unknown",
                column=column,
                code=code,
                known=", ".join(catalog.indicators),
            )
    unmapped = [c for c in columns if c not in column_map]
    code_col = find_column(unmapped, CODE_COLUMNS)
    name_col = find_column(unmapped, NAME_COLUMNS)
    kec_col = find_column(unmapped, KECAMATAN_COLUMNS)
    kab_col = find_column(unmapped, KABKOTA_COLUMNS)
    period_col = find_column(unmapped, PERIOD_COLUMNS)
    value_cols = {c: catalog.indicators[code] for c, code in column_map.items()}
    value_cols.update(
        (c, catalog.indicators[c.lower()])
        for c in unmapped
        if c.lower() in catalog.indicators
        and catalog.indicators[c.lower()] not in value_cols.values()
    )
    keys = {code_col, name_col, kec_col, kab_col, period_col}
    report.proposals = propose_columns(
        [c for c in columns if c not in value_cols and c not in keys], catalog
    )
    report.proposals = [
        p for p in report.proposals if catalog.indicators[p["indicator"]] not in value_cols.values()
    ]
    if not value_cols:
        error = InputError(
            "indicator.no_value_columns_proposed"
            if report.proposals
            else "indicator.no_value_columns",
            columns=", ".join(columns) or "-",
            known=", ".join(catalog.indicators) or "-",
            proposed=map_argument(report.proposals),
        )
        error.extra["proposals"] = report.proposals
        raise error
    for proposal in report.proposals:
        report.notes.append(
            (
                "indicator.proposal",
                {
                    "column": proposal["column"],
                    "code": proposal["indicator"],
                    "title": proposal["title"]["id"],
                    "map": map_argument([proposal]),
                },
            )
        )
    if code_col is None and name_col is None:
        raise InputError("indicator.no_key_column", columns=", ".join(columns) or "-")
    if period_col is None and period is None:
        raise InputError("indicator.no_period")
    if period is not None and not re.match(PERIOD_PATTERN, period):
        raise InputError("indicator.bad_period_parameter", period=period)
    if frame.empty:
        raise InputError("import.no_rows")
    report.indicators = [ind.code for ind in value_cols.values()]
    known = {*keys, *value_cols}
    proposed = {p["column"] for p in report.proposals}
    ignored = [c for c in columns if c not in known and c not in proposed]
    if ignored:
        report.notes.append(("indicator.ignored_columns", {"columns": ", ".join(ignored)}))
    gazetteer = Gazetteer.load(conn, scope)
    if not gazetteer.areas:
        raise InputError("indicator.empty_scope", scope=scope or "-")

    seen: dict[tuple[str, str], int] = {}
    for index, record in enumerate(frame.to_dict("records")):
        row = index + 2  # the header is row 1, as a spreadsheet numbers it
        given = {
            key: _text(record.get(col))
            for key, col in (
                ("kode", code_col),
                ("nama", name_col),
                ("kecamatan", kec_col),
                ("kabkota", kab_col),
            )
            if col is not None and _text(record.get(col))
        }
        row_period = _text(record.get(period_col)) if period_col else ""
        row_period = row_period or period or ""
        if not re.match(PERIOD_PATTERN, row_period):
            report.add(row, "indicator.bad_period", column=period_col, value=row_period or "-")
        match = _match_row(report, gazetteer, row, given, scope)
        result = RowResult(row, given, match, row_period or None)
        report.results.append(result)
        if match is not None and match.area is not None and row_period:
            key = (match.area.code, row_period)
            if key in seen:
                report.add(
                    row, "indicator.duplicate", code=key[0], other=seen[key], period=row_period
                )
            seen.setdefault(key, row)
        for column, indicator in value_cols.items():
            _read_value(report, result, column, indicator, record.get(column))
    return report


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a year typed into a spreadsheet cell: 2025, not 2025.0
    return " ".join(str(value).split())


def _match_row(
    report: IndicatorImportReport,
    gazetteer: Gazetteer,
    row: int,
    given: dict[str, str],
    scope: str | None,
) -> Match | None:
    code = given.get("kode")
    if code:
        if not _CODE.match(code):
            report.add(row, "indicator.bad_code", code=code)
            return None
        area = gazetteer.by_code.get(code)
        if area is None:
            report.add(row, "indicator.unknown_code", code=code, scope=scope or "-")
            return None
        return Match("kode", area, 100.0)
    if not given.get("nama"):
        report.add(row, "indicator.no_key")
        return None
    match = gazetteer.match(given["nama"], given.get("kecamatan"), given.get("kabkota"))
    shown = "; ".join(
        f"{c.area.name} ({c.area.code}, {c.area.kecamatan}, {c.area.kabkota})"
        for c in match.candidates
    )
    part = match.part or "kelurahan"
    name = given.get({"kabkota": "kabkota", "kecamatan": "kecamatan"}.get(part, "nama"), "")
    if match.status == "fuzzy" and match.area is not None:
        report.add(
            row,
            "indicator.fuzzy",
            "warning",
            code=match.area.code,
            name=given["nama"],
            official=match.area.name,
            score=round(match.score or 0),
        )
    elif match.status == "ambiguous":
        report.add(row, AMBIGUOUS[part], name=name, candidates=shown)
    elif match.status == "unmatched":
        report.add(row, UNMATCHED[part], name=name, candidates=shown or "-")
    return match


def _read_value(
    report: IndicatorImportReport,
    result: RowResult,
    column: str,
    indicator: IndicatorDef,
    raw: object,
) -> None:
    try:
        value = parse_number(raw)
    except ValueError:
        report.add(result.row, "indicator.bad_number", column=column, value=_text(raw))
        return
    if value is None:
        report.add(result.row, "indicator.empty_value", "warning", column=column)
        return
    if indicator.minimum is not None and value < indicator.minimum:
        report.add(
            result.row, "indicator.below_minimum", column=column, value=value,
            minimum=indicator.minimum,
        )  # fmt: skip
        return
    if indicator.maximum is not None and value > indicator.maximum:
        report.add(
            result.row, "indicator.above_maximum", column=column, value=value,
            maximum=indicator.maximum,
        )  # fmt: skip
        return
    result.values[indicator.code] = value


def upsert_values(rows: list[tuple[str, str, str, float]], import_id: int) -> Any:
    """Insert or update the values (only those that changed): counts of (inserted, updated).
    ``xmax = 0`` tells an inserted row from an updated one."""
    i = unnest_rows(
        "i",
        indicator=([r[0] for r in rows], Text()),
        period=([r[1] for r in rows], Text()),
        kode=([r[2] for r in rows], Text()),
        value=([r[3] for r in rows], Double()),
    )
    insert = pg_insert(IndicatorValue).from_select(
        ["indicator", "period", "kode", "value", "import_id"],
        select(i.c.indicator, i.c.period, i.c.kode, i.c.value, literal(import_id, BigInteger())),
    )
    written = (
        insert.on_conflict_do_update(
            index_elements=[IndicatorValue.indicator, IndicatorValue.period, IndicatorValue.kode],
            set_={"value": insert.excluded.value, "import_id": insert.excluded.import_id},
            where=IndicatorValue.value.is_distinct_from(insert.excluded.value),
        )
        .returning((literal_column("xmax") == 0).label("inserted"))
        .cte("written")
    )
    return select(func.count().filter(written.c.inserted), func.count().filter(~written.c.inserted))


def write(
    conn: Connection, report: IndicatorImportReport, username: str | None, sample: bool = False
) -> None:
    """Write the values of a checked report (in the caller's transaction)."""
    rows = [
        (indicator, r.period, r.match.area.code, value)
        for r in report.results
        if r.match is not None and r.match.area is not None and r.period
        for indicator, value in r.values.items()
    ]
    import_id = conn.execute(
        sa_insert(IndicatorImport)
        .values(
            source=report.source,
            imported_by=username,
            rows=report.rows,
            values_written=len(rows),
            is_sample=sample,
        )
        .returning(IndicatorImport.id)
    ).scalar_one()
    inserted, updated = conn.execute(upsert_values(rows, import_id)).one()
    report.import_id = int(import_id)
    report.inserted, report.updated = int(inserted), int(updated)
    report.unchanged = len(rows) - report.inserted - report.updated
    report.written = True


def import_indicators(
    engine: Engine,
    catalog: Catalog,
    path: Path,
    *,
    source: str | None = None,
    period: str | None = None,
    scope: str | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    username: str | None = None,
    sample: bool = False,
    column_map: dict[str, str] | None = None,
) -> IndicatorImportReport:
    """Check ``path`` and, unless ``dry_run`` or a row is bad, write its values in one
    transaction. InputError when the file as a whole cannot be used."""
    frame = read_table(path, sheet=sheet)
    with engine.begin() as conn:
        report = check_file(
            conn, catalog, frame, source or path.name, period=period, scope=scope,
            dry_run=dry_run, column_map=column_map,
        )  # fmt: skip
        if report.ok and not dry_run:
            write(conn, report, username, sample)
    return report


def write_match_report(
    report: IndicatorImportReport, path: Path, lang: str = "id", locale: CsvLocale | None = None
) -> None:
    """Every row's match and problems: JSON when ``path`` ends in .json, else CSV (in
    ``locale``, by default the one of ``lang``)."""
    body = report.as_dict(lang)
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    problems: dict[int | None, list[str]] = {}
    for issue in body["issues"]:
        problems.setdefault(issue["row"], []).append(issue["message"])
    header = ["baris", "masukan", "status", "kode", "nama", "kecamatan", "kabkota", "skor",
              "kandidat", "masalah"]  # fmt: skip
    rows = (
        [
            row["baris"],
            " / ".join(row["masukan"].values()),
            row["status"],
            row["kode"],
            row["nama"],
            row["kecamatan"],
            row["kabkota"],
            row["skor"],
            "; ".join(f"{c['nama']} ({c['kode']}, {c['skor']})" for c in row["kandidat"]),
            "; ".join(problems.get(row["baris"], [])),
        ]
        for row in body["rows_detail"]
    )
    with path.open("w", newline="", encoding="utf-8") as handle:
        write_csv(handle, header, rows, csv_locale(locale, lang))
