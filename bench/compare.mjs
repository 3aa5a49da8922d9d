// compare.mjs - checks that the engines of the measure benchmark gave the same answers.
//
// Usage: node compare.mjs NAME=DIR NAME=DIR ... [-- FILE ...]
//
// Each DIR holds q1.csv .. q4.csv (no header; the last field a number, the others its key; a field
// may be CSV-quoted). The first DIR is the reference: every other must have exactly the same keys,
// and numbers equal to 1e-6 relative (1e-9 absolute near zero). Prints one line per file and engine,
// the first differences when there are any, and exits 1 if anything differs.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const sep = args.indexOf('--');
const engines = (sep < 0 ? args : args.slice(0, sep)).map((a) => {
  const at = a.indexOf('=');
  return { name: a.slice(0, at), dir: a.slice(at + 1) };
});
const files = sep < 0 ? ['q1.csv', 'q2.csv', 'q3.csv', 'q4.csv'] : args.slice(sep + 1);

function fields(line) {
  // Simple CSV: our fields hold no commas; quotes only wrap whole fields.
  return line.split(',').map((f) => (f.length >= 2 && f[0] === '"' && f.at(-1) === '"' ? f.slice(1, -1).replaceAll('""', '"') : f));
}

function load(path) {
  const map = new Map();
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    if (line === '') continue;
    const f = fields(line);
    const key = f.slice(0, -1).join(',');
    if (map.has(key)) throw new Error(`${path}: the key ${key} appears twice`);
    map.set(key, Number(f.at(-1)));
  }
  return map;
}

function same(a, b) {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) <= 1e-9;
}

let bad = 0;
for (const file of files) {
  const ref = load(`${engines[0].dir}/${file}`);
  for (const e of engines.slice(1)) {
    const got = load(`${e.dir}/${file}`);
    const problems = [];
    for (const [k, v] of ref) {
      if (!got.has(k)) problems.push(`only in ${engines[0].name}: ${k} = ${v}`);
      else if (!same(v, got.get(k))) problems.push(`${k}: ${engines[0].name} ${v}, ${e.name} ${got.get(k)}`);
    }
    for (const [k, v] of got) if (!ref.has(k)) problems.push(`only in ${e.name}: ${k} = ${v}`);
    if (problems.length) {
      bad++;
      console.log(`compare: ${file}: ${e.name} DIFFERS from ${engines[0].name} in ${problems.length} of ${ref.size} answers:`);
      for (const p of problems.slice(0, 10)) console.log(`compare:   ${p}`);
    } else {
      console.log(`compare: ${file}: ${e.name} = ${engines[0].name} (${ref.size} answers)`);
    }
  }
}
if (bad) {
  console.log(`compare: FAILED: ${bad} answer set(s) differ`);
  process.exit(1);
}
