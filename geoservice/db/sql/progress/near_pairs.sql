-- Pairs of points of :layer (deleted ones aside) within :radius metres of each other, the first
-- in a desa/kelurahan within :kode; geoservice.services.points.rules decides which are
-- near-duplicates (similar names, same numbers).
SELECT a.id, b.id AS other_id, a.kelurahan_code,
       coalesce(a.attributes ->> :name_attr, '') AS name,
       coalesce(b.attributes ->> :name_attr, '') AS other_name,
       ST_Distance(a.geom::geography, b.geom::geography) AS distance_m
  FROM facility a
  JOIN facility b
    ON b.layer_id = a.layer_id AND b.id > a.id AND b.deleted_at IS NULL
   AND b.geom && ST_Expand(a.geom, :box)
   AND ST_DWithin(a.geom::geography, b.geom::geography, :radius)
 WHERE a.layer_id = :layer AND a.deleted_at IS NULL AND a.kelurahan_code LIKE :kode
   AND a.attributes ? :name_attr AND b.attributes ? :name_attr
 ORDER BY a.kelurahan_code, a.id, b.id
