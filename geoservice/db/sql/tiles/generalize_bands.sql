-- Precomputed tile geometry of the areas in the temporary table generalize_input (code, level,
-- geom in EPSG:4326), one row per zoom band (ends at 5, 8 and 11): (code, band, level, geom).
-- Each band simplifies the finer band's result (Douglas-Peucker, rings never collapse) to a
-- quarter pixel at its deepest zoom; ST_AsMVTGeom later snaps it to the tile grid and makes
-- it valid. An area smaller than one pixel of its band is stored as its centroid, so
-- no tile ever loses it. Inserted into admin_area_generalized in the same transaction, or, in a
-- national import, computed on a second connection and streamed into it (boundary_writer).
WITH mercator AS (
    SELECT code, level, ST_Transform(geom, 3857) AS geom FROM generalize_input
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
SELECT code, CAST(band AS smallint) AS band, level,
       CASE WHEN ST_Area(geom) < pixel * pixel THEN ST_Centroid(geom) ELSE geom END AS geom
  FROM bands
