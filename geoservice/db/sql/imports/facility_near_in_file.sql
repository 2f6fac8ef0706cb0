-- Pairs of rows of the file within the layer's radius (:distance metres) of each other.
SELECT c.row, d.row, d.name, ST_Distance(c.geom::geography, d.geom::geography)
  FROM facility_candidate c
  JOIN facility_candidate d
    ON d.row < c.row AND ST_DWithin(c.geom::geography, d.geom::geography, :distance)
 WHERE c.name IS NOT NULL AND d.name IS NOT NULL
 ORDER BY c.row, 4
