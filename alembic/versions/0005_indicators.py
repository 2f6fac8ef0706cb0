"""Indicators: values per desa/kelurahan and period, and the imports that wrote them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

Indicators themselves are declared as data in ``layers/indicators/*.yaml``; the database keeps
their values. A value belongs to one desa/kelurahan (kecamatan, kota and provinsi figures are
aggregated when read, so they never disagree with their parts) and names the import that
wrote it, so a figure can be traced to its file.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "indicator_import",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_by", sa.Text(), nullable=True),
        sa.Column(
            "imported_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("values_written", sa.Integer(), nullable=False),
        sa.Column("is_sample", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_import")),
    )
    op.create_table(
        "indicator_value",
        sa.Column("indicator", sa.Text(collation="C"), nullable=False),
        sa.Column("period", sa.Text(collation="C"), nullable=False),
        sa.Column("kode", sa.Text(collation="C"), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("import_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("length(kode) = 13", name=op.f("ck_indicator_value_kelurahan_code")),
        sa.ForeignKeyConstraint(
            ["kode"],
            ["admin_area.code"],
            name=op.f("fk_indicator_value_kode_admin_area"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["indicator_import.id"],
            name=op.f("fk_indicator_value_import_id_indicator_import"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("indicator", "period", "kode", name=op.f("pk_indicator_value")),
    )
    op.create_index(
        op.f("ix_indicator_value_import_id"), "indicator_value", ["import_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("indicator_value")
    op.drop_table("indicator_import")
