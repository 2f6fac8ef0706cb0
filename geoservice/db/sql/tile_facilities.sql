-- One vector tile (MVT) of one facility layer: published points only unless :internal, and
-- without the layer's restricted attributes (:hidden). The jsonb attributes become MVT
-- properties one by one.
WITH tile AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS env,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096), 4326) AS env_4326
)
SELECT ST_AsMVT(features, :layer, 4096, 'geom', 'fid')
  FROM (
    SELECT f.id AS fid,
           (f.attributes - CAST(:hidden AS text[]))
             || jsonb_build_object('kode_kelurahan', f.kelurahan_code, 'contoh', f.is_sample)
             AS properties,
           ST_AsMVTGeom(ST_Transform(f.geom, 3857), tile.env, 4096, 64, true) AS geom
      FROM facility f, tile
     WHERE f.layer_id = :layer
       AND f.deleted_at IS NULL
       AND (:internal OR f.status = 'verified')
       AND f.geom && tile.env_4326
  ) AS features
 WHERE features.geom IS NOT NULL
