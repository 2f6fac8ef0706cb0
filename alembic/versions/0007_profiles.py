"""Kelurahan profiles: the values of a profile form per desa/kelurahan and period, versioned.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

``kelurahan_profile`` holds one row per form x desa/kelurahan x period: the values (JSONB, checked
against the form by the service), the status of the same workflow as points (draft ->
submitted -> verified / rejected with a reason) and the values last verified, which are what
the public reads. As for facilities, the triggers count versions (a no-op update makes none)
and keep every version in ``kelurahan_profile_history`` with who changed what and when; the
operation is read from the status change.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "('draft', 'submitted', 'verified', 'rejected')"

TRIGGERS = r"""
CREATE FUNCTION kelurahan_profile_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NULL;  -- nothing changed: no new version
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

CREATE FUNCTION kelurahan_profile_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  op text := 'update';
BEGIN
  IF TG_OP = 'INSERT' THEN
    op := 'create';
  ELSIF NEW.status IS DISTINCT FROM OLD.status AND NEW.status = 'submitted' THEN
    op := 'submit';
  ELSIF NEW.status IS DISTINCT FROM OLD.status AND NEW.status = 'verified' THEN
    op := 'verify';
  ELSIF NEW.status IS DISTINCT FROM OLD.status AND NEW.status = 'rejected' THEN
    op := 'reject';
  END IF;
  INSERT INTO kelurahan_profile_history (
    profile_id, version, operation, values, status, rejection_reason, changed_at, changed_by)
  VALUES (
    NEW.id, NEW.version, op, NEW.values, NEW.status, NEW.rejection_reason, NEW.updated_at,
    coalesce(NEW.updated_by, NEW.created_by));
  RETURN NULL;
END
$$;

CREATE TRIGGER kelurahan_profile_before_write BEFORE INSERT OR UPDATE ON kelurahan_profile
  FOR EACH ROW EXECUTE FUNCTION kelurahan_profile_before_write();
CREATE TRIGGER kelurahan_profile_after_write AFTER INSERT OR UPDATE ON kelurahan_profile
  FOR EACH ROW EXECUTE FUNCTION kelurahan_profile_after_write();
"""


def upgrade() -> None:
    op.create_table(
        "kelurahan_profile",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("form_id", sa.Text(collation="C"), nullable=False),
        sa.Column("kelurahan_code", sa.Text(collation="C"), nullable=False),
        sa.Column("period", sa.Text(collation="C"), nullable=False),
        sa.Column(
            "values", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column("status", sa.Text(), server_default="draft", nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("verified_values", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("verified_version", sa.Integer(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by", sa.Text(), nullable=True),
        sa.Column("is_sample", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("updated_by", sa.Text(), nullable=True),
        sa.CheckConstraint(f"status IN {STATUSES}", name=op.f("ck_kelurahan_profile_status")),
        sa.CheckConstraint(
            "jsonb_typeof(values) = 'object'", name=op.f("ck_kelurahan_profile_values_object")
        ),
        sa.CheckConstraint(
            "length(kelurahan_code) = 13", name=op.f("ck_kelurahan_profile_kelurahan_code")
        ),
        sa.CheckConstraint(
            "form_id ~ '^[a-z][a-z0-9_]*$'", name=op.f("ck_kelurahan_profile_form_id_format")
        ),
        sa.ForeignKeyConstraint(
            ["kelurahan_code"],
            ["admin_area.code"],
            name=op.f("fk_kelurahan_profile_kelurahan_code_admin_area"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kelurahan_profile")),
    )
    op.create_index(
        op.f("ix_kelurahan_profile_kelurahan_code"), "kelurahan_profile", ["kelurahan_code"]
    )
    op.create_index(
        "uq_kelurahan_profile_form_id_kelurahan_code_period",
        "kelurahan_profile",
        ["form_id", "kelurahan_code", "period"],
        unique=True,
    )
    op.create_table(
        "kelurahan_profile_history",
        sa.Column("profile_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("operation", sa.Text(), nullable=False),
        sa.Column("values", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "operation IN ('create', 'update', 'submit', 'verify', 'reject')",
            name=op.f("ck_kelurahan_profile_history_operation"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["kelurahan_profile.id"],
            name=op.f("fk_kelurahan_profile_history_profile_id_kelurahan_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", "version", name=op.f("pk_kelurahan_profile_history")),
    )
    op.execute(TRIGGERS)


def downgrade() -> None:
    op.drop_table("kelurahan_profile_history")
    op.drop_table("kelurahan_profile")
    op.execute("DROP FUNCTION IF EXISTS kelurahan_profile_after_write()")
    op.execute("DROP FUNCTION IF EXISTS kelurahan_profile_before_write()")
