"""User-facing text in Bahasa Indonesia (default) and English.

Messages are looked up by key and formatted with named parameters, so code never builds
user-facing sentences itself and every message exists in both languages. Each domain keeps its
messages in a module of its own, a plain dict; they are merged here once, and a key defined twice
(in two modules, or in the messages and the page or script labels) stops the import: a clash is a
bug, because one of the two texts would silently win.

An unknown key or a missing parameter is a bug as well, but not the user's: ``t()`` logs it and
answers with the key (or the text unformatted), so that a 4xx stays a 4xx instead of becoming a
500 inside ``ServiceError.__init__``. The tests make it raise (``strict()`` in tests/conftest.py),
and tests/test_i18n.py checks every key the code passes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from geoservice.i18n import (
    auth,
    cli,
    datasets,
    editing,
    features,
    imports,
    indicators,
    pages,
    problems,
    profiles,
    progress,
    rasters,
    replicas,
    requests,
    tiles,
)
from geoservice.i18n.imports import LEVEL_NAMES
from geoservice.i18n.language import DEFAULT_LANGUAGE, Language, Messages
from geoservice.i18n.page_labels import PAGE_LABELS
from geoservice.i18n.script_labels import SCRIPT_LABELS

__all__ = [
    "DEFAULT_LANGUAGE",
    "LEVEL_NAMES",
    "MESSAGES",
    "PAGE_LABELS",
    "SCRIPT_LABELS",
    "Language",
    "localized",
    "negotiate",
    "render",
    "strict",
    "t",
]

log = logging.getLogger("geoservice.i18n")


def merge(*tables: Messages) -> Messages:
    """One table from ``tables``; ValueError naming every key that more than one defines."""
    merged: Messages = {}
    for table in tables:
        twice = merged.keys() & table.keys()
        if twice:
            raise ValueError(f"i18n keys defined twice: {', '.join(sorted(twice))}")
        merged.update(table)
    return merged


MESSAGES: Messages = merge(
    problems.MESSAGES,
    requests.MESSAGES,
    features.MESSAGES,
    tiles.MESSAGES,
    imports.MESSAGES,
    auth.MESSAGES,
    editing.MESSAGES,
    pages.MESSAGES,
    indicators.MESSAGES,
    cli.MESSAGES,
    profiles.MESSAGES,
    progress.MESSAGES,
    datasets.MESSAGES,
    rasters.MESSAGES,
    replicas.MESSAGES,
)
# the labels stay tables of their own (each is handed whole to a page or its script), but a key
# means one text everywhere
merge(MESSAGES, PAGE_LABELS, SCRIPT_LABELS, datasets.CATALOG_LABELS)

_strict = False


def strict(on: bool = True) -> None:
    """Make ``t()`` raise for an unknown key or a missing parameter (the tests), or log it."""
    global _strict
    _strict = on


def render(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The message ``key`` in ``lang``, formatted with ``params``; KeyError for an unknown key
    or a missing parameter. For code that has a fallback of its own; everything else uses t()."""
    entry = MESSAGES[key]
    template: str = entry.get(lang, entry[DEFAULT_LANGUAGE])  # type: ignore[call-overload]
    return template.format(**params) if params else template


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The message ``key`` in ``lang`` (falling back to Indonesian), formatted with ``params``.

    A key that is not in MESSAGES, or a parameter its text needs and did not get, is logged as an
    error and answered with the key (or the unformatted text); under ``strict()`` it raises.
    """
    try:
        return render(key, lang, **params)
    except (KeyError, IndexError, ValueError) as exc:
        if _strict:
            raise
        log.error("i18n: message %r cannot be rendered: %s: %s", key, type(exc).__name__, exc)
        entry = MESSAGES.get(key)
        if entry is None:
            return key
        text: str = entry.get(lang, entry[DEFAULT_LANGUAGE])  # type: ignore[call-overload]
        return text


def localized(text: Mapping[str, str], lang: str = DEFAULT_LANGUAGE) -> str:
    """Pick ``lang`` from a ``{id: ..., en: ...}`` map, falling back to Indonesian."""
    return text.get(lang) or text[DEFAULT_LANGUAGE]


def negotiate(query_lang: str | None, accept_language: str | None) -> Language:
    """Choose the response language: ``?lang=`` wins, then ``Accept-Language``, then Indonesian."""
    if query_lang in ("id", "en"):
        return query_lang  # type: ignore[return-value]
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("id") or tag.startswith("in"):
            return "id"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LANGUAGE
