// Single-step execution rate of the executor on the pass race scenario, beside a
// baseline: the same pure step made the naive way (a deep structuredClone of the
// machine before each step instead of copying only what a step can change).
//
// Run: npm run build && node out/bench/step-rate.js

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../core/engine/scenarioRun';
import { initialMachine, runnable, status, step } from '../core/engine/run/machine';
import type { Machine } from '../core/kernel/state';

const ROOT = join(__dirname, '..', '..');
const text = readFileSync(join(ROOT, 'samples', 'pass-race-before-fix.camsim'), 'utf8');
const loaded = loadScenario(text.replace(/^schedule .*$/m, ''));
const config = loaded.config!;

/** Runs whole round-robin runs of the scenario, one step at a time, for about `ms` milliseconds. */
function measure(stepFn: (m: Machine, pid: number) => Machine, ms: number): { steps: number; seconds: number } {
  let steps = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() < deadline) {
    let m = initialMachine(config);
    let turn = 0;
    while (status(m) === 'running') {
      const r = runnable(m);
      m = stepFn(m, r[turn++ % r.length]);
      steps++;
    }
  }
  return { steps, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

const naive = (m: Machine, pid: number): Machine => {
  const { config: shared, ...rest } = m;
  return step({ ...structuredClone(rest), config: shared }, pid);
};

measure(step, 300); // warm up
const ours = measure(step, 2000);
const base = measure(naive, 2000);
const rate = (r: { steps: number; seconds: number }) => r.steps / r.seconds;
console.log('single-step execution rate, pass race scenario (2 processes, round-robin, whole runs repeated)');
console.log(`  camsim step():                    ${Math.round(rate(ours)).toLocaleString('en-US')} steps/s`);
console.log(`  baseline (deep clone, then step): ${Math.round(rate(base)).toLocaleString('en-US')} steps/s`);
console.log(`  ratio camsim / baseline:          ${(rate(ours) / rate(base)).toFixed(1)}x`);
