-- The rows of a facility file as a temporary table (facility_candidate): each point with
-- the desa/kelurahan that covers it (NULL outside every one), for the set-based checks of
-- services/imports/facility_checks.py.
CREATE TEMPORARY TABLE facility_candidate ON COMMIT DROP AS
SELECT c.row, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326) AS geom, c.name, c.unique_key,
       c.external_id,
       (SELECT a.code FROM admin_area a
         WHERE a.level = 4 AND ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326))
         ORDER BY a.code LIMIT 1) AS kelurahan_code
  FROM unnest(CAST(:rows AS int[]), CAST(:lons AS float8[]), CAST(:lats AS float8[]),
              CAST(:names AS text[]), CAST(:keys AS text[]), CAST(:external_ids AS text[]))
       AS c(row, lon, lat, name, unique_key, external_id)
