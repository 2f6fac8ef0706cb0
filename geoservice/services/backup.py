"""``geoservice backup FILE`` and ``geoservice restore FILE``.

A backup is a tar file holding ``database.dump`` (``pg_dump -Fc`` of the whole database:
boundaries, points with their history, accounts, tokens, sessions, indicators), the layer and
indicator YAML the service ran with (``layers/``), ``manifest.json`` (when, geoservice version,
alembic revision, PostgreSQL and PostGIS versions, row counts, a fingerprint of the secret key)
and ``PENTING.txt``, the settings that must match on the machine it is restored on.

A restore replaces the database's content in one transaction (the public schema dropped and
restored from the dump by ``psql --single-transaction``), so it works the same on an empty
database, a demo-filled one or an older copy, and a failure leaves the database as it was.
pg_dump and psql talk TCP to the configured database (the embedded cluster has no Unix
socket), with the password in the environment, never on a command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, inspect, select, table
from sqlalchemy.engine import make_url

from geoservice import __version__
from geoservice.db.migrations import current_revision, known_revisions
from geoservice.settings import Settings

MANIFEST = "manifest.json"
DUMP = "database.dump"
NOTE = "PENTING.txt"
FORMAT = 1
#: the tables whose rows a backup counts (and a restore reports)
COUNTED = {
    "admin_area": "areas",
    "facility": "points",
    "facility_history": "history rows",
    "app_user": "accounts",
    "api_token": "API tokens",
    "indicator_value": "indicator values",
}


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why, in one line."""


@dataclass(frozen=True)
class RestoreResult:
    """What a restore replaced and what it brought."""

    manifest: dict[str, Any]
    before: dict[str, int]
    after: dict[str, int]
    warnings: list[str]


def secret_fingerprint(settings: Settings) -> str:
    """16 hex digits that tell whether two settings share a secret key (and reveal nothing
    of it): API tokens and sessions only work with the key they were made with."""
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, b"geoservice-backup-fingerprint", hashlib.sha256).hexdigest()[:16]


def _tool(name: str) -> str:
    """pg_dump / pg_restore / psql: of the installed server (the newest), else on PATH."""
    from geoservice.cluster import ClusterError, find_bindir

    try:
        candidate = find_bindir() / name
        if candidate.exists():
            return str(candidate)
    except ClusterError:
        pass
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The libpq URL without its password, and the environment that carries it."""
    url = engine.url.set(drivername="postgresql")
    env = {**os.environ}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    env.pop("PGOPTIONS", None)
    return url.set(password=None).render_as_string(hide_password=False), env


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        return {
            t: int(conn.execute(select(func.count()).select_from(table(t))).scalar_one())
            for t in COUNTED
            if t in present
        }


def _run(
    command: list[str], env: dict[str, str], stdout: int = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    """Run a PostgreSQL tool; BackupError with its first error line when it fails."""
    result = subprocess.run(command, env=env, stdout=stdout, stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        lines = [
            line
            for line in result.stderr.decode(errors="replace").splitlines()
            if line.strip() and not line.startswith(("DETAIL", "HINT", "CONTEXT", "LINE"))
        ]
        raise BackupError(f"{Path(command[0]).name} failed: " + (lines[0] if lines else "?"))
    return result


def backup(engine: Engine, settings: Settings, target: Path) -> dict[str, Any]:
    """Write the backup of the database and the layer files to ``target``; its manifest."""
    url, env = _libpq(engine)
    with engine.connect() as conn:
        versions = conn.execute(
            select(func.current_setting("server_version"), func.postgis_lib_version())
        ).one()
    manifest = {
        "format": FORMAT,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "geoservice": __version__,
        "revision": current_revision(engine),
        "database": make_url(url).database,
        "postgresql": versions[0],
        "postgis": versions[1],
        "counts": _counts(engine),
        "secret_key_fingerprint": secret_fingerprint(settings),
    }
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / DUMP
        # one snapshot of the whole database (pg_dump runs in one repeatable-read transaction)
        _run([_tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(dump), url], env)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            _add_bytes(tar, NOTE, _note(manifest).encode())
            tar.add(dump, DUMP)
            for path in sorted(settings.layers_dir.rglob("*.yaml")):
                tar.add(path, "layers/" + path.relative_to(settings.layers_dir).as_posix())
        partial.replace(target)  # never a half-written backup under the name asked for
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _note(manifest: dict[str, Any]) -> str:
    return (
        f"Cadangan geoservice {manifest['geoservice']} ({manifest['created']}), revisi basis "
        f"data {manifest['revision']}, PostgreSQL {manifest['postgresql']}, PostGIS "
        f"{manifest['postgis']}.\n\n"
        "Pulihkan dengan: geoservice restore BERKAS\n\n"
        "Pengaturan yang harus sama di mesin tujuan / settings that must match:\n"
        "- GEOSERVICE_SECRET_KEY: token API dan sesi hanya berlaku dengan kunci yang sama "
        f"(sidik jari {manifest['secret_key_fingerprint']}); API tokens and sessions only work "
        "with the same key.\n"
        "- GEOSERVICE_LAYERS_DIR: berkas layer dan indikator di folder layers/ cadangan ini "
        "(restore --layers-dir menuliskannya); the layer and indicator YAML of layers/.\n"
        "- Versi geoservice sama atau lebih baru (revisi migrasi); PostGIS 3.\n"
    )


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of a backup file; BackupError when it is not one."""
    try:
        with tarfile.open(source) as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.loads(member.read())
    except (tarfile.TarError, KeyError, ValueError, OSError) as exc:
        raise BackupError(f"{source} is not a geoservice backup ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: backup format {manifest.get('format')} is not known")
    return manifest


def restore(
    engine: Engine, settings: Settings, source: Path, layers_dir: Path | None = None
) -> RestoreResult:
    """Replace the database's content with the backup's, in one transaction."""
    manifest = read_manifest(source)
    warnings = []
    if manifest["revision"] not in known_revisions():
        warnings.append(
            f"the backup's database revision {manifest['revision']} is newer than this "
            "geoservice: the service will refuse to start until it is updated"
        )
    if manifest["secret_key_fingerprint"] != secret_fingerprint(settings):
        warnings.append(
            "GEOSERVICE_SECRET_KEY differs from the backup's: its API tokens and sessions "
            "will not work (set the key it was made with)"
        )
    url, env = _libpq(engine)
    before = _counts(engine)
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(source) as tar:
            tar.extract(DUMP, folder, filter="data")
            if layers_dir is not None:
                members = [m for m in tar.getmembers() if m.name.startswith("layers/")]
                for member in members:
                    member.name = member.name.removeprefix("layers/")
                tar.extractall(layers_dir, members=members, filter="data")
        script = Path(folder) / "restore.sql"
        _run(
            [_tool("pg_restore"), "--no-owner", "--no-privileges", "-f", str(script)]
            + [str(Path(folder) / DUMP)],
            env,
        )
        prelude = (
            # a running service holds locks: fail in seconds instead of waiting for it
            "SET lock_timeout = '5s'; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;"
        )
        engine.dispose()  # our own pooled connections must not hold anything either
        _run(
            [_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
            + ["-c", prelude, "-f", str(script), "-d", url],
            env,
            stdout=subprocess.DEVNULL,
        )
    after = _counts(engine)
    return RestoreResult(manifest, before, after, warnings)


def describe(counts: dict[str, int]) -> str:
    """``46 areas, 120 points, ...`` (empty: ``nothing``)."""
    parts = [f"{counts[t]:,} {label}" for t, label in COUNTED.items() if t in counts]
    return ", ".join(parts) if parts and any(counts.values()) else "nothing"
