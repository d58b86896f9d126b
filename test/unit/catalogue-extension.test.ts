// Adding a driver is one model and one list entry: a driver defined here, in the
// test, and given to the catalogue's one extension point (withDrivers) is known to
// completion, hover, the checker and the explorer, with no other change.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVERS, defineDriver, driverNames } from '../../core/kernel/drivers';
import {
  afterFixClose, afterFixOpen, beforeFixClose, beforeFixOpen, cleanup, devgonecb, flagOf, ioctlFn, oninvalidate, passChecks, type DriverNames,
} from '../../core/kernel/drivers/common';
import { D_TRACKCLOSE } from '../../core/kernel/constants';
import { withDrivers } from '../../core/kernel/extend';
import { FUNCTIONS, MODEL_SOURCES } from '../../core/kernel/functions';
import { analyze } from '../../core/scenario';
import { loadScenario } from '../../core/engine/scenarioRun';
import { explore } from '../../core/engine/explore/explore';
import { complete } from '../../server/completion';
import { hover } from '../../server/hover';
import { DocAnalysis } from '../../server/analysis';

// pass(4) under another name: the 2011 and 2013 code, built from the shared shapes.
const n: DriverNames = { drv: 'mypass', file: 'scsi_mypass.c', src: 'sys/cam/scsi/scsi_mypass.c', softc: 'mypass_softc' };
const FLAGS = { MYPASS_FLAG_OPEN: 0x01, MYPASS_FLAG_INVALID: 0x04 };
const ioctl = ioctlFn(n);
const mypass = defineDriver({
  name: 'mypass',
  racyBeforeFix: true,
  options: [],
  source: n.src,
  doc: 'mypass: a copy of pass(4) defined by a test.',
  variants: {
    'before-fix': {
      d_flags: 0, resting: 0, softcFlags: 0, softcFlagNames: FLAGS, invalidFlag: FLAGS.MYPASS_FLAG_INVALID,
      open: beforeFixOpen(n, { open: flagOf(FLAGS, 'MYPASS_FLAG_OPEN'), invalid: flagOf(FLAGS, 'MYPASS_FLAG_INVALID') }, { leadingNullCheck: false, checks: passChecks() }),
      close: beforeFixClose(n, flagOf(FLAGS, 'MYPASS_FLAG_OPEN')),
      ioctl,
      oninvalidate: oninvalidate(n, 'before-fix', flagOf(FLAGS, 'MYPASS_FLAG_INVALID'), false),
      dtor: cleanup(n, 'mypasscleanup', 'before-fix', 'sched'),
      summary: 'mypass before the fix: the first open keeps its reference; only the last close reaches mypassclose.',
    },
    'after-fix': {
      d_flags: D_TRACKCLOSE, resting: 1, softcFlags: 0, softcFlagNames: FLAGS, invalidFlag: FLAGS.MYPASS_FLAG_INVALID,
      open: afterFixOpen(n, flagOf(FLAGS, 'MYPASS_FLAG_INVALID'), { leadingNullCheck: false, checks: passChecks() }),
      close: afterFixClose(n),
      ioctl,
      oninvalidate: oninvalidate(n, 'after-fix', flagOf(FLAGS, 'MYPASS_FLAG_INVALID'), true),
      dtor: cleanup(n, 'mypasscleanup', 'after-fix', 'none'),
      devgonecb: devgonecb(n),
      summary: 'mypass after the fix: D_TRACKCLOSE, a reference per open.',
    },
  },
});
const CATALOGUE = [...DRIVERS, mypass];

const RACE = `device d: mypass before-fix
process A {
  open d as f
  close f
}
process B {
  open d as f
  close f
}
expect no panic
`;

test('without the extension, mypass is an unknown driver', () => {
  assert.ok(!driverNames().includes('mypass'));
  const codes = analyze(RACE).diagnostics.map((d) => d.code);
  assert.ok(codes.includes('unknown-driver'), codes.join(', '));
});

test('completion offers mypass among the drivers, with its model as documentation', () => {
  withDrivers(CATALOGUE, () => {
    const s = analyze('device d: ').scenario;
    const items = complete(s, 'device d: ', { line: 0, character: 'device d: '.length });
    const item = items.find((i) => i.label === 'mypass');
    assert.ok(item, items.map((i) => i.label).join(', '));
    assert.equal(item.detail, n.src);
    assert.deepEqual(items.map((i) => i.label), CATALOGUE.map((d) => d.name));
  });
});

test('hover on mypass shows its model: what it is, both variants, its functions', () => {
  withDrivers(CATALOGUE, () => {
    const a = new DocAnalysis('file:///x.camsim', 1, RACE);
    const h = hover(a, 'device d: mypass before-fix', { line: 0, character: 'device d: my'.length });
    const text = JSON.stringify(h?.contents);
    assert.match(text, /a copy of pass\(4\) defined by a test/);
    const v = hover(a, 'device d: mypass before-fix', { line: 0, character: 'device d: mypass bef'.length });
    assert.match(JSON.stringify(v?.contents), /mypassopen/);
    assert.match(JSON.stringify(v?.contents), /the devfs close race/);
  });
});

test('the checker accepts mypass and warns of its before-fix close race', () => {
  withDrivers(CATALOGUE, () => {
    const diags = analyze(RACE).diagnostics;
    assert.deepEqual(diags.filter((d) => d.severity === 'error'), []);
    assert.ok(diags.some((d) => d.code === 'devfs-close-race'), diags.map((d) => d.code).join(', '));
    const flag = analyze(`${RACE}expect d.softc_flags & MYPASS_FLAG_OPEN == 0\n`).diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(flag, [], 'its softc flag names are known to expressions');
  });
});

test('the explorer finds the close race on mypass before the fix, in mypass\'s own functions, and none after', () => {
  withDrivers(CATALOGUE, () => {
    const before = loadScenario(RACE);
    assert.ok(before.config);
    const r = explore(before.config, before.scenario, before.text);
    const panic = r.outcomes.find((o) => o.kind === 'panic');
    assert.equal(panic?.reachable, true);
    assert.match(panic?.message ?? '', /cam_periph_release/);
    assert.equal(r.ok, false);
    const after = loadScenario(RACE.replace('before-fix', 'after-fix'));
    assert.ok(after.config);
    assert.equal(explore(after.config, after.scenario, after.text).ok, true);
  });
  assert.ok(FUNCTIONS.some((f) => f.name === 'mypassclose'), 'its functions are numbered in the kernel table');
  assert.match(MODEL_SOURCES.get('scsi_mypass.c') ?? '', /static struct cdevsw mypass_cdevsw/);
});
