-- Precomputed tile geometry of the areas :codes, one row per zoom band (ends at 5, 8 and 11).
-- Each band simplifies the finer band's result (Douglas-Peucker, rings never collapse) to a
-- quarter pixel at its deepest zoom; ST_AsMVTGeom later snaps it to the tile grid and makes
-- it valid. An area smaller than one pixel of its band is stored as its centroid, so
-- no tile ever loses it. Run after deleting the rows of :codes.
WITH mercator AS (
    SELECT code, level, ST_Transform(geom, 3857) AS geom
      FROM admin_area
     WHERE code = ANY(CAST(:codes AS text[]))
),
band11 AS (
    SELECT code, level, ST_Simplify(geom, :pixel11 / 4, true) AS geom FROM mercator
),
band8 AS (
    SELECT code, level, ST_Simplify(geom, :pixel8 / 4, true) AS geom FROM band11
),
band5 AS (
    SELECT code, level, ST_Simplify(geom, :pixel5 / 4, true) AS geom FROM band8
),
bands AS (
              SELECT code, level, 11 AS band, :pixel11 AS pixel, geom FROM band11
    UNION ALL SELECT code, level, 8, :pixel8, geom FROM band8
    UNION ALL SELECT code, level, 5, :pixel5, geom FROM band5
)
INSERT INTO admin_area_generalized (code, band, level, geom)
SELECT code, band, level,
       CASE WHEN ST_Area(geom) < pixel * pixel THEN ST_Centroid(geom) ELSE geom END
  FROM bands
