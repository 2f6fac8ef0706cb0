-- One vector tile (MVT) of a fine boundary level at a zoom where its areas are too many to
-- draw (32,644 desa/kelurahan in the national zoom-5 tile): every area of the coarser level
-- :shown stands for the areas of level :level inside it, which it counts (jumlah), marked
-- ringkasan = true. Nothing is dropped: the tile accounts for every area it covers.
WITH tile AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS env,
           ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096) AS search
)
SELECT ST_AsMVT(features, :layer, 4096, 'geom', 'fid')
  FROM (
    SELECT replace(a.code, '.', '')::bigint AS fid,
           a.code AS kode,
           a.name AS nama,
           a.kind AS jenis,
           (SELECT count(*)
              FROM admin_area inner_area
             WHERE inner_area.level = :level
               AND inner_area.code > a.code || '.'
               AND inner_area.code < a.code || '/') AS jumlah,
           true AS ringkasan,
           coalesce(
               ST_AsMVTGeom(g.geom, tile.env, 4096, 64, true),
               ST_AsMVTGeom(ST_Centroid(g.geom), tile.env, 4096, 64, true)
           ) AS geom
      FROM admin_area_generalized g
      JOIN admin_area a ON a.code = g.code, tile
     WHERE g.band = :band
       AND g.level = :shown
       AND g.geom && tile.search
  ) AS features
 WHERE features.geom IS NOT NULL
