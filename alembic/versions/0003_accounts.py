"""Accounts: users with roles, kelurahan grants, API tokens, web sessions, login failures; the
verification steps in a facility's history.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

- app_user: one account per person; role admin (walidata), pic or planner; usernames are
  unique case-insensitively; a disabled account keeps its history but cannot sign in.
- user_kelurahan: the desa/kelurahan a PIC may edit.
- api_token, web_session: only an HMAC of each secret is stored, so a copy of the database
  does not sign anyone in.
- login_failure: failed sign-ins, counted per username and per client for rate limiting.
- facility_history.operation gains submit, verify and reject; the facility trigger keeps a
  kelurahan the writer names when it covers the point (a point on the line between two
  kelurahan belongs to the PIC's own), and otherwise still derives it from the point.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPERATIONS_BEFORE = "'create', 'update', 'delete', 'restore'"
OPERATIONS = "'create', 'update', 'delete', 'restore', 'submit', 'verify', 'reject'"

BEFORE_WRITE = r"""
CREATE OR REPLACE FUNCTION facility_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  found_code text;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NULL;  -- nothing changed: no new version
  END IF;
  IF TG_OP = 'INSERT'
     OR NEW.geom IS DISTINCT FROM OLD.geom
     OR NEW.kelurahan_code IS DISTINCT FROM OLD.kelurahan_code THEN
    -- the named kelurahan wins only when it covers the point (a point on a shared border)
    SELECT a.code INTO found_code
      FROM admin_area a
     WHERE a.level = 4 AND ST_Covers(a.geom, NEW.geom)
     ORDER BY a.code IS NOT DISTINCT FROM NEW.kelurahan_code DESC, a.code
     LIMIT 1;
    IF found_code IS NULL THEN
      RAISE EXCEPTION USING
        ERRCODE = 'GS001',
        MESSAGE = 'point outside every desa/kelurahan',
        DETAIL = ST_AsText(NEW.geom);
    END IF;
    NEW.kelurahan_code := found_code;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    NEW.created_at := OLD.created_at;
    NEW.created_by := OLD.created_by;
  ELSE
    NEW.version := 1;
  END IF;
  RETURN NEW;
END
$$;
"""

AFTER_WRITE = r"""
CREATE OR REPLACE FUNCTION facility_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  op text := 'update';
  who text := NEW.updated_by;
BEGIN
  IF TG_OP = 'INSERT' THEN
    op := 'create';
    who := coalesce(NEW.updated_by, NEW.created_by);
  ELSIF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN
    op := 'delete';
    who := coalesce(NEW.deleted_by, NEW.updated_by);
  ELSIF OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN
    op := 'restore';
  ELSIF NEW.status IS DISTINCT FROM OLD.status
        AND NEW.geom IS NOT DISTINCT FROM OLD.geom
        AND NEW.attributes IS NOT DISTINCT FROM OLD.attributes THEN
    op := CASE NEW.status WHEN 'submitted' THEN 'submit' WHEN 'verified' THEN 'verify'
                          WHEN 'rejected' THEN 'reject' ELSE 'update' END;
  END IF;
  INSERT INTO facility_history (
    facility_id, version, operation, layer_id, geom, attributes, kelurahan_code,
    status, rejection_reason, changed_at, changed_by)
  VALUES (
    NEW.id, NEW.version, op, NEW.layer_id, NEW.geom, NEW.attributes, NEW.kelurahan_code,
    NEW.status, NEW.rejection_reason, NEW.updated_at, who);
  RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role IN ('admin', 'pic', 'planner')", name=op.f("ck_app_user_role")),
        sa.CheckConstraint(
            "username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$'",
            name=op.f("ck_app_user_username_format"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
    )
    op.create_index(
        "uq_app_user_username_lower", "app_user", [sa.text("lower(username)")], unique=True
    )

    op.create_table(
        "user_kelurahan",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kelurahan_code", sa.Text(collation="C"), nullable=False),
        sa.Column(
            "granted_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("granted_by", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kelurahan_code ~ '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[123][0-9]{3}$'",
            name=op.f("ck_user_kelurahan_kelurahan_code_format"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_user_kelurahan_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["kelurahan_code"],
            ["admin_area.code"],
            name=op.f("fk_user_kelurahan_kelurahan_code_admin_area"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kelurahan_code", name=op.f("pk_user_kelurahan")),
    )
    op.create_index("ix_user_kelurahan_kelurahan_code", "user_kelurahan", ["kelurahan_code"])

    op.create_table(
        "api_token",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("secret_hash", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_api_token_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_api_token_secret_hash")),
    )
    op.create_index("ix_api_token_user_id", "api_token", ["user_id"])

    op.create_table(
        "web_session",
        sa.Column("secret_hash", sa.LargeBinary(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("csrf_token", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_web_session_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("secret_hash", name=op.f("pk_web_session")),
    )
    op.create_index("ix_web_session_user_id", "web_session", ["user_id"])

    op.create_table(
        "login_failure",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("client", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    op.create_index("ix_login_failure_username_at", "login_failure", ["username", "at"])
    op.create_index("ix_login_failure_client_at", "login_failure", ["client", "at"])

    op.drop_constraint(op.f("ck_facility_history_operation"), "facility_history", type_="check")
    op.create_check_constraint(
        op.f("ck_facility_history_operation"), "facility_history", f"operation IN ({OPERATIONS})"
    )
    op.execute(BEFORE_WRITE)
    op.execute(AFTER_WRITE)


def downgrade() -> None:
    import importlib.util
    from pathlib import Path

    # the trigger functions as the first migration wrote them
    spec = importlib.util.spec_from_file_location(
        "foundation", Path(__file__).with_name("0001_foundation.py")
    )
    assert spec is not None and spec.loader is not None
    foundation = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(foundation)
    op.execute(
        "UPDATE facility_history SET operation = 'update' "
        "WHERE operation IN ('submit', 'verify', 'reject')"
    )
    op.drop_constraint(op.f("ck_facility_history_operation"), "facility_history", type_="check")
    op.create_check_constraint(
        op.f("ck_facility_history_operation"),
        "facility_history",
        f"operation IN ({OPERATIONS_BEFORE})",
    )
    op.execute(
        foundation.FACILITY_TRIGGERS.split("CREATE TRIGGER")[0].replace(
            "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"
        )
    )
    for table in ("login_failure", "web_session", "api_token", "user_kelurahan", "app_user"):
        op.drop_table(table)
