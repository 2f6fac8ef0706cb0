-- The areas of :level in one tile (with the boundary tiles' margin): the geometry precomputed
-- for the zoom band up to zoom 11, the stored boundaries beyond (:band is rendered as a
-- constant, NULL from zoom 12, so each statement uses its band's partial index).
WITH tile AS (
    SELECT ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096) AS search
)
SELECT g.code
  FROM admin_area_generalized g, tile
 WHERE :band IS NOT NULL AND g.band = :band AND g.level = :level AND g.geom && tile.search
UNION ALL
SELECT a.code
  FROM admin_area a, tile
 WHERE :band IS NULL AND a.level = :level AND a.geom && ST_Transform(tile.search, 4326)
