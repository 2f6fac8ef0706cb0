"""Imports: a review queue for the walidata, and an external id kept on facility points.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

``review_item`` holds findings that need a person rather than a rejected file: a point an
import loaded although an existing point of the same layer lies near it with a similar name.
The point is loaded (as a draft) and the item waits until the walidata resolves it (``keep``:
both are real; ``merged``: the new one was deleted). A later quality page lists them.

``facility.external_id`` is the id a source file gives a point (``--id-column``): importing a
corrected file again updates the points it loaded before instead of adding duplicates.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_item",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("layer_id", sa.Text(), nullable=False),
        sa.Column("facility_id", sa.BigInteger(), nullable=False),
        sa.Column("other_id", sa.BigInteger(), nullable=True),
        sa.Column("kelurahan_code", sa.Text(collation="C"), nullable=False),
        sa.Column("distance_m", sa.Double(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Text(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('near_duplicate')", name=op.f("ck_review_item_kind")),
        sa.CheckConstraint(
            "resolution IS NULL OR resolution IN ('keep', 'merged')",
            name=op.f("ck_review_item_resolution"),
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facility.id"],
            name=op.f("fk_review_item_facility_id_facility"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["facility.id"],
            name=op.f("fk_review_item_other_id_facility"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_item")),
    )
    op.create_index(
        "ix_review_item_open",
        "review_item",
        ["kelurahan_code"],
        postgresql_where=sa.text("resolved_at IS NULL"),
    )
    op.add_column("facility", sa.Column("external_id", sa.Text(), nullable=True))
    op.create_index(
        "ix_facility_external_id",
        "facility",
        ["layer_id", "external_id"],
        unique=True,
        postgresql_where=sa.text("external_id IS NOT NULL AND deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_facility_external_id", table_name="facility")
    op.drop_column("facility", "external_id")
    op.drop_index("ix_review_item_open", table_name="review_item")
    op.drop_table("review_item")
