"""``geoservice backup`` and ``geoservice restore``: a round trip gives back every table
exactly (points, history, accounts, tokens, indicators, sequences), into an empty database and
into one the demo filled; a database migrated by a newer geoservice is refused."""

from __future__ import annotations

import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from geoservice.cli import app
from geoservice.db.migrations import DatabaseTooNew, upgrade
from geoservice.db.session import make_engine
from tests.api.editing_world import World, build_world
from tests.factories import fresh_demo
from tests.support import app_client, create_database, drop_database


def checksums(engine: Engine) -> dict[str, str]:
    """md5 of every row of every table of the public schema, and every sequence's state."""
    with engine.connect() as conn:
        tables = conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'spatial_ref_sys' ORDER BY 1"
            )
        ).scalars()
        sums = {
            table: conn.execute(
                text(
                    "SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' "
                    f"ORDER BY t::text), '')) FROM public.{table} t"
                )
            ).scalar_one()
            for table in list(tables)
        }
        for sequence in conn.execute(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
        ).scalars():
            state = conn.execute(text(f"SELECT last_value, is_called FROM public.{sequence}"))
            sums[sequence] = str(state.one())
    return sums


@pytest.fixture(scope="module")
def world(engine: Engine, database_url: str) -> World:
    return build_world(engine, database_url)


@pytest.fixture()
def other_database(server_url: str) -> Iterator[str]:
    url = create_database(server_url, prefix="geoservice_restore")
    yield url
    drop_database(server_url, url)


def _cli(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"GEOSERVICE_DATABASE_URL": url})
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def backup_file(
    world: World, engine: Engine, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, str]]:
    """A backup of the editing world (demo, accounts, tokens, an edited point's history)."""
    fid = world.point(status="verified")
    with engine.begin() as conn:  # a second version in the point's history
        conn.execute(
            text("UPDATE facility SET status = 'submitted', version = version + 1 WHERE id = :i"),
            {"i": fid},
        )
    path = tmp_path_factory.mktemp("backup") / "kediri.tar"
    code, output = _cli(database_url, "backup", str(path), "--lang", "en")
    assert code == 0, output
    assert "backup" in output and "GEOSERVICE_SECRET_KEY" in output
    return path, checksums(engine)


def test_a_backup_holds_the_dump_the_layers_and_a_note(
    backup_file: tuple[Path, dict[str, str]],
) -> None:
    path, sums = backup_file
    with tarfile.open(path) as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        note = tar.extractfile("PENTING.txt").read().decode()  # type: ignore[union-attr]
    assert {"database.dump", "layers/posyandu.yaml", "layers/indicators/penduduk.yaml"} <= names
    assert manifest["counts"]["app_user"] == int(sums["app_user"].split(":")[0]) > 0
    assert manifest["counts"]["api_token"] > 0 and manifest["counts"]["indicator_value"] > 0
    assert "GEOSERVICE_SECRET_KEY" in note and manifest["secret_key_fingerprint"] in note


@pytest.mark.parametrize("target", ["empty", "demo"])
def test_restore_gives_back_every_table_exactly(
    backup_file: tuple[Path, dict[str, str]], other_database: str, world: World, target: str
) -> None:
    path, expected = backup_file
    other = make_engine(other_database)
    if target == "demo":
        upgrade(other)
        fresh_demo(other)
        assert checksums(other) != expected
    code, output = _cli(other_database, "restore", str(path), "--lang", "en")
    assert code == 0, output
    assert "restored" in output and "was replaced entirely" in output
    if target == "demo":
        assert "(51 areas, 566 points" in output  # what the demo had
    assert checksums(other) == expected
    other.dispose()
    # the accounts' API tokens work on the restored database (same secret key)
    with app_client(other_database) as client:
        response = client.get("/auth/me", headers=world.headers("admin"))
        assert response.status_code == 200, response.text


def test_a_database_newer_than_the_code_is_refused(
    backup_file: tuple[Path, dict[str, str]], other_database: str
) -> None:
    path, _ = backup_file
    assert _cli(other_database, "restore", str(path))[0] == 0
    other = make_engine(other_database)
    with other.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    other.dispose()
    with pytest.raises(DatabaseTooNew, match="ffffffffffff"):
        with app_client(other_database):
            pass
    code, output = _cli(other_database, "migrate")
    assert code == 1 and "ffffffffffff" in output, output


def test_restore_refuses_a_file_that_is_no_backup(tmp_path: Path, other_database: str) -> None:
    path = tmp_path / "not.tar"
    path.write_bytes(b"not a tar file")
    code, output = _cli(other_database, "restore", str(path), "--lang", "en")
    assert code == 1 and "is not a geoservice backup" in output, output
