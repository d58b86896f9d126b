// The scheduler (core/engine/run/schedulers.ts): one set of decisions, whether a run
// goes a slice at a time (runMachine, `camsim run`) or a step at a time (the
// debugger, which records the scheduler's memory with each state).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadScenario, runScenario, scenarioSchedule } from '../../core/engine/scenarioRun';
import { ordinal, Scheduler, type Policy } from '../../core/engine/run/schedulers';
import type { MachineConfig } from '../../core/kernel/state';
import { parseScheduleLine } from '../../core/engine/run/scheduleLine';

const SAMPLES = path.join(__dirname, '..', '..', '..', 'samples');

/** The pid of every step when the run goes a step at a time, as the debugger drives it. */
function stepwisePids(config: MachineConfig, entries: readonly number[], policy: Policy): number[] {
  const scheduler = new Scheduler({ entries, policy });
  let rs = scheduler.initial(config);
  const pids: number[] = [];
  while (!rs.m.outcome) {
    const pid = scheduler.chooseStep(rs);
    if (pid === undefined) break;
    pids.push(pid);
    rs = scheduler.advance(rs, pid);
  }
  return pids;
}

const samples = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.camsim')).sort();
for (const sample of samples) {
  test(`${sample}: a step at a time, the scheduler runs the steps camsim run runs (its schedule, round-robin, two seeds)`, () => {
    const loaded = loadScenario(fs.readFileSync(path.join(SAMPLES, sample), 'utf8'));
    assert.ok(loaded.config, `${sample} loads`);
    const own = scenarioSchedule(loaded.scenario, loaded.config) ?? [];
    const cases: [readonly number[], Policy][] = [
      [own, { kind: 'roundRobin' }],
      [[], { kind: 'roundRobin' }],
      [[], { kind: 'random', seed: 1 }],
      [[], { kind: 'random', seed: 99 }],
    ];
    for (const [entries, policy] of cases) {
      const run = runScenario(loaded, { schedule: entries, policy }).run;
      assert.deepEqual(stepwisePids(loaded.config, entries, policy), run.steps.map((s) => s.pid), `${sample} with ${JSON.stringify({ entries, policy })}`);
    }
  });
}

test('a schedule entry whose process is blocked: one note, in words, and the others run until it can go on', () => {
  const loaded = loadScenario(fs.readFileSync(path.join(SAMPLES, 'pass-race-before-fix.camsim'), 'utf8'));
  assert.ok(loaded.config);
  const line = parseScheduleLine('A*3 B B', loaded.config.processes.map((p) => p.name));
  assert.ok(line.ok);
  const run = runScenario(loaded, { schedule: line.pids }).run;
  assert.equal(run.notes.length, 1, run.notes.join('\n'));
  assert.match(run.notes[0], /^the schedule's 5th entry names B, which is blocked \(waiting for pass0\.vnode_lock held by A\); running others until it can go on$/);
  // The entries waited and ran once A let go: both B slices follow the three of A.
  assert.deepEqual(run.slices.slice(0, 3), [0, 0, 0]);
  assert.ok(run.slices.filter((p) => p === 1).length >= 2);
});

test('ordinals read as a person writes them', () => {
  assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal), ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']);
});
