-- The areas of :level in one tile (with the boundary tiles' margin), found through
-- admin_area's spatial index: within the bounds of the geometry precomputed for the zoom band
-- up to zoom 8 (it lies within its area's bounding box), of the stored boundaries beyond
-- (:band is rendered as a constant, NULL beyond the bands: services/tiles.band_statement).
WITH tile AS (
    SELECT ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096) AS search,
           -- the margin added in degrees: transformed, a margin past 180 degrees wraps
           ST_Expand(ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326), 360.0 / 64 / 2 ^ CAST(:z AS float8))
               AS search_4326
)
SELECT g.code
  FROM admin_area a
  JOIN admin_area_generalized g ON g.code = a.code AND g.band = :band, tile
 WHERE :band IS NOT NULL AND a.level = :level AND a.geom && tile.search_4326
   AND g.geom && tile.search
UNION ALL
SELECT a.code
  FROM admin_area a, tile
 WHERE :band IS NULL AND a.level = :level AND a.geom && tile.search_4326
