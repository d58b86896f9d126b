// summarize (core/engine/explore/summary.ts): the one place a check's verdict,
// headline and exit status are derived; the CLI's JSON and the background check carry them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { explore } from '../../core/engine/explore/explore';
import { summarize } from '../../core/engine/explore/summary';
import { fromReport } from '../../server/raceCheck/explorerSearch';
import { load, loadFile, SAMPLES } from './explore-helpers';

const sample = (name: string) => loadFile(join(SAMPLES, name));

test('a reachable panic the scenario expects: verdict panic, exit 0, the headline says every expectation holds and the panic is reachable', () => {
  const l = sample('pass-race-before-fix.camsim');
  const s = summarize(explore(l.config, l.scenario, l.text));
  assert.equal(s.verdict, 'panic');
  assert.equal(s.exit, 0);
  assert.match(s.headline, /^every expectation holds \(.*\); a panic is reachable \(.+\)$/);
});

test('the fixed driver: verdict ok, exit 0', () => {
  const l = sample('pass-race-after-fix.camsim');
  const s = summarize(explore(l.config, l.scenario, l.text));
  assert.equal(s.verdict, 'ok');
  assert.equal(s.exit, 0);
  assert.match(s.headline, /^every expectation holds \(/);
});

test('a search cut short by a bound: verdict incomplete, exit 3, the headline says where it stopped', () => {
  const l = sample('pass-race-after-fix.camsim');
  const s = summarize(explore(l.config, l.scenario, l.text, { maxStates: 5 }));
  assert.equal(s.verdict, 'incomplete');
  assert.equal(s.exit, 3);
  assert.match(s.headline, /^INCOMPLETE: the search stopped at the state limit after \d+ states, before deciding /);
});

test('an expectation that fails on a finished interleaving: verdict expectation-failed, exit 1, the headline names it', () => {
  const l = sample('pass-race-after-fix.camsim');
  const text = l.text.replace(/expect pass0\.refcount == 1/, 'expect pass0.refcount == 7');
  assert.notEqual(text, l.text, 'the sample has the expectation this test changes');
  const changed = load(text);
  const s = summarize(explore(changed.config, changed.scenario, changed.text));
  assert.equal(s.verdict, 'expectation-failed');
  assert.equal(s.exit, 1);
  assert.match(s.headline, /^expect pass0\.refcount == 7 FAILED: /);
});

test('the background check sends the verdict summarize gives', () => {
  for (const name of ['pass-race-before-fix.camsim', 'pass-race-after-fix.camsim', 'ch-race-before-fix.camsim']) {
    const l = sample(name);
    const r = explore(l.config, l.scenario, l.text);
    assert.equal(fromReport(r).verdict, summarize(r).verdict, name);
  }
});
