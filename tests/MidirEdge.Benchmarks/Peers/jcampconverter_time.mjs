// jcampconverter 12.5.3 timed as `midir-edge bench read` times ours: warm-up (50 reads and 200 ms), then 9 rounds of ~40 ms, median per read.
import { convert } from 'jcampconverter';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
const root = process.argv[2];
const files = [];
(function walk(d) { for (const e of readdirSync(d).sort()) { const p = join(d, e); statSync(p).isDirectory() ? walk(p) : files.push(p); } })(root);
const now = () => Number(process.hrtime.bigint()) / 1e3;
for (const f of files) {
  const text = readFileSync(f, 'latin1');
  try { convert(text); } catch (e) { console.log(`${relative(root, f)}\tfailed\t${e.message}`); continue; }
  let reads = 0; const t0 = now();
  while (reads < 50 || now() - t0 < 200e3) { convert(text); reads++; }
  const per = Math.max(1, Math.floor(40e3 / ((now() - t0) / reads)));
  const times = [];
  for (let r = 0; r < 9; r++) { const s = now(); for (let i = 0; i < per; i++) convert(text); times.push((now() - s) / per); }
  times.sort((a, b) => a - b);
  console.log(`${relative(root, f)}\t${times[4].toFixed(1)}`);
}
