-- The PICs of each desa/kelurahan within :kode (a LIKE prefix) and when each last changed a
-- point or a profile there (from the histories; null when never).
SELECT k.kelurahan_code, u.username, u.full_name,
       greatest(
         (SELECT max(h.changed_at) FROM facility_history h
           WHERE h.kelurahan_code = k.kelurahan_code AND h.changed_by = u.username),
         (SELECT max(ph.changed_at)
            FROM kelurahan_profile p JOIN kelurahan_profile_history ph ON ph.profile_id = p.id
           WHERE p.kelurahan_code = k.kelurahan_code AND ph.changed_by = u.username)
       ) AS last_activity
  FROM user_kelurahan k
  JOIN app_user u ON u.id = k.user_id
 WHERE k.kelurahan_code LIKE :kode AND u.role = 'pic' AND u.disabled_at IS NULL
 ORDER BY k.kelurahan_code, u.username
