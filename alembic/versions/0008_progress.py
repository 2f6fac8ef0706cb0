"""Progress: the walidata's decisions on the quality queue (gaps, doubles, near-duplicates,
name mismatches), one row per finding, so that a decided finding is never asked again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

The figures of progress themselves need no table: they are derived from ``facility``,
``facility_history``, ``kelurahan_profile`` and its history on every request.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "'number_missing', 'group_missing', 'number_short', 'number_double', 'layer_empty', "
    "'near_duplicate', 'name_mismatch'"
)
DECISIONS = "'keep_both', 'merge', 'move', 'correct'"


def upgrade() -> None:
    op.create_table(
        "quality_decision",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("subject", sa.Text(collation="C"), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("kelurahan_code", sa.Text(collation="C"), nullable=False),
        sa.Column("layer_id", sa.Text(), nullable=True),
        sa.Column(
            "facility_ids",
            postgresql.ARRAY(sa.BigInteger()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=False),
        sa.Column(
            "decided_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("kind IN (" + KINDS + ")", name=op.f("ck_quality_decision_kind")),
        sa.CheckConstraint(
            "decision IN (" + DECISIONS + ")", name=op.f("ck_quality_decision_decision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_decision")),
        sa.UniqueConstraint("subject", name=op.f("uq_quality_decision_subject")),
    )
    op.create_index(
        op.f("ix_quality_decision_kelurahan_code"), "quality_decision", ["kelurahan_code"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_quality_decision_kelurahan_code"), table_name="quality_decision")
    op.drop_table("quality_decision")
