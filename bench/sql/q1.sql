-- Q1: totals per indicator and year, each indicator by its rule (measure.h), all years.
-- r: the totals (no category), each with its place under the rule: count_units of city counts
--    cities, of country countries (rows without one do not count); other rules take
--    (city, country), or the office for a value with no country ('@' keeps an office apart
--    from the country that shares its code).
-- p: one value per place, combined by place_combine; for 'latest' only the rows of the place's
--    latest period (year * 8 + quarter: annual values are quarter 0) count.
-- Then across places: sum, max, min, mean (the average over places), latest (sum of the places'
-- latest values), count_units (places whose combined value is > 0).
WITH r AS (
  SELECT d.indicator, d.year, i.rule, i.place_combine AS pc,
         CASE WHEN i.rule = 'count_units' AND i.count_of = 'country' THEN NULL ELSE d.city END AS p1,
         CASE WHEN i.rule = 'count_units' AND i.count_of = 'city' THEN NULL
              WHEN i.rule = 'count_units' THEN d.country
              ELSE coalesce(d.country, '@' || d.office) END AS p2,
         d.year * 8 + d.quarter AS period, d.value
  FROM dv d JOIN indicators i ON i.code = d.indicator
  WHERE d.cat IS NULL AND i.unit <> 'text'
    AND NOT (i.rule = 'count_units' AND ((i.count_of = 'city' AND d.city IS NULL)
                                         OR (i.count_of = 'country' AND d.country IS NULL)))
),
p AS (
  SELECT indicator, year, p1, p2, CASE WHEN max(pc) = 'max' THEN max(value) ELSE sum(value) END AS c
  FROM r WHERE rule <> 'latest'
  GROUP BY indicator, year, p1, p2
  UNION ALL
  SELECT indicator, year, p1, p2, CASE WHEN max(pc) = 'max' THEN max(value) ELSE sum(value) END AS c
  FROM (SELECT r.*, max(period) OVER (PARTITION BY indicator, year, p1, p2) AS mp
        FROM r WHERE rule = 'latest') l
  WHERE period = mp
  GROUP BY indicator, year, p1, p2
)
SELECT p.indicator, p.year,
       CAST(CASE i.rule WHEN 'max' THEN max(c) WHEN 'min' THEN min(c) WHEN 'mean' THEN avg(c)
                        WHEN 'count_units' THEN sum(CASE WHEN c > 0 THEN 1 ELSE 0 END)
                        ELSE sum(c) END AS DOUBLE) AS value
FROM p JOIN indicators i ON i.code = p.indicator
GROUP BY p.indicator, p.year, i.rule
ORDER BY p.indicator, p.year;
