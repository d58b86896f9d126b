// Every loop of the engine meets a bound: a repeat with nothing to repeat, and a
// slice of statements that never take a lock, used to run unbounded before any
// step budget, time limit or state limit was looked at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../core/scenario';
import { changedSince, initialMachine, runnable, status, step } from '../../core/engine/run/machine';
import { diff } from '../../core/engine/run/observe';
import { runMachine } from '../../core/engine/run/run';
import { explore } from '../../core/engine/explore/explore';
import { load, ROOT } from './explore-helpers';
import { manyDevicesScenario } from '../../core/scenario/synthetic';

const BIN = join(ROOT, 'bin', 'camsim.js');

/** The file of the report: two nested repeats with an empty body. */
export const NESTED_EMPTY_REPEATS = `device pass0: pass after-fix
process A {
  repeat 1000000 {
    repeat 1000000 {
    }
  }
}
`;

/** A slice that never reaches a scheduling point: 10^12 closes of a closed descriptor (EBADF, no lock taken). */
export const ENDLESS_SLICE = `device pass0: pass after-fix
process A {
  open pass0 as f
  close f
  repeat 1000000 {
    repeat 1000000 {
      close f
    }
  }
}
`;

function scenarioFile(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'camsim-bounds-')), 'x.camsim');
  writeFileSync(f, text);
  return f;
}

/** Runs the real command with a generous time limit; the test fails if the command is still running then. */
function camsim(args: string[], timeoutMs = 20_000, node: string[] = []): { status: number | null; stdout: string; stderr: string; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...node, BIN, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

test('regression: nested empty repeats compile to no program at all, so starting the machine returns at once', () => {
  const l = load(NESTED_EMPTY_REPEATS);
  assert.deepEqual(l.config.processes[0].program, []);
  const m = initialMachine(l.config);
  assert.equal(m.procs[0].done, true);
});

test('an empty repeat among statements is left out; the statements around it still run', () => {
  const l = load('device pass0: pass after-fix\nprocess A {\n  repeat 3 {\n    repeat 2 {\n    }\n  }\n  open pass0 as f\n  repeat 2 {\n    repeat 5 {\n    }\n    ioctl f\n  }\n  close f\n}\n');
  const ops = l.config.processes[0].program.map((o) => o.op);
  assert.deepEqual(ops, ['open', 'repeat', 'ioctl', 'end', 'close']);
  const run = runMachine(l.config);
  assert.equal(run.status, 'finished');
});

test('regression: the checker warns once about a repeat that has nothing to repeat', () => {
  const { diagnostics } = analyze(NESTED_EMPTY_REPEATS);
  const empty = diagnostics.filter((d) => d.code === 'empty-repeat');
  assert.equal(empty.length, 1, JSON.stringify(diagnostics));
  assert.equal(empty[0].severity, 'warning');
  assert.match(empty[0].message, /this repeat has nothing to repeat/);
  assert.deepEqual(empty[0].range.start, { line: 2, character: 2 });
  const fine = analyze('device pass0: pass after-fix\nprocess A {\n  repeat 2 {\n    repeat 2 { open pass0 as f\n close f }\n  }\n}\n');
  assert.equal(fine.diagnostics.filter((d) => d.code === 'empty-repeat').length, 0);
});

test('regression: a run stops at exactly --max-steps, even inside a slice that never takes a lock', () => {
  const l = load(ENDLESS_SLICE);
  for (const record of [true, false]) {
    const run = runMachine(l.config, { maxSteps: 1000, record });
    assert.equal(run.stepCount, 1000);
    assert.equal(run.truncated, true);
    if (record) assert.equal(run.steps.length, 1000);
  }
});

test('regression: check --timeout stops inside a slice that never takes a lock', () => {
  const l = load(ENDLESS_SLICE);
  const t0 = performance.now();
  const r = explore(l.config, l.scenario, l.text, { timeoutMs: 300 });
  const ms = performance.now() - t0;
  assert.equal(r.stop, 'timeout');
  assert.equal(r.complete, false);
  assert.ok(ms < 5_000, `took ${ms} ms`);
});

test('regression: a slice longer than the slice bound stops the search as incomplete, never as a verdict', () => {
  const l = load(ENDLESS_SLICE);
  const r = explore(l.config, l.scenario, l.text, { maxSliceSteps: 50_000 });
  assert.equal(r.stop, 'long-slice');
  assert.equal(r.complete, false);
  assert.equal(r.outcomes.find((o) => o.kind === 'panic')?.reachable, undefined);
});

test('regression: camsim run --max-steps 10, check --timeout 2 and trace on nested empty repeats finish at once', () => {
  const f = scenarioFile(NESTED_EMPTY_REPEATS);
  const run = camsim(['run', '--max-steps', '10', f]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^result: no panic$/m);
  const check = camsim(['check', '--timeout', '2', f]);
  assert.equal(check.status, 0, check.stderr);
  const trace = camsim(['trace', f, '--format', 'camsim']);
  assert.equal(trace.status, 0, trace.stderr);
  const lint = camsim(['lint', f]);
  assert.match(lint.stdout, /warning: this repeat has nothing to repeat/);
});

test('regression: camsim run --max-steps and check --timeout 2 on a slice that never ends finish within seconds', () => {
  const f = scenarioFile(ENDLESS_SLICE);
  const run = camsim(['run', '-q', '--max-steps', '1000', f]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /no panic in 1000 steps \(cut short at --max-steps\)/);
  const check = camsim(['check', '--timeout', '2', f]);
  assert.equal(check.status, 3, check.stderr);
  assert.match(check.stdout, /INCOMPLETE \(stopped at --timeout 2\.00 s\)/);
  assert.ok(check.ms < 10_000, `check took ${check.ms} ms`);
});

// ---- a run is linear in the number of devices ----

const manyDevices = (n: number): string => manyDevicesScenario(n);

test('regression: a step shares every device and lock it does not write with the machine before it (copying them all made run quadratic)', () => {
  const l = load(manyDevices(50));
  let m = initialMachine(l.config);
  let steps = 0;
  while (status(m) === 'running' && steps < 5000) {
    const pid = runnable(m)[0];
    const next = step(m, pid);
    const known = changedSince(m, next);
    assert.ok(known, 'a step records what it wrote');
    assert.ok(known.devs.length <= 1, `step ${steps} wrote ${known.devs.length} devices`);
    for (let d = 0; d < m.devs.length; d++) if (!known.devs.includes(d)) assert.equal(next.devs[d], m.devs[d]);
    for (let k = 0; k < m.locks.length; k++) if (!known.locks.includes(k)) assert.equal(next.locks[k], m.locks[k]);
    m = next;
    steps++;
  }
  assert.ok(steps > 1000);
});

test('what a step wrote describes it exactly as comparing whole machines does', () => {
  for (const text of [manyDevices(3), readFileSync(join(ROOT, 'samples', 'pass-device-loss.camsim'), 'utf8'), readFileSync(join(ROOT, 'samples', 'ch-race-before-fix.camsim'), 'utf8')]) {
    const l = load(text);
    for (const seed of [1, 2, 3]) {
      let m = initialMachine(l.config);
      let k = 0;
      while (status(m) === 'running' && k++ < 3000) {
        const ready = runnable(m);
        const next = step(m, ready[(k * seed) % ready.length]);
        // A structural copy has no record of its writes: every device, lock and descriptor is compared.
        const unlinked = { ...next, devs: next.devs.map((d) => ({ ...d })), locks: next.locks.map((x) => ({ ...x })), procs: next.procs.map((p) => ({ ...p, fds: p.fds.map((f) => ({ ...f })) })) };
        assert.equal(changedSince(m, unlinked), undefined);
        assert.deepEqual(diff(m, next), diff(m, unlinked));
        m = next;
      }
    }
  }
});

// ---- the search is bounded in bytes ----

test('regression: check on 1,000 devices stops at the default memory budget (from the heap limit) with INCOMPLETE, exit 3, instead of running out of memory', () => {
  const f = scenarioFile(manyDevices(1000));
  // A 256 MB heap: the default budget is half of what the heap may grow to.
  const r = camsim(['check', '-q', f], 120_000, ['--max-old-space-size=256']);
  assert.equal(r.status, 3, r.stderr.slice(0, 2000));
  assert.match(r.stdout, /^checked: INCOMPLETE \(stopped at the default --max-memory \d+(\.\d)? MB: the search holds that much\): [\d,]+ states/m);
  assert.match(r.stdout, /^ {2}expect no panic: not decided/m);
});

test('--max-memory bounds the search in bytes; the report says what it held', () => {
  const l = load(manyDevices(100));
  const max = 16 * 2 ** 20;
  const r = explore(l.config, l.scenario, l.text, { maxBytes: max });
  assert.equal(r.stop, 'max-memory');
  assert.equal(r.complete, false);
  assert.equal(r.ok, undefined);
  assert.equal(r.bounds.maxBytes, max);
  assert.ok(r.bytes >= max && r.bytes < max * 1.5, `held ${r.bytes} bytes`);
  const small = load(readFileSync(join(ROOT, 'samples', 'pass-race-after-fix.camsim'), 'utf8'));
  const done = explore(small.config, small.scenario, small.text, { stopWhenDecided: false });
  assert.ok(done.bytes > 0 && done.bytes < 16 * 2 ** 20, `a sample holds ${done.bytes} bytes`);
});
