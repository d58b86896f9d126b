// Memory of the two commands that used to run out of it (issue 12), as the peak
// resident set size (RSS) of the camsim process:
//   - `camsim check` against the states it stores, for 1, 10, 100 and 1,000
//     devices (two processes opening and closing every device): the search is
//     bounded in bytes (--max-memory, by default half of node's heap limit), so
//     its peak stays near its budget however large a state is; baseline: the
//     budget itself;
//   - `camsim run --json` against the steps it writes (one process opening and
//     closing pass0 in a repeat): the steps are streamed, so its peak stays flat
//     in the number of steps; baseline: `camsim run -q` of the same steps, which
//     writes no step at all.
// Output goes to a pipe that this process reads and throws away, as a consumer
// of the JSON would. With --expose-gc it also compares, in this process, what the
// explorer counts as held (core/engine/explore/memory.ts) with what the heap and the typed
// arrays hold after a forced collection, at the end of a search stopped by its
// budget.
//
// Run: npm run build && node --expose-gc out/bench/memory.js [--full]
//   --full adds the 10,000,000-step run of the issue (about two minutes).

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Explorer } from '../core/engine/explore/explore';
import { loadScenario } from '../core/engine/scenarioRun';
import { manyDevicesScenario } from '../core/scenario/synthetic';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'camsim.js');
const PRELOAD = join(__dirname, 'peakRss.js');
const DIR = mkdtempSync(join(tmpdir(), 'camsim-memory-'));
const FULL = process.argv.includes('--full');

interface Measured {
  status: number | null;
  /** KB. */
  peakRss: number;
  stdoutBytes: number;
  stdout: string;
  ms: number;
}

/** Runs camsim with `args`, reading its output as it comes (keeping at most `keep` characters of it). */
function camsim(args: string[], keep = 1 << 20): Promise<Measured> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-r', PRELOAD, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdoutBytes = 0;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdoutBytes += d.length;
    if (stdout.length < keep) stdout += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      const rss = /peak-rss-kb (\d+)/.exec(stderr);
      if (!rss) return reject(new Error(`no peak RSS reported (status ${status}): ${stderr.slice(0, 2000)}`));
      resolve({ status, peakRss: Number(rss[1]), stdoutBytes, stdout, ms: performance.now() - t0 });
    });
  });
}

function file(name: string, text: string): string {
  const f = join(DIR, name);
  writeFileSync(f, text);
  return f;
}

const manyDevices = (n: number): string => manyDevicesScenario(n);

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** What the explorer counts as held, against the heap and the typed arrays after a collection. */
async function countedAgainstMeasured(devices: number, budgetBytes: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  // Typed arrays are freed after the collection that finds them dead: collect, wait, collect.
  const settle = async () => {
    gc();
    await new Promise((r) => setTimeout(r, 200));
    gc();
  };
  const l = loadScenario(manyDevices(devices));
  await settle();
  const before = process.memoryUsage();
  const x = new Explorer(l.config!, l.scenario, l.text, { maxBytes: budgetBytes, shortest: false });
  x.run();
  const r = x.report();
  await settle();
  const after = process.memoryUsage();
  const heap = after.heapUsed - before.heapUsed;
  const arrays = after.arrayBuffers - before.arrayBuffers;
  const m = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
  if (!x.done) throw new Error('the search did not end');
  console.log(`
${devices} devices, budget ${m(budgetBytes)}, in process: stopped (${r.stop}) at ${n(r.states)} states; counted as held ${m(r.bytes)};`);
  console.log(`  measured after a forced collection: heap ${m(heap)} + typed arrays ${m(arrays)} = ${m(heap + arrays)} (${((heap + arrays) / r.bytes).toFixed(2)}x the count)`);
}
const n = (x: number) => x.toLocaleString('en-US');

async function main(): Promise<void> {
  const budget = '1G';
  console.log(`camsim check --json --max-memory ${budget} --timeout 120 (two processes opening and closing every device)`);
  console.log('  devices  stop          states stored   peak RSS   RSS per state   peak RSS / budget   time');
  for (const devices of [1, 10, 100, 1000]) {
    const r = await camsim(['check', '--json', '--max-memory', budget, '--timeout', '120', file(`d${devices}.camsim`, manyDevices(devices))]);
    const j = JSON.parse(r.stdout) as { stop: string; states: number };
    const perState = (r.peakRss * 1024) / j.states;
    console.log(`  ${String(devices).padStart(7)}  ${j.stop.padEnd(12)}  ${n(j.states).padStart(13)}   ${mb(r.peakRss).padStart(8)}   ${`${n(Math.round(perState))} B`.padStart(13)}   ${((r.peakRss * 1024) / 2 ** 30).toFixed(2).padStart(17)}x   ${(r.ms / 1000).toFixed(1)} s`);
  }

  await countedAgainstMeasured(100, 2 ** 30);
  await countedAgainstMeasured(1000, 2 ** 29);

  const loop = file('loop.camsim', 'device pass0: pass after-fix\nprocess A {\n  repeat 1000000 {\n    open pass0 as f\n    close f\n  }\n}\n');
  console.log('\ncamsim run --json --max-steps N, its output read from a pipe; baseline: camsim run -q --max-steps N (no steps written)');
  console.log('        steps   JSON written   peak RSS   baseline peak RSS   ratio   time');
  for (const steps of [10_000, 100_000, 1_000_000, 3_000_000, ...(FULL ? [10_000_000] : [])]) {
    const json = await camsim(['run', '--json', '--max-steps', String(steps), loop], 0);
    const quiet = await camsim(['run', '-q', '--max-steps', String(steps), loop], 0);
    if (json.status !== 0 || quiet.status !== 0) throw new Error(`run failed: ${json.status} / ${quiet.status}`);
    console.log(`  ${n(steps).padStart(11)}   ${`${(json.stdoutBytes / 1e6).toFixed(0)} MB`.padStart(12)}   ${mb(json.peakRss).padStart(8)}   ${mb(quiet.peakRss).padStart(17)}   ${(json.peakRss / quiet.peakRss).toFixed(2)}x   ${(json.ms / 1000).toFixed(1)} s`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
