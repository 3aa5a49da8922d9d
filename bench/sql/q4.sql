-- Q4: people reached by sex per region: the people-unit indicators, their rows of the
-- disaggregation 'sex' (a query grouped by a disaggregation takes only its categories, never the
-- totals), per indicator, year, region and category. The rules as in q1.sql.
WITH r AS (
  SELECT d.indicator, d.year, coalesce(o.region, '') AS region, d.cat, i.rule, i.place_combine AS pc,
         CASE WHEN i.rule = 'count_units' AND i.count_of = 'country' THEN NULL ELSE d.city END AS p1,
         CASE WHEN i.rule = 'count_units' AND i.count_of = 'city' THEN NULL
              WHEN i.rule = 'count_units' THEN d.country
              ELSE coalesce(d.country, '@' || d.office) END AS p2,
         d.year * 8 + d.quarter AS period, d.value
  FROM dv d JOIN indicators i ON i.code = d.indicator JOIN offices o ON o.code = d.office
  WHERE d.dis = 'sex' AND d.cat IS NOT NULL AND i.unit = 'people'
    AND NOT (i.rule = 'count_units' AND ((i.count_of = 'city' AND d.city IS NULL)
                                         OR (i.count_of = 'country' AND d.country IS NULL)))
),
p AS (
  SELECT indicator, year, region, cat, p1, p2,
         CASE WHEN max(pc) = 'max' THEN max(value) ELSE sum(value) END AS c
  FROM r WHERE rule <> 'latest'
  GROUP BY indicator, year, region, cat, p1, p2
  UNION ALL
  SELECT indicator, year, region, cat, p1, p2,
         CASE WHEN max(pc) = 'max' THEN max(value) ELSE sum(value) END AS c
  FROM (SELECT r.*, max(period) OVER (PARTITION BY indicator, year, region, cat, p1, p2) AS mp
        FROM r WHERE rule = 'latest') l
  WHERE period = mp
  GROUP BY indicator, year, region, cat, p1, p2
)
SELECT p.indicator, p.year, p.region, p.cat,
       CAST(CASE i.rule WHEN 'max' THEN max(c) WHEN 'min' THEN min(c) WHEN 'mean' THEN avg(c)
                        WHEN 'count_units' THEN sum(CASE WHEN c > 0 THEN 1 ELSE 0 END)
                        ELSE sum(c) END AS DOUBLE) AS value
FROM p JOIN indicators i ON i.code = p.indicator
GROUP BY p.indicator, p.year, p.region, p.cat, i.rule
ORDER BY p.indicator, p.year, p.region, p.cat;
