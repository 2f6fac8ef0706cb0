"""The near-duplicate rule's names and numbers, and the place named by an office's name."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from sqlalchemy import Engine

from geoservice.catalog import Catalog, NameRule
from geoservice.services.imports.facilities import import_facilities
from geoservice.services.place_names import place_part
from geoservice.services.points.rules import canonical
from tests.services.imports.test_facilities import issue_rows, points_csv, spots_inside


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Posyandu Melati 1", ("posyandu melati 1", (1,))),
        ("Posyandu Melati Satu", ("posyandu melati 1", (1,))),
        ("Puskesmas Kelurahan Bandar III", ("puskesmas kelurahan bandar 3", (3,))),
        ("Puskesmas Kelurahan Bandar I", ("puskesmas kelurahan bandar 1", (1,))),
        ("Pos Dua Puluh Enam Ilir", ("pos 26 ilir", (26,))),
        ("Posyandu Sebelas", ("posyandu 11", (11,))),
        ("Posyandu RW 04 / IX", ("posyandu rw 4 9", (4, 9))),
        ("Vila Indah", ("vila indah", ())),  # a first word is never a Roman numeral
        ("Eks Kantor", ("eks kantor", ())),
    ],
)
def test_numbers_are_compared_as_numbers(name: str, expected: tuple[str, tuple[int, ...]]) -> None:
    assert canonical(name) == expected


@pytest.mark.parametrize(
    ("name", "official", "expected"),
    [
        ("KANTOR LURAH BANDAR LOR", "Bandar Lor", ("bandar lor", False)),
        ("EKS KANTOR LURAH BANDAR LOR", "Bandar Lor", ("bandar lor", True)),
        ("Bekas Kantor Desa Sukamaju", "Sukamaju", ("sukamaju", True)),
        ("Kantor Lurah Kampung Lama", "Kampung Lama", ("kampung lama", False)),
        ("GEDUNG KANTOR LURAH", "Bandar Lor", ("", False)),
        ("Kantor Kelurahan Betet Kec. Pesantren", "Betet", ("betet", False)),
    ],
)
def test_the_place_part_of_an_office_name(
    name: str, official: str, expected: tuple[str, bool]
) -> None:
    rule = NameRule(strip=["kantor lurah", "kantor kelurahan", "kantor desa", "gedung"])
    assert place_part(name, rule, official) == expected


def test_offices_of_one_name_150_m_apart_are_duplicates(
    kediri_db: Engine, kediri: gpd.GeoDataFrame, catalog: Catalog, tmp_path: Path
) -> None:
    lon, lat = spots_inside(kediri, "35.71.03.1002")[0]
    path = points_csv(
        tmp_path / "kantor.csv",
        [("Kantor Lurah Pakunden", (lon, lat)), ("KANTOR LURAH PAKUNDEN", (lon + 0.0011, lat))],
    )
    report = import_facilities(kediri_db, catalog.layers["kantor_kelurahan"], path)
    assert issue_rows(report) == [
        (
            3,
            None,
            "error",
            "point.near_duplicate_in_file",
            "possible duplicate of row 2: 'Kantor Lurah Pakunden' is 121 m away with a similar "
            "name",
        )
    ]
