-- Q3: attainment in 2021, counted per domain and status, as src/measure/attain.c computes it:
-- no target for the year: 'no target'; no value: 'no data'; otherwise progress in percent is
-- (actual - baseline) / (target - baseline) for levels (unit percent, rule mean, or a decreasing
-- indicator) with a baseline other than the target; else, for a decreasing indicator, 100 when at
-- or below the target, else target / actual; else actual / target (a target of 0: 100 when
-- reached). Buckets: >= 100 achieved, >= 75 on track, else behind (the plan's default thresholds).
-- The actuals are Q1's rules on 2021's rows.
WITH r AS (
  SELECT d.indicator, d.year, i.rule, i.place_combine AS pc,
         CASE WHEN i.rule = 'count_units' AND i.count_of = 'country' THEN NULL ELSE d.city END AS p1,
         CASE WHEN i.rule = 'count_units' AND i.count_of = 'city' THEN NULL
              WHEN i.rule = 'count_units' THEN d.country
              ELSE coalesce(d.country, '@' || d.office) END AS p2,
         d.year * 8 + d.quarter AS period, d.value
  FROM dv d JOIN indicators i ON i.code = d.indicator
  WHERE d.year = 2021 AND d.cat IS NULL AND i.unit <> 'text'
    AND NOT (i.rule = 'count_units' AND ((i.count_of = 'city' AND d.city IS NULL)
                                         OR (i.count_of = 'country' AND d.country IS NULL)))
),
p AS (
  SELECT indicator, p1, p2, CASE WHEN max(pc) = 'max' THEN max(value) ELSE sum(value) END AS c
  FROM r WHERE rule <> 'latest'
  GROUP BY indicator, p1, p2
  UNION ALL
  SELECT indicator, p1, p2, CASE WHEN max(pc) = 'max' THEN max(value) ELSE sum(value) END AS c
  FROM (SELECT r.*, max(period) OVER (PARTITION BY indicator, p1, p2) AS mp
        FROM r WHERE rule = 'latest') l
  WHERE period = mp
  GROUP BY indicator, p1, p2
),
a AS (
  SELECT p.indicator,
         CAST(CASE i.rule WHEN 'max' THEN max(c) WHEN 'min' THEN min(c) WHEN 'mean' THEN avg(c)
                          WHEN 'count_units' THEN sum(CASE WHEN c > 0 THEN 1 ELSE 0 END)
                          ELSE sum(c) END AS DOUBLE) AS actual
  FROM p JOIN indicators i ON i.code = p.indicator
  GROUP BY p.indicator, i.rule
),
x AS (
  SELECT i.domain, i.unit, i.rule, i.direction, t.target, t.baseline, a.actual
  FROM indicators i
  LEFT JOIN targets t ON t.indicator = i.code AND t.year = 2021
  LEFT JOIN a ON a.indicator = i.code
),
y AS (
  SELECT domain, target, actual,
         CASE WHEN target IS NULL OR actual IS NULL THEN NULL
              WHEN (unit = 'percent' OR rule = 'mean' OR direction = 'decrease')
                   AND baseline IS NOT NULL AND target <> baseline
                THEN (actual - baseline) / (target - baseline) * 100.0
              WHEN direction = 'decrease'
                THEN CASE WHEN actual <= target THEN 100.0
                          WHEN actual > 0 THEN target / actual * 100.0 ELSE 0.0 END
              WHEN target <> 0 THEN actual / target * 100.0
              WHEN actual >= target THEN 100.0 ELSE 0.0 END AS pct
  FROM x
)
SELECT domain,
       CASE WHEN target IS NULL THEN 'no target' WHEN actual IS NULL THEN 'no data'
            WHEN pct >= 100 THEN 'achieved' WHEN pct >= 75 THEN 'on track' ELSE 'behind' END AS status,
       count(*) AS n
FROM y
GROUP BY 1, 2
ORDER BY 1, 2;
