-- Versions of facility points with what each changed: the previous version's attributes and
-- kelurahan, and how far the point moved (metres on the geography). Either one point's
-- versions (:facility_id) or a kelurahan's change log (:kelurahan, with the versions that
-- moved a point out of it), between :since and :until.
WITH points AS (
    SELECT DISTINCT facility_id FROM facility_history
     WHERE facility_id = CAST(:facility_id AS bigint)
        OR kelurahan_code = CAST(:kelurahan AS text)
), versions AS (
    SELECT h.facility_id, h.version, h.operation, h.layer_id, h.kelurahan_code, h.status,
           h.rejection_reason, h.changed_at, h.changed_by, h.attributes,
           ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat,
           lag(h.attributes) OVER w AS previous_attributes,
           lag(h.kelurahan_code) OVER w AS previous_kelurahan,
           ST_Distance(CAST(lag(h.geom) OVER w AS geography), CAST(h.geom AS geography))
             AS moved_m
      FROM facility_history h JOIN points USING (facility_id)
    WINDOW w AS (PARTITION BY h.facility_id ORDER BY h.version)
)
SELECT *
  FROM versions
 WHERE (CAST(:kelurahan AS text) IS NULL
        OR kelurahan_code = CAST(:kelurahan AS text)
        OR previous_kelurahan = CAST(:kelurahan AS text))
   AND (CAST(:since AS timestamptz) IS NULL OR changed_at >= CAST(:since AS timestamptz))
   AND (CAST(:until AS timestamptz) IS NULL OR changed_at < CAST(:until AS timestamptz))
 ORDER BY changed_at, facility_id, version
