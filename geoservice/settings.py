"""Service configuration, read from ``GEOSERVICE_*`` environment variables.

Settings are pure: reading them touches no file and no server. The URL of the embedded cluster
(whose password is a file under ``data_dir``) is :func:`geoservice.cluster.database_url`'s."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The checkout this package runs from (an editable install), used for default paths.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


#: The secret of development setups; refused outside development.
DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"
#: Passwords that count as defaults (the database URL's, the demo accounts').
WEAK_PASSWORDS = frozenset(
    {"", "postgres", "password", "geoservice", "admin", "secret", "changeme", "123456"}
)


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
    assets_dir: Path = Field(
        default=PROJECT_ROOT / ".geoservice" / "assets",
        description="Leaflet plugins from npm, installed by `geoservice assets install`.",
    )
    rasters_dir: Path | None = Field(
        default=None,
        description="Where `geoservice import raster` writes the COGs; unset: <data_dir>/rasters.",
    )
    raster_threads: int = Field(
        default=2, ge=1, le=32, description="Raster tiles and statistics rendered at once."
    )
    language: Literal["id", "en"] = "id"
    load_demo: bool = True
    basemap_url: str = Field(
        default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        description="XYZ basemap of the HTML maps; empty for none (the map works without it).",
    )
    tile_cache_mb: int = Field(
        default=256, ge=0, description="In-process vector tile cache size in MiB; 0 turns it off."
    )

    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Service processes `geoservice serve` starts (uvicorn workers); their "
        "connection pools together must fit in the server's max_connections.",
    )
    replica_urls: str = Field(
        default="",
        description="Comma-separated URLs of hot standbys of GEOSERVICE_DATABASE_URL's server "
        "(or of the embedded cluster): anonymous reads go to a healthy one.",
    )
    replica_max_lag_s: float = Field(
        default=30.0,
        gt=0,
        description="A standby further behind the primary than this serves no reads.",
    )

    secret_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SECRET),
        description="Keys the stored hashes of sessions and API tokens; at least 32 characters "
        "outside development. Changing it signs everyone out.",
    )
    session_hours: int = Field(default=12, ge=1, le=24 * 30, description="Web session lifetime.")
    token_days: int = Field(
        default=90, ge=0, description="Default lifetime of new API tokens; 0 = no expiry."
    )
    max_body_kb: int = Field(default=1024, ge=1, description="Largest request body accepted.")
    max_upload_mb: int = Field(
        default=50, ge=1, description="Largest file an import upload accepts (indicator values)."
    )
    max_active_requests: int = Field(
        default=8,
        ge=1,
        le=200,
        description="Requests served at once (tiles from the cache and /health aside); the "
        "database pool is sized for them.",
    )
    max_queued_requests: int = Field(
        default=100, ge=0, description="Requests waiting for a turn; more get 503 at once."
    )
    queue_seconds: float = Field(
        default=5.0, gt=0, le=60, description="Longest wait for a turn before a 503."
    )
    exact_count_below: int = Field(
        default=10_000,
        ge=0,
        description="Items pages count numberMatched exactly when PostgreSQL's planner expects "
        "fewer rows than this, and give its estimate (marked as such) otherwise.",
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="Failed sign-ins per username (x4 per client) per window."
    )
    login_window_minutes: int = Field(default=15, ge=1)
    public_url: str | None = Field(
        default=None,
        description="The address people reach the service at, e.g. https://data.kota.go.id/geo: "
        "absolute URLs (links, TileJSON, redirects) are built from it, never from the Host "
        "header; required in production.",
        pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$",
    )
    trusted_hosts: str = Field(
        default="",
        description="Comma-separated host names the service answers for (others get 400); "
        "empty: the host of GEOSERVICE_PUBLIC_URL, or any host in development.",
    )
    cors_origins: str = Field(
        default="*",
        description="Origins whose pages may read the API: * (anyone, never with credentials) "
        "or a comma-separated list (those may send credentials).",
    )

    @cached_property
    def development(self) -> bool:
        """True in development (demo accounts, non-secure cookies, default secret allowed)."""
        return self.environment == "development"

    def production_problems(self) -> list[str]:
        """Why this configuration must not serve outside development (empty when it may)."""
        if self.development:
            return []
        problems = []
        secret = self.secret_key.get_secret_value()
        if secret == DEVELOPMENT_SECRET or len(secret) < 32:
            problems.append(
                "GEOSERVICE_SECRET_KEY is the development default or shorter than 32 characters"
            )
        if self.database_url:
            from sqlalchemy.engine import make_url

            password = make_url(to_sqlalchemy_url(self.database_url)).password
            if password is not None and password.lower() in WEAK_PASSWORDS:
                problems.append("GEOSERVICE_DATABASE_URL uses a default password")
        if not self.public_url or not self.public_url.startswith("https://"):
            problems.append(
                "GEOSERVICE_PUBLIC_URL is not an https:// address (secure cookies, HSTS and "
                "links that no Host header can change need it)"
            )
        return problems

    @cached_property
    def allowed_hosts(self) -> frozenset[str]:
        """Host names (lower case, without port) requests may name; empty: any."""
        hosts = {h.strip().lower() for h in self.trusted_hosts.split(",") if h.strip()}
        if not hosts and self.public_url:
            from urllib.parse import urlsplit

            hosts = {urlsplit(self.public_url).hostname or ""}
        return frozenset(hosts)

    @cached_property
    def replicas(self) -> tuple[str, ...]:
        """The standbys' SQLAlchemy URLs, in the order given."""
        urls = (u.strip() for u in self.replica_urls.split(","))
        return tuple(to_sqlalchemy_url(u) for u in urls if u)

    @cached_property
    def embedded(self) -> bool:
        """True when the service manages its own PostgreSQL cluster under ``data_dir``."""
        return not self.database_url


def to_sqlalchemy_url(url: str) -> str:
    """Accept ``postgres://``, ``postgresql://`` or ``postgresql+psycopg://`` URLs alike."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url.split('://')[0]}://…")
