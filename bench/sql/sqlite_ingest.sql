-- SQLite ingest for the measure benchmark (run by bench/run.sh in the size's folder, which holds
-- values.csv; the plan tables come from ../plan/). Text fields arrive as text; empty ones become
-- NULL, numbers become numbers, in one pass from a temporary staging table into 'dv'.
.bail on
PRAGMA temp_store = MEMORY;
CREATE TABLE indicators(code TEXT PRIMARY KEY, rule TEXT, count_of TEXT, place_combine TEXT,
                        unit TEXT, domain TEXT, direction TEXT, dis TEXT, freq TEXT, rank INTEGER);
.import --csv --skip 1 ../plan/indicators.csv indicators
UPDATE indicators SET count_of = NULLIF(count_of, ''), dis = NULLIF(dis, '');
CREATE TABLE offices(code TEXT PRIMARY KEY, region TEXT, kind TEXT, country TEXT);
.import --csv --skip 1 ../plan/offices.csv offices
UPDATE offices SET region = NULLIF(region, ''), country = NULLIF(country, '');
CREATE TABLE targets(indicator TEXT, year INTEGER, target DOUBLE, baseline DOUBLE, direction TEXT,
                     PRIMARY KEY (indicator, year));
.import --csv --skip 1 ../plan/targets.csv targets
UPDATE targets SET baseline = NULL WHERE baseline = '';
CREATE TEMP TABLE raw(indicator TEXT, year TEXT, quarter TEXT, office TEXT, country TEXT, city TEXT,
                      disaggregation TEXT, category TEXT, value TEXT);
.import --csv --skip 1 --schema temp values.csv raw
CREATE TABLE dv AS
  SELECT indicator, CAST(year AS INTEGER) AS year, CAST(coalesce(NULLIF(quarter, ''), '0') AS INTEGER) AS quarter,
         office, NULLIF(country, '') AS country, NULLIF(city, '') AS city,
         NULLIF(disaggregation, '') AS dis, NULLIF(category, '') AS cat, CAST(value AS DOUBLE) AS value
  FROM temp.raw;
DROP TABLE temp.raw;
