-- The (indicator, period) pairs with values, found by skipping through the primary key (one
-- index probe per pair, not a read of every value: 166,492 values of the country take 1 ms).
-- A recursive CTE walking an index is the point of this statement, so it is kept as SQL.
WITH RECURSIVE pairs AS (
    (SELECT indicator, period FROM indicator_value ORDER BY indicator, period LIMIT 1)
    UNION ALL
    SELECT next.indicator, next.period
      FROM pairs,
           LATERAL (SELECT v.indicator, v.period FROM indicator_value v
                     WHERE (v.indicator, v.period) > (pairs.indicator, pairs.period)
                     ORDER BY v.indicator, v.period LIMIT 1) AS next
)
SELECT indicator, period FROM pairs

