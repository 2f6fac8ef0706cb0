"""Command line: ``geoservice serve | db | migrate | import | load-demo | validate-layers |
users | tokens | backup | restore``.

Commands parse arguments, call the services and print results; they hold no domain logic.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from geoservice.settings import Settings

app = typer.Typer(
    help="geoservice: kelurahan boundaries and facility layers on PostGIS.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="The embedded PostgreSQL + PostGIS cluster.", no_args_is_help=True)
import_app = typer.Typer(
    help="Import boundaries, facility points or indicator values.", no_args_is_help=True
)
users_app = typer.Typer(help="Accounts, roles and kelurahan grants.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for scripts and QGIS.", no_args_is_help=True)
assets_app = typer.Typer(help="Leaflet plugins the map pages serve.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(assets_app, name="assets")

console = Console(stderr=True)
out = Console()

LangOption = Annotated[str, typer.Option("--lang", help="Language of messages: id or en.")]
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


def _fail(message: str, code: int = 1, lang: str = "en") -> typer.Exit:
    label = "kesalahan" if lang == "id" else "error"
    console.print(f"[bold red]{label}:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _cluster(settings: Settings) -> Any:
    from geoservice.cluster import EmbeddedCluster

    return EmbeddedCluster.from_settings(settings)


def _ensure_database(settings: Settings) -> bool:
    """Start the embedded cluster when it is the configured database; True if we started it."""
    if not settings.embedded:
        return False
    from geoservice.cluster import ClusterError

    try:
        started = bool(_cluster(settings).start())
    except ClusterError as exc:
        raise _fail(str(exc)) from exc
    if started:
        console.print(f"PostgreSQL started (data in {settings.data_dir / 'pg'})")
    return started


def _engine(settings: Settings) -> Any:
    from geoservice.db.session import make_engine

    return make_engine(settings)


def _migrated_engine(settings: Settings) -> Any:
    """Start the database if it is the embedded one, apply migrations, return an engine."""
    from geoservice.db.migrations import upgrade

    _ensure_database(settings)
    engine = _engine(settings)
    _refuse_newer(engine)
    upgrade(engine)
    return engine


def _refuse_newer(engine: Any) -> None:
    """Exit 1 when the database was migrated by a newer geoservice (e.g. a restored backup)."""
    from geoservice.db.migrations import DatabaseTooNew, refuse_newer_database

    try:
        refuse_newer_database(engine)
    except DatabaseTooNew as exc:
        raise _fail(str(exc)) from exc


def _catalog(settings: Settings) -> Any:
    """The layer catalog, or exit 1 with the precise errors."""
    from geoservice.catalog import CatalogError, load_catalog

    try:
        return load_catalog(settings.layers_dir)
    except CatalogError as exc:
        raise _fail(str(exc)) from exc


# -- db ------------------------------------------------------------------------------------------


@db_app.command("start")
def db_start() -> None:
    """Create (first time) and start the embedded cluster."""
    settings = Settings()
    if not settings.embedded:
        raise _fail("GEOSERVICE_DATABASE_URL is set: there is no embedded cluster to start")
    _ensure_database(settings)
    console.print(f"PostgreSQL is running on 127.0.0.1:{settings.pg_port}")


@db_app.command("stop")
def db_stop(quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False) -> None:
    """Stop the embedded cluster."""
    settings = Settings()
    if settings.embedded:
        _cluster(settings).stop()
        if not quiet:
            console.print("PostgreSQL stopped")


@db_app.command("status")
def db_status(quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False) -> None:
    """Exit 0 when the embedded cluster is running, 1 when not."""
    settings = Settings()
    running = _cluster(settings).running() if settings.embedded else True
    if not quiet:
        console.print("running" if running else "stopped")
    raise typer.Exit(0 if running else 1)


@db_app.command("url")
def db_url() -> None:
    """Print the SQLAlchemy URL of the configured database (with its password)."""
    out.print(Settings().sqlalchemy_url(), highlight=False, soft_wrap=True)


@db_app.command("generalize")
def db_generalize() -> None:
    """Recompute the tile geometry of every area (the boundary import keeps it up to date)."""
    from geoservice.services.tile_cache import notify_boundaries_changed
    from geoservice.services.tiles import generalize

    engine = _migrated_engine(Settings())
    with engine.begin() as conn:
        rows = generalize(conn)
        notify_boundaries_changed(conn)
    console.print(f"{rows:,} tile geometries written")


# -- migrate, validate-layers ----------------------------------------------------------------------


@app.command()
def migrate() -> None:
    """Apply the alembic migrations (starting the embedded cluster if needed)."""
    from geoservice.db.migrations import current_revision

    engine = _migrated_engine(Settings())
    console.print(f"database at revision {current_revision(engine)}")


@app.command("validate-layers")
def validate_layers(
    layers_dir: Annotated[Path | None, typer.Argument(help="Folder of layer YAML files.")] = None,
) -> None:
    """Check every layers/*.yaml file; exit 1 with precise messages when one is invalid."""
    from geoservice.catalog import CatalogError, load_catalog

    folder = layers_dir or Settings().layers_dir
    try:
        catalog = load_catalog(folder)
    except CatalogError as exc:
        raise _fail(str(exc)) from exc
    table = Table("id", "title", "attributes", "required")
    for layer in catalog:
        table.add_row(
            layer.id,
            layer.title.id,
            ", ".join(layer.attributes),
            ", ".join(k for k, a in layer.attributes.items() if a.required),
        )
    out.print(table)
    out.print(f"{len(catalog)} layer(s) valid in {folder}")
    for form in catalog.profiles.values():
        derived = sum(1 for f in form.fields.values() if f.derived is not None)
        out.print(
            f"profile form {form.id}: {len(form.fields)} field(s) in {len(form.sections)} "
            f"section(s), {derived} derived, per {form.period}"
        )


# -- import --------------------------------------------------------------------------------------


def _progress() -> tuple[Progress, Any]:
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = progress.add_task("import", total=1)

    def update(stage: str, done: int, total: int) -> None:
        progress.update(task, description=stage, completed=done, total=max(total, 1))

    return progress, update


def _summarize(reports: list[Any], lang: str, report_path: Path | None) -> None:
    from geoservice.i18n import t
    from geoservice.services.imports.reports import write_reports

    en = lang == "en"
    table = Table(
        Column("file" if en else "berkas", no_wrap=True),
        "rows" if en else "baris",
        "loaded" if en else "dimuat",
        "new" if en else "baru",
        "updated" if en else "berubah",
        "unchanged" if en else "tetap",
        "repaired" if en else "diperbaiki",
        "rejected" if en else "ditolak",
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
            label = "derived by dissolve" if en else "dibentuk dengan dissolve"
            out.print(
                f"{r.source}: {label}: {', '.join(r.derived)}", highlight=False, soft_wrap=True
            )
        shown = r.issues[:10]
        for issue in shown:
            where = f"row {issue.row}" if en else f"baris {issue.row}"
            where = where if issue.row else "-"
            code = f" [{issue.code}]" if issue.code else ""
            colour = "red" if issue.severity == "error" else "yellow"
            out.print(
                f"  [{colour}]{r.source} {where}{code}:[/] {issue.message(lang)}", highlight=False
            )
        if len(r.issues) > len(shown):
            more = len(r.issues) - len(shown)
            hint = " (--report FILE)" if report_path is None else ""
            out.print(f"  … {more} more{hint}" if en else f"  … {more} lagi{hint}")
        for reason, count in r.reasons().most_common():
            # the first such finding, in the chosen language, stands for the kind
            first = next(i for i in r.issues if i.key == reason and i.severity == "error")
            where = f" ({'row' if en else 'baris'} {first.row})" if first.row else ""
            out.print(f"  {count} × {first.message(lang)}{where}", highlight=False, soft_wrap=True)
    if report_path is not None:
        write_reports(reports, report_path, lang)
        out.print(f"{'report' if en else 'laporan'}: {report_path}")


@import_app.command("boundaries")
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

    engine = _migrated_engine(settings)
    progress, update = _progress()
    try:
        with progress:
            result = run(engine, update)
    except InputError as exc:
        raise _fail(exc.message(lang), lang=lang) from exc
    reports = result if isinstance(result, list) else [result]
    _summarize(reports, lang, report_path)
    _finish(reports, lang)


def _finish(reports: list[Any], lang: str) -> None:
    written = any(r.written for r in reports)
    rejected = sum(r.rejected for r in reports)
    if not written and rejected:
        msg = (
            f"{rejected} row(s) rejected: nothing was written (fix them, or use --skip-bad-rows)"
            if lang == "en"
            else f"{rejected} baris ditolak: tidak ada yang disimpan (perbaiki, atau pakai "
            "--skip-bad-rows)"
        )
        raise _fail(msg, lang=lang)
    if rejected:
        console.print(
            f"[yellow]{rejected} row(s) skipped[/]"
            if lang == "en"
            else f"[yellow]{rejected} baris dilewati[/]"
        )


@import_app.command("facilities")
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
    catalog = _catalog(settings)
    layer_def = catalog.get(layer_id)
    if layer_def is None:
        raise _fail(f"unknown layer '{layer_id}'; layers: {', '.join(catalog.layers)}")
    if status not in ("draft", "submitted", "verified"):
        raise _fail("--status must be draft, submitted or verified")
    column_map: dict[str, str] = {}
    for item in mapping or []:
        source, sep, target = item.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise _fail(f"--map expects SOURCE=ATTRIBUTE, got '{item}'")
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


@import_app.command("profile-form")
def import_profile_form(
    file: Annotated[Path, typer.Argument(help="XLSForm spreadsheet (.xlsx) of a profile form.")],
    layers_dir: Annotated[
        Path | None, typer.Option(help="Layers folder (the form goes to its profiles/).")
    ] = None,
    check: Annotated[bool, typer.Option(help="Only check the spreadsheet; write nothing.")] = False,
) -> None:
    """Check an XLSForm and write it as layers/profiles/<form_id>.yaml (the service picks it up)."""
    from geoservice.catalog import CatalogError, load_catalog
    from geoservice.services.profiles.forms import PROFILE_FOLDER
    from geoservice.services.profiles.xlsform import form_yaml, read_xlsform

    folder = layers_dir or Settings().layers_dir
    try:
        form = read_xlsform(file, load_catalog(folder))
    except CatalogError as exc:
        raise _fail(str(exc)) from exc
    target = folder / PROFILE_FOLDER / f"{form.id}.yaml"
    fields = len(form.fields)
    if check:
        out.print(f"{file}: profile form {form.id} is valid ({fields} field(s)); nothing written")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(form_yaml(form, file.name), encoding="utf-8")
    out.print(f"profile form {form.id} ({fields} field(s)) written to {target}")


@import_app.command("indicators")
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
    from geoservice.i18n import t
    from geoservice.services.imports.indicator_columns import parse_column_map
    from geoservice.services.imports.indicators import import_indicators, write_match_report
    from geoservice.services.imports.readers import InputError
    from geoservice.services.indicators.visibility import check_scope

    settings = Settings()
    catalog = _catalog(settings)
    try:
        scope = check_scope(scope) or None
        column_map = parse_column_map(mapping)
    except ServiceError as exc:
        raise _fail(exc.detail(lang)) from exc
    except InputError as exc:
        raise _fail(exc.message(lang), lang=lang) from exc
    engine = _migrated_engine(settings)
    try:
        result = import_indicators(
            engine, catalog, file, period=period, scope=scope, sheet=sheet, dry_run=dry_run,
            username=user, column_map=column_map,
        )  # fmt: skip
    except InputError as exc:
        raise _fail(exc.message(lang), lang=lang) from exc
    summary = result.as_dict(lang)
    for issue in summary["issues"]:
        colour = "red" if issue["severity"] == "error" else "yellow"
        where = f"baris {issue['row']}" if issue["row"] else "berkas"
        if lang == "en":
            where = f"row {issue['row']}" if issue["row"] else "file"
        console.print(f"[{colour}]{where}[/]: {issue['message']}", highlight=False)
    for note in summary["notes"]:
        console.print(note, highlight=False)
    if report is not None:
        write_match_report(result, report, lang)
    matches = ", ".join(
        f"{t(f'indicator.status.{k}', lang)} {v}" for k, v in sorted(summary["matches"].items())
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
        raise _fail(
            f"{summary['errors']} error(s): nothing was written"
            if lang == "en"
            else f"{summary['errors']} kesalahan: tidak ada yang disimpan",
            lang=lang,
        )
    else:
        out.print(
            "dry run: nothing was written" if lang == "en" else "uji coba: tidak ada yang disimpan"
        )


@app.command("load-demo")
def load_demo_cmd(
    force: Annotated[bool, typer.Option(help="Load even when the database has areas.")] = False,
) -> None:
    """Load the Kota Kediri demo (boundaries and sample facility points)."""
    from geoservice.demo import load_demo

    settings = Settings()
    catalog = _catalog(settings)
    summary = load_demo(_migrated_engine(settings), catalog, only_if_empty=not force)
    console.print(summary.describe())


# -- users and tokens ------------------------------------------------------------------------------

KelurahanOption = Annotated[
    list[str] | None,
    typer.Option("--kelurahan", "-k", help="Kemendagri code of a desa/kelurahan (repeatable)."),
]
PasswordStdinOption = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _accounts(action: Callable[[Any], Any]) -> Any:
    """Run ``action(conn)`` in one transaction; a ServiceError exits 1 with its message."""
    from geoservice.errors import ServiceError

    engine = _migrated_engine(Settings())
    try:
        with engine.begin() as conn:
            return action(conn)
    except ServiceError as exc:
        raise _fail(exc.detail(Settings().language)) from exc


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def users_add(
    username: str,
    role: Annotated[str, typer.Option(help="admin, pic or planner.")],
    name: Annotated[str | None, typer.Option(help="Full name.")] = None,
    kelurahan: KelurahanOption = None,
    password_stdin: PasswordStdinOption = False,
) -> None:
    """Create an account (a PIC with the kelurahan it may edit)."""
    from geoservice.services.accounts import add_user

    password = _read_password(password_stdin)
    _accounts(
        lambda c: add_user(
            c, username, role, password, full_name=name, kelurahan=kelurahan or [], granted_by="cli"
        )
    )
    console.print(f"user {username} ({role}) created")


@users_app.command("list")
def users_list() -> None:
    """Every account with its role, kelurahan and state."""
    from geoservice.services.accounts import list_users

    table = Table("username", "name", "role", "kelurahan", "state")
    for user in _accounts(list_users):
        table.add_row(
            user.username,
            user.full_name or "",
            user.role,
            ", ".join(user.kelurahan),
            "disabled" if user.disabled else "active",
        )
    out.print(table)


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Disable an account: its sessions end and its tokens stop working."""
    from geoservice.services.accounts import set_disabled

    _accounts(lambda c: set_disabled(c, username, True))
    console.print(f"user {username} disabled")


@users_app.command("enable")
def users_enable(username: str) -> None:
    """Enable a disabled account again."""
    from geoservice.services.accounts import set_disabled

    _accounts(lambda c: set_disabled(c, username, False))
    console.print(f"user {username} enabled")


@users_app.command("set-password")
def users_set_password(username: str, password_stdin: PasswordStdinOption = False) -> None:
    """Set a new password (the account's web sessions end)."""
    from geoservice.services.accounts import set_password

    password = _read_password(password_stdin)
    _accounts(lambda c: set_password(c, username, password))
    console.print(f"password of {username} changed")


@users_app.command("grant")
def users_grant(username: str, codes: Annotated[list[str], typer.Argument()]) -> None:
    """Let a PIC edit these desa/kelurahan."""
    from geoservice.services.accounts import grant

    added = _accounts(lambda c: grant(c, username, codes, granted_by="cli"))
    console.print(f"{username} may now edit {', '.join(codes)} ({len(added)} new)")


@users_app.command("revoke")
def users_revoke(username: str, codes: Annotated[list[str], typer.Argument()]) -> None:
    """Take desa/kelurahan away from a PIC."""
    from geoservice.services.accounts import revoke

    removed = _accounts(lambda c: revoke(c, username, codes))
    console.print(f"{username} no longer edits {', '.join(removed) or '(none of them)'}")


@tokens_app.command("create")
def tokens_create(
    username: str,
    name: Annotated[str, typer.Option(help="What it is for, e.g. QGIS.")] = "token",
    days: Annotated[
        int | None, typer.Option(help="Lifetime in days (0 = no expiry; default from settings).")
    ] = None,
) -> None:
    """Create a bearer token; the secret is printed once, on standard output."""
    from geoservice.services.auth import create_token

    settings = Settings()
    token_id, secret = _accounts(lambda c: create_token(c, settings, username, name, days))
    console.print(f"token {token_id} for {username} (shown once; keep it secret):")
    out.print(secret, highlight=False)


@tokens_app.command("list")
def tokens_list(username: Annotated[str | None, typer.Argument()] = None) -> None:
    """Tokens of one user or of everyone (never their secrets)."""
    from geoservice.services.auth import list_tokens

    table = Table("id", "user", "name", "created", "expires", "last used", "state")
    for row in _accounts(lambda c: list_tokens(c, username)):
        table.add_row(
            str(row.id),
            row.username,
            row.name,
            f"{row.created_at:%Y-%m-%d}",
            f"{row.expires_at:%Y-%m-%d}" if row.expires_at else "never",
            f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "-",
            "revoked" if row.revoked else "active",
        )
    out.print(table)


@tokens_app.command("revoke")
def tokens_revoke(token_id: int) -> None:
    """Revoke a token: it stops working at once."""
    from geoservice.services.auth import revoke_token

    _accounts(lambda c: revoke_token(c, token_id))
    console.print(f"token {token_id} revoked")


# -- assets ---------------------------------------------------------------------------------------


@assets_app.command("install")
def assets_install(quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False) -> None:
    """Fetch the pinned npm packages that are missing, verify their hashes, unpack them."""
    from geoservice import assets

    settings = Settings()
    try:
        done = assets.install(settings.assets_dir)
    except assets.AssetError as exc:
        raise _fail(str(exc)) from exc
    for package in done:
        console.print(f"installed {package.name}@{package.version}")
    if not done and not quiet:
        console.print(f"all map assets are installed in {settings.assets_dir}")


@assets_app.command("check")
def assets_check() -> None:
    """Exit 1 when a pinned package is missing (the map pages would lack it)."""
    from geoservice import assets

    missing = assets.missing(Settings().assets_dir)
    if missing:
        names = ", ".join(f"{p.name}@{p.version}" for p in missing)
        raise _fail(f"missing: {names}; run `geoservice assets install`")
    console.print("all map assets are installed")


# -- serve ---------------------------------------------------------------------------------------


# -- backup --------------------------------------------------------------------------------------


@app.command("backup")
def backup_cmd(
    file: Annotated[Path, typer.Argument(help="The backup file to write (a tar file).")],
    lang: LangOption = "id",
) -> None:
    """Back up the database (pg_dump -Fc), the layer and indicator YAML and a note of the
    settings that must match, into one file."""
    from geoservice.i18n import t
    from geoservice.services.backup import BackupError, backup, describe

    settings = Settings()
    _ensure_database(settings)
    try:
        manifest = backup(_engine(settings), settings, file)
    except BackupError as exc:
        raise _fail(str(exc)) from exc
    out.print(
        t("cli.backup_done", lang, file=file, what=describe(manifest["counts"]),
          revision=manifest["revision"], size=f"{file.stat().st_size / 1e6:.1f}"),
        highlight=False, soft_wrap=True,
    )  # fmt: skip
    out.print(t("cli.backup_secret", lang), highlight=False, soft_wrap=True)


@app.command("restore")
def restore_cmd(
    file: Annotated[Path, typer.Argument(help="A file written by `geoservice backup`.")],
    layers_dir: Annotated[
        Path | None,
        typer.Option("--layers-dir", help="Also write the backup's layer and indicator YAML here."),
    ] = None,
    lang: LangOption = "id",
) -> None:
    """Replace the database's content with a backup's (one transaction; stop the service
    first)."""
    from geoservice.i18n import t
    from geoservice.services.backup import BackupError, describe, restore

    settings = Settings()
    _ensure_database(settings)
    try:
        result = restore(_engine(settings), settings, file, layers_dir)
    except BackupError as exc:
        raise _fail(str(exc)) from exc
    manifest = result.manifest
    out.print(
        t("cli.restore_done", lang, file=file, created=manifest["created"],
          what=describe(result.after), before=describe(result.before)),
        highlight=False, soft_wrap=True,
    )  # fmt: skip
    for warning in result.warnings:
        console.print(f"[bold yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)


def _exit_on_signal(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@app.command()
def serve(
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Start the cluster (embedded default), migrate, load the demo when empty, and serve."""
    import uvicorn

    from geoservice.app import UVICORN_LOOP
    from geoservice.db.migrations import upgrade
    from geoservice.demo import load_demo

    settings = Settings()
    catalog = _catalog(settings)
    started = _ensure_database(settings)
    # A SIGTERM (systemd, docker stop, timeout) ends the service as Ctrl-C does, through the
    # `finally` below, which stops the cluster this process started. While uvicorn serves, it
    # finishes the requests in flight first and then raises the signal again, to this handler.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        engine = _engine(settings)
        _refuse_newer(engine)
        upgrade(engine)
        if settings.load_demo:
            summary = load_demo(engine, catalog, only_if_empty=True)
            console.print(summary.describe())
            if settings.development:
                from geoservice.demo import DEMO_PASSWORD, DEMO_USERS, load_demo_users

                load_demo_users(engine)
                names = ", ".join(u.username for u in DEMO_USERS)
                console.print(
                    f"demo accounts (development only): {names}; password {DEMO_PASSWORD}"
                )
        engine.dispose()
        console.print(
            f"geoservice on [bold]http://{settings.host}:{settings.port}[/] (Ctrl-C stops it)"
        )
        uvicorn.run(
            "geoservice.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            reload=reload,
            log_level="info",
            loop=UVICORN_LOOP,
        )
    finally:
        # Stop the cluster only if this process started it (another may be using it).
        if started:
            _cluster(settings).stop()
            console.print("PostgreSQL stopped")


def main() -> None:
    """Entry point of the ``geoservice`` command."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if not _database_went_away(exc):
            raise
        # every command writes in one transaction: a lost connection rolled it back
        from geoservice.i18n import t

        lang = _argv_lang()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        message = t("cli.database_lost", lang, reason=reason[0] if reason else type(exc).__name__)
        console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
        sys.exit(1)


def _argv_lang() -> str:
    """The ``--lang`` of the command line (``id`` without one)."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1] == "en" else "id"
        if arg.startswith("--lang="):
            return "en" if arg.endswith("=en") else "id"
    return "id"


def _database_went_away(exc: BaseException) -> bool:
    """True for the errors of a database that cannot be reached or dropped the connection."""
    import psycopg
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, OperationalError | psycopg.OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


if __name__ == "__main__":
    main()
