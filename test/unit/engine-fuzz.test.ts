// Random and mutated scenario texts never crash the parser, the checker or the
// executor; any scenario that loads runs to an end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadScenario, runScenario } from '../../core/engine/scenarioRun';
import { ALL_DRIVERS } from '../helpers/drivers';

const DRIVERS = ALL_DRIVERS;

const stmt = fc.oneof(
  fc.constantFrom('open d0 as f', 'open d1 as g', 'close f', 'close g', 'ioctl f', 'lose d0', 'lose d1'),
  fc.constantFrom('repeat 2 {\n    open d0 as f\n    close f\n  }'),
);

const scenario = fc.record({
  drivers: fc.tuple(fc.constantFrom(...DRIVERS), fc.constantFrom(...DRIVERS)),
  variants: fc.tuple(fc.constantFrom('before-fix', 'after-fix'), fc.constantFrom('before-fix', 'after-fix')),
  invariants: fc.boolean(),
  procs: fc.array(fc.array(stmt, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
}).map(({ drivers, variants, invariants, procs }) => [
  invariants ? 'kernel invariants' : '',
  `device d0: ${drivers[0]} ${variants[0]}`,
  `device d1: ${drivers[1]} ${variants[1]}`,
  ...procs.map((body, i) => `process P${i} {\n  ${body.join('\n  ')}\n}`),
  'expect no panic',
].join('\n'));

test('generated scenarios load and every random schedule runs to an end', () => {
  fc.assert(
    fc.property(scenario, fc.integer({ min: 1, max: 1_000_000 }), (text, seed) => {
      const loaded = loadScenario(text);
      if (!loaded.config) return; // e.g. a close of a descriptor never opened in that process
      const r = runScenario(loaded, { policy: { kind: 'random', seed }, maxSteps: 200_000 });
      assert.ok(['finished', 'panic', 'deadlock', 'use-after-free'].includes(r.run.status), r.run.status);
    }),
    { numRuns: 300 },
  );
});

test('mutated scenario texts never crash loading or running', () => {
  const base = 'scenario "x"\ndevice pass0: pass before-fix\nprocess A {\n  open pass0 as f\n  close f\n}\nprocess B {\n  repeat 2 {\n    open pass0 as f\n    close f\n  }\n}\nschedule A*3 B\nexpect panic\nexpect pass0.refcount == 0\n';
  const mutation = fc.array(
    fc.record({ at: fc.nat(base.length), del: fc.nat(4), ins: fc.string({ maxLength: 6 }) }),
    { minLength: 1, maxLength: 4 },
  );
  fc.assert(
    fc.property(mutation, (ms) => {
      let text = base;
      for (const m of ms) text = text.slice(0, m.at) + m.ins + text.slice(m.at + m.del);
      const loaded = loadScenario(text);
      if (loaded.config) runScenario(loaded, { maxSteps: 100_000 });
    }),
    { numRuns: 500 },
  );
});
