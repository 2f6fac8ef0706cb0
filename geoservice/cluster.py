"""The embedded PostgreSQL + PostGIS cluster that ``./scripts/run`` and ``./scripts/test`` manage.

The cluster lives under ``<data_dir>/pg`` and listens on 127.0.0.1 only, on its own port, so it
never collides with a system PostgreSQL. It uses the Debian server binaries
(``/usr/lib/postgresql/<version>/bin``). PostgreSQL refuses to run as root, so when we are root the
cluster is owned by and run as the ``postgres`` system user.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import stat
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from geoservice.settings import to_sqlalchemy_url

if TYPE_CHECKING:
    from geoservice.settings import Settings

DATABASE = "geoservice"
SUPERUSER = "geoservice"


class ClusterError(RuntimeError):
    """The embedded cluster cannot be created, started or stopped; the message says why."""


def database_url(settings: Settings) -> str:
    """SQLAlchemy URL of the configured database (psycopg 3 driver named): the
    ``GEOSERVICE_DATABASE_URL`` server's, or the embedded cluster's (its password read from, or
    first written to, ``data_dir``)."""
    if settings.database_url:
        return to_sqlalchemy_url(settings.database_url)
    return EmbeddedCluster.from_settings(settings).url()


def find_bindir() -> Path:
    """The newest installed PostgreSQL server ``bin`` directory."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not candidates:
        found = shutil.which("pg_ctl")
        if found:
            return Path(found).resolve().parent
        raise ClusterError(
            "PostgreSQL server binaries not found. Install them with: "
            "sudo apt-get install -y postgresql postgresql-contrib postgresql-<version>-postgis-3"
        )
    return candidates[-1].parent


@dataclass
class EmbeddedCluster:
    """A project-local PostgreSQL cluster under ``data_dir``."""

    data_dir: Path
    port: int
    #: more server options for ``pg_ctl start -o`` (a standby's apply delay)
    options: list[str] = field(default_factory=list, kw_only=True)

    @classmethod
    def from_settings(cls, settings: Settings) -> EmbeddedCluster:
        """The cluster the settings describe."""
        return cls(data_dir=settings.data_dir.resolve(), port=settings.pg_port)

    @property
    def pgdata(self) -> Path:
        """The PostgreSQL data directory."""
        return self.data_dir / "pg"

    @property
    def password_file(self) -> Path:
        """Where the generated superuser password is kept (mode 0600)."""
        return self.data_dir / "pg-password"

    @property
    def log_file(self) -> Path:
        """The server log."""
        return self.data_dir / "postgresql.log"

    def password(self) -> str:
        """The superuser password, generated on first use."""
        if not self.password_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.password_file.write_text(secrets.token_urlsafe(24))
            self.password_file.chmod(0o600)
        return self.password_file.read_text().strip()

    def url(self, database: str = DATABASE) -> str:
        """SQLAlchemy URL of ``database`` on this cluster."""
        return (
            f"postgresql+psycopg://{SUPERUSER}:{quote(self.password(), safe='')}"
            f"@127.0.0.1:{self.port}/{database}"
        )

    # -- running commands -------------------------------------------------------------------

    def _run_as_owner(self) -> list[str]:
        if os.geteuid() != 0:
            return []
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise ClusterError(
                "running as root needs the 'postgres' system user (created by the Debian "
                "postgresql package) to own the cluster"
            ) from exc
        return ["runuser", "-u", "postgres", "--"]

    def _pg(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [*self._run_as_owner(), str(find_bindir() / tool), *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, start_new_session=True)
        if check and proc.returncode != 0:
            raise ClusterError(
                f"{tool} failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()}"
            )
        return proc

    def _hand_to_postgres(self) -> None:
        """When root: let the postgres user own the data folder and reach it."""
        if os.geteuid() != 0:
            return
        entry = pwd.getpwnam("postgres")
        for path in (self.data_dir, self.pgdata):
            path.mkdir(parents=True, exist_ok=True)
            os.chown(path, entry.pw_uid, entry.pw_gid)
        self.data_dir.chmod(0o700)
        if not self._postgres_can_reach(self.data_dir):
            self._grant_traverse(self.data_dir)
        if not self._postgres_can_reach(self.data_dir):
            raise ClusterError(
                f"the postgres system user cannot reach {self.data_dir}: a parent folder is not "
                "traversable (chmod o+x it) or set GEOSERVICE_DATA_DIR to a folder it can reach"
            )

    @staticmethod
    def _postgres_can_reach(path: Path) -> bool:
        probe = subprocess.run(
            ["runuser", "-u", "postgres", "--", "test", "-x", str(path)], capture_output=True
        )
        return probe.returncode == 0

    @staticmethod
    def _grant_traverse(path: Path) -> None:
        """Let others pass through (o+x, not list) the folders above ``path``, e.g. /root.

        Needed when a root user keeps the checkout in a private home folder (CI does):
        PostgreSQL refuses to run as root, and the postgres user must reach its data.
        """
        for parent in reversed(path.parents):
            mode = parent.stat().st_mode
            if not mode & stat.S_IXOTH:
                parent.chmod(mode | stat.S_IXOTH)
                print(f"geoservice: granted traverse (o+x) on {parent} for the postgres user")  # noqa: T201

    # -- lifecycle --------------------------------------------------------------------------

    def initialized(self) -> bool:
        """True once ``initdb`` has run."""
        return (self.pgdata / "PG_VERSION").exists()

    def init(self) -> None:
        """Create the cluster (once)."""
        if self.initialized():
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        password = self.password()
        self._hand_to_postgres()
        pwfile = self.data_dir / "initdb-pw"
        pwfile.write_text(password)
        try:
            if os.geteuid() == 0:
                entry = pwd.getpwnam("postgres")
                os.chown(pwfile, entry.pw_uid, entry.pw_gid)
            pwfile.chmod(0o600)
            self._pg(
                "initdb",
                "-D",
                str(self.pgdata),
                "-U",
                SUPERUSER,
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
        finally:
            pwfile.unlink(missing_ok=True)
        with (self.pgdata / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# geoservice embedded cluster\n"
                "listen_addresses = '127.0.0.1'\n"
                f"port = {self.port}\n"
                "unix_socket_directories = ''\n"
                "jit = off\n"
                "shared_buffers = 256MB\n"
                "work_mem = 32MB\n"
                "maintenance_work_mem = 256MB\n"
                "max_wal_size = 2GB\n"
                "fsync = on\n"
                # hot standbys (`geoservice db replica start`): streamed WAL, room for the
                # connection pools of several workers (see geoservice.db.servers)
                "wal_level = replica\n"
                "max_wal_senders = 10\n"
                "wal_keep_size = 512MB\n"
                "hot_standby = on\n"
                "max_connections = 200\n"
            )
        # initdb's pg_hba.conf already admits replication connections from 127.0.0.1 with
        # the password (scram-sha-256), which is what pg_basebackup and the standby use

    def running(self) -> bool:
        """True when the server of this data folder is up."""
        if not self.initialized():
            return False
        return self._pg("pg_ctl", "status", "-D", str(self.pgdata), check=False).returncode == 0

    def start(self) -> bool:
        """Create (if needed) and start the cluster and its database. False if already running."""
        self.init()
        if self.running():
            self.ensure_database()
            return False
        self.log_file.touch()
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.log_file, entry.pw_uid, entry.pw_gid)
        proc = self._pg(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.pgdata),
            "-l",
            str(self.log_file),
            "-o",
            " ".join([f"-p {self.port}", *self.options]),
            check=False,
        )
        if proc.returncode != 0:
            tail = "\n".join(self.log_file.read_text(errors="replace").splitlines()[-15:])
            raise ClusterError(f"PostgreSQL did not start (log {self.log_file}):\n{tail}")
        self.ensure_database()
        return True

    def stop(self) -> None:
        """Stop the server (fast shutdown: running transactions are rolled back)."""
        if self.running():
            self._pg("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.pgdata))

    def ensure_database(self, name: str = DATABASE) -> None:
        """Create ``name`` if it does not exist."""
        import psycopg
        from psycopg import sql

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(
                    self.url("postgres").replace("postgresql+psycopg", "postgresql"),
                    autocommit=True,
                    connect_timeout=5,
                ) as conn:
                    exists = conn.execute(
                        "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
                    ).fetchone()
                    if not exists:
                        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)


@dataclass
class StandbyCluster(EmbeddedCluster):
    """A hot standby of an embedded cluster on its own port, under
    ``<primary data_dir>/standby-<port>``: a ``pg_basebackup -R`` copy that streams the
    primary's WAL (PostgreSQL's own replication) and answers read-only queries."""

    primary: EmbeddedCluster

    @classmethod
    def of(cls, primary: EmbeddedCluster, port: int, delay: str = "0") -> StandbyCluster:
        """The standby of ``primary`` on ``port``, applying each commit ``delay`` late (a
        PostgreSQL duration: ``0``, ``500ms``, ``3s``, ``1min``)."""
        if not re.fullmatch(r"[0-9]{1,9}(ms|s|min|h)?", delay):
            raise ClusterError(f"not a delay: {delay!r} (e.g. 0, 500ms, 3s, 1min)")
        options = [f"-c recovery_min_apply_delay={delay}"]
        return cls(primary.data_dir / f"standby-{port}", port, primary, options=options)

    @property
    def password_file(self) -> Path:
        """The primary's: a standby is a copy of it, its accounts included."""
        return self.primary.password_file

    def init(self) -> None:
        """Copy the running primary (once) with ``pg_basebackup -R``."""
        if self.initialized():
            return
        if not self.primary.running():
            raise ClusterError("the primary cluster is not running: start it first")
        self._hand_to_postgres()
        conninfo = (
            f"host=127.0.0.1 port={self.primary.port} user={SUPERUSER} "
            f"password={self.password()} application_name=standby-{self.port}"
        )
        try:
            self._pg(
                "pg_basebackup", "-D", str(self.pgdata), "-R", "-X", "stream", "-c", "fast",
                "-d", conninfo,
            )  # fmt: skip
        except ClusterError:
            shutil.rmtree(self.pgdata, ignore_errors=True)
            raise
        self.pgdata.chmod(0o700)  # PostgreSQL refuses a data folder others can read
        with (self.pgdata / "postgresql.conf").open("a") as conf:
            conf.write(f"\n# geoservice standby\nport = {self.port}\n")

    def ensure_database(self, name: str = DATABASE) -> None:
        """Wait until the standby accepts read-only connections (it cannot create a database)."""
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(
                    self.url().replace("postgresql+psycopg", "postgresql"), connect_timeout=5
                ):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.25)

    def remove(self) -> None:
        """Stop the standby and delete its copy."""
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)
