"""The import commands end to end: exit codes, summary and the row-by-row report."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from geoservice.__main__ import app
from tests.conftest import KEDIRI_KELURAHAN, KEDIRI_PARENTS, count


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
    with report.open() as handle:
        rows = list(csv.DictReader(handle))
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
