-- One vector tile of an indicator's choropleth: the areas of :level with their value and
-- class joined. Geometry comes precomputed per zoom band (admin_area_generalized) up to zoom
-- 11 and from admin_area beyond, as for the boundary tiles; values come in as arrays computed
-- (and classified, and withheld where the viewer may not see them) by the service.
WITH tile AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS env,
           ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096) AS search
), data AS (
    SELECT * FROM unnest(CAST(:codes AS text[]), CAST(:names AS text[]),
                         CAST(:values AS float8[]), CAST(:classes AS int[]),
                         CAST(:colors AS text[]))
                  AS d(kode, nama, nilai, kelas, warna)
), shapes AS (
    SELECT g.code, g.geom
      FROM admin_area_generalized g, tile
     WHERE :band IS NOT NULL AND g.band = :band AND g.level = :level AND g.geom && tile.search
    UNION ALL
    SELECT a.code, ST_Transform(a.geom, 3857)
      FROM admin_area a, tile
     WHERE :band IS NULL AND a.level = :level
       AND a.geom && ST_Transform(tile.search, 4326)
)
SELECT ST_AsMVT(features, :layer, 4096, 'geom', 'fid')
  FROM (
    SELECT replace(d.kode, '.', '')::bigint AS fid,
           d.kode, d.nama, d.nilai, d.kelas, d.warna,
           coalesce(
               ST_AsMVTGeom(s.geom, tile.env, 4096, 64, true),
               ST_AsMVTGeom(ST_Centroid(s.geom), tile.env, 4096, 64, true)
           ) AS geom
      FROM shapes s
      JOIN data d ON d.kode = s.code, tile
  ) AS features
 WHERE features.geom IS NOT NULL
