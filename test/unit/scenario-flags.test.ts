// Flag names in expressions mean the bit of the device (driver and variant) they
// are used with, read from the driver models' own tables; a name whose bit the
// scenario cannot decide is an error with a diagnostic.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, completePath, lookupFlag } from '../../core/scenario';
import { loadScenario, runScenario } from '../../core/engine/scenarioRun';
import { evaluateText } from '../../core/engine/expr/evaluate';
import { DRIVERS } from '../../core/kernel/drivers';
import { VARIANTS } from '../../core/scenario/ast';

/** Runs a scenario (it must have no errors) and returns each expectation's verdict. */
function verdicts(text: string): Record<string, boolean> {
  const loaded = loadScenario(text);
  assert.ok(loaded.config, JSON.stringify(loaded.diagnostics));
  const { run, expectations } = runScenario(loaded, {});
  assert.equal(run.status, 'finished');
  return Object.fromEntries(expectations.map((e) => [e.text, e.held]));
}

const lost = (variant: string) => `device sg0: sg ${variant}
process A {
  open sg0 as f
  close f
  lose sg0
}
expect (sg0.softc_flags & SG_FLAG_INVALID) != 0
expect sg0.invalid
`;

test('sg after-fix, lost: `(sg0.softc_flags & SG_FLAG_INVALID) != 0` holds, as `sg0.invalid` does (the bit is 0x02)', () => {
  assert.deepEqual(verdicts(lost('after-fix')), { 'expect (sg0.softc_flags & SG_FLAG_INVALID) != 0': true, 'expect sg0.invalid': true });
  const loaded = loadScenario(lost('after-fix'));
  const { run } = runScenario(loaded, {});
  assert.deepEqual(evaluateText('SG_FLAG_INVALID', run.final, loaded.scenario), { ok: true, value: 0x02 });
  assert.deepEqual(evaluateText('sg0.softc_flags == SG_FLAG_INVALID', run.final, loaded.scenario), { ok: true, value: true });
});

test('sg before-fix, lost: the same expectations hold with its own bit (0x04)', () => {
  assert.deepEqual(verdicts(lost('before-fix')), { 'expect (sg0.softc_flags & SG_FLAG_INVALID) != 0': true, 'expect sg0.invalid': true });
  const loaded = loadScenario(lost('before-fix'));
  const { run } = runScenario(loaded, {});
  assert.deepEqual(evaluateText('SG_FLAG_INVALID', run.final, loaded.scenario), { ok: true, value: 0x04 });
});

test("every driver and variant: its INVALID flag name is the bit its own code sets when the device is lost", () => {
  for (const d of DRIVERS) {
    for (const variant of VARIANTS) {
      const model = d.variants[variant];
      const names = Object.keys(model.softcFlagNames).filter((n) => n.includes('INVALID'));
      assert.equal(names.length, 1, `${d.name} ${variant}: ${names.join(', ')}`);
      const text = `device x0: ${d.name} ${variant}\nprocess A {\n  lose x0\n}\nexpect (x0.softc_flags & ${names[0]}) != 0\nexpect x0.invalid\n`;
      assert.deepEqual(Object.values(verdicts(text)), [true, true], `${d.name} ${variant}`);
      const found = lookupFlag(names[0], loadScenario(text).scenario);
      assert.deepEqual(found, { ok: true, value: model.invalidFlag, owner: `${d.name} ${variant} softc flags` });
    }
  }
});

test('one name, two bits in one scenario: rejected as ambiguous, with a diagnostic on the name', () => {
  const text = 'device sg0: sg before-fix\ndevice sg1: sg after-fix\nprocess A {\n  lose sg1\n}\nexpect (sg1.softc_flags & SG_FLAG_INVALID) != 0\n';
  const diags = analyze(text).diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(
    diags.map((d) => [d.code, d.range.start.line, text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character)]),
    [['ambiguous-flag', 5, 'SG_FLAG_INVALID']],
  );
  assert.equal(diags[0].message, 'SG_FLAG_INVALID is ambiguous in this scenario: it is 0x4 for sg0 (sg before-fix) and 0x2 for sg1 (sg after-fix); write the bit as a number');
  assert.equal(loadScenario(text).config, undefined, 'the scenario does not run');
});

test('a flag the variant does not have is an error; with no device of the driver, a name is taken only when its variants agree', () => {
  const ch = analyze('device ch0: ch after-fix\nprocess A {\n  open ch0 as f\n}\nexpect (ch0.softc_flags & CH_FLAG_OPEN) == 0\n').diagnostics;
  assert.deepEqual(ch.map((d) => [d.code, d.message]), [['flag-not-in-variant', 'CH_FLAG_OPEN is not a flag of ch after-fix (device ch0); its softc flags are CH_FLAG_INVALID']]);
  const noSg = analyze('device pass0: pass after-fix\nprocess A {\n  open pass0 as f\n}\nexpect SG_FLAG_INVALID == 2\nexpect SG_FLAG_LOCKED > 0\nexpect PASS_FLAG_OPEN == 1\n').diagnostics;
  assert.deepEqual(noSg.map((d) => [d.code, d.range.start.line]), [['ambiguous-flag', 4], ['ambiguous-flag', 5]]);
  assert.match(noSg[0].message, /^SG_FLAG_INVALID is 0x4 in sg before-fix and 0x2 in sg after-fix: declare the sg device it is about/);
  // kernel-wide flags mean the same everywhere
  assert.deepEqual(lookupFlag('CAM_PERIPH_INVALID', analyze('').scenario), { ok: true, value: 0x08, owner: 'struct cam_periph flags (sys/cam/cam_periph.h)' });
  assert.equal(lookupFlag('SG_FLAG_BOGUS', analyze('').scenario), undefined);
});

test('completion offers the flags of the declared devices, with the bit of their variant', () => {
  const s = analyze('device sg0: sg after-fix\nprocess A {\n  open sg0 as f\n}\n').scenario;
  const flags = completePath([], s).filter((c) => c.kind === 'constant' && !/^E[A-Z]+$/.test(c.name));
  const byName = Object.fromEntries(flags.map((c) => [c.name, c.detail]));
  assert.equal(byName.SG_FLAG_INVALID, 'SG_FLAG_INVALID = 0x2');
  assert.equal(byName.SG_FLAG_LOCKED, 'SG_FLAG_LOCKED = 0x1');
  assert.equal(byName.SG_FLAG_OPEN, undefined, 'not a flag of sg after-fix');
  assert.equal(byName.PASS_FLAG_OPEN, undefined, 'no pass device');
  assert.equal(byName.CAM_PERIPH_INVALID, 'CAM_PERIPH_INVALID = 0x8');
});
