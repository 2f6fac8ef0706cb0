"""Matching the names of desa/kelurahan in a spreadsheet to the official areas.

Offices write names their own way: ``Kel. 26 Ilir I`` for *Dua-puluh-enam Ilir Satu*,
``Sei Selincah`` for *Sungaiselincah*, ``Gn. Sahari`` for *Gunung Sahari*, ``Harapan Mulia``
for *Harapan Mulya*. A name is first reduced to a key that forgets what does not tell areas
apart (case, punctuation, spaces, prefixes such as "Kel."/"Desa", common abbreviations, numbers
and Roman numerals written as words, the old spelling ``oe``/``dj``/``tj``); equal keys match.
Only when no key is equal does RapidFuzz score the candidates, and a fuzzy match is taken only
when it is both close and clearly better than the next candidate. Everything else is reported
as ambiguous or unmatched with its best candidates: nothing is guessed silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from rapidfuzz import fuzz, process
from sqlalchemy import Connection

from geoservice.services.areas import kelurahan_with_parents

_K = TypeVar("_K")

#: A fuzzy match needs at least this score (RapidFuzz ratio, 0-100, on the keys)...
FUZZY_MIN_SCORE = 85.0
#: ...and must beat the next candidate by this much.
FUZZY_MARGIN = 5.0
#: Candidates listed for an ambiguous or unmatched name.
CANDIDATES_SHOWN = 3

#: Words before a name that only say what kind of area it is.
_PREFIXES = {
    "kel", "kelurahan", "desa", "ds", "dsa", "kec", "kecamatan", "kab", "kabupaten", "kota",
    "kodya", "kotamadya", "kt", "kecamatan/kota",
}  # fmt: skip
#: Abbreviations used in area names, written out.
_ABBREVIATIONS = {
    "gn": "gunung", "gng": "gunung", "kp": "kampung", "kpg": "kampung", "tj": "tanjung",
    "tg": "tanjung", "tjg": "tanjung", "sei": "sungai", "sg": "sungai", "sng": "sungai",
    "kr": "karang", "krg": "karang", "pd": "pondok", "ps": "pasar", "psr": "pasar",
    "bkt": "bukit", "bt": "batu", "pl": "pulau", "pulo": "pulau", "tl": "talang",
    "tlg": "talang", "srg": "serang", "lb": "lebak", "rw": "rawa", "kb": "kebon",
    "kbn": "kebon", "kebun": "kebon", "ujg": "ujung",
}  # fmt: skip
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
          "x": 10}  # fmt: skip
_OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("nj", "ny"), ("sj", "sy"), ("ch", "kh"))
_UNITS = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]


def number_words(n: int) -> str:
    """An integer from 1 to 999 in Indonesian words (``26`` → ``dua puluh enam``)."""
    if n < 10:
        return _UNITS[n]
    if n == 10:
        return "sepuluh"
    if n == 11:
        return "sebelas"
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        tens, unit = divmod(n, 10)
        return f"{_UNITS[tens]} puluh {_UNITS[unit]}".strip()
    hundreds, rest = divmod(n, 100)
    head = "seratus" if hundreds == 1 else f"{_UNITS[hundreds]} ratus"
    return f"{head} {number_words(rest)}".strip() if rest else head


def _token(word: str) -> str:
    if word.isdigit() and 0 < int(word) < 1000:
        return number_words(int(word))
    if word in _ROMAN:
        return number_words(_ROMAN[word])
    return _ABBREVIATIONS.get(word, word)


def name_key(name: str, *, keep_prefix: bool = False) -> str:
    """The comparison key of an area name: lower case, ASCII, no punctuation or spaces,
    prefixes dropped (unless the name is nothing else), abbreviations, numbers and Roman
    numerals written out, old spelling modernized."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_name.lower()).split()
    if not keep_prefix:
        while len(words) > 1 and words[0] in _PREFIXES:
            words = words[1:]
    key = "".join(_token(w) for w in words).replace(" ", "")
    for old, new in _OLD_SPELLING:
        key = key.replace(old, new)
    return key


@dataclass(frozen=True)
class Area:
    """A desa/kelurahan with the names of its kecamatan and kabupaten/kota."""

    code: str
    name: str
    kecamatan: str
    kabkota: str


@dataclass(frozen=True)
class Candidate:
    """A possible match, with its score (100 for an equal key)."""

    area: Area
    score: float

    def as_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "kode": self.area.code,
            "nama": self.area.name,
            "kecamatan": self.area.kecamatan,
            "kabkota": self.area.kabkota,
            "skor": round(self.score, 1),
        }


MatchStatus = Literal["kode", "nama", "fuzzy", "ambiguous", "unmatched"]


@dataclass
class Match:
    """How one row was matched. ``area`` is set for kode, nama and fuzzy; ambiguous and
    unmatched rows carry their best candidates instead."""

    status: MatchStatus
    area: Area | None = None
    score: float | None = None
    #: which part failed: the kabupaten/kota, the kecamatan or the desa/kelurahan itself
    part: Literal["kabkota", "kecamatan", "kelurahan"] | None = None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        """The row has an area."""
        return self.area is not None


class Gazetteer:
    """The official desa/kelurahan of a scope, indexed by name key for matching."""

    def __init__(self, areas: Sequence[Area]):
        self.areas = list(areas)
        self.by_code = {a.code: a for a in self.areas}
        self._keys = [name_key(a.name) for a in self.areas]
        self._kecamatan_keys = {a.code[:8]: name_key(a.kecamatan) for a in self.areas}
        self._kabkota = {a.code[:5]: a.kabkota for a in self.areas}
        self._kabkota_key = {code: name_key(name) for code, name in self._kabkota.items()}
        # indices of the areas per kabupaten/kota and per kecamatan, so that narrowing a row
        # to its parent costs the parent's size, not the country's
        self._in_parent: dict[str, list[int]] = {}
        self._kecamatan_in: dict[str, dict[str, str]] = {}
        for index, area in enumerate(self.areas):
            self._in_parent.setdefault(area.code[:5], []).append(index)
            self._in_parent.setdefault(area.code[:8], []).append(index)
        for code, key in self._kecamatan_keys.items():
            self._kecamatan_in.setdefault(code[:5], {})[code] = key

    @classmethod
    def load(cls, conn: Connection, scope: str | None = None) -> Gazetteer:
        """Every desa/kelurahan whose code starts with ``scope`` (all when None)."""
        rows = kelurahan_with_parents(conn, scope or "")
        return cls([Area(*row) for row in rows])

    def match(
        self, name: str | None, kecamatan: str | None = None, kabkota: str | None = None
    ) -> Match:
        """Match a desa/kelurahan name, narrowed by its kecamatan and kabupaten/kota names."""
        indices: list[int] | None = None  # every area
        kabkota_codes: set[str] | None = None
        if kabkota:
            chosen = self._match_parent(kabkota, self._kabkota_keys(kabkota), 5)
            if isinstance(chosen, Match):
                chosen.part = "kabkota"
                return chosen
            kabkota_codes = chosen
            indices = [i for code in sorted(chosen) for i in self._in_parent[code]]
        if kecamatan:
            keys = (
                self._kecamatan_keys
                if kabkota_codes is None
                else {c: k for code in kabkota_codes for c, k in self._kecamatan_in[code].items()}
            )
            chosen = self._match_parent(kecamatan, keys, 8)
            if isinstance(chosen, Match):
                chosen.part = "kecamatan"
                return chosen
            indices = [i for code in sorted(chosen) for i in self._in_parent[code]]
        return self._match_among(name or "", indices)

    def _kabkota_keys(self, query: str) -> dict[str, str]:
        """Kabupaten/kota keys; "Kota X" and "Kab. X" keep their kind, a bare "X" matches both."""
        words = set(re.sub(r"[^a-z]+", " ", query.lower()).split())
        wants_kota = bool(words & {"kota", "kodya", "kotamadya"})
        wants_kab = bool(words & {"kab", "kabupaten"})
        keys = {}
        for code, key in self._kabkota_key.items():
            is_kota = code[3] == "7"  # Kemendagri: kota codes are 71-79
            if (wants_kota and not is_kota) or (wants_kab and is_kota):
                continue
            keys[code] = key
        return keys

    def _match_parent(self, query: str, keys: dict[str, str], length: int) -> set[str] | Match:
        """The codes of the parent areas ``query`` names, or a failed Match with candidates."""
        wanted = name_key(query)
        equal = {code for code, key in keys.items() if key == wanted}
        if equal:
            return equal
        scored = _scores(wanted, keys)
        if _decisive(scored):
            return {scored[0][0]}
        example = {code: self.areas[self._in_parent[code][0]] for code in keys}
        return Match(
            "ambiguous" if scored and scored[0][1] >= FUZZY_MIN_SCORE else "unmatched",
            candidates=[
                Candidate(example[code], score) for code, score in scored[:CANDIDATES_SHOWN]
            ],
        )

    def _match_among(self, name: str, indices: list[int] | None) -> Match:
        if indices is None:
            indices = list(range(len(self.areas)))
        wanted = name_key(name)
        equal = [i for i in indices if self._keys[i] == wanted]
        if len(equal) == 1:
            return Match("nama", self.areas[equal[0]], 100.0)
        if equal:
            return Match("ambiguous", candidates=[Candidate(self.areas[i], 100.0) for i in equal])
        keys = {i: self._keys[i] for i in indices}
        scored = _scores(wanted, keys)
        if _decisive(scored):
            candidates = [Candidate(self.areas[i], s) for i, s in scored[:CANDIDATES_SHOWN]]
            return Match(
                "fuzzy", candidates[0].area, candidates[0].score, "kelurahan", candidates[1:]
            )
        close = bool(scored) and scored[0][1] >= FUZZY_MIN_SCORE
        # the list for a person to choose from also ranks names that contain what was written
        # ("Bandar" -> Bandar Lor, Bandar Kidul), which would be too loose to match on
        shown = _scores(wanted, keys, fuzz.WRatio)
        candidates = [Candidate(self.areas[i], s) for i, s in shown[:CANDIDATES_SHOWN]]
        return Match("ambiguous" if close else "unmatched", part="kelurahan", candidates=candidates)


def _scores(
    wanted: str, keys: dict[_K, str], scorer: Callable[..., float] = fuzz.ratio
) -> list[tuple[_K, float]]:
    """Candidates by descending RapidFuzz score (the plain ratio unless told)."""
    if not wanted or not keys:
        return []
    found = process.extract(wanted, keys, scorer=scorer, limit=max(CANDIDATES_SHOWN, 2))
    return [(key, float(score)) for _, score, key in found]


def _decisive(scored: Sequence[tuple[object, float]]) -> bool:
    """The best candidate is close enough and clearly ahead of the next."""
    if not scored or scored[0][1] < FUZZY_MIN_SCORE:
        return False
    return len(scored) == 1 or scored[0][1] - scored[1][1] >= FUZZY_MARGIN
