// Generated drivers written in C never crash loading (parser, checker,
// compiler), the executor or the explorer: whatever a routine does (calls in
// any order, unbalanced locks and references, gotos that loop, returns with a
// lock held), a scenario that loads runs to an end, and a bounded search ends
// with a report.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadScenario, runScenario, type LoadedScenario } from '../../core/engine/scenarioRun';
import { compileScenario } from '../../core/engine/run/compile';
import { DriverCompileError } from '../../core/engine/driver/compileDriver';
import { parseScenario } from '../../core/scenario/parser';
import type { MachineConfig } from '../../core/kernel/state';
import { explore } from '../../core/engine/explore/explore';
import { summarize } from '../../core/engine/explore/summary';

const CALL = fc.constantFrom(
  'cam_periph_lock(periph);', 'cam_periph_unlock(periph);', 'cam_periph_release(periph);', 'cam_periph_release_locked(periph);',
  'cam_periph_acquire(periph);', 'cam_periph_unhold(periph);', 'cam_periph_invalidate(periph);', 'mtx_lock(&Giant);', 'mtx_unlock(&Giant);',
  'error = scsi_io(periph);', 'error = cam_periph_hold(periph, 0);',
);
const COND = fc.constantFrom(
  'softc->flags & F_OPEN', '(softc->flags & F_INVALID) == 0', 'cam_periph_acquire(periph) != CAM_REQ_CMP', 'periph == NULL',
  'softc->open_count > 0', 'periph->refcount <= 1', 'error', '!error && (periph->flags & CAM_PERIPH_INVALID)', 'scsi_io(periph) != 0',
);
const SIMPLE = fc.oneof(
  { weight: 4, arbitrary: CALL },
  { weight: 1, arbitrary: fc.constantFrom('softc->flags |= F_OPEN;', 'softc->flags &= ~F_OPEN;', 'softc->open_count++;', 'softc->open_count--;', 'error = ENXIO;', 'error += 1;') },
  { weight: 1, arbitrary: fc.constantFrom('return (0);', 'return (error);', 'return (EBUSY);', 'goto out;', 'goto top;') },
);

const stmts: fc.Arbitrary<string[]> = fc.letrec<{ block: string[] }>((tie) => ({
  block: fc.array(
    fc.oneof(
      { weight: 5, arbitrary: SIMPLE },
      { weight: 1, arbitrary: fc.tuple(COND, tie('block'), fc.option(tie('block'), { nil: undefined })).map(([c, t, e]) =>
        `if (${c}) {\n${t.join('\n')}\n}${e ? ` else {\n${e.join('\n')}\n}` : ''}`) },
    ),
    { maxLength: 5, depthIdentifier: 'block' },
  ),
})).block;

/** A routine body: `top:` first and `out:` last, so every goto has its label. */
const body = stmts.map((s) => ['int error;', 'top:', ...s, 'out:', 'return (error);'].join('\n'));
const voidBody = stmts.map((s) => ['int error;', 'top:', ...s, 'out:', 'return;'].join('\n'));

const driver = fc.record({
  dFlags: fc.constantFrom('0', 'D_TRACKCLOSE', 'D_NEEDGIANT', 'D_TRACKCLOSE | D_NEEDGIANT'),
  resting: fc.constantFrom(0, 1),
  open: body,
  close: body,
  inval: fc.option(voidBody, { nil: undefined }),
  gone: fc.option(voidBody, { nil: undefined }),
}).map((d) => [
  'driver gen {',
  `  d_flags = ${d.dFlags};`,
  '  softc_flags F_OPEN = 0x01, F_INVALID = 0x04;',
  `  resting = ${d.resting};`,
  `  d_open {\n${d.open}\n  }`,
  `  d_close {\n${d.close}\n  }`,
  ...(d.inval ? [`  oninvalidate {\n${d.inval}\n  }`] : []),
  ...(d.gone ? [`  devgonecb {\n${d.gone}\n  }`] : []),
  '}',
].join('\n'));

const scenario = fc.tuple(driver, fc.boolean(), fc.boolean(), fc.boolean()).map(([drv, io, lose, invariants]) => [
  invariants ? 'kernel invariants' : '',
  drv,
  `device d0: gen${io ? ' with io-error' : ''}`,
  'process A {\n  open d0 as f\n  close f\n}',
  `process B {\n  open d0 as f\n  close f\n${lose ? '  lose d0\n' : ''}}`,
  'expect no panic',
  'expect no leak',
].join('\n'));

/**
 * The scenario as the parser reads it, compiled even when the checker would
 * refuse it (a return with a lock held, an unlock not held...): the executor and
 * the explorer must survive any driver the compiler accepts, not only checked ones.
 */
function unchecked(text: string): LoadedScenario & { config: MachineConfig } | undefined {
  const { scenario: s, diagnostics } = parseScenario(text);
  if (diagnostics.some((d) => d.severity === 'error')) return undefined;
  try {
    return { text, scenario: s, diagnostics, config: compileScenario(s) };
  } catch (e) {
    if (e instanceof DriverCompileError) return undefined;
    throw e;
  }
}

test('generated drivers load or are refused with diagnostics', () => {
  fc.assert(
    fc.property(scenario, (text) => {
      const l = loadScenario(text);
      if (!l.config) assert.ok(l.diagnostics.some((d) => d.severity === 'error'), 'a scenario that cannot run says why');
    }),
    { numRuns: 200 },
  );
});

test('every random schedule of a generated driver runs to an end, checked or not', () => {
  let compiled = 0;
  fc.assert(
    fc.property(scenario, fc.integer({ min: 1, max: 1_000_000 }), (text, seed) => {
      const l = unchecked(text);
      if (!l) return;
      compiled++;
      const r = runScenario(l, { policy: { kind: 'random', seed }, maxSteps: 20_000 });
      assert.ok(['finished', 'panic', 'deadlock', 'use-after-free', 'running'].includes(r.run.status), r.run.status);
      if (r.run.status === 'running') assert.equal(r.run.stepCount, 20_000, 'a run stops early only at its step budget');
    }),
    { numRuns: 200 },
  );
  assert.ok(compiled > 100, `most generated drivers compile (${compiled} did)`);
});

test('the explorer ends with a report on generated drivers, checked or not', () => {
  fc.assert(
    fc.property(scenario, (text) => {
      const l = unchecked(text);
      if (!l) return;
      const r = explore(l.config, l.scenario, l.text, { maxStates: 3_000, timeoutMs: 2_000, maxSliceSteps: 2_000 });
      assert.ok(r.states > 0);
      // A search that is not complete says which bound stopped it; `ok` needs a search that decided everything.
      const verdict = summarize(r).verdict;
      if (verdict === 'incomplete') assert.notEqual(r.stop, 'complete');
      if (verdict === 'ok') assert.ok(r.complete || r.stop === 'decided', `ok after ${r.stop}`);
    }),
    { numRuns: 60 },
  );
});
