"""Matching names of desa/kelurahan to the official areas, on the real names of Palembang,
Pangkalpinang and Kota Kediri (no database: the gazetteer is built from the GeoJSON)."""

from __future__ import annotations

import geopandas as gpd
import pytest

from geoservice.services.imports.matching import Area, Gazetteer, name_key, number_words
from tests.support import CITIES, KEDIRI_KECAMATAN, KEDIRI_KELURAHAN, KEDIRI_KOTA


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    areas = []
    files = [
        [
            CITIES / f"kota_{city}_{level}.geojson"
            for level in ("desa_kelurahan", "kecamatan", "kabkota")
        ]
        for city in ("palembang", "pangkalpinang")
    ]
    files.append([KEDIRI_KELURAHAN, KEDIRI_KECAMATAN, KEDIRI_KOTA])
    for kel_file, kec_file, kab_file in files:
        kel = gpd.read_file(kel_file)
        kec = gpd.read_file(kec_file)
        kab = gpd.read_file(kab_file)
        kec_names, kab_names = (
            dict(zip(kec.kode, kec.nama, strict=True)),
            dict(zip(kab.kode, kab.nama, strict=True)),
        )
        areas += [
            Area(r.kode, r.nama, kec_names[r.kode[:8]], kab_names[r.kode[:5]])
            for r in kel.itertuples()
        ]
    return Gazetteer(areas)


@pytest.mark.parametrize(
    ("number", "words"),
    [(1, "satu"), (10, "sepuluh"), (11, "sebelas"), (14, "empat belas"), (20, "dua puluh"),
     (26, "dua puluh enam"), (100, "seratus"), (235, "dua ratus tiga puluh lima")],
)  # fmt: skip
def test_number_words(number: int, words: str) -> None:
    assert number_words(number) == words


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("Kel. 26 Ilir I", "Dua-puluh-enam Ilir Satu"),
        ("KELURAHAN 3-4 ULU", "Tiga Empat Ulu"),
        ("Sei Selincah", "Sungaiselincah"),
        ("Desa  Bukit  Baru", "Bukitbaru"),
        ("Gn. Sahari", "Gunung Sahari"),
        ("Tj. Priok", "Tanjung Priok"),
        ("Tjilatjap", "Cilacap"),  # the spelling before 1972
        ("Djati Oetara", "Jati Utara"),
        ("Kota", "Kota"),  # a kecamatan of Kota Kediri: a prefix that is the whole name stays
    ],
)
def test_name_key_forgets_what_does_not_tell_areas_apart(written: str, official: str) -> None:
    assert name_key(written) == name_key(official)


def test_name_key_keeps_what_does(gazetteer: Gazetteer) -> None:
    assert name_key("Bandar Lor") != name_key("Bandar Kidul")
    # every official name of the three cities keeps its own key within its kecamatan
    by_kecamatan: dict[str, set[str]] = {}
    for area in gazetteer.areas:
        keys = by_kecamatan.setdefault(area.code[:8], set())
        assert name_key(area.name) not in keys, area
        keys.add(name_key(area.name))


@pytest.mark.parametrize(
    ("name", "kecamatan", "kabkota", "status", "code"),
    [
        ("Kel. 26 Ilir I", None, None, "nama", "16.71.04.1003"),
        ("sei selincah", None, "Kota Palembang", "nama", None),
        ("Sukamulia", None, "Palembang", "fuzzy", None),  # official: Sukamulya
        ("Talang Jambi", None, None, "fuzzy", None),  # official: Talangjambe
        ("Bandar lor", "Mojoroto", "Kota Kediri", "nama", "35.71.01.1001"),
        ("Kel. Gabek I", None, "Pangkal Pinang", "nama", None),
        ("Semampir", "Kota", "Kediri", "nama", "35.71.02.1001"),
    ],
)
def test_matches(
    gazetteer: Gazetteer,
    name: str,
    kecamatan: str | None,
    kabkota: str | None,
    status: str,
    code: str | None,
) -> None:
    match = gazetteer.match(name, kecamatan, kabkota)
    assert match.status == status, match
    assert match.area is not None
    if code is not None:
        assert match.area.code == code
    official = {
        "Kel. 26 Ilir I": "Dua-puluh-enam Ilir Satu",
        "sei selincah": "Sungaiselincah",
        "Sukamulia": "Sukamulya",
        "Talang Jambi": "Talangjambe",
        "Bandar lor": "Bandar Lor",
        "Kel. Gabek I": "Gabek Satu",
        "Semampir": "Semampir",
    }
    assert match.area.name == official[name]


def test_a_name_in_the_wrong_kecamatan_is_unmatched_with_candidates(gazetteer: Gazetteer) -> None:
    # 35 Ilir lies in Ilir Barat II, not Ilir Timur I
    match = gazetteer.match("35 Ilir", "Ilir Timur I", None)
    assert match.status == "unmatched" and match.area is None and match.part == "kelurahan"
    assert len(match.candidates) == 3
    assert all(c.area.kecamatan == "Ilir Timur Satu" for c in match.candidates)


def test_a_kabupaten_is_not_the_kota_of_the_same_name(gazetteer: Gazetteer) -> None:
    match = gazetteer.match("Bandar Lor", None, "Kab. Kediri")
    assert match.status == "unmatched" and match.part == "kabkota"


def test_close_names_without_a_clear_winner_are_ambiguous() -> None:
    areas = [
        Area("16.71.01.1001", "Sukajaya", "A", "Kota X"),
        Area("16.71.01.1002", "Sukaraya", "A", "Kota X"),
    ]
    match = Gazetteer(areas).match("Sukacaya")
    assert match.status == "ambiguous" and match.area is None
    assert {c.area.code for c in match.candidates} == {"16.71.01.1001", "16.71.01.1002"}


def test_the_same_name_twice_is_ambiguous_until_the_kecamatan_says_which() -> None:
    areas = [
        Area("16.71.01.1001", "Sukamaju", "Sako", "Kota X"),
        Area("16.71.02.1001", "Sukamaju", "Kalidoni", "Kota X"),
    ]
    gazetteer = Gazetteer(areas)
    assert gazetteer.match("Sukamaju").status == "ambiguous"
    match = gazetteer.match("Kel. Sukamaju", "Kec. Kalidoni")
    assert match.status == "nama" and match.area is not None
    assert match.area.code == "16.71.02.1001"
