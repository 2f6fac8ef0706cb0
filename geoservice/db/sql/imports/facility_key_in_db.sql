-- Rows whose key (the layer's unique_within_kelurahan fields, joined by '|') a stored point
-- of the same kelurahan already has; points the file updates by external id left out.
SELECT c.row, f.id
  FROM facility_candidate c
  JOIN facility f
    ON f.layer_id = :layer AND f.deleted_at IS NULL AND f.kelurahan_code = c.kelurahan_code
   AND NOT EXISTS (SELECT 1 FROM facility_candidate x WHERE x.external_id = f.external_id)
   AND (SELECT string_agg(f.attributes ->> k, '|' ORDER BY o)
          FROM unnest(CAST(:key_fields AS text[])) WITH ORDINALITY AS u(k, o)) = c.unique_key
