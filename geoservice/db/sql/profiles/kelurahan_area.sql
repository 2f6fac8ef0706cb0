-- The true area of a desa/kelurahan in km²: computed on the WGS 84 ellipsoid (geography), which
-- is equal-area by construction, so no projection's distortion enters the profile.
SELECT ST_Area(geom::geography, true) / 1e6 AS area_km2
  FROM admin_area
 WHERE code = :code AND level = 4
