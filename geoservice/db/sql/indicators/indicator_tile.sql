-- One vector tile of an indicator's choropleth: the areas found in the tile (by
-- indicator_tile_codes.sql) with their value and class joined. Values, classes and colours
-- come in as arrays computed by the service (which also withholds what the viewer may not
-- see); the shapes are read by key: the geometry precomputed for the zoom band up to zoom 8
-- (:band rendered as a constant: services/tiles.band_statement), beyond it the stored boundary
-- simplified to a quarter pixel (:tolerance, degrees) in Web Mercator, as tiles/tile_areas.sql.
-- The envelopes are scalar sub-selects and nothing filters on the clipped geometry: see
-- tiles/tile_areas.sql.
WITH tile AS (
    SELECT (SELECT ST_TileEnvelope(:z, :x, :y)::box2d) AS env
), data AS (
    SELECT * FROM unnest(CAST(:codes AS text[]), CAST(:names AS text[]),
                         CAST(:values AS float8[]), CAST(:classes AS int[]),
                         CAST(:colors AS text[]))
                  AS d(kode, nama, nilai, kelas, warna)
), shapes AS (
    SELECT g.code, g.geom
      FROM admin_area_generalized g
      JOIN data ON data.kode = g.code
     WHERE :band IS NOT NULL AND g.band = :band
    UNION ALL
    SELECT a.code, ST_Transform(ST_Simplify(a.geom, :tolerance, true), 3857)
      FROM admin_area a
      JOIN data ON data.kode = a.code
     WHERE :band IS NULL
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
