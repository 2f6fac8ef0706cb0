-- The areas generalize_bands.sql reads: a temporary table of this session, emptied for each
-- batch. Its columns are admin_area's COPY columns, so that a national import can stream the
-- very bytes it COPYs into admin_area into it (boundary_writer). Read once: no compression.
CREATE TEMPORARY TABLE IF NOT EXISTS generalize_input (
    code text, name text, level smallint, kind text, parent_code text,
    geom geometry(MultiPolygon, 4326), source text, derived boolean
) ON COMMIT DROP;
ALTER TABLE generalize_input ALTER COLUMN geom SET STORAGE EXTERNAL;
TRUNCATE generalize_input;
