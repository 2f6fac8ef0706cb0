"""Tiles: generalized boundary geometry per zoom band, and change notifications for the cache.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

- admin_area_generalized: each area in Web Mercator, simplified to a quarter pixel at the
  deepest zoom of its band (bands end at zoom 5, 8 and 11); an area smaller than a pixel there
  is stored as its centroid. Filled by the boundary import (``geoservice db
  generalize`` rebuilds it), read by the tile queries up to zoom 11. One partial GiST index per
  band, so a tile query only walks its band.
- facility_notify_tiles: every committed change of a facility point is announced on channel
  ``geoservice_tiles`` with the layer and the old and new position, so every service process
  drops exactly the cached tiles that show the point.
"""

from collections.abc import Sequence

import geoalchemy2
import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BANDS = (5, 8, 11)

NOTIFY_TRIGGER = r"""
CREATE FUNCTION facility_notify_tiles() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  points jsonb := '[]';
  layer text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    points := points || jsonb_build_array(jsonb_build_array(ST_X(OLD.geom), ST_Y(OLD.geom)));
    layer := OLD.layer_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    points := points || jsonb_build_array(jsonb_build_array(ST_X(NEW.geom), ST_Y(NEW.geom)));
    layer := NEW.layer_id;
  END IF;
  PERFORM pg_notify('geoservice_tiles',
                    jsonb_build_object('layer', layer, 'points', points)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER facility_notify_tiles AFTER INSERT OR UPDATE OR DELETE ON facility
  FOR EACH ROW EXECUTE FUNCTION facility_notify_tiles();
"""


def upgrade() -> None:
    op.create_table(
        "admin_area_generalized",
        sa.Column("code", sa.Text(collation="C"), nullable=False),
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column(
            "geom",
            geoalchemy2.types.Geometry(srid=3857, spatial_index=False),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["code"],
            ["admin_area.code"],
            name=op.f("fk_admin_area_generalized_code_admin_area"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", "band", name=op.f("pk_admin_area_generalized")),
    )
    op.execute(
        "DO $$ BEGIN ALTER TABLE admin_area_generalized ALTER COLUMN geom SET COMPRESSION lz4; "
        "EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL; END $$"
    )
    for band in BANDS:
        op.create_index(
            f"ix_admin_area_generalized_geom_band{band}",
            "admin_area_generalized",
            ["geom"],
            postgresql_using="gist",
            postgresql_where=sa.text(f"band = {band}"),
        )
    op.execute(NOTIFY_TRIGGER)
    # Areas loaded before this revision get their tile geometry now (the package's own query,
    # so there is one definition of it).
    from geoservice.services.tiles import generalize

    generalize(op.get_bind())


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS facility_notify_tiles ON facility")
    op.execute("DROP FUNCTION IF EXISTS facility_notify_tiles()")
    op.drop_table("admin_area_generalized")
