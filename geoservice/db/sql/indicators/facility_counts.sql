-- Verified facility points per layer in each area of one level within a code prefix: the
-- published figures a report may quote (drafts and points under review are not counted).
SELECT left(f.kelurahan_code, :length) AS code, f.layer_id, count(*) AS n
  FROM facility f
 WHERE f.status = 'verified'
   AND f.deleted_at IS NULL
   AND f.kelurahan_code LIKE :parent_prefix || '%'
 GROUP BY 1, 2
