"""Service configuration, read from ``GEOSERVICE_*`` environment variables."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The checkout this package runs from (an editable install), used for default paths.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything configurable; built once per app and passed explicitly, never read at import."""

    model_config = SettingsConfigDict(env_prefix="GEOSERVICE_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy/libpq URL of an existing PostGIS server; unset = embedded cluster.",
    )
    data_dir: Path = PROJECT_ROOT / ".geoservice"
    pg_port: int = Field(default=55432, ge=1, le=65535, description="Embedded cluster port.")
    layers_dir: Path = PROJECT_ROOT / "layers"
    language: Literal["id", "en"] = "id"
    load_demo: bool = True
    basemap_url: str = Field(
        default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        description="XYZ basemap of the HTML maps; empty for none (the map works without it).",
    )
    tile_cache_mb: int = Field(
        default=256, ge=0, description="In-process vector tile cache size in MiB; 0 turns it off."
    )

    @cached_property
    def embedded(self) -> bool:
        """True when the service manages its own PostgreSQL cluster under ``data_dir``."""
        return not self.database_url

    def sqlalchemy_url(self) -> str:
        """The database URL with the psycopg 3 driver named, as SQLAlchemy wants it."""
        if self.database_url:
            return to_sqlalchemy_url(self.database_url)
        from geoservice.cluster import EmbeddedCluster

        return EmbeddedCluster.from_settings(self).url()


def to_sqlalchemy_url(url: str) -> str:
    """Accept ``postgres://``, ``postgresql://`` or ``postgresql+psycopg://`` URLs alike."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url.split('://')[0]}://…")
