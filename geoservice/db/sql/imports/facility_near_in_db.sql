-- Pairs within the layer's radius; geoservice.services.points.rules decides which are duplicates.
-- Points the file itself updates (same external id) are not compared with their old version.
SELECT c.row, f.id, f.attributes ->> :name_attr,
       ST_Distance(c.geom::geography, f.geom::geography)
  FROM facility_candidate c
  JOIN facility f
    ON f.geom && ST_Expand(c.geom, :box)
   AND f.layer_id = :layer AND f.deleted_at IS NULL
   AND ST_DWithin(c.geom::geography, f.geom::geography, :distance)
 WHERE c.name IS NOT NULL AND f.attributes ? :name_attr
   AND NOT EXISTS (SELECT 1 FROM facility_candidate x WHERE x.external_id = f.external_id)
 ORDER BY c.row, 4
