"""The languages of the service, and the shape of a table of messages."""

from __future__ import annotations

from typing import Literal

Language = Literal["id", "en"]
DEFAULT_LANGUAGE: Language = "id"

#: key -> text per language; every domain module holds one such plain dict
Messages = dict[str, dict[Language, str]]
