-- Why the sum over the desa/kelurahan of a scope differs from the raster's total inside the
-- scope: the land of the scope that no desa/kelurahan polygon covers (gaps) and the land that
-- two of them claim (overlaps), in km² on the spheroid. The union of the desa polygons is the
-- point of this statement, so it is kept as SQL.
WITH scope AS (
    SELECT geom FROM admin_area WHERE code = :scope
), desa AS (
    SELECT geom FROM admin_area WHERE level = 4 AND code LIKE :prefix
), merged AS (
    SELECT ST_Union(geom) AS geom, sum(ST_Area(geom::geography)) AS parts FROM desa
)
SELECT
    coalesce(ST_Area(ST_Difference(scope.geom, merged.geom)::geography), 0) / 1e6 AS gaps_km2,
    coalesce(merged.parts - ST_Area(merged.geom::geography), 0) / 1e6 AS overlaps_km2,
    coalesce(ST_Area(ST_Difference(merged.geom, scope.geom)::geography), 0) / 1e6 AS outside_km2
  FROM scope, merged
