"""``geoservice import boundaries | facilities | indicators`` and ``geoservice load-demo``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Column, Table

from geoservice.cli.common import (
    LangOption,
    console,
    fail,
    load_layers,
    migrated_engine,
    out,
    progress_bar,
)
from geoservice.i18n import t
from geoservice.i18n.indicators import MATCH_STATUSES
from geoservice.settings import Settings

#: The columns of an import's summary table after the file's.
SUMMARY_COLUMNS = (
    "cli.column.rows",
    "cli.column.loaded",
    "cli.column.new",
    "cli.column.updated",
    "cli.column.unchanged",
    "cli.column.repaired",
    "cli.column.rejected",
)

app = typer.Typer(
    help="Import boundaries, facility points, indicator values or rasters.", no_args_is_help=True
)

ReportOption = Annotated[
    Path | None, typer.Option("--report", help="Write the row-by-row report here (.csv or .json).")
]
SkipBadRowsOption = Annotated[
    bool, typer.Option(help="Load the good rows even when some are rejected.")
]
CrsOption = Annotated[
    str | None, typer.Option(help="CRS of a source without one, e.g. EPSG:32749.")
]
LayerOption = Annotated[str | None, typer.Option(help="Layer of a multi-layer file.")]
ForceCrsOption = Annotated[
    bool, typer.Option("--force-crs", help="Let --crs override the CRS the file declares.")
]


def _summarize(reports: list[Any], lang: str, report_path: Path | None) -> None:
    from geoservice.services.imports.reports import write_reports

    table = Table(
        Column(t("cli.column.file", lang), no_wrap=True),
        *(t(key, lang) for key in SUMMARY_COLUMNS),
    )
    for r in reports:
        table.add_row(
            r.source,
            str(r.rows),
            str(r.loaded if r.written else 0),
            str(r.inserted),
            str(r.updated),
            str(r.unchanged),
            str(r.repaired),
            str(r.rejected),
        )
    out.print(table)
    for r in reports:
        for key, params in r.notes:
            out.print(f"{r.source}: {t(key, lang, **params)}", highlight=False, soft_wrap=True)
        if r.derived:
            label = t("cli.derived", lang)
            out.print(
                f"{r.source}: {label}: {', '.join(r.derived)}", highlight=False, soft_wrap=True
            )
        shown = r.issues[:10]
        for issue in shown:
            where = t("cli.row", lang, row=issue.row) if issue.row else "-"
            code = f" [{issue.code}]" if issue.code else ""
            colour = "red" if issue.severity == "error" else "yellow"
            out.print(
                f"  [{colour}]{r.source} {where}{code}:[/] {issue.message(lang)}", highlight=False
            )
        if len(r.issues) > len(shown):
            more = len(r.issues) - len(shown)
            hint = " (--report FILE)" if report_path is None else ""
            out.print(f"  {t('cli.more', lang, more=more)}{hint}")
        for reason, count in r.reasons().most_common():
            # the first such finding, in the chosen language, stands for the kind
            first = next(i for i in r.issues if i.key == reason and i.severity == "error")
            where = f" ({t('cli.row', lang, row=first.row)})" if first.row else ""
            out.print(f"  {count} × {first.message(lang)}{where}", highlight=False, soft_wrap=True)
    if report_path is not None:
        write_reports(reports, report_path, lang)
        out.print(t("cli.report_written", lang, path=report_path))


@app.command("boundaries")
def import_boundaries_cmd(
    files: Annotated[list[Path], typer.Argument(help="GeoJSON, GPKG, SHP/.zip or GeoParquet.")],
    level: Annotated[
        int | None, typer.Option(min=1, max=4, help="Expected level (1 provinsi … 4 desa).")
    ] = None,
    code_column: Annotated[str | None, typer.Option(help="Kemendagri code column.")] = None,
    name_column: Annotated[str | None, typer.Option(help="Column with the area name.")] = None,
    crs: CrsOption = None,
    force_crs: ForceCrsOption = False,
    layer: LayerOption = None,
    derive_parents: Annotated[
        bool, typer.Option(help="Dissolve children into missing kecamatan/kota (and provinsi).")
    ] = False,
    allow_partial_parents: Annotated[
        bool,
        typer.Option(help="With --derive-parents: also a provinsi from only the file's kab/kota."),
    ] = False,
    kode: Annotated[
        str | None, typer.Option(help="Import only areas whose code starts so, e.g. 31.")
    ] = None,
    skip_bad_rows: SkipBadRowsOption = False,
    report: ReportOption = None,
    lang: LangOption = "id",
) -> None:
    """Import administrative boundaries (upsert by Kemendagri code; all files in one go)."""
    from geoservice.services.imports.boundaries import BoundaryOptions, import_boundaries

    options = BoundaryOptions(
        level=level,
        code_column=code_column,
        name_column=name_column,
        crs=crs,
        force_crs=force_crs,
        layer=layer,
        derive_parents=derive_parents,
        allow_partial_parents=allow_partial_parents,
        kode=kode,
        skip_bad_rows=skip_bad_rows,
    )
    _run_import(Settings(), lang, report, lambda e, p: import_boundaries(e, files, options, p))


def _run_import(
    settings: Settings, lang: str, report_path: Path | None, run: Callable[[Any, Any], Any]
) -> None:
    """Start the database, migrate, run an import with a progress bar, print and save reports."""
    from geoservice.services.imports.readers import InputError

    engine = migrated_engine(settings)
    progress, update = progress_bar()
    try:
        with progress:
            result = run(engine, update)
    except InputError as exc:
        raise fail(exc.message(lang), lang=lang) from exc
    reports = result if isinstance(result, list) else [result]
    _summarize(reports, lang, report_path)
    _finish(reports, lang)


def _finish(reports: list[Any], lang: str) -> None:
    written = any(r.written for r in reports)
    rejected = sum(r.rejected for r in reports)
    if not written and rejected:
        raise fail(t("cli.rows_rejected", lang, rejected=rejected), lang=lang)
    if rejected:
        console.print(f"[yellow]{t('cli.rows_skipped', lang, rejected=rejected)}[/]")


@app.command("facilities")
def import_facilities_cmd(
    layer_id: Annotated[str, typer.Argument(metavar="LAYER", help="Layer id, e.g. posyandu.")],
    file: Annotated[Path, typer.Argument(help="CSV, XLSX, GeoJSON, GPKG, SHP/.zip.")],
    lat_column: Annotated[str | None, typer.Option(help="Latitude column (CSV/XLSX).")] = None,
    lon_column: Annotated[str | None, typer.Option(help="Longitude column (CSV/XLSX).")] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="Column to attribute, e.g. --map NAMOBJ=nama (repeatable)."),
    ] = None,
    crs: CrsOption = None,
    force_crs: ForceCrsOption = False,
    layer: LayerOption = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet of an XLSX file.")] = None,
    status: Annotated[
        str, typer.Option(help="Status of imported points: draft, submitted or verified.")
    ] = "draft",
    user: Annotated[str, typer.Option(help="Recorded as created_by.")] = "import",
    allow_duplicates: Annotated[
        bool, typer.Option(help="Load near-duplicates (still reported as warnings).")
    ] = False,
    id_column: Annotated[
        str | None,
        typer.Option(help="Column of the source's own point ids; a re-import updates them."),
    ] = None,
    skip_bad_rows: SkipBadRowsOption = False,
    report: ReportOption = None,
    lang: LangOption = "id",
) -> None:
    """Import facility points of one layer; each point gets its kelurahan from PostGIS."""
    from geoservice.services.imports.facilities import FacilityOptions, import_facilities

    settings = Settings()
    catalog = load_layers(settings)
    layer_def = catalog.get(layer_id)
    if layer_def is None:
        raise fail(f"unknown layer '{layer_id}'; layers: {', '.join(catalog.layers)}")
    if status not in ("draft", "submitted", "verified"):
        raise fail("--status must be draft, submitted or verified")
    column_map: dict[str, str] = {}
    for item in mapping or []:
        source, sep, target = item.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise fail(f"--map expects SOURCE=ATTRIBUTE, got '{item}'")
        column_map[source.strip()] = target.strip()
    options = FacilityOptions(
        lat_column=lat_column,
        lon_column=lon_column,
        column_map=column_map,
        crs=crs,
        force_crs=force_crs,
        layer=layer,
        sheet=sheet,
        status=status,
        user=user,
        allow_duplicates=allow_duplicates,
        skip_bad_rows=skip_bad_rows,
        id_column=id_column,
    )
    _run_import(
        settings, lang, report, lambda e, p: import_facilities(e, layer_def, file, options, p)
    )


@app.command("indicators")
def import_indicators_cmd(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX, one row per desa/kelurahan.")],
    period: Annotated[
        str | None, typer.Option(help="Period of rows without a periode column, e.g. 2025.")
    ] = None,
    scope: Annotated[
        str | None, typer.Option(help="Match names only within this code, e.g. 16.71.")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet of an XLSX file.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Match and check only; write nothing.")
    ] = False,
    user: Annotated[str, typer.Option(help="Recorded as imported_by.")] = "import",
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write the match report of every row here (.json/.csv)."),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help='Column to indicator, e.g. --map "Jumlah Penduduk=penduduk" (repeatable).'
        ),
    ] = None,
    lang: LangOption = "id",
) -> None:
    """Import indicator values (layers/indicators/); names are matched to the official areas."""
    from geoservice.errors import ServiceError
    from geoservice.services.imports.indicator_columns import parse_column_map
    from geoservice.services.imports.indicators import import_indicators, write_match_report
    from geoservice.services.imports.readers import InputError
    from geoservice.services.indicators.visibility import check_scope

    settings = Settings()
    catalog = load_layers(settings)
    try:
        scope = check_scope(scope) or None
        column_map = parse_column_map(mapping)
    except InputError as exc:  # before its base class: the reason with the label in ``lang``
        raise fail(exc.message(lang), lang=lang) from exc
    except ServiceError as exc:
        raise fail(exc.detail(lang)) from exc
    engine = migrated_engine(settings)
    try:
        result = import_indicators(
            engine, catalog, file, period=period, scope=scope, sheet=sheet, dry_run=dry_run,
            username=user, column_map=column_map,
        )  # fmt: skip
    except InputError as exc:
        raise fail(exc.message(lang), lang=lang) from exc
    summary = result.as_dict(lang)
    for issue in summary["issues"]:
        colour = "red" if issue["severity"] == "error" else "yellow"
        where = t("cli.row", lang, row=issue["row"]) if issue["row"] else t("cli.file_level", lang)
        console.print(f"[{colour}]{where}[/]: {issue['message']}", highlight=False)
    for note in summary["notes"]:
        console.print(note, highlight=False)
    if report is not None:
        write_match_report(result, report, lang)
    matches = ", ".join(
        f"{t(MATCH_STATUSES[k], lang)} {v}" for k, v in sorted(summary["matches"].items())
    )
    summary_line = t(
        "indicator.cli_summary",
        lang,
        source=result.source,
        rows=result.rows,
        matches=matches or "-",
        periods=", ".join(result.periods) or "-",
    )
    out.print(summary_line, highlight=False)
    if result.written:
        values = summary["values"]
        written_line = t(
            "indicator.cli_written",
            lang,
            inserted=values["inserted"],
            updated=values["updated"],
            unchanged=values["unchanged"],
            id=result.import_id,
        )
        out.print(written_line, highlight=False)
    elif not result.ok:
        raise fail(t("cli.errors_nothing_written", lang, errors=summary["errors"]), lang=lang)
    else:
        out.print(t("cli.dry_run", lang))


def load_demo_cmd(
    force: Annotated[bool, typer.Option(help="Load even when the database has areas.")] = False,
) -> None:
    """Load the Kota Kediri demo (boundaries, sample facility points, indicators, rasters)."""
    from geoservice.demo import load_demo

    settings = Settings()
    catalog = load_layers(settings)
    engine = migrated_engine(settings)
    summary = load_demo(engine, catalog, only_if_empty=not force, settings=settings)
    console.print(summary.describe())
