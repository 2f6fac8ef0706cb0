-- The values of one indicator in one period for every area of one level within a code prefix,
-- aggregated from the desa/kelurahan values when the level is coarser:
--   sum            only when every desa/kelurahan of the area has a value (a partial sum
--                  would read as a low figure); otherwise NULL, with the coverage shown;
--   weighted_mean  sum(value x weight) / sum(weight) over the desa/kelurahan with both,
--                  the weight being another indicator of the same period (e.g. penduduk).
-- :length is the code length of the level (2, 5, 8, 13); :pattern selects the areas of the
-- level (every one within the scope, or the one that contains it), and :parent_prefix, the
-- scope cut to that length, their desa/kelurahan, so an area is always aggregated in full.
WITH part AS (
    SELECT left(k.code, :length) AS code,
           count(*) AS parts,
           count(v.value) AS with_value,
           min(v.value) AS smallest,
           sum(v.value) AS total,
           sum(v.value * w.value)
             / nullif(sum(w.value) FILTER (WHERE v.value IS NOT NULL), 0) AS weighted
      FROM admin_area k
      LEFT JOIN indicator_value v
             ON v.indicator = :indicator AND v.period = :period AND v.kode = k.code
      LEFT JOIN indicator_value w
             ON w.indicator = :weight AND w.period = :period AND w.kode = k.code
     WHERE k.level = 4
       AND k.code LIKE :parent_prefix || '%'
     GROUP BY 1
)
SELECT a.code,
       a.name,
       coalesce(part.parts, 0) AS parts,
       coalesce(part.with_value, 0) AS with_value,
       part.smallest,
       CASE
           WHEN :level = 4 THEN part.total
           WHEN :aggregation = 'sum' AND part.with_value = part.parts THEN part.total
           WHEN :aggregation = 'weighted_mean' THEN part.weighted
       END AS value
  FROM admin_area a
  LEFT JOIN part ON part.code = a.code
 WHERE a.level = :level
   AND a.code LIKE :pattern
 ORDER BY a.code
