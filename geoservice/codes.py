"""Kemendagri area codes: ``PP`` provinsi, ``PP.KK`` kab/kota, ``PP.KK.CC`` kecamatan,
``PP.KK.CC.NNNN`` desa/kelurahan.

``KK >= 71`` is a kota, otherwise a kabupaten. The first digit of ``NNNN`` tells a kelurahan (1)
from a desa (2) and a desa adat (3, e.g. the customary villages of Kabupaten Jayapura, 91.03).
The same rules are CHECK constraints in the database.
"""

from __future__ import annotations

import re
from typing import Any

from geoservice.db.models import CODE_PATTERNS
from geoservice.errors import ValidationFailed

LEVELS = (1, 2, 3, 4)
#: the length of a code of each level: 35, 35.71, 35.71.01, 35.71.01.1001
CODE_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}
_DIGIT_GROUPS = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}
_COMPILED = {level: re.compile(pattern) for level, pattern in CODE_PATTERNS.items()}
_LOOSE = re.compile(r"^[0-9]{2}(\.[0-9]{2}){0,2}(\.[0-9]{4})?$")


class CodeError(ValidationFailed):
    """A value that is not a valid Kemendagri code; ``key``/``params`` localize the message."""


def normalize(value: Any) -> str:
    """Turn ``3571011001``, ``35 71 01 1001`` or ``35.71.01.1001`` into ``35.71.01.1001``.

    Raises CodeError when the value cannot be a code at any level.
    """
    if value is None or (isinstance(value, float) and value != value):
        raise CodeError("code.empty")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        raise CodeError("code.empty")
    if text.isdigit() and len(text) in _DIGIT_GROUPS:
        parts, pos = [], 0
        for size in _DIGIT_GROUPS[len(text)]:
            parts.append(text[pos : pos + size])
            pos += size
        text = ".".join(parts)
    else:
        text = re.sub(r"[\s_/-]+", ".", text)
    if not _LOOSE.match(text):
        raise CodeError("code.format", code=str(value).strip())
    return text


def level_of(code: str) -> int:
    """1 to 4, from the number of parts of a normalized code."""
    return code.count(".") + 1


def parent_of(code: str) -> str | None:
    """The code of the area one level up, or None for a provinsi."""
    return code.rsplit(".", 1)[0] if "." in code else None


def kind_of(code: str) -> str:
    """provinsi, kabupaten, kota, kecamatan, kelurahan, desa or desa_adat."""
    level = level_of(code)
    if level == 1:
        return "provinsi"
    if level == 2:
        return "kota" if int(code[3:5]) >= 71 else "kabupaten"
    if level == 3:
        return "kecamatan"
    return {"1": "kelurahan", "2": "desa"}.get(code[9], "desa_adat")


def check(code: str, expected_level: int | None = None) -> int:
    """Validate a normalized code (and its level when given); returns its level."""
    level = level_of(code)
    if level == 4 and not _COMPILED[4].match(code):
        raise CodeError("code.village_kind", code=code)
    if not _COMPILED[level].match(code):
        raise CodeError("code.format", code=code)
    if expected_level is not None and level != expected_level:
        raise CodeError("code.level_mismatch", code=code, actual=level, expected=expected_level)
    return level
