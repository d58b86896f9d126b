// docs/kernel-model.md#a-lost-close: an open(2) in
// flight holds a usecount, so devfs_close sees count_dev > 1 and skips d_close,
// even when that open then fails. pt's exclusivity prevents the double close but
// not the lost one; D_TRACKCLOSE prevents both.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialMachine, status } from '../../core/engine/run/machine';
import { inStack, runUntil, twoProcessConfig } from '../helpers/interleavings';
import { EBUSY } from '../../core/kernel/constants';

function lostClose(driver: 'pt' | 'pass', variant: 'before-fix' | 'after-fix') {
  const cfg = twoProcessConfig(driver, variant);
  cfg.processes[1].program = [{ op: 'open', dev: 0, fd: 0, line: 0 }];
  const pids: number[] = [];
  let m = initialMachine(cfg);
  m = runUntil(m, 0, (x) => x.procs[0].fds[0].open, pids); // A holds the device open
  // B's open is in flight: past vget (si_usecount 2) and devfs_open's VOP_UNLOCK, entering the driver.
  m = runUntil(m, 1, (x) => inStack(x, 1, `${driver}open`), pids);
  assert.equal(m.devs[0].si_usecount, 2);
  m = runUntil(m, 0, (x) => x.procs[0].done, pids); // A closes meanwhile
  assert.ok(m.procs[0].done);
  m = runUntil(m, 1, (x) => x.procs[1].done, pids);
  return m;
}

test('pt: a close that races an open in flight is lost, and the device stays busy with a leaked reference', () => {
  const m = lostClose('pt', 'before-fix');
  assert.equal(status(m), 'finished');
  assert.equal(m.procs[1].fds[0].errno, EBUSY, 'B saw PT_FLAG_OPEN: A\'s ptclose never ran');
  assert.equal(m.devs[0].softc_flags & 0x01, 0x01, 'PT_FLAG_OPEN is still set');
  assert.equal(m.devs[0].refcount, 1, 'A\'s open reference leaked');
  assert.equal(m.devs[0].si_usecount, 0);
});

test('pass after-fix: the same order reaches passclose (D_TRACKCLOSE) and balances', () => {
  const m = lostClose('pass', 'after-fix');
  assert.equal(status(m), 'finished');
  assert.equal(m.procs[1].fds[0].errno, 0);
  // B still holds its open: resting 1 + B's reference.
  assert.equal(m.devs[0].refcount, 2);
  assert.equal(m.devs[0].open_count, 1);
});
