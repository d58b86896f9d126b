// The samples of drivers written in C with bugs that are not the seed's, each
// beside its fix: the explorer finds the bug on some interleaving (and the
// sample's own schedule, when it has one, shows it), and finds none in the
// fixed driver. The lock-order deadlock lies between two lock acquisitions of
// one process: the reduced search must not run them as one transaction.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explore } from '../../core/engine/explore/explore';
import { summarize } from '../../core/engine/explore/summary';
import { runScenario } from '../../core/engine/scenarioRun';
import { loadFile, sampleFiles } from './explore-helpers';

const sample = (name: string) => {
  const file = sampleFiles().find((f) => f.endsWith(`/${name}.camsim`));
  assert.ok(file, name);
  return loadFile(file);
};

const CASES: { name: string; verdict: string; failing: Record<string, RegExp> }[] = [
  { name: 'own-driver-open-leak', verdict: 'expectation-failed', failing: { 'expect no leak': /da0 was lost but its periph is never freed: 1 reference was never released/ } },
  { name: 'own-driver-open-leak-fixed', verdict: 'ok', failing: {} },
  { name: 'own-driver-lock-order', verdict: 'deadlock', failing: { 'expect no deadlock': /waits for Giant held by .*waits for da0\.sim_mtx held by |waits for da0\.sim_mtx held by .*waits for Giant held by / } },
  { name: 'own-driver-lock-order-fixed', verdict: 'ok', failing: {} },
  { name: 'own-driver-lock-held', verdict: 'deadlock', failing: { 'expect no deadlock': /[AB] waits for da0\.sim_mtx held by [AB]/ } },
  { name: 'own-driver-lock-held-fixed', verdict: 'ok', failing: {} },
];

for (const c of CASES) {
  test(`${c.name}: the explorer's verdict is ${c.verdict}, and the sample's schedule shows the same`, () => {
    const l = sample(c.name);
    const r = explore(l.config, l.scenario, l.text);
    assert.equal(summarize(r).verdict, c.verdict);
    assert.equal(r.complete || r.stop === 'decided', true);
    for (const e of r.expectations) {
      const why = c.failing[e.text];
      if (why) {
        assert.equal(e.verdict, 'failed', e.text);
        assert.match(e.detail, why);
        assert.ok(e.counterexample && e.counterexample.slices > 0, 'with an interleaving that shows it');
      } else {
        assert.equal(e.verdict, 'held', `${e.text}: ${e.detail}`);
      }
    }
    if (!l.scenario.schedule) return;
    const run = runScenario(l);
    for (const e of run.expectations) {
      const failing = c.failing[e.text] !== undefined;
      assert.equal(e.held, !failing, `${e.text} under the sample's schedule: ${e.detail}`);
    }
  });
}

test('the leak is in the error path: under the same schedule the fixed driver frees the lost periph', () => {
  const run = runScenario(sample('own-driver-open-leak-fixed'));
  assert.equal(run.run.final.devs[0].freed, true);
  const leaky = runScenario(sample('own-driver-open-leak'));
  assert.equal(leaky.run.final.devs[0].freed, false);
  assert.equal(leaky.run.final.devs[0].refcount, 1);
  assert.equal(leaky.run.final.procs[0].fds[0].errno, 9, 'A\'s open failed (its close gets EBADF)');
});

test('the lock-order deadlock is found with and without the reductions, with the same shortest interleaving', () => {
  const l = sample('own-driver-lock-order');
  const lengths = [true, false].map((por) => {
    const r = explore(l.config, l.scenario, l.text, { por, symmetry: por });
    assert.equal(summarize(r).verdict, 'deadlock', `por ${por}`);
    return r.outcomes.find((o) => o.kind === 'deadlock')?.counterexample?.slices;
  });
  assert.ok(lengths[0] !== undefined && lengths[0] > 0);
  assert.equal(lengths[0], lengths[1]);
});
