"""Kemendagri codes."""

from __future__ import annotations

import pytest

from geoservice import codes


@pytest.mark.parametrize(
    ("raw", "code", "level", "kind"),
    [
        ("3571011001", "35.71.01.1001", 4, "kelurahan"),
        (" 35.71.01.2003 ", "35.71.01.2003", 4, "desa"),
        ("91 03 01 3007", "91.03.01.3007", 4, "desa_adat"),
        (357101, "35.71.01", 3, "kecamatan"),
        (3571.0, "35.71", 2, "kota"),
        ("35.06", "35.06", 2, "kabupaten"),
        ("35", "35", 1, "provinsi"),
    ],
)
def test_normalize_and_classify(raw: object, code: str, level: int, kind: str) -> None:
    assert codes.normalize(raw) == code
    assert codes.check(code) == level
    assert codes.kind_of(code) == kind


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("", "code.empty"),
        (None, "code.empty"),
        ("35.7", "code.format"),
        ("3571011", "code.format"),
        ("35.71.01.4001", "code.village_kind"),
        ("abc", "code.format"),
    ],
)
def test_bad_codes(raw: object, key: str) -> None:
    with pytest.raises(codes.CodeError) as err:
        codes.check(codes.normalize(raw))
    assert err.value.key == key


def test_parent_and_level_mismatch() -> None:
    assert codes.parent_of("35.71.01.1001") == "35.71.01"
    assert codes.parent_of("35") is None
    with pytest.raises(codes.CodeError) as err:
        codes.check("35.71.01", expected_level=4)
    assert err.value.params == {"code": "35.71.01", "actual": 3, "expected": 4}
