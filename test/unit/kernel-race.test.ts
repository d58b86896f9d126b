// The devfs close race (docs/kernel-model.md#the-close-race) on every driver,
// before and after the fix, and its benign orders.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interleave, twoProcessConfig } from '../helpers/interleavings';
import { status } from '../../core/engine/run/machine';
import { runMachine } from '../../core/engine/run/run';
import { variantOf } from '../../core/kernel/drivers';
import { RACY_DRIVERS } from '../helpers/drivers';

const RACY = RACY_DRIVERS;

for (const driver of RACY) {
  test(`${driver} before-fix: the close-race interleaving panics in cam_periph_release_locked_buses`, () => {
    const { machine } = interleave(twoProcessConfig(driver, 'before-fix'), 'race');
    assert.equal(status(machine), 'panic');
    assert.equal(machine.outcome?.fn, 'cam_periph_release_locked_buses');
    assert.match(machine.outcome!.message, /^cam_periph_release_locked_buses: release of 0x[0-9a-f]+ when refcount is zero$/);
    // The second closer (B) panics: A's close already released the only reference.
    assert.equal(machine.config.processes[machine.outcome!.pid].name, 'B');
  });

  test(`${driver} after-fix: the same interleaving ends with the periph at rest`, () => {
    const { machine } = interleave(twoProcessConfig(driver, 'after-fix'), 'race');
    assert.equal(status(machine), 'finished');
    assert.equal(machine.devs[0].refcount, variantOf(machine.config.devices[0]).resting);
    assert.equal(machine.devs[0].refcount, 1);
    assert.equal(machine.devs[0].open_count, 0);
    assert.equal(machine.devs[0].si_usecount, 0);
  });

  for (const order of ['open-after-flag-cleared', 'close-before-vput'] as const) {
    for (const variant of ['before-fix', 'after-fix'] as const) {
      test(`${driver} ${variant}: benign order ${order} does not panic and balances`, () => {
        const { machine } = interleave(twoProcessConfig(driver, variant), order);
        assert.equal(status(machine), 'finished');
        assert.equal(machine.devs[0].refcount, variantOf(machine.config.devices[0]).resting);
        assert.ok(machine.procs.every((p) => p.fds[0].errno === 0), 'both opens and closes succeed');
      });
    }
  }
}

test('in the race, B opens after A decided to call d_close and before A\'s vput', () => {
  const cfg = twoProcessConfig('pass', 'before-fix');
  const { schedule } = interleave(cfg, 'race');
  const run = runMachine(cfg, { schedule });
  const countDev = run.steps.findIndex((s) => s.process === 'A' && s.fn === 'count_dev' && s.code.startsWith('count ='));
  const bVget = run.steps.findIndex((s) => s.process === 'B' && s.fn === 'vget' && s.changes.some((c) => c.path === 'dev0.si_usecount'));
  const aVput = run.steps.findIndex((s) => s.process === 'A' && s.fn === 'vput' && s.changes.some((c) => c.path === 'dev0.si_usecount'));
  assert.ok(countDev >= 0 && bVget > countDev && aVput > bVget, `${countDev} < ${bVget} < ${aVput}`);
  // B's passopen saw PASS_FLAG_OPEN still set and gave its reference back.
  const bRelease = run.steps.findIndex((s, i) => i > bVget && s.process === 'B' && s.changes.some((c) => c.path === 'dev0.refcount' && c.old === 2 && c.new === 1));
  assert.ok(bRelease > 0);
});

for (const driver of ['pt', 'sa'] as const) {
  for (const variant of ['before-fix', 'after-fix'] as const) {
    test(`${driver} ${variant}: a concurrent open gets EBUSY and nothing panics`, () => {
      const { machine } = interleave(twoProcessConfig(driver, variant), 'race');
      assert.equal(status(machine), 'finished');
      const errnos = machine.procs.map((p) => p.fds[0].errno);
      // B's open failed (EBUSY) so its close gets EBADF; A's open and close succeeded.
      assert.equal(errnos[0], 0);
      assert.equal(errnos[1], 9);
      assert.equal(machine.devs[0].refcount, variantOf(machine.config.devices[0]).resting);
    });

    test(`${driver} ${variant}: no seed of 300 random schedules panics, and some open sees EBUSY`, () => {
      let busy = 0;
      for (let seed = 1; seed <= 300; seed++) {
        const r = runMachine(twoProcessConfig(driver, variant, 2), { policy: { kind: 'random', seed }, record: false });
        assert.equal(r.status, 'finished', `seed ${seed}: ${r.outcome?.message}`);
        if (r.final.procs.some((p) => p.errno === 16 || p.fds[0].errno === 9)) busy++;
      }
      assert.ok(busy > 0, 'some interleaving overlapped the opens');
    });
  }
}
