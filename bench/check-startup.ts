// End-to-end time of `camsim check` on the four before-fix race samples (the
// panic found, with its shortest counterexample, process start to exit), for the
// development build (bin/camsim.js over out/) and the bundled CLI the extension
// ships (dist/cli.js), beside the baseline of starting node with nothing to do.
//
//   npm run build && npm run bundle && node out/bench/check-startup.js

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './common';

const ROOT = join(__dirname, '..', '..');
const RUNS = 15;
const SAMPLES = ['pass', 'sg', 'ch', 'enc'].map((d) => join(ROOT, 'samples', `${d}-race-before-fix.camsim`));

function wallMs(args: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0 && args.length > 1) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  }
  return out;
}

const fmt = (xs: number[]) => `median ${median(xs).toFixed(0).padStart(4)} ms  best ${Math.min(...xs).toFixed(0).padStart(4)} ms`;

const node = wallMs(['-e', '0']);
console.log(`camsim check, before-fix race samples, ${RUNS} runs each, process start to exit (target: under 100 ms)`);
console.log(`  baseline: node -e 0                          ${fmt(node)}`);
const builds: [string, string][] = [['bin/camsim.js (out/)', join(ROOT, 'bin', 'camsim.js')]];
if (existsSync(join(ROOT, 'dist', 'cli.js'))) builds.push(['dist/cli.js (bundle)', join(ROOT, 'dist', 'cli.js')]);
for (const [label, entry] of builds) {
  for (const file of SAMPLES) {
    const xs = wallMs([entry, 'check', '-q', file]);
    const name = file.slice(file.lastIndexOf('/') + 1);
    console.log(`  ${label.padEnd(22)} ${name.padEnd(26)} ${fmt(xs)}   ratio to node alone ${(median(xs) / median(node)).toFixed(2)}x`);
  }
}
