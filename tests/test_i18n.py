"""Every user-facing text exists in Bahasa Indonesia and English, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from geoservice.i18n import MESSAGES, PAGE_LABELS, SCRIPT_LABELS


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(
    "table",
    [MESSAGES, PAGE_LABELS, SCRIPT_LABELS],
    ids=["messages", "page labels", "script labels"],
)
def test_both_languages_with_the_same_placeholders(table: dict) -> None:
    for key, texts in table.items():
        assert set(texts) == {"id", "en"}, key
        assert texts["id"].strip() and texts["en"].strip(), key
        assert _fields(texts["id"]) == _fields(texts["en"]), key
