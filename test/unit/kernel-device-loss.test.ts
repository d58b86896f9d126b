// Opens of invalidated periphs, and device loss while a descriptor is open
// (docs/kernel-model.md#device-loss).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MachineConfig } from '../../core/kernel/state';
import { initialMachine, status, enabled } from '../../core/engine/run/machine';
import { runMachine } from '../../core/engine/run/run';
import { runUntil } from '../helpers/interleavings';
import { CAM_PERIPH_INVALID, ENOENT, ENXIO } from '../../core/kernel/constants';
import { ALL_DRIVERS, DEVGONECB_DRIVERS } from '../helpers/drivers';

function lossConfig(driver: MachineConfig['devices'][number]['driver'], variant: 'before-fix' | 'after-fix', program: MachineConfig['processes'][number]['program']): MachineConfig {
  return {
    devices: [{ name: 'dev0', driver, variant, ioError: false }],
    invariants: false,
    processes: [
      { name: 'A', kind: 'user', fdNames: ['f'], line: 0, program },
      { name: 'L', kind: 'user', fdNames: [], line: 0, program: [{ op: 'lose', dev: 0, line: 0 }] },
      { name: 'taskq', kind: 'taskq', fdNames: [], line: 0, program: [] },
    ],
  };
}

const openClose: MachineConfig['processes'][number]['program'] = [
  { op: 'open', dev: 0, fd: 0, line: 0 },
  { op: 'close', fd: 0, line: 1 },
];

for (const driver of ALL_DRIVERS) {
  for (const variant of ['before-fix', 'after-fix'] as const) {
    test(`${driver} ${variant}: an open of an invalidated periph gets ENXIO and keeps no reference`, () => {
      // A keeps the device open, so invalidation does not free the periph; then B opens.
      const cfg = lossConfig(driver, variant, [{ op: 'open', dev: 0, fd: 0, line: 0 }]);
      cfg.processes.splice(2, 0, { name: 'B', kind: 'user', fdNames: ['f'], line: 0, program: [{ op: 'open', dev: 0, fd: 0, line: 0 }] });
      const pids: number[] = [];
      let m = initialMachine(cfg);
      m = runUntil(m, 0, (x) => x.procs[0].done, pids);
      const held = m.devs[0].refcount;
      m = runUntil(m, 1, (x) => x.procs[1].done, pids);
      assert.ok(m.devs[0].flags & CAM_PERIPH_INVALID);
      m = runUntil(m, 2, (x) => x.procs[2].done, pids);
      assert.equal(m.procs[2].fds[0].errno, ENXIO);
      assert.equal(m.procs[2].fds[0].open, false);
      assert.equal(m.devs[0].refcount, held, 'the failed open gave back any reference it took');
    });
  }
}

for (const driver of ['sg', 'ch', 'pt', 'sa'] as const) {
  test(`${driver} before-fix: losing an unused device frees the periph at once and removes the node (ENOENT)`, () => {
    const cfg = lossConfig(driver, 'before-fix', [{ op: 'open', dev: 0, fd: 0, line: 0 }]);
    const pids: number[] = [];
    let m = initialMachine(cfg);
    m = runUntil(m, 1, (x) => x.procs[1].done, pids);
    assert.equal(m.devs[0].freed, true, 'refcount 0 at invalidation: camperiphfree');
    assert.equal(m.devs[0].named, false, 'the destructor destroyed the cdev synchronously');
    m = runUntil(m, 0, (x) => x.procs[0].done, pids);
    assert.equal(m.procs[0].fds[0].errno, ENOENT);
  });
}

for (const driver of DEVGONECB_DRIVERS) {
  test(`${driver} after-fix: device loss while open frees the periph once every reference is gone`, () => {
    const cfg = lossConfig(driver, 'after-fix', openClose);
    const pids: number[] = [];
    let m = initialMachine(cfg);
    m = runUntil(m, 0, (x) => x.procs[0].fds[0].open, pids);
    m = runUntil(m, 1, (x) => x.procs[1].done, pids);
    assert.equal(m.devs[0].freed, false, 'A still holds its open reference');
    assert.equal(m.devs[0].sched_dtr, true, 'oninvalidate scheduled the cdev destruction');
    m = runUntil(m, 2, (x) => !enabled(x, 2), pids);
    assert.equal(m.devs[0].freed, true, 'devgonecb released the open and the node reference');
    m = runUntil(m, 0, (x) => x.procs[0].done, pids);
    assert.equal(status(m), 'finished');
    assert.equal(m.procs[0].fds[0].errno, ENXIO, 'the close after destruction gets ENXIO from devfs');
  });
}

test('pass before-fix: device loss while open frees the periph at the last close', () => {
  const cfg = lossConfig('pass', 'before-fix', openClose);
  const pids: number[] = [];
  let m = initialMachine(cfg);
  m = runUntil(m, 0, (x) => x.procs[0].fds[0].open, pids);
  m = runUntil(m, 1, (x) => x.procs[1].done, pids);
  assert.equal(m.devs[0].freed, false);
  m = runUntil(m, 0, (x) => x.procs[0].done, pids);
  assert.equal(m.devs[0].freed, true);
  assert.equal(m.procs[0].fds[0].errno, 0);
  m = runUntil(m, 2, (x) => !enabled(x, 2), pids);
  assert.equal(status(m), 'finished');
  assert.equal(m.devs[0].si_drv1, false, 'destroy_devl cleared si_drv1');
});

for (const driver of ['ch', 'sg', 'pt'] as const) {
  test(`${driver} before-fix: losing the device while open deadlocks in destroy_dev at the last close`, () => {
    const cfg = lossConfig(driver, 'before-fix', openClose);
    const pids: number[] = [];
    let m = initialMachine(cfg);
    m = runUntil(m, 0, (x) => x.procs[0].fds[0].open, pids);
    m = runUntil(m, 1, (x) => x.procs[1].done, pids);
    m = runUntil(m, 0, (x) => x.procs[0].done, pids);
    assert.equal(status(m), 'deadlock');
    const r = runMachine(cfg, { schedule: pids });
    assert.equal(r.status, 'deadlock');
    assert.match(r.outcome!.message, /A waits for a wakeup on "devdrn"/);
  });
}

test('ch before-fix with io-error: a failed chgetparams leaves CAM_PERIPH_LOCKED set and the next open sleeps forever', () => {
  const cfg: MachineConfig = {
    devices: [{ name: 'ch0', driver: 'ch', variant: 'before-fix', ioError: true }],
    invariants: false,
    processes: [{
      name: 'A', kind: 'user', fdNames: ['f', 'g'], line: 0,
      program: [{ op: 'open', dev: 0, fd: 0, line: 0 }, { op: 'open', dev: 0, fd: 1, line: 1 }],
    }],
  };
  const r = runMachine(cfg);
  assert.equal(r.status, 'deadlock');
  assert.match(r.outcome!.message, /caplck/);
});
