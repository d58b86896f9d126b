// `camsim run` against the number of devices (issue 12: 100 devices took 1.4 s,
// 1,000 devices 97 s: a step copied every device and compared them all). Two
// processes open and close every device in turn, so the steps grow with the
// devices; a run linear in the devices takes time in proportion. Baseline: the
// 100-device run scaled to n devices (below 100, node's start-up dominates); the
// ratio says how far from linear a run is (above 1: worse than linear).
// Each figure is the median of 3 runs of the command (node's start-up included),
// printing every step to /dev/null, and with -q.
//
// Run: npm run build && node out/bench/run-devices.js

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './common';
import { manyDevicesScenario } from '../core/scenario/synthetic';

const BIN = join(__dirname, '..', '..', 'bin', 'camsim.js');
const DIR = mkdtempSync(join(tmpdir(), 'camsim-devices-'));

const manyDevices = (n: number): string => manyDevicesScenario(n, false);

function seconds(args: string[]): number {
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`camsim ${args.join(' ')}: ${r.status} ${r.stderr}`);
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

console.log('camsim run, two processes opening and closing every device; median of 3; baseline: the 100-device time x n/100');
console.log('  devices   run (steps printed)   ratio to linear   run -q    ratio to linear');
let base: { run: number; quiet: number } | undefined;
for (const n of [100, 1000, 2000]) {
  const f = join(DIR, `d${n}.camsim`);
  writeFileSync(f, manyDevices(n));
  const run = seconds(['run', f]);
  const quiet = seconds(['run', '-q', f]);
  base ??= { run, quiet };
  const scale = n / 100;
  console.log(`  ${String(n).padStart(7)}   ${`${run.toFixed(2)} s`.padStart(19)}   ${`${(run / (base.run * scale)).toFixed(2)}x`.padStart(15)}   ${`${quiet.toFixed(2)} s`.padStart(7)}   ${`${(quiet / (base.quiet * scale)).toFixed(2)}x`.padStart(15)}`);
}
