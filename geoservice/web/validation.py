"""FastAPI's request-validation errors (pydantic's) as sentences a person can act on.

pydantic says ``body.kelurahan.0: String should match pattern '^[0-9]{2}\\.…$'``; the page of a
walidata must say that "35.71" is not a Kemendagri code of a desa/kelurahan and show one. Each
error keeps its machine-readable ``loc`` and ``type`` for programs; ``message`` is the
sentence, in the request's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geoservice.errors import BadRequest
from geoservice.i18n import render, t
from geoservice.i18n.requests import FIELD_TITLES, REQUEST_ERRORS


def _field(loc: Sequence[Any], lang: str) -> str:
    """The field as people call it: its title when i18n has one, else its name in quotes."""
    names = [str(p) for p in loc if isinstance(p, str) and p not in ("body", "query", "path")]
    name = names[-1] if names else "-"
    key = FIELD_TITLES.get(name)
    return t(key, lang) if key else f"'{name}'"


def sentence(error: dict[str, Any], lang: str) -> str:
    """One pydantic error as a sentence in ``lang``."""
    kind = str(error.get("type", ""))
    loc = list(error.get("loc", ()))
    ctx = {k: (", ".join(map(str, v)) if isinstance(v, list | tuple) else v)
           for k, v in (error.get("ctx") or {}).items()}  # fmt: skip
    value = error.get("input")
    if kind == "string_pattern_mismatch" and "kelurahan" in [str(p) for p in loc]:
        return t("request.kelurahan_code", lang, value=value)
    # a pydantic error type with a sentence of its own (i18n.requests.REQUEST_ERRORS), or the
    # general one
    key = REQUEST_ERRORS.get(kind, "request.invalid")
    try:
        return render(key, lang, field=_field(loc, lang), value=value, **ctx)
    except (KeyError, IndexError, ValueError):
        return t("request.invalid", lang, field=_field(loc, lang), value=value)


class InvalidRequest(BadRequest):
    """A request whose parameters or body break the API's declared rules."""

    def __init__(self, errors: Sequence[dict[str, Any]]):
        super().__init__("bad_request.detail", detail="")
        self.errors = [dict(e) for e in errors]

    def detail(self, lang: str) -> str:
        """Every problem as a sentence."""
        return " ".join(sentence(e, lang) for e in self.errors)

    def to_problem(self, lang: str, instance: str | None = None) -> dict[str, Any]:
        """The problem with ``errors``: each one's ``loc`` and ``type`` and its sentence."""
        body = super().to_problem(lang, instance)
        body["errors"] = [
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "type": e.get("type"),
                "message": sentence(e, lang),
            }
            for e in self.errors
        ]
        return body
