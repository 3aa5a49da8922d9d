// duckdb.mjs - the DuckDB side of the measure benchmark (a measurement, not a test).
//
// Usage: node duckdb.mjs WORKDIR PLANDIR ANSWERS THREADS RUNS
//
// In WORKDIR (which holds values.csv) creates duck-THREADS.duckdb afresh, loads the plan tables
// from PLANDIR, then times the ingest (read_csv of values.csv into the table dv, then CHECKPOINT),
// and the queries of bench/sql/q1.sql .. q4.sql (the same SQL SQLite runs), each the best of RUNS,
// fetching every row. Writes the answers of the first run to ANSWERS/q1.csv .. q4.csv and prints
// key=value lines: rows, bytes (the database file), ingest_s, q1_s .. q4_s, peak_rss_kb.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const [work, plan, answers, threads, runsArg] = process.argv.slice(2);
if (!runsArg) {
  console.error('usage: node duckdb.mjs WORKDIR PLANDIR ANSWERS THREADS RUNS');
  process.exit(2);
}
const runs = Math.max(1, Number(runsArg));
const sqlDir = join(dirname(fileURLToPath(import.meta.url)), 'sql');
const dbPath = join(work, `duck-${threads}.duckdb`);
rmSync(dbPath, { force: true });
rmSync(`${dbPath}.wal`, { force: true });
mkdirSync(answers, { recursive: true });

const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(dbPath, { threads: String(threads) });
const con = await instance.connect();

await con.run(`CREATE TABLE indicators AS SELECT * FROM read_csv(${quote(join(plan, 'indicators.csv'))}, header = true,
  columns = {'code': 'VARCHAR', 'rule': 'VARCHAR', 'count_of': 'VARCHAR', 'place_combine': 'VARCHAR', 'unit': 'VARCHAR',
             'domain': 'VARCHAR', 'direction': 'VARCHAR', 'dis': 'VARCHAR', 'freq': 'VARCHAR', 'rank': 'INTEGER'})`);
await con.run(`CREATE TABLE offices AS SELECT * FROM read_csv(${quote(join(plan, 'offices.csv'))}, header = true,
  columns = {'code': 'VARCHAR', 'region': 'VARCHAR', 'kind': 'VARCHAR', 'country': 'VARCHAR'})`);
await con.run(`CREATE TABLE targets AS SELECT * FROM read_csv(${quote(join(plan, 'targets.csv'))}, header = true,
  columns = {'indicator': 'VARCHAR', 'year': 'INTEGER', 'target': 'DOUBLE', 'baseline': 'DOUBLE', 'direction': 'VARCHAR'})`);

let t0 = performance.now();
await con.run(`CREATE TABLE dv AS
  SELECT indicator, year, coalesce(quarter, 0) AS quarter, office, country, city,
         disaggregation AS dis, category AS cat, value
  FROM read_csv(${quote(join(work, 'values.csv'))}, header = true,
    columns = {'indicator': 'VARCHAR', 'year': 'INTEGER', 'quarter': 'INTEGER', 'office': 'VARCHAR',
               'country': 'VARCHAR', 'city': 'VARCHAR', 'disaggregation': 'VARCHAR', 'category': 'VARCHAR',
               'value': 'DOUBLE'})`);
await con.run('CHECKPOINT');
const ingest = (performance.now() - t0) / 1000;
const rows = Number((await con.runAndReadAll('SELECT count(*) FROM dv')).getRows()[0][0]);

const field = (v) => (v === null ? '' : String(v));
const out = { rows, bytes: statSync(dbPath).size, ingest_s: ingest.toFixed(6) };
for (const q of ['q1', 'q2', 'q3', 'q4']) {
  const sql = readFileSync(join(sqlDir, `${q}.sql`), 'utf8');
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    t0 = performance.now();
    const result = await con.runAndReadAll(sql);
    const got = result.getRows();
    best = Math.min(best, (performance.now() - t0) / 1000);
    if (r === 0) writeFileSync(join(answers, `${q}.csv`), got.map((row) => row.map(field).join(',') + '\n').join(''));
  }
  out[`${q}_s`] = best.toFixed(6);
}
out.peak_rss_kb = process.resourceUsage().maxRSS;
out.version = (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
con.closeSync();
instance.closeSync();
for (const [k, v] of Object.entries(out)) console.log(`${k}=${v}`);
