// pass(4) written in C in a scenario (the own-driver samples) against the
// built-in model it was transcribed from: for N = 2..4 processes and K = 1..2
// open/close cycles, before and after the fix, the explorer gives the same
// verdict, the same shortest counterexample and the same number of stored
// states. A difference means the transcription or the compiler's steps differ
// from the model (a lock taken at another point, a field read elsewhere).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explore, type ExploreReport } from '../../core/engine/explore/explore';
import { summarize } from '../../core/engine/explore/summary';
import { load, cli, SAMPLES } from './explore-helpers';
import { passRaceScenario } from '../helpers/ownDriverPass';
import { join } from 'node:path';

function check(text: string, exhaustive: boolean): ExploreReport {
  const l = load(text);
  return explore(l.config, l.scenario, l.text, { stopWhenDecided: !exhaustive });
}

function essentials(r: ExploreReport): unknown {
  return {
    verdict: summarize(r).verdict,
    states: r.states,
    complete: r.complete,
    outcomes: r.outcomes.map((o) => ({ kind: o.kind, reachable: o.reachable, slices: o.counterexample?.slices, messages: o.messages })),
    expectations: r.expectations.map((e) => ({ verdict: e.verdict, slices: e.counterexample?.slices })),
  };
}

for (const fixed of [false, true]) {
  for (let n = 2; n <= 4; n++) {
    for (let k = 1; k <= 2; k++) {
      test(`pass ${fixed ? 'after' : 'before'} the fix, ${n} processes, ${k} cycles: the C driver and the model agree`, () => {
        for (const exhaustive of [false, true]) {
          const builtIn = check(passRaceScenario(n, k, fixed, false), exhaustive);
          const own = check(passRaceScenario(n, k, fixed, true), exhaustive);
          assert.deepEqual(essentials(own), essentials(builtIn), `exhaustive ${exhaustive}`);
          assert.equal(summarize(own).verdict, fixed ? 'ok' : 'panic');
        }
      });
    }
  }
}

test('camsim check --exhaustive --json: the own-driver samples store as many states as the built-in pass samples', async () => {
  for (const era of ['before-fix', 'after-fix']) {
    const states = async (file: string): Promise<number> => {
      const r = await cli(['check', '--exhaustive', '--json', join(SAMPLES, file)]);
      return (JSON.parse(r.out) as { states: number }).states;
    };
    const own = await states(`own-driver-pass-${era}.camsim`);
    assert.ok(own > 0);
    assert.equal(own, await states(`pass-race-${era}.camsim`), era);
  }
});
