// A scenario's own drivers are part of its kernel wherever it runs: two
// scenarios with drivers of the same name run side by side, an unchanged driver
// is compiled once, the cache of compiled drivers stays bounded, and a config
// that crossed to a worker thread (as the language server's background check
// sends it) is explored there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runScenario } from '../../core/engine/scenarioRun';
import { explore } from '../../core/engine/explore/explore';
import { summarize } from '../../core/engine/explore/summary';
import { FUNCTIONS } from '../../core/kernel/functions';
import { MAX_LOADED } from '../../core/engine/driver/scenarioDrivers';
import { load } from './explore-helpers';

/** A driver `x` whose d_close releases `releases` times, opened and closed once by A (it rests at refcount 1). */
function scenario(releases: number, extra = ''): string {
  return `driver x {
  d_flags = D_TRACKCLOSE;
  softc_flags X_FLAG_INVALID = 0x04;
  d_open {
    if (cam_periph_acquire(periph) != CAM_REQ_CMP)
      return (ENXIO);
    return (0);
  }
  d_close {
${'    cam_periph_release(periph);\n'.repeat(releases)}    return (0);${extra}
  }
}
device d0: x
process A {
  open d0 as f
  close f
}
expect no panic
expect no leak
`;
}

test('two scenarios with a driver of the same name each run their own', () => {
  const balanced = load(scenario(1));
  const twice = load(scenario(3));
  // loaded in this order, run in the other: neither replaces the other
  const r2 = runScenario(twice);
  const r1 = runScenario(balanced);
  assert.equal(r1.run.status, 'finished');
  assert.equal(r1.ok, true);
  assert.equal(r2.run.status, 'panic');
  assert.match(r2.run.outcome?.message ?? '', /when refcount is zero/);
});

test('an unchanged driver is compiled once, however often its scenario is loaded', () => {
  const text = scenario(1, ' /* once */');
  load(text);
  const size = FUNCTIONS.length;
  for (let i = 0; i < 20; i++) assert.ok(load(text).config);
  assert.equal(FUNCTIONS.length, size);
});

test('the cache of compiled drivers is bounded: the function table stops growing, and the latest drivers run', () => {
  for (let i = 0; i < MAX_LOADED + 2; i++) load(scenario(1, ` /* warm ${i} */`));
  const size = FUNCTIONS.length;
  let last = load(scenario(1));
  for (let i = 0; i < 3 * MAX_LOADED; i++) last = load(scenario(1, ` /* version ${i} */`));
  assert.ok(FUNCTIONS.length <= size + 8, `the table grew from ${size} to ${FUNCTIONS.length}`);
  assert.equal(runScenario(last).ok, true);
});

test('a kernel call on the right of && runs only when the left holds, as in C', () => {
  const text = (left: string) => scenario(1).replace('    if (cam_periph_acquire(periph) != CAM_REQ_CMP)\n      return (ENXIO);',
    `    int take;\n    take = ${left};\n    if (take && cam_periph_acquire(periph) != CAM_REQ_CMP)\n      return (ENXIO);`);
  const skipped = runScenario(load(text('0')));
  assert.equal(skipped.run.final.devs[0].refcount, 0, 'no reference taken: the close released the resting one');
  assert.equal(skipped.ok, false, 'expect no leak fails');
  const taken = runScenario(load(text('1')));
  assert.equal(taken.run.final.devs[0].refcount, 1);
  assert.equal(taken.ok, true);
});

test('a config that crossed to a worker thread is explored there with its driver', async () => {
  const l = load(scenario(3));
  const local = summarize(explore(l.config, l.scenario, l.text)).verdict;
  assert.equal(local, 'panic');
  const search = join(__dirname, '..', '..', 'server', 'raceCheck', 'explorerSearch.js');
  const code = `const { parentPort, workerData } = require('node:worker_threads');
parentPort.postMessage(require(workerData.search).search(workerData.job));`;
  const job = { config: l.config, scenario: l.scenario, text: l.text, maxStates: 10_000, timeoutMs: 10_000 };
  const result = await new Promise<{ verdict: string; states: number }>((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { search, job } });
    w.once('message', resolve);
    w.once('error', reject);
  });
  assert.equal(result.verdict, local);
  assert.ok(result.states > 0);
});
