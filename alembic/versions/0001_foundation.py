"""Foundation: administrative areas, facility points of every layer, facility history.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Rules PostgreSQL enforces here, whoever writes:
- admin_area: Kemendagri code format per level, parent = code minus its last part (and the
  parent row exists, checked at commit so a whole hierarchy can be loaded in any order), kind
  consistent with the code (KK >= 71 kota; NNNN 1xxx kelurahan, 2xxx desa).
- facility: the kelurahan code is computed from the point by ``ST_Covers`` on every insert and
  on every update of the point (a value given by a client is ignored), ``version`` counts
  updates, and a no-op update is skipped. Every version lands in facility_history.
"""

from collections.abc import Sequence

import geoalchemy2
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One regular expression per row, the rest is arithmetic: these run for every row of a
# national load (91,081 areas), so they are kept cheap.
CODE_FORMAT = (
    "code ~ '^[0-9]{2}(\\.[0-9]{2}(\\.[0-9]{2}(\\.[123][0-9]{3})?)?)?$' "
    "AND level = (length(code) + 1) / 3"
)
PARENT_IS_CODE_PREFIX = (
    "(level = 1 AND parent_code IS NULL) OR "
    "(level > 1 AND parent_code = left(code, (level - 1) * 3 - 1))"
)

FACILITY_TRIGGERS = r"""
CREATE FUNCTION facility_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  found_code text;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
    RETURN NULL;  -- nothing changed: no new version
  END IF;
  IF TG_OP = 'INSERT'
     OR NEW.geom IS DISTINCT FROM OLD.geom
     OR NEW.kelurahan_code IS DISTINCT FROM OLD.kelurahan_code THEN
    SELECT a.code INTO found_code
      FROM admin_area a
     WHERE a.level = 4 AND ST_Covers(a.geom, NEW.geom)
     ORDER BY a.code
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

CREATE FUNCTION facility_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER facility_before_write BEFORE INSERT OR UPDATE ON facility
  FOR EACH ROW EXECUTE FUNCTION facility_before_write();
CREATE TRIGGER facility_after_write AFTER INSERT OR UPDATE ON facility
  FOR EACH ROW EXECUTE FUNCTION facility_after_write();
"""


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")

    op.create_table(
        "admin_area",
        # Codes are ASCII digits and dots: the C collation orders them the same, faster.
        sa.Column("code", sa.Text(collation="C"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("parent_code", sa.Text(collation="C"), nullable=True),
        sa.Column(
            "geom",
            geoalchemy2.Geometry("MULTIPOLYGON", srid=4326, spatial_index=False),
            nullable=False,
        ),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("derived", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("level BETWEEN 1 AND 4", name=op.f("ck_admin_area_level")),
        sa.CheckConstraint(CODE_FORMAT, name=op.f("ck_admin_area_code_format")),
        sa.CheckConstraint(PARENT_IS_CODE_PREFIX, name=op.f("ck_admin_area_parent_is_code_prefix")),
        sa.CheckConstraint(
            "(level = 1 AND kind = 'provinsi') OR "
            "(level = 2 AND kind = CASE WHEN substr(code, 4, 2)::int >= 71 "
            "THEN 'kota' ELSE 'kabupaten' END) OR "
            "(level = 3 AND kind = 'kecamatan') OR "
            "(level = 4 AND kind = CASE substr(code, 10, 1) WHEN '1' "
            "THEN 'kelurahan' WHEN '2' THEN 'desa' ELSE 'desa_adat' END)",
            name=op.f("ck_admin_area_kind_matches_code"),
        ),
        sa.CheckConstraint("length(btrim(name)) > 0", name=op.f("ck_admin_area_name_not_empty")),
        sa.ForeignKeyConstraint(
            ["parent_code"],
            ["admin_area.code"],
            name=op.f("fk_admin_area_parent_code_admin_area"),
            deferrable=True,
            initially="DEFERRED",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_admin_area")),
    )
    op.create_index("ix_admin_area_parent_code", "admin_area", ["parent_code"])
    op.create_index("ix_admin_area_geom", "admin_area", ["geom"], postgresql_using="gist")
    # Boundary polygons are large (TOASTed): lz4 writes and reads them several times faster
    # than the default pglz. Servers built without lz4 keep the default.
    op.execute(
        "DO $$ BEGIN ALTER TABLE admin_area ALTER COLUMN geom SET COMPRESSION lz4; "
        "EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL; END $$"
    )

    op.create_table(
        "facility",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("layer_id", sa.Text(), nullable=False),
        sa.Column(
            "geom",
            geoalchemy2.Geometry("POINT", srid=4326, spatial_index=False),
            nullable=False,
        ),
        sa.Column(
            "attributes",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("kelurahan_code", sa.Text(collation="C"), nullable=False),
        sa.Column("status", sa.Text(), server_default="draft", nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("is_sample", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("updated_by", sa.Text(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "layer_id ~ '^[a-z][a-z0-9_]*$'", name=op.f("ck_facility_layer_id_format")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'verified', 'rejected')",
            name=op.f("ck_facility_status"),
        ),
        sa.CheckConstraint(
            "jsonb_typeof(attributes) = 'object'", name=op.f("ck_facility_attributes_object")
        ),
        sa.ForeignKeyConstraint(
            ["kelurahan_code"],
            ["admin_area.code"],
            name=op.f("fk_facility_kelurahan_code_admin_area"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility")),
    )
    op.create_index("ix_facility_layer_id", "facility", ["layer_id"])
    op.create_index("ix_facility_kelurahan_code", "facility", ["kelurahan_code"])
    op.create_index("ix_facility_geom", "facility", ["geom"], postgresql_using="gist")

    op.create_table(
        "facility_history",
        sa.Column("facility_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("operation", sa.Text(), nullable=False),
        sa.Column("layer_id", sa.Text(), nullable=False),
        sa.Column(
            "geom",
            geoalchemy2.Geometry("POINT", srid=4326, spatial_index=False),
            nullable=False,
        ),
        sa.Column("attributes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("kelurahan_code", sa.Text(collation="C"), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "operation IN ('create', 'update', 'delete', 'restore')",
            name=op.f("ck_facility_history_operation"),
        ),
        sa.PrimaryKeyConstraint("facility_id", "version", name=op.f("pk_facility_history")),
    )
    op.create_index("ix_facility_history_kelurahan_code", "facility_history", ["kelurahan_code"])
    op.execute(FACILITY_TRIGGERS)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS facility_after_write ON facility")
    op.execute("DROP TRIGGER IF EXISTS facility_before_write ON facility")
    op.execute("DROP FUNCTION IF EXISTS facility_after_write()")
    op.execute("DROP FUNCTION IF EXISTS facility_before_write()")
    op.drop_table("facility_history")
    op.drop_table("facility")
    op.drop_table("admin_area")
    # The postgis and pg_trgm extensions stay: other databases objects may use them.
