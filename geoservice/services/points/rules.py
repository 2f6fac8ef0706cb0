"""The rules a facility point keeps, shared by the importer and the editor: where it may lie
(inside Indonesia's bounds, coordinates not swapped, decimals not lost) and when two points
are near-duplicates.

Two points of one layer are near-duplicates when they lie within the layer's
``duplicate_radius_m`` (30 m unless the YAML says otherwise; 150 m for offices, whose plots are
large), their names are at least 60 % trigram-similar (PostgreSQL ``pg_trgm``) and they carry
the same numbers. Numbers are compared as numbers: ``1``, ``I`` and ``satu`` are one, so
*Puskesmas Bandar III* is not a duplicate of *Puskesmas Bandar I*, while *Posyandu Melati 1*
is one of *Posyandu Melati Satu*. Points at the very same coordinates with similar names are
always flagged, whatever their numbers (one was typed twice). Names are compared in a
canonical form (lower case, numbers as digits), so the similarity does not depend on how a
number was written.

PostgreSQL finds the pairs within the radius (GiST index on a box, then the geography
distance); this module decides which pairs are duplicates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Text, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY

#: Indonesia with a margin: lon 94..142 E, lat 11.5 S..6.5 N.
INDONESIA_BOUNDS = (94.0, -11.5, 142.0, 6.5)

#: Names at least this trigram-similar (pg_trgm ``similarity``) may be duplicates.
NAME_SIMILARITY = 0.6
#: Points closer than this are "at the same coordinates".
SAME_PLACE_M = 0.5

_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_UNITS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9,
}  # fmt: skip
_TENS = {"sepuluh": 10, "sebelas": 11, "seratus": 100}


def lost_decimals(lon: float, lat: float) -> bool:
    """Either coordinate is far too large but lands inside Indonesia once divided by a power
    of ten: a cell that lost its decimal point (``-7816612`` for ``-7.816612``, in Excel)."""

    def fits(value: float, low: float, high: float) -> bool:
        return any(low <= value / 10**k <= high for k in range(0, 10))

    west, south, east, north = INDONESIA_BOUNDS
    too_large = abs(lon) > 180 or abs(lat) > 90
    return too_large and fits(lon, west, east) and fits(lat, south, north)


def coordinate_problem(lon: float, lat: float) -> tuple[str, dict[str, Any]] | None:
    """``geom.swapped`` (with the hint) or ``geom.outside_indonesia`` for a point outside
    Indonesia's bounds; None when it is inside them."""
    west, south, east, north = INDONESIA_BOUNDS
    if west <= lon <= east and south <= lat <= north:
        return None
    swapped = west <= lat <= east and south <= lon <= north
    bounds = f"lon {lon:.6f}, lat {lat:.6f}"
    return ("geom.swapped" if swapped else "geom.outside_indonesia"), {"bounds": bounds}


def box_degrees(radius_m: float) -> float:
    """Degrees that span more than ``radius_m`` everywhere in Indonesia (|lat| < 11.5, where a
    degree of longitude is at least 109 km): a geometry box of this size lets the GiST index
    find the candidates, which a distance on the geography cast alone cannot."""
    return radius_m / 100_000.0


def _roman(word: str) -> int | None:
    if not word or not _ROMAN.match(word):
        return None
    total, previous = 0, 0
    for char in reversed(word):
        value = _ROMAN_VALUES[char]
        total += -value if value < previous else value
        previous = max(previous, value)
    return total


def _words(name: str) -> list[str]:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z]+|[0-9]+", ascii_name.lower())


def canonical(name: str) -> tuple[str, tuple[int, ...]]:
    """The name with every number written as digits, and its numbers in order.

    ``Posyandu Melati Satu`` → (``posyandu melati 1``, (1,)); ``Puskesmas X III`` →
    (``puskesmas x 3``, (3,)); ``Dua Puluh Enam Ilir`` → (``26 ilir``, (26,)). A single
    ``i``, ``v`` or ``x`` counts as a Roman numeral only after the first word."""
    out: list[str] = []
    numbers: list[int] = []
    pending: int | None = None  # a number being read from words ("dua puluh enam")

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            out.append(str(pending))
            numbers.append(pending)
            pending = None

    for index, word in enumerate(_words(name)):
        if word.isdigit():
            flush()
            out.append(str(int(word)))
            numbers.append(int(word))
            continue
        if word in _UNITS:
            if pending is not None and pending % 10 == 0 and pending >= 10:
                pending += _UNITS[word]
            else:
                flush()
                pending = _UNITS[word]
            continue
        if word in _TENS:
            flush()
            pending = _TENS[word]
            continue
        if pending is not None and word in ("puluh", "belas", "ratus"):
            pending = {"puluh": pending * 10, "belas": pending + 10, "ratus": pending * 100}[word]
            continue
        roman = _roman(word) if index > 0 else None
        if roman is not None:
            flush()
            out.append(str(roman))
            numbers.append(roman)
            continue
        flush()
        out.append(word)
    flush()
    return " ".join(out), tuple(numbers)


def duplicate_pairs(
    conn: Connection, pairs: Sequence[tuple[str, str, float]]
) -> list[tuple[bool, float]]:
    """For each (name, other name, distance in m): whether they are near-duplicates, and
    their similarity. One round trip for the similarities."""
    if not pairs:
        return []
    left = [canonical(a) for a, _, _ in pairs]
    right = [canonical(b) for _, b, _ in pairs]
    names = (
        func.unnest(
            bindparam("a", [c[0] for c in left], type_=ARRAY(Text())),
            bindparam("b", [c[0] for c in right], type_=ARRAY(Text())),
        )
        .table_valued("a", "b", with_ordinality="n")
        .render_derived(name="p")
    )
    similarities = conn.execute(
        select(func.similarity(names.c.a, names.c.b)).order_by(names.c.n)
    ).scalars()
    result = []
    for (_, _, distance), (_, numbers_a), (_, numbers_b), similarity in zip(
        pairs, left, right, similarities, strict=True
    ):
        similar = similarity >= NAME_SIMILARITY
        same_numbers = numbers_a == numbers_b
        result.append((similar and (same_numbers or distance < SAME_PLACE_M), float(similarity)))
    return result
