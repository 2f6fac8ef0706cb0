-- One vector tile (MVT) of one boundary level beyond the precomputed bands (from zoom 9), from
-- the stored geometry.
-- Geometry is simplified to about a quarter of a pixel at this zoom before clipping, so a tile
-- at low zoom carries every area of its extent with only the vertices a screen can show.
-- An area too small to show as a polygon at this zoom is kept as a point (never dropped), so
-- a tile always holds every area it covers. Feature ids are the Kemendagri code without dots
-- (MVT ids are integers); the code itself is the `kode` property.
--
-- The tile envelopes are scalar sub-selects, which PostgreSQL computes once per query (as
-- InitPlans) also in a prepared statement's generic plan; a bare expression of :z, :x and :y
-- would be evaluated again for every row there. ST_AsMVT skips the rows whose geometry is NULL
-- (clipped away), so nothing filters on it: a WHERE on that column made PostgreSQL compute
-- every ST_AsMVTGeom twice.
WITH tile AS (
    SELECT (SELECT ST_TileEnvelope(:z, :x, :y)::box2d) AS env,
           -- the margin added in degrees: transformed, a margin past 180 degrees wraps
           (SELECT ST_Expand(ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326), 360.0 / 64 / 2 ^ CAST(:z AS float8)))
               AS env_4326
)
SELECT ST_AsMVT(features, :layer, 4096, 'geom', 'fid')
  FROM (
    SELECT replace(a.code, '.', '')::bigint AS fid,
           a.code AS kode,
           a.name AS nama,
           a.kind AS jenis,
           coalesce(
               ST_AsMVTGeom(
                   ST_Transform(ST_Simplify(a.geom, :tolerance, true), 3857),
                   tile.env, 4096, 64, true),
               ST_AsMVTGeom(
                   ST_Transform(ST_PointOnSurface(a.geom), 3857), tile.env, 4096, 64, true)
           ) AS geom
      FROM admin_area a, tile
     WHERE a.level = :level
       AND a.geom && tile.env_4326
  ) AS features
