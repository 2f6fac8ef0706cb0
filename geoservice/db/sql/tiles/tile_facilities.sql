-- One vector tile (MVT) of one facility layer. Published points only, without the layer's
-- restricted attributes (:hidden), except for an :internal viewer (everything) and in the
-- kelurahan a PIC edits (:own). Signed-in viewers also get the status (:show_status). The
-- jsonb attributes become MVT properties one by one.
-- The envelopes are scalar sub-selects and nothing filters on the clipped geometry: see
-- tile_areas.sql.
WITH tile AS (
    SELECT (SELECT ST_TileEnvelope(:z, :x, :y)::box2d) AS env,
           -- the margin added in degrees: transformed, a margin past 180 degrees wraps
           (SELECT ST_Expand(ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326), 360.0 / 64 / 2 ^ CAST(:z AS float8)))
               AS env_4326
)
SELECT ST_AsMVT(features, :layer, 4096, 'geom', 'fid')
  FROM (
    SELECT f.id AS fid,
           CASE WHEN f.kelurahan_code = ANY(CAST(:own AS text[])) THEN f.attributes
                ELSE f.attributes - CAST(:hidden AS text[]) END
             || jsonb_build_object('kode_kelurahan', f.kelurahan_code, 'contoh', f.is_sample)
             || CASE WHEN :show_status THEN jsonb_build_object('status', f.status)
                     ELSE '{}'::jsonb END
             AS properties,
           ST_AsMVTGeom(ST_Transform(f.geom, 3857), tile.env, 4096, 64, true) AS geom
      FROM facility f, tile
     WHERE f.layer_id = :layer
       AND f.deleted_at IS NULL
       AND (:internal OR f.status = 'verified' OR f.kelurahan_code = ANY(CAST(:own AS text[])))
       AND f.geom && tile.env_4326
  ) AS features
