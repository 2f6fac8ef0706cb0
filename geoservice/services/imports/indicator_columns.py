"""Which column of an indicator file means what: the area, name and period columns it may
have, the ``--map`` items that name indicator columns, and proposals for columns headed by an
indicator's title instead of its code (RapidFuzz)."""

from __future__ import annotations

import json
import re
from typing import Any

from rapidfuzz import fuzz

from geoservice.catalog import Catalog
from geoservice.services.imports.readers import InputError

CODE_COLUMNS = ("kode", "kode_wilayah", "kode_kelurahan", "kode_desa", "kode_kemendagri")


NAME_COLUMNS = ("kelurahan", "desa", "desa_kelurahan", "nama_kelurahan", "nama_desa", "nama")


KECAMATAN_COLUMNS = ("kecamatan", "nama_kecamatan", "kec")


KABKOTA_COLUMNS = ("kabkota", "kab_kota", "kabupaten_kota", "kota", "kabupaten", "nama_kabkota")


PERIOD_COLUMNS = ("periode", "period", "tahun")


#: A column title must score this much (RapidFuzz token set ratio) to be proposed.
PROPOSAL_MIN_SCORE = 80.0


def parse_column_map(items: list[str] | str | None) -> dict[str, str]:
    """``Jumlah Penduduk=penduduk`` items (a list, or one text with ``;`` or new lines
    between them, or a JSON object) as {column: indicator code}."""
    if not items:
        return {}
    if isinstance(items, str):
        stripped = items.strip()
        if stripped.startswith("{"):
            try:
                loaded = json.loads(stripped)
            except json.JSONDecodeError as exc:
                raise InputError("indicator.bad_map", item=stripped[:80]) from exc
            if not isinstance(loaded, dict):
                raise InputError("indicator.bad_map", item=stripped[:80])
            return {str(k).strip(): str(v).strip() for k, v in loaded.items()}
        items = [i for i in re.split(r"[;\n]", stripped) if i.strip()]
    mapping = {}
    for item in items:
        column, sep, code = item.partition("=")
        if not sep or not column.strip() or not code.strip():
            raise InputError("indicator.bad_map", item=item)
        mapping[column.strip()] = code.strip()
    return mapping


def propose_columns(columns: list[str], catalog: Catalog) -> list[dict[str, Any]]:
    """For each column that is no indicator code, the indicator whose code or title (Bahasa
    Indonesia or English) its title resembles most, when it scores at least
    :data:`PROPOSAL_MIN_SCORE`: ``Jumlah Penduduk`` → ``penduduk``, ``Persentase Miskin`` →
    ``persen_miskin``. Each indicator is proposed for one column at most (the best)."""
    scored = []
    for column in columns:
        if column.lower() in catalog.indicators:
            continue
        wanted = " ".join(re.sub(r"[^a-z0-9]+", " ", column.lower()).split())
        if not wanted:
            continue
        for indicator in catalog.indicators.values():
            titles = [indicator.code.replace("_", " "), indicator.title.id.lower()]
            if indicator.title.en:
                titles.append(indicator.title.en.lower())
            score = max(float(fuzz.token_set_ratio(wanted, t)) for t in titles)
            # a title of one word must not pass for every column that contains it
            exact = max(float(fuzz.ratio(wanted, t)) for t in titles)
            score = score if len(wanted.split()) > 1 or exact >= PROPOSAL_MIN_SCORE else exact
            if score >= PROPOSAL_MIN_SCORE:
                scored.append((score, column, indicator))
    proposals: list[dict[str, Any]] = []
    taken_columns: set[str] = set()
    taken_codes: set[str] = set()
    for score, column, indicator in sorted(scored, key=lambda s: -s[0]):
        if column in taken_columns or indicator.code in taken_codes:
            continue
        taken_columns.add(column)
        taken_codes.add(indicator.code)
        proposals.append(
            {
                "column": column,
                "indicator": indicator.code,
                "title": {"id": indicator.title.id, "en": indicator.title.en or indicator.title.id},
                "score": round(score, 1),
            }
        )
    order = {c: i for i, c in enumerate(columns)}
    return sorted(proposals, key=lambda p: order[p["column"]])


def map_argument(proposals: list[dict[str, Any]]) -> str:
    """The ``--map`` options that accept ``proposals``, for the command a report suggests."""
    return " ".join(f'--map "{p["column"]}={p["indicator"]}"' for p in proposals)
