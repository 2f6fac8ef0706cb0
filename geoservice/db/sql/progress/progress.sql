-- Progress of every campaign per area of one level (:len = length of its codes: 2 provinsi,
-- 5 kab/kota, 8 kecamatan, 13 desa/kelurahan) within :kode (a LIKE prefix). One statement for
-- all campaigns (parallel arrays, one element per campaign) and every area: the figures of
-- each desa/kelurahan are derived from the current points and profiles and from their
-- append-only histories, then summed per area.
--
-- Layer campaigns count the points of the layer (deleted ones aside) by status; a point is
-- complete from the time its current run of verified versions began. Profile campaigns count
-- the kelurahan's profile of the campaign's period: verified once the walidata verified it
-- (its first verify), otherwise by its status. expected: the campaign's number, else the
-- field of the kelurahan's last verified profile, else 1 (at least one).
WITH campaign AS (
    SELECT *
      FROM unnest(CAST(:ids AS text[]), CAST(:kinds AS text[]), CAST(:targets AS text[]),
                  CAST(:expected AS int[]), CAST(:fields AS text[]), CAST(:forms AS text[]),
                  CAST(:periods AS text[]), CAST(:scopes AS text[]), CAST(:deadlines AS date[]),
                  CAST(:fresh_days AS int[]))
           AS c(id, kind, target, expected, field, form, period, scope, deadline, fresh_days)
), area AS (
    SELECT a.code, c.*
      FROM admin_area a
      JOIN campaign c ON a.code LIKE ANY (string_to_array(c.scope, '|'))
     WHERE a.level = 4 AND a.code LIKE :kode
), last_profile AS (
    SELECT DISTINCT ON (p.form_id, p.kelurahan_code)
           p.form_id, p.kelurahan_code, p.verified_values
      FROM kelurahan_profile p
     WHERE p.kelurahan_code LIKE :kode AND p.verified_values IS NOT NULL
       AND p.form_id = ANY (CAST(:forms AS text[]))
     ORDER BY p.form_id, p.kelurahan_code, p.period DESC
), points AS (
    SELECT f.kelurahan_code, f.layer_id AS target,
           count(*) FILTER (WHERE f.status = 'verified') AS verified,
           count(*) FILTER (WHERE f.status = 'submitted') AS submitted,
           count(*) FILTER (WHERE f.status = 'draft') AS draft,
           count(*) FILTER (WHERE f.status = 'rejected') AS rejected
      FROM facility f
     WHERE f.kelurahan_code LIKE :kode AND f.deleted_at IS NULL
       AND f.layer_id = ANY (CAST(:targets AS text[]))
     GROUP BY 1, 2
), runs AS (
    SELECT h.facility_id, h.changed_at, h.status,
           lag(h.status) OVER (PARTITION BY h.facility_id ORDER BY h.version) AS before
      FROM facility_history h
     WHERE h.kelurahan_code LIKE :kode AND h.layer_id = ANY (CAST(:targets AS text[]))
), point_verified AS (
    -- when each point now verified became verified (its current run of verified versions)
    SELECT f.kelurahan_code, f.layer_id AS target, max(r.changed_at) AS verified_at
      FROM facility f JOIN runs r ON r.facility_id = f.id
     WHERE f.kelurahan_code LIKE :kode AND f.status = 'verified' AND f.deleted_at IS NULL
       AND r.status = 'verified' AND r.before IS DISTINCT FROM 'verified'
     GROUP BY f.kelurahan_code, f.layer_id, f.id
), profiles AS (
    SELECT p.kelurahan_code, p.form_id AS target,
           (p.verified_version IS NOT NULL)::int AS verified,
           (p.status = 'submitted')::int AS submitted,
           (p.status = 'draft')::int AS draft,
           (p.status = 'rejected')::int AS rejected,
           (SELECT min(h.changed_at) FROM kelurahan_profile_history h
             WHERE h.profile_id = p.id AND h.operation = 'verify') AS verified_at
      FROM kelurahan_profile p
      JOIN campaign c ON c.kind = 'profile' AND c.target = p.form_id AND c.period = p.period
     WHERE p.kelurahan_code LIKE :kode
), verified_times AS (
    -- per kelurahan and target: the moments things became verified, in order
    SELECT kelurahan_code, target, max(verified_at) AS last_change,
           array_agg(verified_at ORDER BY verified_at) AS moments
      FROM (SELECT * FROM point_verified
            UNION ALL
            SELECT kelurahan_code, target, verified_at FROM profiles
             WHERE verified = 1 AND verified_at IS NOT NULL) t
     GROUP BY 1, 2
), counted AS (
    SELECT a.code, a.id, a.kind, a.target, a.deadline,
           coalesce(a.expected,
                    CASE WHEN jsonb_typeof(lp.verified_values -> a.field) = 'number'
                         THEN floor((lp.verified_values ->> a.field)::numeric)::int END,
                    1) AS expected,
           coalesce(pt.verified, pr.verified, 0) AS verified,
           coalesce(pt.submitted, pr.submitted, 0) AS submitted,
           coalesce(pt.draft, pr.draft, 0) AS draft,
           coalesce(pt.rejected, pr.rejected, 0) AS rejected
      FROM area a
      LEFT JOIN last_profile lp ON lp.form_id = a.form AND lp.kelurahan_code = a.code
      LEFT JOIN points pt ON a.kind = 'layer' AND pt.kelurahan_code = a.code
                         AND pt.target = a.target
      LEFT JOIN profiles pr ON a.kind = 'profile' AND pr.kelurahan_code = a.code
                           AND pr.target = a.target
), kelurahan AS (
    SELECT k.*, k.verified >= k.expected AS complete,
           coalesce(t.moments[greatest(k.expected, 1)], t.last_change) AS completed_at,
           t.last_change
      FROM counted k
      LEFT JOIN verified_times t ON t.kelurahan_code = k.code AND t.target = k.target
), judged AS (
    SELECT k.*,
           CASE WHEN k.complete AND k.expected = 0 THEN 0
                WHEN k.complete
                THEN greatest(0, (k.completed_at AT TIME ZONE :tz)::date - k.deadline)
                ELSE greatest(0, CAST(:today AS date) - k.deadline) END AS late_days,
           CASE WHEN k.complete AND (k.expected = 0
                     OR (k.completed_at AT TIME ZONE :tz)::date <= k.deadline) THEN 'on_time'
                WHEN k.complete THEN 'late'
                WHEN CAST(:today AS date) > k.deadline THEN 'overdue'
                ELSE 'open' END AS timeliness
      FROM kelurahan k
), rolled AS (
    SELECT left(j.code, :len) AS code, j.id AS campaign,
           count(*)::int AS kelurahan,
           sum(j.expected)::int AS expected,
           sum(least(j.verified, j.expected))::int AS verified_counted,
           sum(j.verified)::int AS verified, sum(j.submitted)::int AS submitted,
           sum(j.draft)::int AS draft, sum(j.rejected)::int AS rejected,
           count(*) FILTER (WHERE j.complete)::int AS complete,
           count(*) FILTER (WHERE j.timeliness = 'on_time')::int AS on_time,
           count(*) FILTER (WHERE j.timeliness = 'late')::int AS late,
           count(*) FILTER (WHERE j.timeliness = 'overdue')::int AS overdue,
           coalesce(max(j.late_days), 0)::int AS late_days,
           max(j.last_change) AS last_change,
           min(j.timeliness) AS timeliness
      FROM judged j
     GROUP BY 1, 2
)
-- what a reader gets, ready to serialize: completeness as a share (4 decimals), the last
-- verified change in ISO 8601 (UTC) and its freshness against the campaign's interval
SELECT r.code, r.campaign, r.kelurahan, r.expected, r.verified, r.submitted, r.draft,
       r.rejected, r.complete, r.on_time, r.late, r.overdue, r.late_days, r.timeliness,
       CASE WHEN r.expected = 0 THEN 1.0
            ELSE round(r.verified_counted::numeric / r.expected, 4)::float8 END AS completeness,
       to_char(r.last_change AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')
         AS last_change,
       CASE WHEN r.last_change IS NULL THEN 'none'
            WHEN CAST(:today AS date) - (r.last_change AT TIME ZONE :tz)::date <= c.fresh_days
            THEN 'fresh'
            WHEN CAST(:today AS date) - (r.last_change AT TIME ZONE :tz)::date <= 2 * c.fresh_days
            THEN 'aging'
            ELSE 'stale' END AS freshness
  FROM rolled r JOIN campaign c ON c.id = r.campaign
 ORDER BY r.code, r.campaign
