"""Tiles: no stored band for zooms 9-11, and no spatial index on the bands.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

A quarter pixel at zoom 11 is 19 m, so band 11 kept 75 % of the source vertices (7.0 of 9.3
million for the whole country): nearly a second copy of the boundaries, written by every
import. Its rows go; tiles from zoom 9 simplify the stored boundary per request.

The bands' partial GiST indexes cost the import more than writing the bands themselves (1.0 of
1.6 s for the whole country): every band geometry lies within its area's bounding box, so the
tile queries find the areas through admin_area's spatial index and read their bands by key.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: A quarter pixel at zoom 11, in Web Mercator metres, and one pixel squared (revision 0002).
_QUARTER_PIXEL_11 = 40_075_016.686 / 256 / 2**11 / 4
_PIXEL_11_SQUARED = (40_075_016.686 / 256 / 2**11) ** 2


BANDS = (5, 8, 11)


def upgrade() -> None:
    op.execute("DELETE FROM admin_area_generalized WHERE band = 11")
    for band in BANDS:
        op.drop_index(
            f"ix_admin_area_generalized_geom_band{band}", table_name="admin_area_generalized"
        )


def downgrade() -> None:
    for band in BANDS:
        op.create_index(
            f"ix_admin_area_generalized_geom_band{band}",
            "admin_area_generalized",
            ["geom"],
            postgresql_using="gist",
            postgresql_where=sa.text(f"band = {band}"),
        )
    op.execute(
        "INSERT INTO admin_area_generalized (code, band, level, geom) "
        "SELECT code, 11, level, CASE WHEN ST_Area(g) < "
        f"{_PIXEL_11_SQUARED} THEN ST_Centroid(g) ELSE g END "
        f"FROM (SELECT code, level, ST_Simplify(ST_Transform(geom, 3857), {_QUARTER_PIXEL_11}, "
        "true) AS g FROM admin_area) AS band11"
    )
