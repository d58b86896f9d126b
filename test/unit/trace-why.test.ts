// "Why is it 0?": whyWrites lists exactly the steps that wrote a value, newest
// first, cross-checked against the step list; whyPath turns what a user types
// into the recorded name; the CLI prints the list.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadScenario } from '../../core/engine/scenarioRun';
import { whyPath, whyWrites } from '../../core/engine/trace/why';
import type { TraceStep } from '../../core/engine/run/traceStep';
import { join } from 'node:path';
import { cli, recordSample, samplePath, sampleText, tempDir } from './trace-helpers';

/** The writes of `path` found by reading every step's changes, oldest first. */
function writesInSteps(steps: readonly TraceStep[], path: string, upTo = Infinity): { step: number; old: unknown; new: unknown }[] {
  const out: { step: number; old: unknown; new: unknown }[] = [];
  for (const s of steps) {
    if (s.index > upTo) break;
    for (const c of s.changes) if (c.path === path) out.push({ step: s.index, old: c.old, new: c.new });
  }
  return out;
}

test('why pass0.refcount on the pass race: the four writes, newest first, the last one by A to 0', () => {
  const t = recordSample('pass-race-before-fix.camsim');
  const w = whyWrites(t.steps, 'pass0.refcount');
  assert.deepEqual(
    w.map((x) => `${x.process} ${x.fn} ${x.file} ${x.code} ${String(x.old)}->${String(x.new)}`),
    [
      'A cam_periph_release_locked_buses cam_periph.c periph->refcount--; 1->0',
      'B cam_periph_release_locked_buses cam_periph.c periph->refcount--; 2->1',
      'B cam_periph_acquire cam_periph.c periph->refcount++; 1->2',
      'A cam_periph_acquire cam_periph.c periph->refcount++; 0->1',
    ],
  );
  assert.deepEqual(w.map((x) => ({ step: x.step, old: x.old, new: x.new })), writesInSteps(t.steps, 'pass0.refcount').reverse());
  for (const x of w) assert.deepEqual([t.steps[x.step].code, t.steps[x.step].line], [x.code, x.line]);
});

test('whyWrites with upTo only looks at steps up to and including that index', () => {
  const t = recordSample('pass-race-before-fix.camsim');
  const all = whyWrites(t.steps, 'pass0.refcount');
  assert.deepEqual(whyWrites(t.steps, 'pass0.refcount', all[1].step), all.slice(1));
  assert.deepEqual(whyWrites(t.steps, 'pass0.refcount', all[1].step - 1), all.slice(2));
  assert.deepEqual(whyWrites(t.steps, 'pass0.refcount', -1), []);
  assert.deepEqual(whyWrites(t.steps, 'no.such.path'), []);
});

test('property: whyWrites is exactly the writes in the step list, newest first, and they chain old -> new', () => {
  const paths = ['pass0.refcount', 'pass0.si_usecount', 'pass0.sim_mtx.holder', 'devmtx.holder', 'A.f.errno', 'A.errno', 'pass0.open_count'];
  fc.assert(
    fc.property(fc.constantFrom('pass-race-before-fix.camsim', 'pass-device-loss.camsim'), fc.nat({ max: 1_000_000 }), fc.constantFrom(...paths), fc.option(fc.nat({ max: 400 })), (name, seed, path, upTo) => {
      const t = recordSample(name, { policy: { kind: 'random', seed }, schedule: [] });
      const got = whyWrites(t.steps, path, upTo ?? undefined);
      const want = writesInSteps(t.steps, path, upTo ?? Infinity).reverse();
      assert.deepEqual(got.map((x) => ({ step: x.step, old: x.old, new: x.new })), want);
      for (let i = 0; i + 1 < got.length; i++) assert.equal(got[i].old, got[i + 1].new, 'each write starts from the value the previous one left');
    }),
    { numRuns: 40 },
  );
});

test('whyPath resolves what a user types to the recorded name, or says why nothing writes it', () => {
  const { scenario } = loadScenario(sampleText('pass-race-before-fix.camsim'));
  const ok = (e: string, process?: string) => {
    const r = whyPath(e, scenario, { process });
    assert.ok(r.ok, r.ok ? '' : r.message);
    return r.path;
  };
  const no = (e: string) => {
    const r = whyPath(e, scenario);
    assert.ok(!r.ok);
    return r.message;
  };
  assert.equal(ok('pass0.refcount'), 'pass0.refcount');
  assert.equal(ok(' pass0.si_usecount '), 'pass0.si_usecount');
  assert.equal(ok('f.errno', 'A'), 'A.f.errno');
  assert.equal(ok('pass0.sim_mtx.holder'), 'pass0.sim_mtx.holder');
  assert.equal(ok('devmtx.recursion'), 'devmtx.recursion');
  assert.match(no('pass0.refcnt'), /did you mean 'refcount'/);
  assert.match(no('pass0.invalid'), /computed from flags .*why pass0\.flags/);
  assert.match(no('pass0.resting'), /constant of the driver variant/);
  assert.match(no('pass0'), /is a device, not a value/);
  assert.match(no('ENXIO'), /ENXIO is a constant \(6\)/);
  assert.match(no('pass0.refcount == 0'), /is not a name/);
});

test('camsim trace --why prints the writes newest first, and refuses a name that is not recorded', async () => {
  const r = await cli('trace', samplePath('pass-race-before-fix.camsim'), '--why', 'pass0.refcount');
  assert.equal(r.code, 0, r.err);
  const w = whyWrites(recordSample('pass-race-before-fix.camsim').steps, 'pass0.refcount');
  const lines = r.out.split('\n');
  assert.equal(lines[0], 'pass0.refcount: 4 writes, newest first');
  assert.match(lines[1], new RegExp(`^ {2}step ${w[0].step} +A +cam_periph_release_locked_buses +cam_periph\\.c:${w[0].line} +1 -> 0 +periph->refcount--;$`));
  assert.match(lines[4], new RegExp(`^ {2}step ${w[3].step} +A +cam_periph_acquire .* 0 -> 1 `));
  const upTo = await cli('trace', samplePath('pass-race-before-fix.camsim'), '--why', 'pass0.refcount', '--upto', String(w[1].step));
  assert.match(upTo.out, new RegExp(`^pass0\\.refcount: 3 writes up to step ${w[1].step}, newest first`));
  const none = await cli('trace', samplePath('pass-race-after-fix.camsim'), '--why', 'pass0.flags');
  assert.match(none.out, /^pass0\.flags: no step wrote it \(it is 0 from the start\)$/);
  const dir = tempDir();
  const traceFile = join(dir, 't.json');
  await cli('run', samplePath('pass-race-before-fix.camsim'), '-q', '--trace', traceFile);
  const fromFile = await cli('trace', traceFile, '--why', 'pass0.refcount');
  assert.equal(fromFile.out, r.out);
  const bad = await cli('trace', samplePath('pass-race-before-fix.camsim'), '--why', 'pass0.refcnt');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--why pass0\.refcnt: device pass0 has no field 'refcnt'; did you mean 'refcount'\?/);
});
