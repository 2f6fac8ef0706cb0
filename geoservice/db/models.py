"""Table models (SQLAlchemy 2 + GeoAlchemy2). The migrations in ``alembic/`` create them.

The services query these tables with SQLAlchemy Core built from the mapped columns
(``select(Facility.id)``, ``update(AppUser)``; see :mod:`geoservice.db` for the rule); no ORM
session loads objects from them.

Rules that must hold whatever client writes are enforced by PostgreSQL itself, not only here:
the CHECK constraints below (code formats, parent = code minus its last part, kind from the
code, statuses) and these triggers on ``facility``, whose live bodies are in the migrations
named (``alembic/versions/``; a later migration replaces an earlier body):

``facility_before_write`` (BEFORE INSERT OR UPDATE, body: ``0003_accounts.BEFORE_WRITE``)
    An update that changes nothing is skipped (no new version). On insert, or when the point
    or its kelurahan changes, ``kelurahan_code`` is set to the desa/kelurahan that covers the
    point (the one named wins on a shared border); a point outside every one raises SQLSTATE
    ``GS001`` (the services check the point first; this is the last line). ``version`` counts
    from 1 and goes up by one per update, ``updated_at`` is set, ``created_at``/``created_by``
    cannot be changed.
``facility_after_write`` (AFTER INSERT OR UPDATE, body: ``0003_accounts.AFTER_WRITE``)
    Writes the new version into ``facility_history`` with its operation: create, update,
    delete/restore (``deleted_at`` set or cleared), submit/verify/reject (only the status
    changed), and who did it.
``facility_notify_tiles`` (AFTER INSERT OR UPDATE OR DELETE, body: ``0002_tiles.NOTIFY_TRIGGER``)
    ``pg_notify('geoservice_tiles', ...)`` with the layer and the old and new positions, so
    that every process drops the cached tiles that showed them
    (:mod:`geoservice.services.tile_cache`).

So a write never sets ``version``, ``kelurahan_code`` (beyond a hint) or history itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Double,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    Text,
    and_,
    column,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Kemendagri code pattern per level: PP, PP.KK, PP.KK.CC, PP.KK.CC.NNNN
#: (1xxx kelurahan, 2xxx desa, 3xxx desa adat: e.g. the 14 desa adat of Kab. Jayapura, 91.03).
CODE_PATTERNS: dict[int, str] = {
    1: r"^[0-9]{2}$",
    2: r"^[0-9]{2}\.[0-9]{2}$",
    3: r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$",
    4: r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[123][0-9]{3}$",
}

AREA_KINDS = ("provinsi", "kabupaten", "kota", "kecamatan", "kelurahan", "desa", "desa_adat")
FACILITY_STATUSES = ("draft", "submitted", "verified", "rejected")
HISTORY_OPERATIONS = ("create", "update", "delete", "restore", "submit", "verify", "reject")
ROLES = ("admin", "pic", "planner")


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (alembic relies on them)."""

    metadata = MetaData(naming_convention=NAMING)


class AdminArea(Base):
    """A provinsi, kabupaten/kota, kecamatan or desa/kelurahan, keyed by its Kemendagri code."""

    __tablename__ = "admin_area"

    code: Mapped[str] = mapped_column(Text(collation="C"), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(Text)
    parent_code: Mapped[str | None] = mapped_column(
        Text(collation="C"),
        ForeignKey("admin_area.code", deferrable=True, initially="DEFERRED"),
        index=True,
    )
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=False), nullable=False
    )
    source: Mapped[str | None] = mapped_column(Text)
    derived: Mapped[bool] = mapped_column(Boolean, server_default="false")
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level"),
        CheckConstraint(
            "code ~ '^[0-9]{2}(\\.[0-9]{2}(\\.[0-9]{2}(\\.[123][0-9]{3})?)?)?$' "
            "AND level = (length(code) + 1) / 3",
            name="code_format",
        ),
        CheckConstraint(
            "(level = 1 AND parent_code IS NULL) OR "
            "(level > 1 AND parent_code = left(code, (level - 1) * 3 - 1))",
            name="parent_is_code_prefix",
        ),
        CheckConstraint(
            "(level = 1 AND kind = 'provinsi') OR "
            "(level = 2 AND kind = CASE WHEN substr(code, 4, 2)::int >= 71 "
            "THEN 'kota' ELSE 'kabupaten' END) OR "
            "(level = 3 AND kind = 'kecamatan') OR "
            "(level = 4 AND kind = CASE substr(code, 10, 1) WHEN '1' "
            "THEN 'kelurahan' WHEN '2' THEN 'desa' ELSE 'desa_adat' END)",
            name="kind_matches_code",
        ),
        CheckConstraint("length(btrim(name)) > 0", name="name_not_empty"),
        Index("ix_admin_area_geom", "geom", postgresql_using="gist"),
        # finding a kelurahan by part of its name (migration 0004)
        Index(
            "ix_admin_area_name_trgm",
            func.lower(column("name")).label("lower_name"),
            postgresql_using="gin",
            postgresql_ops={"lower_name": "gin_trgm_ops"},
        ),
    )


class Facility(Base):
    """A facility point of any layer (posyandu, pos kamling, RT, kantor kelurahan, ...)."""

    __tablename__ = "facility"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    layer_id: Mapped[str] = mapped_column(Text, index=True)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("POINT", srid=4326, spatial_index=False), nullable=False
    )
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    kelurahan_code: Mapped[str] = mapped_column(
        Text(collation="C"), ForeignKey("admin_area.code"), index=True, nullable=False
    )
    status: Mapped[str] = mapped_column(Text, server_default="draft")
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    is_sample: Mapped[bool] = mapped_column(Boolean, server_default="false")
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    created_by: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_by: Mapped[str | None] = mapped_column(Text)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_by: Mapped[str | None] = mapped_column(Text)
    #: the id the source file gives the point (``import facilities --id-column``)
    external_id: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("layer_id ~ '^[a-z][a-z0-9_]*$'", name="layer_id_format"),
        CheckConstraint(column("status").in_(FACILITY_STATUSES), name="status"),
        CheckConstraint("jsonb_typeof(attributes) = 'object'", name="attributes_object"),
        Index("ix_facility_geom", "geom", postgresql_using="gist"),
        Index(
            "ix_facility_external_id",
            "layer_id",
            "external_id",
            unique=True,
            postgresql_where=and_(
                column("external_id").is_not(None), column("deleted_at").is_(None)
            ),
        ),
    )


class ReviewItem(Base):
    """A finding an import left for the walidata instead of rejecting the file: a point loaded
    next to an existing one of similar name (``near_duplicate``). Open while ``resolved_at``
    is null; ``resolution`` is ``keep`` (both are real) or ``merged`` (the new one deleted)."""

    __tablename__ = "review_item"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    layer_id: Mapped[str] = mapped_column(Text)
    facility_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("facility.id", ondelete="CASCADE")
    )
    other_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("facility.id", ondelete="CASCADE")
    )
    kelurahan_code: Mapped[str] = mapped_column(Text(collation="C"))
    distance_m: Mapped[float | None] = mapped_column(Double)
    source: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("kind IN ('near_duplicate')", name="kind"),
        CheckConstraint(
            "resolution IS NULL OR resolution IN ('keep', 'merged')", name="resolution"
        ),
        Index(
            "ix_review_item_open",
            "kelurahan_code",
            postgresql_where=column("resolved_at").is_(None),
        ),
    )


class FacilityHistory(Base):
    """Every version of every facility, written by the ``facility_after_write`` trigger (see
    the module docstring); never written by the services."""

    __tablename__ = "facility_history"

    facility_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    operation: Mapped[str] = mapped_column(Text)
    layer_id: Mapped[str] = mapped_column(Text)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("POINT", srid=4326, spatial_index=False), nullable=False
    )
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    kelurahan_code: Mapped[str] = mapped_column(Text(collation="C"), index=True)
    status: Mapped[str] = mapped_column(Text)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(column("operation").in_(HISTORY_OPERATIONS), name="operation"),
    )


#: Zoom bands of the precomputed boundary geometry: each band ends at this zoom. Deeper tiles
#: simplify the stored geometry per request: a band for z9-11 would keep 75 % of its vertices.
GENERALIZED_BANDS = (5, 8)


class AdminAreaGeneralized(Base):
    """An area's geometry for vector tiles of one zoom band, in Web Mercator: simplified to a
    quarter pixel at the band's deepest zoom, or its centroid when smaller than a pixel
    there. Derived from admin_area by the boundary import (``geoservice db generalize``).
    It has no spatial index of its own: each row lies within its area's bounding box, so the
    tile queries find rows through admin_area's and read them by key (migration 0009)."""

    __tablename__ = "admin_area_generalized"

    code: Mapped[str] = mapped_column(
        Text(collation="C"),
        ForeignKey("admin_area.code", ondelete="CASCADE"),
        primary_key=True,
    )
    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry(srid=3857, spatial_index=False), nullable=False
    )


class AppUser(Base):
    """An account: admin (walidata), pic (edits granted kelurahan) or planner (reads all)."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    username: Mapped[str] = mapped_column(Text)
    full_name: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint(column("role").in_(ROLES), name="role"),
        CheckConstraint("username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$'", name="username_format"),
        Index("uq_app_user_username_lower", func.lower(username), unique=True),
    )


class UserKelurahan(Base):
    """A desa/kelurahan a PIC may edit."""

    __tablename__ = "user_kelurahan"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    kelurahan_code: Mapped[str] = mapped_column(
        Text(collation="C"),
        ForeignKey("admin_area.code", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    granted_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    granted_by: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(
            column("kelurahan_code").regexp_match(CODE_PATTERNS[4]), name="kelurahan_code_format"
        ),
    )


class ApiToken(Base):
    """A bearer token for scripts and QGIS; only an HMAC of the secret is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    secret_hash: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """A signed-in browser: the cookie's secret (as an HMAC) and the session's CSRF token."""

    __tablename__ = "web_session"

    secret_hash: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LoginFailure(Base):
    """A failed sign-in, counted per username and per client for rate limiting."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    username: Mapped[str] = mapped_column(Text)
    client: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        Index("ix_login_failure_username_at", "username", "at"),
        Index("ix_login_failure_client_at", "client", "at"),
    )


class IndicatorImport(Base):
    """One import of indicator values: which file, by whom, when; values name their import."""

    __tablename__ = "indicator_import"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    imported_by: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    rows: Mapped[int] = mapped_column(Integer)
    values_written: Mapped[int] = mapped_column(Integer)
    #: invented figures (the demo's): pages say so wherever they show them
    is_sample: Mapped[bool] = mapped_column(Boolean, server_default="false")


class IndicatorValue(Base):
    """The value of an indicator (declared in ``layers/indicators/``) for one desa/kelurahan
    and one period. Coarser levels are aggregated from these when read."""

    __tablename__ = "indicator_value"

    indicator: Mapped[str] = mapped_column(Text(collation="C"), primary_key=True)
    period: Mapped[str] = mapped_column(Text(collation="C"), primary_key=True)
    kode: Mapped[str] = mapped_column(
        Text(collation="C"),
        ForeignKey("admin_area.code", ondelete="CASCADE"),
        primary_key=True,
    )
    value: Mapped[float] = mapped_column(Double)
    import_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("indicator_import.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (CheckConstraint("length(kode) = 13", name="kelurahan_code"),)


PROFILE_OPERATIONS = ("create", "update", "submit", "verify", "reject")


class KelurahanProfile(Base):
    """The values of one profile form (``layers/profiles/``) for one desa/kelurahan and period,
    with the verification status; ``verified_values`` is what the walidata last verified (what
    the public sees while a newer draft waits). Versions are counted and kept by triggers."""

    __tablename__ = "kelurahan_profile"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    form_id: Mapped[str] = mapped_column(Text(collation="C"))
    kelurahan_code: Mapped[str] = mapped_column(
        Text(collation="C"), ForeignKey("admin_area.code", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(Text(collation="C"))
    values: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    status: Mapped[str] = mapped_column(Text, server_default="draft")
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    verified_values: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    verified_version: Mapped[int | None] = mapped_column(Integer)
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    verified_by: Mapped[str | None] = mapped_column(Text)
    is_sample: Mapped[bool] = mapped_column(Boolean, server_default="false")
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    created_by: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_by: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(column("status").in_(FACILITY_STATUSES), name="status"),
        CheckConstraint("jsonb_typeof(values) = 'object'", name="values_object"),
        CheckConstraint("length(kelurahan_code) = 13", name="kelurahan_code"),
        CheckConstraint("form_id ~ '^[a-z][a-z0-9_]*$'", name="form_id_format"),
        Index(
            "uq_kelurahan_profile_form_id_kelurahan_code_period",
            "form_id",
            "kelurahan_code",
            "period",
            unique=True,
        ),
    )


class KelurahanProfileHistory(Base):
    """Every version of every profile (who, when, what), written by a trigger."""

    __tablename__ = "kelurahan_profile_history"

    profile_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("kelurahan_profile.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    operation: Mapped[str] = mapped_column(Text)
    values: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(Text)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(column("operation").in_(PROFILE_OPERATIONS), name="operation"),
    )


# the progress service's table lives in its own module (this one is near its size limit)
from geoservice.db import models_progress as _progress  # noqa: E402, F401
