-- Precomputed tile geometry of the areas :codes, one row per zoom band (ends at 5 and 8).
-- Douglas-Peucker (rings never collapse) to a quarter pixel at the band's deepest zoom, in Web
-- Mercator; ST_AsMVTGeom later snaps it to the tile grid and makes it valid. Band 8 is
-- simplified from the stored geometry in degrees (:degrees8, the quarter pixel scaled for the
-- Mercator stretch at 11 degrees of latitude, the most any Indonesian area reaches), so only
-- the vertices it keeps are reprojected; band 5 is simplified from band 8. An area smaller
-- than one pixel of its band is stored as its centroid, so no tile ever loses it. Each band's
-- geometry lies within its area's bounding box, so tiles find them through admin_area's own
-- spatial index. Run after deleting the rows of :codes.
WITH band8 AS (
    SELECT code, level, ST_Transform(ST_Simplify(geom, :degrees8, true), 3857) AS geom
      FROM admin_area
     WHERE code = ANY(CAST(:codes AS text[]))
),
band5 AS (
    SELECT code, level, ST_Simplify(geom, :pixel5 / 4, true) AS geom FROM band8
),
bands AS (
              SELECT code, level, 8 AS band, :pixel8 AS pixel, geom FROM band8
    UNION ALL SELECT code, level, 5, :pixel5, geom FROM band5
)
INSERT INTO admin_area_generalized (code, band, level, geom)
SELECT code, band, level,
       CASE WHEN ST_Area(geom) < pixel * pixel THEN ST_Centroid(geom) ELSE geom END
  FROM bands
