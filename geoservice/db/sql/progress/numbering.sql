-- Missed and doubled numbers of a numbered layer (RT within RW) in the desa/kelurahan within
-- :kode and the campaign's :scope (LIKE patterns joined by '|'). A point counts unless deleted
-- or rejected. Expected counts come from the kelurahan's last verified profile of :form
-- (:field for the numbers, :within_field for the groups).
--   number_double:  one number plotted more than once in a group (with the points' ids)
--   number_missing: a number below the group's highest without a point (a hole)
--   group_missing:  a group (RW) the profile counts without any point
--   number_short:   fewer numbers plotted than the profile counts
WITH area AS (
    SELECT a.code FROM admin_area a
     WHERE a.level = 4 AND a.code LIKE :kode AND a.code LIKE ANY (string_to_array(:scope, '|'))
), profile AS (
    SELECT DISTINCT ON (p.kelurahan_code) p.kelurahan_code,
           CASE WHEN jsonb_typeof(p.verified_values -> CAST(:field AS text)) = 'number'
                THEN floor((p.verified_values ->> CAST(:field AS text))::numeric)::int END
             AS expected,
           CASE WHEN jsonb_typeof(p.verified_values -> CAST(:within_field AS text)) = 'number'
                THEN floor((p.verified_values ->> CAST(:within_field AS text))::numeric)::int END
             AS groups
      FROM kelurahan_profile p JOIN area a ON a.code = p.kelurahan_code
     WHERE p.form_id = CAST(:form AS text) AND p.verified_values IS NOT NULL
     ORDER BY p.kelurahan_code, p.period DESC
), points AS (
    SELECT f.id, f.kelurahan_code,
           CASE WHEN jsonb_typeof(f.attributes -> CAST(:number AS text)) = 'number'
                THEN floor((f.attributes ->> CAST(:number AS text))::numeric)::int END AS num,
           CASE WHEN CAST(:within AS text) IS NULL THEN 0
                WHEN jsonb_typeof(f.attributes -> CAST(:within AS text)) = 'number'
                THEN floor((f.attributes ->> CAST(:within AS text))::numeric)::int END AS grp
      FROM facility f JOIN area a ON a.code = f.kelurahan_code
     WHERE f.layer_id = :layer AND f.deleted_at IS NULL AND f.status <> 'rejected'
), numbered AS (
    SELECT kelurahan_code, grp, num, array_agg(id ORDER BY id) AS ids
      FROM points WHERE num IS NOT NULL AND grp IS NOT NULL
     GROUP BY 1, 2, 3
), tops AS (
    SELECT kelurahan_code, grp, max(num) AS top FROM numbered GROUP BY 1, 2
)
SELECT 'number_double' AS kind, kelurahan_code, grp, num, ids,
       NULL::int AS expected, cardinality(ids) AS found
  FROM numbered WHERE cardinality(ids) > 1
UNION ALL
SELECT 'number_missing', t.kelurahan_code, t.grp, n, '{}'::bigint[], NULL, NULL
  FROM tops t, generate_series(1, least(t.top, 999)) AS n
 WHERE NOT EXISTS (SELECT 1 FROM numbered x
                    WHERE x.kelurahan_code = t.kelurahan_code AND x.grp = t.grp AND x.num = n)
UNION ALL
SELECT 'group_missing', p.kelurahan_code, n, NULL, '{}'::bigint[], p.groups, NULL
  FROM profile p, generate_series(1, least(coalesce(p.groups, 0), 999)) AS n
 WHERE CAST(:within AS text) IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM numbered x WHERE x.kelurahan_code = p.kelurahan_code
                                              AND x.grp = n)
UNION ALL
SELECT 'number_short', p.kelurahan_code, NULL, NULL, '{}'::bigint[], p.expected,
       coalesce(c.found, 0)::int
  FROM profile p
  LEFT JOIN (SELECT kelurahan_code, count(*) AS found FROM numbered GROUP BY 1) c
         USING (kelurahan_code)
 WHERE p.expected > coalesce(c.found, 0)
 ORDER BY 2, 1, 3, 4
