"""Does a point's name fit the desa/kelurahan it lies in? (``name_matches_kelurahan``)

``KANTOR LURAH BANDAR LOR`` plotted in Semampir is the most common mistake in a city's data:
the PIC tapped the neighbouring kelurahan. A layer with the rule strips the phrases that only
say what the point is (``kantor lurah``, from the YAML) and the former-office markers
(``eks``, ``ex``, ``lama``, ``bekas``), and compares what is left, the place name, with the
official name of the kelurahan the point falls in, using the indicator matcher's
normalization (:func:`~geoservice.services.imports.matching.name_key`) and fuzzy threshold:

- ``match``: equal keys; ``variant``: RapidFuzz ratio >= 85 (accepted, with a note);
- ``other``: the place names another desa/kelurahan of the kab/kota (an error naming both);
- ``mismatch``: it names none of them (an error);
- ``no_place``: nothing is left (``GEDUNG KANTOR LURAH``; a warning).

A marker word that is part of the official name (*Kampung Lama*) is not a marker.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from rapidfuzz import fuzz
from sqlalchemy import Connection

from geoservice.catalog import NameRule
from geoservice.services.imports.matching import FUZZY_MIN_SCORE, Area, Gazetteer, name_key

#: Words that mark a former, no longer current place: never preferred over a current one.
FORMER_MARKERS = frozenset({"eks", "ex", "lama", "bekas", "dulu"})
#: From these words on, a name only says where the kelurahan lies (``… Kec. Mojoroto``).
_TAIL_WORDS = frozenset({"kec", "kecamatan"})

NameStatus = Literal["match", "variant", "other", "mismatch", "no_place"]


@dataclass(frozen=True)
class NameCheck:
    """How a point's name fits its kelurahan."""

    status: NameStatus
    place: str
    kelurahan: Area
    former: bool = False
    score: float | None = None
    other: Area | None = None

    @property
    def fits(self) -> bool:
        """The name names this kelurahan and is not marked as a former place."""
        return self.status in ("match", "variant") and not self.former

    @property
    def rank(self) -> int:
        """Preference among rows competing for one place: a fitting name first, then a name
        without a place, then a former place; names of other places last."""
        if self.fits:
            return 3
        if self.status == "no_place" and not self.former:
            return 2
        if self.status in ("match", "variant"):  # a former office of this kelurahan
            return 1
        return 0

    def issue(self, name: str) -> tuple[Literal["error", "warning"], str, dict[str, Any]] | None:
        """(severity, message key, parameters) for the report, or None when nothing is said.

        A former marker is said even when the place fits: such a point loads, but loses to a
        current one."""
        here = f"{self.kelurahan.name} ({self.kelurahan.code})"
        if self.status == "other" and self.other is not None:
            other = f"{self.other.name} ({self.other.code})"
            return "error", "name.other_kelurahan", {"name": name, "other": other, "here": here}
        if self.status == "mismatch":
            return "error", "name.mismatch", {"name": name, "place": self.place, "here": here}
        if self.former:
            return "warning", "name.former", {"name": name, "here": here}
        if self.status == "no_place":
            return "warning", "name.no_place", {"name": name, "here": here}
        if self.status == "variant":
            score = round(self.score or 0)
            return "warning", "name.variant", {"name": name, "here": here, "score": score}
        return None


def _words(value: str) -> list[str]:
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_value.lower()).split()


def place_part(name: str, rule: NameRule, official: str = "") -> tuple[str, bool]:
    """The place named in ``name`` (phrases of ``rule.strip`` and former markers removed) and
    whether a former marker was found."""
    words = _words(name)
    official_words = set(_words(official))
    for i, word in enumerate(words):
        if word in _TAIL_WORDS and i > 0:
            words = words[:i]
            break
    former = any(w in FORMER_MARKERS and w not in official_words for w in words)
    words = [w for w in words if w not in FORMER_MARKERS or w in official_words]
    phrases = sorted((_words(p) for p in rule.strip), key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for phrase in phrases:
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if phrase and words[i : i + n] == phrase:
                    words = words[:i] + words[i + n :]
                    changed = True
                    break
    return " ".join(words), former


def check_name(name: str, rule: NameRule, kelurahan: Area, gazetteer: Gazetteer) -> NameCheck:
    """How ``name`` fits ``kelurahan``; ``gazetteer`` holds the kelurahan it may name instead
    (those of its kab/kota)."""
    place, former = place_part(name, rule, kelurahan.name)
    if not place:
        return NameCheck("no_place", place, kelurahan, former)
    wanted, official = name_key(place), name_key(kelurahan.name)
    if wanted == official:
        return NameCheck("match", place, kelurahan, former, 100.0)
    score = float(fuzz.ratio(wanted, official))
    if score >= FUZZY_MIN_SCORE:
        return NameCheck("variant", place, kelurahan, former, score)
    found = gazetteer.match(place)
    if found.area is not None and found.area.code != kelurahan.code:
        return NameCheck("other", place, kelurahan, former, found.score, found.area)
    return NameCheck("mismatch", place, kelurahan, former, score)


class Gazetteers:
    """Gazetteers per kab/kota, loaded once per import or request."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self._loaded: dict[str, Gazetteer] = {}

    def of(self, kelurahan_code: str) -> Gazetteer:
        """The desa/kelurahan of the kab/kota of ``kelurahan_code``."""
        prefix = kelurahan_code[:5]
        if prefix not in self._loaded:
            self._loaded[prefix] = Gazetteer.load(self.conn, prefix)
        return self._loaded[prefix]

    def area(self, kelurahan_code: str) -> Area | None:
        """The desa/kelurahan ``kelurahan_code`` with its parents' names."""
        return self.of(kelurahan_code).by_code.get(kelurahan_code)
