"""Boundary import on real Kota Kediri data, every supported format, every rejection."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from sqlalchemy import Engine, text

from geoservice.db.models import GENERALIZED_BANDS
from geoservice.services.imports.boundaries import BoundaryOptions, import_boundaries
from geoservice.services.imports.readers import InputError
from geoservice.services.imports.reports import ImportReport
from tests.support import (
    CITIES,
    JAWA_TIMUR,
    KEDIRI_KECAMATAN,
    KEDIRI_PARENTS,
    count,
    table_fingerprint,
)


def _write(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    if path.suffix == ".parquet":
        gdf.to_parquet(path)
    elif path.suffix == ".zip":
        shp_dir = path.parent / "shp"
        shp_dir.mkdir()
        gdf.to_file(shp_dir / "kelurahan.shp", engine="pyogrio")
        with zipfile.ZipFile(path, "w") as archive:
            for part in shp_dir.iterdir():
                archive.write(part, part.name)
    else:
        gdf.to_file(path, engine="pyogrio")
    return path


def _parents(engine: Engine) -> None:
    reports = import_boundaries(engine, KEDIRI_PARENTS)
    assert all(r.written for r in reports), [r.as_dict("en") for r in reports]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp", ".zip", ".parquet"])
def test_each_format_loads_all_46_kelurahan(
    clean_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path, suffix: str
) -> None:
    _parents(clean_db)
    path = _write(kediri, tmp_path / f"kelurahan{suffix}")

    (report,) = import_boundaries(clean_db, [path])

    assert report.written and report.rejected == 0
    assert report.inserted == 46
    assert count(clean_db, "SELECT count(*) FROM admin_area WHERE level = 4") == 46
    # the stored polygons are the source polygons
    area = count(
        clean_db,
        "SELECT round(sum(ST_Area(geom::geography)) / 1e4) FROM admin_area WHERE level = 4",
    )
    assert area == pytest.approx(kediri.to_crs(32749).area.sum() / 1e4, rel=1e-3)


def test_any_crs_is_reprojected(clean_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path) -> None:
    _parents(clean_db)
    path = _write(kediri.to_crs(32749), tmp_path / "utm49s.gpkg")

    (report,) = import_boundaries(clean_db, [path])

    assert report.inserted == 46
    assert ("file.reprojected", {"crs": "EPSG:32749"}) in report.notes
    with clean_db.connect() as conn:
        x, y = conn.execute(
            text(
                "SELECT ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM admin_area "
                "WHERE code = '35.71.01.1001'"
            )
        ).one()
    original = kediri.set_index("kode").loc["35.71.01.1001"].geometry.centroid
    assert (x, y) == pytest.approx((original.x, original.y), abs=1e-6)


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_missing_crs_needs_option_when_not_degrees(
    clean_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = _write(kediri.to_crs(32749).set_crs(None, allow_override=True), tmp_path / "x.shp")
    with pytest.raises(InputError) as err:
        import_boundaries(clean_db, [path])
    assert err.value.key == "file.projected_without_crs"
    message = err.value.message("en")
    assert message.startswith(f"the coordinates of {path} are not degrees (x ")
    assert "EPSG:32749 (UTM 49S: Jawa Tengah, Yogyakarta, Jawa Timur" in message
    (report,) = import_boundaries(
        clean_db,
        [path],
        BoundaryOptions(crs="EPSG:32749", derive_parents=True, allow_partial_parents=True),
    )
    assert report.written


def test_rbi_columns_and_bare_digit_codes(
    clean_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    """BIG RBI style: KDEPUM/WADMKD/WADMKC; codes without dots; kecamatan derived with names."""
    rbi = gpd.GeoDataFrame(
        {
            "KDEPUM": kediri["kode"].str.replace(".", "", regex=False),
            "WADMKD": kediri["nama"],
            "WADMKC": kediri["kode"]
            .str[:8]
            .map({"35.71.01": "Mojoroto", "35.71.02": "Kota", "35.71.03": "Pesantren"}),
        },
        geometry=kediri.geometry,
        crs=4326,
    )
    path = _write(rbi, tmp_path / "rbi.gpkg")
    import_boundaries(clean_db, KEDIRI_PARENTS[:2])  # provinsi and kota only

    (report,) = import_boundaries(
        clean_db, [path], BoundaryOptions(derive_parents=True, allow_partial_parents=True)
    )

    assert report.written, report.as_dict("en")
    assert sorted(report.derived) == ["35.71.01", "35.71.02", "35.71.03"]
    with clean_db.connect() as conn:
        rows = conn.execute(
            text("SELECT code, name, derived FROM admin_area WHERE level = 3 ORDER BY code")
        ).all()
        assert rows == [
            ("35.71.01", "Mojoroto", True),
            ("35.71.02", "Kota", True),
            ("35.71.03", "Pesantren", True),
        ]
        # the derived kecamatan is exactly the union of its kelurahan
        diff = conn.execute(
            text(
                "SELECT ST_Area(ST_SymDifference(k.geom, (SELECT ST_Union(geom) FROM admin_area "
                "WHERE parent_code = '35.71.01'))) FROM admin_area k WHERE code = '35.71.01'"
            )
        ).scalar_one()
    assert diff == pytest.approx(0, abs=1e-12)


def test_swapped_and_out_of_bounds_rows_are_rejected_with_row_numbers(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    bad = kediri.copy()
    bad.loc[2, "geometry"] = shapely.transform(bad.geometry[2], lambda xy: xy[:, ::-1])
    bad.loc[5, "geometry"] = shapely.affinity.translate(bad.geometry[5], xoff=-70)  # Atlantic
    bad.loc[7, "kode"] = "35.71.01.9001"
    bad.loc[9, "nama"] = "Bandar\x07Lor"  # a control character (NUL would be cut by GDAL)
    path = _write(bad, tmp_path / "bad.geojson")
    before = table_fingerprint(kediri_db)

    (report,) = import_boundaries(kediri_db, [path])

    errors = {(i.row, i.key) for i in report.issues if i.severity == "error"}
    assert errors == {
        (3, "geom.swapped"),
        (6, "geom.outside_indonesia"),
        (8, "code.village_kind"),
        (10, "area.name_control"),
    }
    assert not report.written
    assert table_fingerprint(kediri_db) == before  # nothing written, nothing changed
    swapped = next(i for i in report.issues if i.row == 3)
    assert "swapped" in swapped.message("en") and "tertukar" in swapped.message("id")


def test_skip_bad_rows_loads_the_others(
    clean_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    _parents(clean_db)
    bad = kediri.copy()
    bad.loc[0, "geometry"] = None
    bad.loc[1, "nama"] = "  "
    path = _write(bad, tmp_path / "bad.gpkg")

    (report,) = import_boundaries(clean_db, [path], BoundaryOptions(skip_bad_rows=True))

    assert report.written
    assert report.rejected_rows == [1, 2]
    assert report.inserted == 44
    assert count(clean_db, "SELECT count(*) FROM admin_area WHERE level = 4") == 44


def test_invalid_geometry_is_repaired_and_reported(
    clean_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    _parents(clean_db)
    bowtie = kediri.copy()
    minx, miny, maxx, maxy = bowtie.geometry[0].bounds
    bowtie.loc[0, "geometry"] = shapely.Polygon(
        [(minx, miny), (maxx, maxy), (maxx, miny), (minx, maxy), (minx, miny)]
    )
    path = _write(bowtie, tmp_path / "bowtie.geojson")

    (report,) = import_boundaries(clean_db, [path])

    assert report.written and report.repaired == 1
    (issue,) = report.issues
    assert (issue.row, issue.severity, issue.key) == (1, "warning", "geom.repaired")
    assert "Self-intersection" in issue.message("en")
    assert count(clean_db, "SELECT count(*) FROM admin_area WHERE NOT ST_IsValid(geom)") == 0


def test_reimport_is_an_idempotent_upsert(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    before = table_fingerprint(kediri_db)
    path = _write(kediri, tmp_path / "same.geojson")

    (again,) = import_boundaries(kediri_db, [path])

    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 46)
    assert table_fingerprint(kediri_db) == before

    renamed = kediri.copy()
    renamed.loc[0, "nama"] = "Nama Baru"
    (changed,) = import_boundaries(kediri_db, [_write(renamed, tmp_path / "renamed.geojson")])
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 45)
    assert count(kediri_db, "SELECT count(*) FROM admin_area WHERE name = 'Nama Baru'") == 1


def test_duplicate_codes_and_missing_parents(
    clean_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    dup = kediri.copy()
    dup.loc[4, "kode"] = dup.loc[3, "kode"]
    path = _write(dup, tmp_path / "dup.geojson")

    (report,) = import_boundaries(clean_db, [path])

    keys = {(i.row, i.key) for i in report.issues}
    assert (4, "area.duplicate_in_file") in keys and (5, "area.duplicate_in_file") in keys
    # no kecamatan in the database: every other row lacks its parent
    assert sum(1 for i in report.issues if i.key == "area.missing_parent") == 44
    assert count(clean_db, "SELECT count(*) FROM admin_area") == 0


def test_levels_in_one_command_any_order_and_level_option(clean_db: Engine) -> None:
    reports = import_boundaries(clean_db, [KEDIRI_KECAMATAN, *KEDIRI_PARENTS[:2]])
    assert [r.inserted for r in reports] == [3, 1, 1]
    (wrong,) = import_boundaries(clean_db, [KEDIRI_KECAMATAN], BoundaryOptions(level=4))
    assert {i.key for i in wrong.issues} == {"code.level_mismatch"}
    assert "kecamatan" in wrong.issues[0].message("id")


def test_desa_adat_codes_are_accepted(clean_db: Engine, tmp_path: Path) -> None:
    """Real Kemendagri data has 3xxx codes: the desa adat of Kabupaten Jayapura (91.03)."""
    square = shapely.box(140.5, -2.6, 140.51, -2.59)
    gdf = gpd.GeoDataFrame(
        {"kode": ["91.03.01.3007", "91.03.01.2001"], "nama": ["Desa Adat Yoboi", "Sentani"]},
        geometry=[square, shapely.box(140.52, -2.6, 140.53, -2.59)],
        crs=4326,
    )
    (report,) = import_boundaries(
        clean_db,
        [_write(gdf, tmp_path / "adat.geojson")],
        BoundaryOptions(derive_parents=True, allow_partial_parents=True),
    )
    assert report.written
    with clean_db.connect() as conn:
        kinds = dict(conn.execute(text("SELECT code, kind FROM admin_area WHERE level = 4")).all())
    assert kinds == {"91.03.01.3007": "desa_adat", "91.03.01.2001": "desa"}


def test_database_enforces_code_rules(kediri_db: Engine) -> None:
    """Even SQL written by hand cannot store an inconsistent area."""
    from sqlalchemy.exc import IntegrityError

    for code, level, kind, parent in [
        ("35.71.01.1999x", 4, "kelurahan", "35.71.01"),  # format
        ("35.71.01.1999", 4, "desa", "35.71.01"),  # 1xxx is a kelurahan
        ("35.71.01.1999", 4, "kelurahan", "35.71.02"),  # parent is not the code prefix
        ("35.71.09.1999", 4, "kelurahan", "35.71.09"),  # parent does not exist
    ]:
        with pytest.raises(IntegrityError), kediri_db.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO admin_area (code, name, level, kind, parent_code, geom) "
                    "VALUES (:c, 'x', :l, :k, :p, ST_Multi(ST_MakeEnvelope(112, -7.8, 112.01, "
                    "-7.79, 4326)))"
                ),
                {"c": code, "l": level, "k": kind, "p": parent},
            )


def test_loads_skip_row_triggers_but_check_parents_set_wise(
    clean_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    """As superuser the import skips the per-row FK triggers and checks parents in one query."""
    reports = import_boundaries(clean_db, [*KEDIRI_PARENTS, _write(kediri, tmp_path / "k.gpkg")])
    assert [r.inserted for r in reports] == [1, 1, 3, 46]
    assert (
        count(
            clean_db,
            "SELECT count(*) FROM admin_area a LEFT JOIN admin_area p ON p.code = a.parent_code "
            "WHERE a.parent_code IS NOT NULL AND p.code IS NULL",
        )
        == 0
    )
    with clean_db.connect() as conn:  # the setting did not outlive the import's transaction
        assert conn.execute(text("SHOW session_replication_role")).scalar() == "origin"


def test_rows_written_early_are_taken_out_when_rejected_later(
    clean_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks are written while later ones are checked; later rejections still win."""
    from geoservice.services.imports import boundaries

    monkeypatch.setattr(boundaries, "CHUNK_ROWS", 10)
    _parents(clean_db)
    dup = kediri.copy()
    dup.loc[40, "kode"] = dup.loc[2, "kode"]  # a duplicate of a row of the first chunk
    orphan = dup.copy().iloc[[5]]
    orphan["kode"] = "35.71.04.1001"  # kecamatan 35.71.04 does not exist
    path = _write(pd.concat([dup, orphan], ignore_index=True), tmp_path / "late.geojson")

    (report,) = import_boundaries(clean_db, [path], BoundaryOptions(skip_bad_rows=True))

    assert report.rejected_rows == [3, 41, 47]
    assert report.inserted == 44
    assert count(clean_db, "SELECT count(*) FROM admin_area WHERE level = 4") == 44
    assert (
        count(clean_db, "SELECT count(*) FROM admin_area WHERE code = :c", c=kediri.loc[2, "kode"])
        == 0
    )

    clean = import_boundaries(clean_db, [path])  # without skipping: nothing at all
    assert not clean[0].written
    assert count(clean_db, "SELECT count(*) FROM admin_area WHERE level = 4") == 44
    # tile geometry: one row per zoom band for every stored area, none for rejected ones
    bands = len(GENERALIZED_BANDS)
    assert count(clean_db, "SELECT count(*) FROM admin_area_generalized") == bands * count(
        clean_db, "SELECT count(*) FROM admin_area"
    )


def test_tile_geometry_follows_a_changed_boundary(kediri_db: Engine, tmp_path: Path) -> None:
    moved = gpd.read_file(KEDIRI_KECAMATAN)
    moved.loc[0, "geometry"] = shapely.affinity.translate(moved.loc[0, "geometry"], xoff=0.01)
    path = _write(moved, tmp_path / "moved.geojson")
    sql = (
        "SELECT ST_X(ST_Centroid(ST_Transform(geom, 4326))) FROM admin_area_generalized "
        "WHERE code = '35.71.01' AND band = 8"
    )
    with kediri_db.connect() as conn:
        before = conn.execute(text(sql)).scalar_one()
    (report,) = import_boundaries(kediri_db, [path])
    assert report.updated == 1
    with kediri_db.connect() as conn:
        after = conn.execute(text(sql)).scalar_one()
    assert after - before == pytest.approx(0.01, abs=1e-4)


def test_facilities_follow_a_changed_boundary(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    """A point that its kelurahan no longer covers moves to the one that does, with history."""
    a, b = "35.71.01.1001", "35.71.01.1002"
    inside_a = kediri.set_index("kode").loc[a].geometry.point_on_surface()
    with kediri_db.begin() as conn:
        fid = conn.execute(
            text(
                "INSERT INTO facility (layer_id, geom, kelurahan_code) VALUES "
                "('posyandu', ST_SetSRID(ST_MakePoint(:x, :y), 4326), '') RETURNING id"
            ),
            {"x": inside_a.x, "y": inside_a.y},
        ).scalar_one()
    swapped = kediri.set_index("kode")
    swapped.loc[[a, b], "geometry"] = swapped.loc[[b, a], "geometry"].to_numpy()
    path = _write(swapped.reset_index(), tmp_path / "swapped.geojson")

    (report,) = import_boundaries(kediri_db, [path])

    assert report.updated == 2
    (moved,) = [i for i in report.issues if i.key == "area.facility_moved"]
    assert moved.message("en") == (
        f"the boundary of {a} changed: facility point {fid} now lies in {b} and was moved there"
    )
    with kediri_db.connect() as conn:
        history = conn.execute(
            text(
                "SELECT version, kelurahan_code, changed_by FROM facility_history "
                "WHERE facility_id = :id ORDER BY version"
            ),
            {"id": fid},
        ).all()
    assert history == [(1, a, None), (2, b, "boundary import")]


def test_rejected_rows_of_existing_areas_keep_the_stored_area(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A duplicated code of an area already stored is rejected, not deleted, even when its
    first copy was already handed to the writer (rows 4 and 47 fall in different chunks)."""
    from geoservice.services.imports import boundaries

    monkeypatch.setattr(boundaries, "CHUNK_ROWS", 10)
    code = kediri.loc[3, "kode"]
    twice = pd.concat([kediri, kediri.iloc[[3]]], ignore_index=True)
    twice.loc[46, "nama"] = "Nama Lain"
    before = table_fingerprint(kediri_db)

    (report,) = import_boundaries(
        kediri_db, [_write(twice, tmp_path / "twice.geojson")], BoundaryOptions(skip_bad_rows=True)
    )

    assert report.rejected_rows == [4, 47]
    assert report.written and (report.inserted, report.updated) == (0, 0)
    assert count(kediri_db, "SELECT count(*) FROM admin_area WHERE code = :c", c=code) == 1
    assert table_fingerprint(kediri_db) == before


PALEMBANG = [CITIES / f"kota_palembang_{level}.geojson" for level in ("kabkota", "kecamatan")]


def _issues(report: ImportReport) -> list[tuple[Any, ...]]:
    return [(i.row, i.code, i.severity, i.key, i.message("en")) for i in report.issues]


def test_a_city_without_its_provinsi_names_the_missing_provinsi_once_and_first(
    clean_db: Engine,
) -> None:
    kota, kecamatan = import_boundaries(clean_db, PALEMBANG)
    assert _issues(kota) == [
        (
            None,
            "16",
            "error",
            "area.parent_missing_group",
            "parent area 16 (provinsi) is neither in the database nor in the files: 1 rows "
            "depend on it (rows 1). Import that level's file first, or use --derive-parents",
        ),
        (1, "16.71", "error", "area.missing_parent", "parent area 16 does not exist (see the "
         "report's first message)"),
    ]  # fmt: skip
    assert _issues(kecamatan)[0] == (
        None,
        "16",
        "error",
        "area.parent_missing_group",
        "parent area 16 (provinsi) is neither in the database nor in the files: 18 rows depend "
        "on it (rows 1-18). Import that level's file first, or use --derive-parents",
    )
    assert _issues(kecamatan)[1] == (
        1,
        "16.71.01",
        "error",
        "area.parent_rejected",
        "parent area 16.71 was rejected because its parent 16 does not exist",
    )
    assert len(kecamatan.issues) == 19

    # --derive-parents does not invent a provinsi outline from one city ...
    kota, _ = import_boundaries(clean_db, PALEMBANG, BoundaryOptions(derive_parents=True))
    assert _issues(kota)[0] == (
        None,
        "16",
        "warning",
        "area.derive_refused",
        "--derive-parents does not build provinsi 16 from only the 1 kab/kota of this file (it "
        "holds no kab/kota of another provinsi): its outline would hold only those. Import the "
        "provinsi file, or use --allow-partial-parents if that is intended",
    )
    assert _issues(kota)[1][3] == "area.parent_missing_group" and not kota.written
    assert count(clean_db, "SELECT count(*) FROM admin_area") == 0
    # ... unless told, and then it says so loudly
    kota, _ = import_boundaries(
        clean_db, PALEMBANG, BoundaryOptions(derive_parents=True, allow_partial_parents=True)
    )
    assert kota.written and kota.derived == ["16"]
    assert _issues(kota)[0][:4] == (None, "16", "warning", "area.derived_partial")
    assert _issues(kota)[0][4].startswith("WARNING: provinsi 16 ('Provinsi 16') was built from")


def test_a_provinsi_missing_from_a_national_file_is_derived(
    clean_db: Engine, tmp_path: Path
) -> None:
    """A file of several provinsi that lacks one provinsi row but holds its kab/kota (the
    national data lacks provinsi 63): that provinsi is derived; one of a single kab/kota is
    not."""
    palembang = gpd.read_file(CITIES / "kota_palembang_kabkota.geojson")
    other = gpd.read_file(CITIES / "kota_pangkalpinang_kabkota.geojson")
    made_up = other.assign(kode="16.72", nama="Kota Uji Contoh")  # a second kab/kota of 16
    lone = other.assign(kode="18.71", nama="Kota Uji Sendiri")  # the only one of provinsi 18
    kabkota = gpd.GeoDataFrame(pd.concat([palembang, made_up, lone], ignore_index=True), crs=4326)
    path = _write(kabkota, tmp_path / "kabkota.geojson")
    (report,) = import_boundaries(
        clean_db, [JAWA_TIMUR, path], BoundaryOptions(derive_parents=True, skip_bad_rows=True)
    )[1:]
    assert report.derived == ["16"]
    assert [(i.code, i.key) for i in report.issues][:2] == [
        ("18", "area.derive_refused"),
        ("18", "area.parent_missing_group"),
    ]
