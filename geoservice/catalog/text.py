"""The strict base of every file model and the ``{id, en}`` text of the layer files (a module of
its own so that the layer models and the dataset metadata can both use them)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(_Strict):
    """User-facing text: Indonesian required, English optional (falls back to Indonesian)."""

    id: Annotated[str, StringConstraints(min_length=1)]
    en: str | None = None

    def get(self, lang: str) -> str:
        """The text in ``lang``."""
        return (self.en if lang == "en" else None) or self.id
