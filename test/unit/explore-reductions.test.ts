// The reductions keep every verdict: on every sample and on random scenarios,
// the explorer with partial-order and symmetry reduction reaches the same bad
// outcomes (the same panic texts), the same normal ends and deadlocks, and the
// same verdict for every expectation as without them, while storing fewer states.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadScenario } from '../../core/engine/scenarioRun';
import { explored, load, loadFile, sampleFiles, smallScenario, verdictsOf } from './explore-helpers';

const FULL = { stopWhenDecided: false } as const;

for (const file of sampleFiles()) {
  const name = file.split('/').pop()!;
  test(`${name}: the same verdicts and end states with and without the reductions, fewer states with them`, () => {
    const l = loadFile(file);
    const plain = explored(l, { ...FULL, por: false, symmetry: false });
    const porOnly = explored(l, { ...FULL, symmetry: false });
    const symOnly = explored(l, { ...FULL, por: false });
    const both = explored(l, FULL);
    assert.equal(plain.report.complete, true);
    for (const r of [porOnly, symOnly, both]) {
      assert.equal(r.report.complete, true);
      assert.deepEqual(verdictsOf(r.report), verdictsOf(plain.report));
      assert.deepEqual([...r.ends].sort(), [...plain.ends].sort());
    }
    assert.ok(porOnly.report.states < plain.report.states, `partial order: ${porOnly.report.states} < ${plain.report.states}`);
    if (both.report.reductions.interchangeable.length > 0) {
      assert.ok(both.report.states < porOnly.report.states, `symmetry on top: ${both.report.states} < ${porOnly.report.states}`);
      assert.ok(symOnly.report.states < plain.report.states, `symmetry alone: ${symOnly.report.states} < ${plain.report.states}`);
    } else {
      // No two processes with one program (pt, sa, device loss): nothing to fold.
      assert.equal(symOnly.report.states, plain.report.states);
    }
  });
}

test('random scenarios (2 to 4 processes, any driver and variant, repeat, ioctl, lose): verdicts and end states do not depend on the reductions', () => {
  let reducedStates = 0;
  let plainStates = 0;
  let checked = 0;
  fc.assert(
    fc.property(smallScenario, (text) => {
      const loaded = loadScenario(text);
      fc.pre(loaded.config !== undefined);
      const l = load(text);
      const plain = explored(l, { ...FULL, por: false, symmetry: false, maxStates: 60_000 });
      fc.pre(plain.report.complete);
      const both = explored(l, FULL);
      assert.equal(both.report.complete, true, text);
      assert.deepEqual(verdictsOf(both.report), verdictsOf(plain.report), text);
      assert.deepEqual([...both.ends].sort(), [...plain.ends].sort(), text);
      assert.ok(both.report.states <= plain.report.states, `${both.report.states} <= ${plain.report.states}\n${text}`);
      // And each reduction alone.
      for (const opts of [{ symmetry: false }, { por: false }]) {
        const one = explored(l, { ...FULL, ...opts });
        assert.deepEqual(verdictsOf(one.report), verdictsOf(plain.report), `${JSON.stringify(opts)}\n${text}`);
        assert.deepEqual([...one.ends].sort(), [...plain.ends].sort(), `${JSON.stringify(opts)}\n${text}`);
      }
      reducedStates += both.report.states;
      plainStates += plain.report.states;
      checked++;
    }),
    { numRuns: 40, seed: 20261124 },
  );
  assert.ok(checked >= 30, `only ${checked} scenarios were small enough`);
  assert.ok(reducedStates * 3 < plainStates, `reduced ${reducedStates} states vs ${plainStates} without the reductions`);
});

test('random scenarios: verdicts also agree when the search stops once every expectation is decided', () => {
  fc.assert(
    fc.property(smallScenario, (text) => {
      const loaded = loadScenario(text);
      fc.pre(loaded.config !== undefined);
      const l = load(text);
      const plain = explored(l, { ...FULL, por: false, symmetry: false, maxStates: 60_000 });
      fc.pre(plain.report.complete);
      const quick = explored(l);
      assert.deepEqual(quick.report.expectations.map((e) => [e.text, e.verdict]), plain.report.expectations.map((e) => [e.text, e.verdict]), text);
      assert.equal(quick.report.ok, plain.report.ok, text);
    }),
    { numRuns: 25, seed: 7 },
  );
});
