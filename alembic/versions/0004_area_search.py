"""Search areas by name: a trigram index on the lower-cased name.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

The map pages find a kelurahan by any part of its name (``bandar`` finds Bandar Lor and
Bandar Kidul) among the country's 83,246; ``LIKE '%...%'`` on ``lower(name)`` uses this index
(pg_trgm, created by 0001) instead of reading every area.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_admin_area_name_trgm ON admin_area USING gin (lower(name) gin_trgm_ops)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_admin_area_name_trgm")
