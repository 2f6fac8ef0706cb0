-- One vector tile (MVT) of one boundary level up to zoom 8, from the geometry precomputed for
-- the zoom band (admin_area_generalized): no simplification or reprojection per request. An
-- area whose polygon collapses at this zoom is kept as a point, never dropped.
--
-- With :summary, the areas of the coarser level :shown stand for those of level :level, too
-- many to draw at this zoom (32,644 desa/kelurahan in the national zoom-5 tile): each counts
-- the areas it stands for (jumlah) and is marked ringkasan = true, so the tile still accounts
-- for every area it covers. Without it :shown = :level and both properties are left out.
-- The areas are found through admin_area's spatial index (a band's geometry lies within its
-- area's bounding box; the bands have no index of their own) and their band read by key.
-- The envelopes are scalar sub-selects and nothing filters on the clipped geometry: see
-- tile_areas.sql.
WITH tile AS (
    SELECT (SELECT ST_TileEnvelope(:z, :x, :y)::box2d) AS env,
           (SELECT ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096)) AS search,
           -- the margin added in degrees: transformed, a margin past 180 degrees wraps
           (SELECT ST_Expand(ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326), 360.0 / 64 / 2 ^ CAST(:z AS float8)))
               AS search_4326
)
SELECT ST_AsMVT(features, :layer, 4096, 'geom', 'fid')
  FROM (
    SELECT replace(a.code, '.', '')::bigint AS fid,
           a.code AS kode,
           a.name AS nama,
           a.kind AS jenis,
           CASE WHEN :summary THEN
               (SELECT count(*)
                  FROM admin_area inner_area
                 WHERE inner_area.level = :level
                   AND inner_area.code > a.code || '.'
                   AND inner_area.code < a.code || '/')
           END AS jumlah,
           CASE WHEN :summary THEN true END AS ringkasan,
           coalesce(
               ST_AsMVTGeom(g.geom, tile.env, 4096, 64, true),
               ST_AsMVTGeom(ST_Centroid(g.geom), tile.env, 4096, 64, true)
           ) AS geom
      FROM admin_area a
      JOIN admin_area_generalized g ON g.code = a.code AND g.band = :band, tile
     WHERE a.level = :shown
       AND a.geom && tile.search_4326
       AND g.geom && tile.search
  ) AS features
