"""The import commands end to end: exit codes, summary and the row-by-row report."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from geoservice.cli import app
from tests.support import KEDIRI_KELURAHAN, KEDIRI_PARENTS, count, read_csv


@pytest.fixture()
def runner(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("GEOSERVICE_DATABASE_URL", database_url)
    return CliRunner()


def test_import_boundaries_then_report_rejections(
    runner: CliRunner, clean_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    files = [str(p) for p in [*KEDIRI_PARENTS, KEDIRI_KELURAHAN]]
    ok = runner.invoke(app, ["import", "boundaries", *files, "--lang", "en"])
    assert ok.exit_code == 0, ok.output
    assert count(clean_db, "SELECT count(*) FROM admin_area") == 51

    bad = kediri.copy()
    bad.loc[9, "kode"] = "35.71.01.0010"
    path = tmp_path / "bad.geojson"
    bad.to_file(path, engine="pyogrio")
    report = tmp_path / "report.csv"
    failed = runner.invoke(app, ["import", "boundaries", str(path), "--report", str(report)])

    assert failed.exit_code == 1
    assert "1 baris ditolak: tidak ada yang disimpan" in failed.output
    rows = read_csv(report.read_bytes(), "id")  # the report of a Bahasa run
    assert [(r["row"], r["code"], r["problem"]) for r in rows] == [
        ("10", "35.71.01.0010", "code.village_kind")
    ]


def test_import_facilities_json_report(
    runner: CliRunner, kediri_db: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "posyandu.csv"
    path.write_text("Nama,Y,X\nPosyandu Dahlia,-7.8166,112.0150\nPosyandu Tukar,112.015,-7.8166\n")
    report = tmp_path / "report.json"
    result = runner.invoke(
        app,
        [
            "import",
            "facilities",
            "posyandu",
            str(path),
            "--map",
            "Nama=nama",
            "--lat-column",
            "Y",
            "--lon-column",
            "X",
            "--skip-bad-rows",
            "--report",
            str(report),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    (body,) = json.loads(report.read_text())
    assert body["written"] and body["inserted"] == 1 and body["rejected"] == 1
    assert body["issues"][0]["row"] == 3 and body["issues"][0]["problem"] == "geom.swapped"
    assert count(kediri_db, "SELECT count(*) FROM facility") == 1

    unknown = runner.invoke(app, ["import", "facilities", "sekolah", str(path)])
    assert unknown.exit_code == 1 and "unknown layer 'sekolah'" in unknown.output


def test_users_and_tokens_commands(runner: CliRunner, kediri_db: Engine) -> None:
    def run(*args: str, stdin: str | None = None) -> Any:
        return runner.invoke(app, list(args), input=stdin)

    added = run(
        "users", "add", "pic.bangsal", "--role", "pic", "--name", "Sri Wahyuni",
        "-k", "35.71.03.1001", "--password-stdin", stdin="sandi-panjang-sekali\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    weak = run("users", "add", "pic.lemah", "--role", "pic", "--password-stdin", stdin="admin\n")
    assert weak.exit_code == 1 and "minimal 10 karakter" in weak.output
    taken = run(
        "users",
        "add",
        "PIC.Bangsal",
        "--role",
        "pic",
        "--password-stdin",
        stdin="kopi-hujan-sawah-17\n",
    )
    assert taken.exit_code == 1 and "sudah dipakai" in taken.output
    bad_role = run("users", "add", "kepala", "--role", "lurah", "--password-stdin", stdin="y" * 12)
    assert bad_role.exit_code == 1 and "admin, pic, planner" in bad_role.output

    granted = run("users", "grant", "pic.bangsal", "35.71.03.1002")
    assert granted.exit_code == 0, granted.output
    unknown = run("users", "grant", "pic.bangsal", "35.71.03.1999", "35.71.03.1003")
    assert unknown.exit_code == 1 and "35.71.03.1999" in unknown.output
    assert count(kediri_db, "SELECT count(*) FROM user_kelurahan") == 2  # nothing half-done
    listed = run("users", "list")
    assert "pic.bangsal" in listed.output and "35.71.03.1001, 35.71.03.1002" in listed.output
    assert run("users", "revoke", "pic.bangsal", "35.71.03.1002").exit_code == 0
    assert count(kediri_db, "SELECT count(*) FROM user_kelurahan") == 1

    token = run("tokens", "create", "pic.bangsal", "--name", "QGIS", "--days", "7")
    assert token.exit_code == 0, token.output
    secret = token.stdout.strip().splitlines()[-1]
    assert secret.startswith("gs_")
    assert count(kediri_db, "SELECT count(*) FROM api_token WHERE secret_hash IS NOT NULL") == 1
    listed_tokens = run("tokens", "list")
    assert "QGIS" in listed_tokens.output and secret not in listed_tokens.output
    assert run("tokens", "revoke", "1").exit_code == 0
    assert run("tokens", "revoke", "99").exit_code == 1

    assert (
        run(
            "users", "set-password", "pic.bangsal", "--password-stdin", stdin="baru-dan-panjang\n"
        ).exit_code
        == 0
    )
    assert run("users", "disable", "pic.bangsal").exit_code == 0
    assert "disabled" in run("users", "list").output
    assert run("users", "disable", "siapa.saja").exit_code == 1


def test_import_indicators_dry_run_then_write(
    runner: CliRunner, kediri_db: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "penduduk.csv"
    path.write_text("kelurahan;penduduk\nKel. Bandar Lor;8.817\nBandar Kidoel;15.927\nBandr;1\n")
    report = tmp_path / "match.json"
    args = ["import", "indicators", str(path), "--period", "2025", "--lang", "en"]
    failed = runner.invoke(app, [*args, "--dry-run", "--report", str(report)])
    assert failed.exit_code == 1, failed.output
    assert "row 4" in failed.output and "nothing was written" in failed.output
    body = json.loads(report.read_text())
    assert [r["status"] for r in body["rows_detail"]] == ["nama", "nama", "unmatched"]
    assert count(kediri_db, "SELECT count(*) FROM indicator_value") == 0

    path.write_text("kelurahan;penduduk\nKel. Bandar Lor;8.817\nBandar Kidoel;15.927\n")
    dry = runner.invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0 and "dry run: nothing was written" in dry.output
    assert count(kediri_db, "SELECT count(*) FROM indicator_value") == 0
    ok = runner.invoke(app, args)
    assert ok.exit_code == 0, ok.output
    assert "written: 2 new" in ok.output
    assert count(kediri_db, "SELECT sum(value) FROM indicator_value") == 8817 + 15927


def test_import_indicators_with_mapped_columns_speaks_bahasa(
    runner: CliRunner, kediri_db: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "kemiskinan.csv"
    path.write_text(
        "Kelurahan;Jumlah Penduduk;Persentase Miskin;Catatan\n"
        "Kel. Bandar Lor;8.817;12,5;-\nBandar Kidoel;15.927;9,75;-\n"
    )
    args = ["import", "indicators", str(path), "--period", "2025"]
    unmapped = runner.invoke(app, args)
    assert unmapped.exit_code == 1
    assert (
        'usulan pemetaan menurut judulnya: --map "Jumlah Penduduk=penduduk" '
        '--map "Persentase Miskin=persen_miskin"'
    ) in " ".join(unmapped.output.split())
    mapped = runner.invoke(
        app,
        [*args, "--map", "Jumlah Penduduk=penduduk", "--map", "Persentase Miskin=persen_miskin"],
    )
    assert mapped.exit_code == 0, mapped.output
    output = " ".join(mapped.output.split())
    assert "kemiskinan.csv: 2 baris (cocok menurut nama 2); periode 2025" in output
    assert "disimpan: 4 baru, 0 berubah, 0 tetap (impor 1)" in output
    assert "kolom berikut bukan indikator atau kunci wilayah dan diabaikan: Catatan" in output
    # nothing English and no Python reprs in the Bahasa output
    words = set(re.findall(r"[a-z]+", output.lower()))
    assert not words & {"row", "rows", "written", "new", "periods", "changed", "unchanged"}
    assert not re.search(r"\[\s*'|\{'", output)
    assert count(kediri_db, "SELECT count(*) FROM indicator_value") == 4


@pytest.mark.usefixtures("kediri_db")
def test_import_facilities_output_in_bahasa_has_no_english(
    runner: CliRunner, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    from tests.services.imports.test_facilities import spots_inside

    bandar_lor = spots_inside(kediri, "35.71.01.1001")
    jamsaren = spots_inside(kediri, "35.71.03.1004")[0]
    path = tmp_path / "kantor.csv"
    path.write_text(
        "nama;lat;lon\n"
        f"EKS KANTOR LURAH BANDAR LOR;{bandar_lor[0][1]};{bandar_lor[0][0]}\n"
        f"KANTOR LURAH BANDAR LOR;{bandar_lor[1][1]};{bandar_lor[1][0]}\n"
        f"KANTOR LURAH TOSAREN;{jamsaren[1]};{jamsaren[0]}\n"
        "Kantor Lurah Entah;7°49'S;112,01\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", "facilities", "kantor_kelurahan", str(path)])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "3 baris ditolak: tidak ada yang disimpan" in output
    assert "dipilih baris 3, yang namanya sesuai kelurahan" in output
    assert "menyebut Tosaren (35.71.03.1003), tetapi titiknya berada di Jamsaren" in output
    assert (
        "1 × koordinat kosong atau bukan angka desimal (kolom lat/lon: '7°49'S / 112,01')" in output
    )
    words = set(re.findall(r"[a-z]+", re.sub(r"--[a-z-]+", "", output.lower())))  # no options
    english = {"row", "rows", "written", "new", "rejected", "report", "point", "duplicate",
               "error", "warning", "the", "of", "is"}  # fmt: skip
    assert not words & english, words & english
    assert not re.search(r"\[\s*'|\{'|\w+\.\w+_\w+", output)  # no reprs, no message keys


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_database_lost_during_an_import_is_one_line_and_nothing_written(
    kediri_db: Engine,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
) -> None:
    """The server ends the import's connection while it writes (as a postmaster crash does):
    one readable line saying nothing was written, not a traceback."""
    from sqlalchemy import text

    from geoservice.__main__ import main

    path = tmp_path / "nilai.csv"
    path.write_text("kode;periode;penduduk\n35.71.01.1001;2025;100\n")
    with kediri_db.begin() as conn:
        conn.execute(
            text(
                "CREATE FUNCTION test_lose_connection() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$; "
                "CREATE TRIGGER test_lose_connection BEFORE INSERT ON indicator_value "
                "FOR EACH STATEMENT EXECUTE FUNCTION test_lose_connection()"
            )
        )
    try:
        monkeypatch.setenv("GEOSERVICE_DATABASE_URL", database_url)
        argv = ["geoservice", "import", "indicators", str(path), "--lang", lang]
        monkeypatch.setattr("sys.argv", argv)
        with pytest.raises(SystemExit) as exited:
            main()
        assert exited.value.code == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err
        [line] = [x for x in err.splitlines() if x.startswith("error:")]
        expected = "nothing was written" if lang == "en" else "tidak ada yang disimpan"
        assert expected in line, err
    finally:
        with kediri_db.begin() as conn:
            conn.execute(text("DROP FUNCTION test_lose_connection() CASCADE"))
    assert count(kediri_db, "SELECT count(*) FROM indicator_value") == 0
