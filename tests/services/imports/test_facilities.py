"""Facility import and the facility store's database rules, on the Kota Kediri boundaries."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from geoservice.catalog import Catalog
from geoservice.services.imports.facilities import FacilityOptions, import_facilities
from geoservice.services.imports.readers import InputError
from geoservice.services.imports.reports import ImportReport
from tests.support import count, table_fingerprint


def _inside(kediri: gpd.GeoDataFrame, code: str, dx: float = 0.0) -> tuple[float, float]:
    """(lon, lat) of a point well inside kelurahan ``code``, shifted east by ``dx`` degrees."""
    point = kediri.set_index("kode").loc[code].geometry.point_on_surface()
    return round(point.x + dx, 7), round(point.y, 7)


def test_csv_with_semicolons_decimal_commas_and_mapped_columns(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, catalog: Catalog, tmp_path: Path
) -> None:
    lon, lat = _inside(kediri, "35.71.02.1005")
    csv = tmp_path / "posyandu.csv"
    csv.write_text(
        "No;NAMOBJ;Strata;lintang;bujur;kelurahan_code\n"
        f"1;Posyandu Melati 1;madya;{str(lat).replace('.', ',')};{str(lon).replace('.', ',')};"
        "99.99.99.9999\n",
        encoding="utf-8",
    )

    report = import_facilities(
        kediri_db, catalog.layers["posyandu"], csv, FacilityOptions(column_map={"NAMOBJ": "nama"})
    )

    assert report.written and report.inserted == 1, report.as_dict("en")
    with kediri_db.connect() as conn:
        row = conn.execute(
            text("SELECT kelurahan_code, attributes, status, version FROM facility")
        ).one()
    # the kelurahan comes from PostGIS, never from the file's column
    assert row == ("35.71.02.1005", {"nama": "Posyandu Melati 1", "strata": "Madya"}, "draft", 1)
    assert ("import.ignored_columns", {"columns": "No, kelurahan_code"}) in report.notes


def test_xlsx_rows_numbered_like_the_spreadsheet(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, catalog: Catalog, tmp_path: Path
) -> None:
    lon, lat = _inside(kediri, "35.71.01.1001")
    frame = pd.DataFrame(
        {
            "rt": [1, 2, "x", 1],
            "rw": [1, 1, 1, 1],
            "lat": [lat, lat + 0.0005, lat, lat + 0.001],
            "lon": [lon, lon, lon, -7.8],
        }
    )
    path = tmp_path / "rt.xlsx"
    frame.to_excel(path, index=False)

    report = import_facilities(kediri_db, catalog.layers["rt"], path)

    assert not report.written
    errors = {(i.row, i.key, i.column) for i in report.issues}
    assert errors == {(4, "attr.type", "rt"), (5, "geom.outside_indonesia", None)}
    assert count(kediri_db, "SELECT count(*) FROM facility") == 0


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp"])
def test_gis_formats(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, catalog: Catalog, tmp_path: Path, suffix: str
) -> None:
    points = [shapely.Point(_inside(kediri, code)) for code in ("35.71.01.1001", "35.71.03.1002")]
    gdf = gpd.GeoDataFrame(
        {"NAMOBJ": ["Pos Kamling Satu", "Pos Kamling Dua"], "kondisi": ["baik", "Rusak berat"]},
        geometry=points,
        crs=4326,
    )
    path = tmp_path / f"kamling{suffix}"
    gdf.to_file(path, engine="pyogrio")

    report = import_facilities(
        kediri_db,
        catalog.layers["pos_kamling"],
        path,
        FacilityOptions(column_map={"NAMOBJ": "nama"}),
    )

    assert report.inserted == 2, report.as_dict("en")
    with kediri_db.connect() as conn:
        rows = conn.execute(
            text("SELECT kelurahan_code, attributes->>'kondisi' FROM facility ORDER BY id")
        ).all()
    assert rows == [("35.71.01.1001", "Baik"), ("35.71.03.1002", "Rusak berat")]


def test_outside_every_kelurahan_and_near_duplicates(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, catalog: Catalog, tmp_path: Path
) -> None:
    lon, lat = _inside(kediri, "35.71.02.1001")
    first = tmp_path / "first.csv"
    first.write_text(f"nama,lat,lon\nPosyandu Mawar,{lat},{lon}\n")
    assert import_facilities(kediri_db, catalog.layers["posyandu"], first).inserted == 1
    before = table_fingerprint(kediri_db)

    second = tmp_path / "second.csv"
    second.write_text(
        "nama,lat,lon\n"
        f"posyandu  mawar,{lat + 0.0001},{lon}\n"  # 11 m from the stored one: to review
        f"Posyandu Mawar 2,{lat + 0.0002},{lon}\n"  # different digits: not a duplicate
        "Posyandu Jakarta,-6.2,106.8\n"  # in Indonesia, but outside every stored kelurahan
        f"Posyandu Anggrek,{lat - 0.002},{lon}\n"
        f"Posyandu Anggrek,{lat - 0.0021},{lon}\n"  # duplicate of the row above
        f"Posyandu Mawar,{lat},{lon}\n"  # the stored point itself, loaded again
    )
    report = import_facilities(kediri_db, catalog.layers["posyandu"], second)

    assert [(i.row, i.severity, i.key, i.message("en")) for i in report.issues] == [
        (
            2,
            "warning",
            "point.near_duplicate_review",
            "possible duplicate of stored point id 1 ('Posyandu Mawar', 11 m); loaded and "
            "queued for the walidata's review",
        ),
        (
            4,
            "error",
            "point.outside_kelurahan",
            "the point lies outside every stored desa/kelurahan",
        ),
        (
            6,
            "error",
            "point.near_duplicate_in_file",
            "possible duplicate of row 5: 'Posyandu Anggrek' is 11 m away with a similar name",
        ),
        (
            7,
            "error",
            "point.already_stored",
            "point 'Posyandu Mawar' (id 1) is already stored at the same coordinates; to update "
            "points imported before use --id-column",
        ),
        (
            7,
            "error",
            "point.near_duplicate_in_file",
            "possible duplicate of row 2: 'posyandu mawar' is 11 m away with a similar name",
        ),
    ]
    assert table_fingerprint(kediri_db) == before  # all or nothing

    skipped = import_facilities(
        kediri_db, catalog.layers["posyandu"], second, FacilityOptions(skip_bad_rows=True)
    )
    assert (skipped.inserted, skipped.reviews) == (3, 1)
    assert count(kediri_db, "SELECT count(*) FROM facility") == 4
    with kediri_db.connect() as conn:
        queued = conn.execute(
            text(
                "SELECT r.kind, f.attributes ->> 'nama', r.other_id, r.kelurahan_code, "
                "round(r.distance_m), r.source, r.resolved_at FROM review_item r "
                "JOIN facility f ON f.id = r.facility_id"
            )
        ).all()
    assert queued == [
        ("near_duplicate", "posyandu  mawar", 1, "35.71.02.1001", 11, "second.csv", None)
    ]


def test_rt_numbers_unique_within_a_kelurahan(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, catalog: Catalog, tmp_path: Path
) -> None:
    a, b = _inside(kediri, "35.71.01.1001"), _inside(kediri, "35.71.01.1002")
    path = tmp_path / "rt.csv"
    path.write_text(
        f"rt,rw,lat,lon\n1,1,{a[1]},{a[0]}\n1,1,{b[1]},{b[0]}\n1,1,{a[1] + 0.001},{a[0]}\n"
    )
    report = import_facilities(kediri_db, catalog.layers["rt"], path)
    assert [(i.row, i.key) for i in report.issues] == [(4, "point.duplicate_key")]
    assert "RW/RT = 1/1" in report.issues[0].message("en")


def spots_inside(
    kediri: gpd.GeoDataFrame, code: str, apart: float = 0.0018
) -> list[tuple[float, float]]:
    """Points well inside kelurahan ``code``, at least ``apart`` degrees (about 200 m) from
    each other: farther than any layer's duplicate radius."""
    area = kediri.set_index("kode").loc[code].geometry.buffer(-0.0005)
    minx, miny, maxx, maxy = area.bounds
    found: list[shapely.Point] = []
    for x in np.arange(minx, maxx, 0.0005):
        for y in np.arange(miny, maxy, 0.0005):
            p = shapely.Point(x, y)
            if area.contains(p) and all(p.distance(q) >= apart for q in found):
                found.append(p)
    return [(round(p.x, 7), round(p.y, 7)) for p in found]


def points_csv(path: Path, rows: list[tuple[str, tuple[float, float]]]) -> Path:
    """A CSV of named points (``nama;lat;lon``) at ``path``."""
    path.write_text(
        "nama;lat;lon\n" + "".join(f"{name};{lat};{lon}\n" for name, (lon, lat) in rows),
        encoding="utf-8",
    )
    return path


def issue_rows(report: ImportReport, lang: str = "en") -> list[tuple[Any, ...]]:
    """The report's issues as (row, code, severity, key, message) tuples."""
    return [(i.row, i.code, i.severity, i.key, i.message(lang)) for i in report.issues]


def test_kantor_names_must_fit_the_kelurahan_they_lie_in(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, catalog: Catalog, tmp_path: Path
) -> None:
    path = points_csv(
        tmp_path / "kantor.csv",
        [
            ("KANTOR LURAH BANGSAL", spots_inside(kediri, "35.71.03.1001")[0]),
            ("Kantor Kelurahan Pakundn", spots_inside(kediri, "35.71.03.1002")[0]),  # a variant
            ("KANTOR LURAH TOSAREN", spots_inside(kediri, "35.71.03.1004")[0]),  # lies in Jamsaren
            ("GEDUNG KANTOR LURAH", spots_inside(kediri, "35.71.03.1005")[0]),  # no place named
            ("RUMAH DINAS CAMAT", spots_inside(kediri, "35.71.03.1006")[0]),  # names nothing
            ("Kantor Lurah Betet Kec. Pesantren", spots_inside(kediri, "35.71.03.1007")[0]),
        ],
    )
    report = import_facilities(kediri_db, catalog.layers["kantor_kelurahan"], path)

    assert issue_rows(report) == [
        (
            3,
            "35.71.03.1002",
            "warning",
            "name.variant",
            "the name 'Kantor Kelurahan Pakundn' accepted as another spelling of Pakunden "
            "(35.71.03.1002) (similarity 93%)",
        ),
        (
            4,
            "35.71.03.1004",
            "error",
            "name.other_kelurahan",
            "the name 'KANTOR LURAH TOSAREN' names Tosaren (35.71.03.1003), but the point lies in "
            "Jamsaren (35.71.03.1004); check the point's position or its name",
        ),
        (
            5,
            "35.71.03.1005",
            "warning",
            "name.no_place",
            "the name 'GEDUNG KANTOR LURAH' names no kelurahan; the point lies in Singonegaran "
            "(35.71.03.1005)",
        ),
        (
            6,
            "35.71.03.1006",
            "error",
            "name.mismatch",
            "the name 'RUMAH DINAS CAMAT' ('rumah dinas camat') does not fit Blabak "
            "(35.71.03.1006), where the point lies",
        ),
    ]
    assert all(i.column == "nama" for i in report.issues)
    assert not report.written and report.rejected == 2


def test_one_kantor_per_kelurahan_competitors_are_decided_by_their_names(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, catalog: Catalog, tmp_path: Path
) -> None:
    layer = catalog.layers["kantor_kelurahan"]
    bangsal = spots_inside(kediri, "35.71.03.1001")
    first = points_csv(tmp_path / "first.csv", [("Kantor Lurah Bangsal", bangsal[0])])
    assert import_facilities(kediri_db, layer, first).inserted == 1
    bandar_lor = spots_inside(kediri, "35.71.01.1001")
    semampir = spots_inside(kediri, "35.71.02.1001")
    mojoroto = spots_inside(kediri, "35.71.01.1011")
    path = points_csv(
        tmp_path / "kantor.csv",
        [
            ("EKS KANTOR LURAH BANDAR LOR", bandar_lor[0]),  # row 2: a former office, first
            ("KANTOR LURAH BANDAR LOR", bandar_lor[1]),  # row 3: the current one
            ("GEDUNG KANTOR LURAH", semampir[0]),  # rows 4 and 5: neither names the place
            ("Kantor Lurah", semampir[1]),
            ("Kantor Lurah Bangsal Baru", bangsal[1]),  # row 6: Bangsal already has its office
            ("RUMAH CAMAT MOJOROTO", mojoroto[0]),  # row 7: not an office of Mojoroto
            ("KANTOR LURAH MOJOROTO", mojoroto[1]),
        ],
    )
    expected = [
        (
            2,
            "35.71.01.1001",
            "warning",
            "name.former",
            "the name 'EKS KANTOR LURAH BANDAR LOR' marks a former place (eks/bekas/lama) in "
            "Bandar Lor (35.71.01.1001)",
        ),
        (
            2,
            "35.71.01.1001",
            "error",
            "point.competition_lost",
            "rows 2, 3 of this file compete for the 1 place(s) of this layer in Bandar Lor "
            "(35.71.01.1001); row 3, whose name fits the kelurahan, was chosen",
        ),
        (
            3,
            "35.71.01.1001",
            "warning",
            "point.competition_kept",
            "chosen among rows 2, 3 competing for the 1 place(s) of this layer in Bandar Lor "
            "(35.71.01.1001): its name fits the kelurahan",
        ),
        (
            4,
            "35.71.02.1001",
            "warning",
            "name.no_place",
            "the name 'GEDUNG KANTOR LURAH' names no kelurahan; the point lies in Semampir "
            "(35.71.02.1001)",
        ),
        (
            4,
            "35.71.02.1001",
            "error",
            "point.competition_none",
            "rows 4, 5 of this file compete for the 1 place(s) of this layer in Semampir "
            "(35.71.02.1001); no single one has a name that clearly fits the kelurahan, so none "
            "is loaded: fix or remove the wrong rows",
        ),
        (
            5,
            "35.71.02.1001",
            "warning",
            "name.no_place",
            "the name 'Kantor Lurah' names no kelurahan; the point lies in Semampir "
            "(35.71.02.1001)",
        ),
        (
            5,
            "35.71.02.1001",
            "error",
            "point.competition_none",
            "rows 4, 5 of this file compete for the 1 place(s) of this layer in Semampir "
            "(35.71.02.1001); no single one has a name that clearly fits the kelurahan, so none "
            "is loaded: fix or remove the wrong rows",
        ),
        (
            6,
            "35.71.03.1001",
            "error",
            "name.mismatch",
            "the name 'Kantor Lurah Bangsal Baru' ('bangsal baru') does not fit Bangsal "
            "(35.71.03.1001), where the point lies",
        ),
        (
            7,
            "35.71.01.1011",
            "error",
            "name.mismatch",
            "the name 'RUMAH CAMAT MOJOROTO' ('rumah camat mojoroto') does not fit Mojoroto "
            "(35.71.01.1011), where the point lies",
        ),
    ]
    report = import_facilities(kediri_db, layer, path)
    assert issue_rows(report) == expected
    assert not report.written

    kept = import_facilities(kediri_db, layer, path, FacilityOptions(skip_bad_rows=True))
    assert issue_rows(kept) == expected
    assert kept.inserted == 2
    with kediri_db.connect() as conn:
        stored = conn.execute(
            text("SELECT kelurahan_code, attributes ->> 'nama' FROM facility ORDER BY id")
        ).all()
    assert stored == [
        ("35.71.03.1001", "Kantor Lurah Bangsal"),
        ("35.71.01.1001", "KANTOR LURAH BANDAR LOR"),
        ("35.71.01.1011", "KANTOR LURAH MOJOROTO"),
    ]
    # the message in Bahasa Indonesia names the kelurahan, and the database holds no office
    lost = next(i for i in kept.issues if i.key == "point.competition_lost")
    assert lost.message("id") == (
        "baris 2, 3 berkas ini berebut 1 tempat lapisan ini di Bandar Lor (35.71.01.1001); "
        "dipilih baris 3, yang namanya sesuai kelurahan"
    )
    full = points_csv(tmp_path / "again.csv", [("KANTOR LURAH BANGSAL", bangsal[1])])
    assert issue_rows(import_facilities(kediri_db, layer, full)) == [
        (
            2,
            "35.71.03.1001",
            "error",
            "point.kelurahan_full",
            "Bangsal (35.71.03.1001) already has 1 point(s) of this layer in the database "
            "(id 1), the limit",
        )
    ]


def test_unreadable_inputs_raise_clear_errors(
    kediri_db: Engine, catalog: Catalog, tmp_path: Path
) -> None:
    no_coords = tmp_path / "x.csv"
    no_coords.write_text("nama,alamat\nA,B\n")
    with pytest.raises(InputError) as err:
        import_facilities(kediri_db, catalog.layers["posyandu"], no_coords)
    assert err.value.key == "file.column_missing" and "--lat-column" in err.value.message("en")
    with pytest.raises(InputError) as err:
        import_facilities(kediri_db, catalog.layers["posyandu"], tmp_path / "missing.csv")
    assert err.value.key == "file.not_found"
    odd = tmp_path / "x.docx"
    odd.write_text("?")
    with pytest.raises(InputError) as err:
        import_facilities(kediri_db, catalog.layers["posyandu"], odd)
    assert err.value.key == "file.unsupported"


def test_store_computes_kelurahan_counts_versions_and_keeps_history(
    kediri_db: Engine, kediri: gpd.GeoDataFrame
) -> None:
    lon, lat = _inside(kediri, "35.71.01.1003")
    lon2, lat2 = _inside(kediri, "35.71.02.1002")
    with kediri_db.begin() as conn:
        fid = conn.execute(
            text(
                "INSERT INTO facility (layer_id, geom, attributes, kelurahan_code, created_by) "
                "VALUES ('posyandu', ST_SetSRID(ST_MakePoint(:x, :y), 4326), "
                "'{\"nama\": \"A\"}', '35.71.03.1001', 'pic1') RETURNING id"
            ),
            {"x": lon, "y": lat},
        ).scalar_one()
    with kediri_db.begin() as conn:
        # a client-supplied kelurahan code is replaced by the one PostGIS finds
        conn.execute(
            text(
                "UPDATE facility SET kelurahan_code = '35.71.03.1001', updated_by = 'x' "
                "WHERE id = :id"
            ),
            {"id": fid},
        )
        conn.execute(
            text("UPDATE facility SET attributes = attributes WHERE id = :id"), {"id": fid}
        )
        conn.execute(
            text(
                "UPDATE facility SET geom = ST_SetSRID(ST_MakePoint(:x, :y), 4326), "
                "updated_by = 'pic2' WHERE id = :id"
            ),
            {"id": fid, "x": lon2, "y": lat2},
        )
        conn.execute(
            text("UPDATE facility SET deleted_at = now(), deleted_by = 'admin' WHERE id = :id"),
            {"id": fid},
        )
    with kediri_db.connect() as conn:
        facility = conn.execute(
            text("SELECT kelurahan_code, version FROM facility WHERE id = :id"), {"id": fid}
        ).one()
        history = conn.execute(
            text(
                "SELECT version, operation, kelurahan_code, changed_by FROM facility_history "
                "WHERE facility_id = :id ORDER BY version"
            ),
            {"id": fid},
        ).all()
    assert facility == ("35.71.02.1002", 4)
    # the no-op update made no version; the forced code was recomputed (same kelurahan)
    assert history == [
        (1, "create", "35.71.01.1003", "pic1"),
        (2, "update", "35.71.01.1003", "x"),
        (3, "update", "35.71.02.1002", "pic2"),
        (4, "delete", "35.71.02.1002", "admin"),
    ]
    with pytest.raises(DBAPIError, match="outside every desa/kelurahan"), kediri_db.begin() as c:
        c.execute(
            text(
                "INSERT INTO facility (layer_id, geom, kelurahan_code) "
                "VALUES ('rt', ST_SetSRID(ST_MakePoint(106.8, -6.2), 4326), '35.71.01.1001')"
            )
        )


def test_gis_rows_that_are_not_points_are_named(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, catalog: Catalog, tmp_path: Path
) -> None:
    point = shapely.Point(_inside(kediri, "35.71.01.1001"))
    gdf = gpd.GeoDataFrame(
        {"nama": ["Pos A", "Pos B", "Pos C"]},
        geometry=[point, point.buffer(0.001), None],
        crs=4326,
    )
    path = tmp_path / "mixed.geojson"
    gdf.to_file(path, engine="pyogrio")

    report = import_facilities(kediri_db, catalog.layers["pos_kamling"], path)

    assert [(i.row, i.key) for i in report.issues] == [(2, "geom.not_point"), (3, "geom.missing")]
    assert report.issues[0].message("en") == "geometry is a Polygon, expected a Point"


def test_empty_files_are_reported(kediri_db: Engine, catalog: Catalog, tmp_path: Path) -> None:
    from geoservice.services.imports.boundaries import import_boundaries

    empty_csv = tmp_path / "empty.csv"
    empty_csv.write_text("nama,lat,lon\n")
    report = import_facilities(kediri_db, catalog.layers["posyandu"], empty_csv)
    assert [i.key for i in report.issues] == ["import.no_rows"] and not report.written

    empty_gpkg = tmp_path / "empty.gpkg"
    gpd.GeoDataFrame({"kode": [], "nama": []}, geometry=[], crs=4326).to_file(
        empty_gpkg, engine="pyogrio"
    )
    (boundaries,) = import_boundaries(kediri_db, [empty_gpkg])
    assert [i.key for i in boundaries.issues] == ["import.no_rows"] and not boundaries.written


def test_a_corrected_file_updates_the_points_it_loaded_by_their_source_id(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, catalog: Catalog, tmp_path: Path
) -> None:
    a, b = spots_inside(kediri, "35.71.02.1005")[:2]
    layer = catalog.layers["posyandu"]
    options = FacilityOptions(id_column="ID_PUSKESMAS")
    path = tmp_path / "posyandu.csv"
    path.write_text(
        "ID_PUSKESMAS;nama;strata;lat;lon\n"
        f"P-001;Posyandu Melati;Madya;{a[1]};{a[0]}\n"
        f"P-002;Posyandu Kenanga;Pratama;{b[1]};{b[0]}\n"
    )
    first = import_facilities(kediri_db, layer, path, options)
    assert (first.inserted, first.updated, first.issues) == (2, 0, [])
    # the corrected file: P-001 moved 20 m and renamed, P-002 unchanged, P-003 new, one row
    # without an id and one repeating an id
    path.write_text(
        "ID_PUSKESMAS;nama;strata;lat;lon\n"
        f"P-001;Posyandu Melati Indah;Madya;{a[1] + 0.0002};{a[0]}\n"
        f"P-002;Posyandu Kenanga;Pratama;{b[1]};{b[0]}\n"
        f"P-003;Posyandu Anggrek;Mandiri;{b[1] + 0.001};{b[0]}\n"
        f";Posyandu Tanpa Id;Madya;{b[1] + 0.002};{b[0]}\n"
        f"P-003;Posyandu Anggrek;Mandiri;{b[1] + 0.001};{b[0]}\n"
    )
    refused = import_facilities(kediri_db, layer, path, options)
    assert issue_rows(refused) == [
        (5, None, "error", "point.id_missing", "the source id is empty (column ID_PUSKESMAS)"),
        (6, None, "error", "point.id_repeated", "source id 'P-003' is already used on row 4"),
    ]
    second = import_facilities(kediri_db, layer, path, replace(options, skip_bad_rows=True))
    assert (second.inserted, second.updated, second.unchanged) == (1, 1, 1)
    with kediri_db.connect() as conn:
        stored = conn.execute(
            text("SELECT external_id, attributes ->> 'nama', version FROM facility ORDER BY id")
        ).all()
        history = conn.execute(
            text(
                "SELECT version, operation, attributes ->> 'nama' FROM facility_history "
                "WHERE facility_id = 1 ORDER BY version"
            )
        ).all()
    assert stored == [
        ("P-001", "Posyandu Melati Indah", 2),
        ("P-002", "Posyandu Kenanga", 1),
        ("P-003", "Posyandu Anggrek", 1),
    ]
    assert history == [(1, "create", "Posyandu Melati"), (2, "update", "Posyandu Melati Indah")]
