"""Row-by-row import reports: what was loaded, repaired and rejected, and why.

Both importers fill an :class:`ImportReport`; the CLI prints its summary and ``--report FILE``
writes every issue as CSV or JSON, in Bahasa Indonesia or English.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from geoservice.errors import FieldProblem, Severity
from geoservice.i18n import t
from geoservice.services.exports import CsvLocale, csv_locale, write_csv


@dataclass
class ImportReport:
    """The outcome of one import of one file."""

    source: str
    kind: Literal["boundaries", "facilities"]
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    repaired: int = 0
    #: near-duplicates of stored points left for the walidata (``review_item``)
    reviews: int = 0
    derived: list[str] = field(default_factory=list)
    issues: list[FieldProblem] = field(default_factory=list)
    written: bool = False
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        """Rows written or already identical in the database."""
        return self.inserted + self.updated + self.unchanged

    @property
    def rejected_rows(self) -> list[int]:
        """Row numbers with at least one error."""
        return sorted({i.row for i in self.issues if i.severity == "error" and i.row is not None})

    @property
    def rejected(self) -> int:
        """How many rows were rejected."""
        return len(self.rejected_rows) + sum(
            1 for i in self.issues if i.severity == "error" and i.row is None
        )

    def add(
        self,
        row: int | None,
        key: str,
        *,
        severity: Severity = "error",
        code: str | None = None,
        column: str | None = None,
        attribute: FieldProblem | None = None,
        **params: Any,
    ) -> FieldProblem:
        """Record an issue; ``attribute``, an attribute's problem, keeps its message."""
        issue = (
            replace(attribute, row=row, severity=severity, code=code)
            if attribute is not None
            else FieldProblem(column, key, params, row=row, severity=severity, code=code)
        )
        self.issues.append(issue)
        return issue

    def sort(self) -> None:
        """Order issues by row (file-level issues last), keeping the order within a row."""
        self.issues.sort(key=lambda i: (i.row is None, i.row or 0))

    def reasons(self) -> Counter[str]:
        """Rejected rows counted by the kind of their first error, for the summary."""
        first: dict[int | None, str] = {}
        for issue in self.issues:
            if issue.severity == "error" and issue.row not in first:
                first[issue.row] = issue.key
        return Counter(first.values())

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        """Summary and issues, JSON-ready."""
        return {
            "source": self.source,
            "kind": self.kind,
            "written": self.written,
            "rows": self.rows,
            "loaded": self.loaded if self.written else 0,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "repaired": self.repaired,
            "reviews": self.reviews,
            "rejected": self.rejected,
            "derived": self.derived,
            "notes": [t(key, lang, **params) for key, params in self.notes],
            "issues": [i.as_dict(lang) for i in self.issues],
        }


def write_reports(
    reports: list[ImportReport], path: Path, lang: str = "id", locale: CsvLocale | None = None
) -> None:
    """Write the issues of ``reports`` to ``path``: JSON when it ends in .json, else CSV (in
    ``locale``, by default the one of ``lang``)."""
    if path.suffix.lower() == ".json":
        path.write_text(
            json.dumps([r.as_dict(lang) for r in reports], ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        return
    with path.open("w", newline="", encoding="utf-8") as handle:
        header = ["source", "row", "code", "column", "severity", "problem", "message"]
        rows = (
            [report.source, i.row, i.code, i.column, i.severity, i.key, i.message(lang)]
            for report in reports
            for i in report.issues
        )
        write_csv(handle, header, rows, csv_locale(locale, lang))
