// The explorer's state keys and symmetry classes, and its lock-discipline
// learning: what makes two machines one state, and when a search must restart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialMachine, slice } from '../../core/engine/run/machine';
import { trackMachine, trackedDevFields, ownCopy } from '../../core/engine/explore/tracked';
import { StateKeys, symmetryOf } from '../../core/engine/explore/key';
import { LockDiscipline, RestartSearch, independent, type TxFootprint } from '../../core/engine/explore/movers';
import type { Machine } from '../../core/kernel/state';
import { load } from './explore-helpers';

const THREE = `device pass0: pass after-fix
process A {
  open pass0 as f
  close f
}
process B {
  open pass0 as f
  close f
}
process C {
  open pass0 as f
}
expect no panic
`;

function keyOf(keys: StateKeys, m: Machine): number {
  const found = keys.find(m, keys.ids(m));
  if (found >= 0) return found;
  keys.store(keys.size);
  return keys.size - 1;
}

/** Runs slices of `pids` in order from the tracked initial machine. */
function after(m0: Machine, pids: number[]): Machine {
  let m = m0;
  for (const pid of pids) {
    // The explorer's machines are only changed through ownCopy; slice (machine.ts) works on plain ones.
    const next = ownCopy(m, pid);
    const plain = slice(untracked(m), pid);
    m = retrack(next, plain);
  }
  return m;
}

/** A plain copy of a tracked machine (field by field). */
function untracked(m: Machine): Machine {
  const fields = trackedDevFields();
  return {
    ...m,
    devs: m.devs.map((d) => Object.fromEntries(fields.map((f) => [f, (d as unknown as Record<string, unknown>)[f]])) as unknown as Machine['devs'][number]),
    tasks: (m.tasks as unknown as { slice(): number[] }).slice(),
  };
}

/** A tracked machine with the state of `plain` (keeps `shell`'s tracked devices and task queue). */
function retrack(shell: Machine, plain: Machine): Machine {
  const fields = trackedDevFields();
  shell.devs.forEach((d, i) => {
    for (const f of fields) (d as unknown as Record<string, unknown>)[f] = (plain.devs[i] as unknown as Record<string, unknown>)[f];
  });
  return { ...plain, devs: shell.devs, tasks: shell.tasks };
}

test('symmetry classes: processes with one program share a class, unless an expectation names one', () => {
  const l = load(THREE);
  const sym = symmetryOf(l.config, l.scenario, true);
  assert.deepEqual(sym.classes, [[0, 1], [2]]);
  const named = load(THREE + 'expect A.f.errno == 0\n');
  assert.deepEqual(symmetryOf(named.config, named.scenario, true).classes, [[0], [1], [2]]);
  const holder = load(THREE + 'expect pass0.sim_mtx.holder != B\n');
  assert.deepEqual(symmetryOf(holder.config, holder.scenario, true).classes, [[0], [1], [2]]);
  assert.deepEqual(symmetryOf(l.config, l.scenario, false).classes, [[0], [1], [2]]);
  const steps = load(THREE + 'expect C.steps > 0\n');
  assert.deepEqual(symmetryOf(steps.config, steps.scenario, true).keepSteps, [false, false, true]);
});

test('keys: interchangeable processes swapped give one key; other processes, or no symmetry, do not', () => {
  const l = load(THREE);
  const m0 = trackMachine(initialMachine(l.config));
  const aFirst = after(m0, [0, 0, 0]);
  const bFirst = after(m0, [1, 1, 1]);
  const cFirst = after(m0, [2, 2, 2]);
  const keys = new StateKeys(symmetryOf(l.config, l.scenario, true), m0);
  assert.equal(keyOf(keys, aFirst), keyOf(keys, bFirst), 'A and B interchangeable');
  assert.notEqual(keyOf(keys, aFirst), keyOf(keys, cFirst));
  const plain = new StateKeys(symmetryOf(l.config, l.scenario, false), m0);
  assert.notEqual(keyOf(plain, aFirst), keyOf(plain, bFirst));
});

test('keys: a held lock follows its holder when processes are swapped', () => {
  const l = load(THREE);
  const m0 = trackMachine(initialMachine(l.config));
  // A takes the vnode lock (vn_lock in vget): then B is at the same place without it.
  const aHolds = after(m0, [0, 0, 1]);
  const bHolds = after(m0, [1, 1, 0]);
  assert.equal(aHolds.locks.some((lk) => lk.holder === 0), true);
  assert.equal(bHolds.locks.some((lk) => lk.holder === 1), true);
  const keys = new StateKeys(symmetryOf(l.config, l.scenario, true), m0);
  assert.equal(keyOf(keys, aHolds), keyOf(keys, bHolds));
  // The same positions with the lock given to the other process is another state.
  const swapped: Machine = { ...aHolds, locks: aHolds.locks.map((lk) => (lk.holder === 0 ? { ...lk, holder: 1 } : lk)) };
  assert.notEqual(keyOf(keys, swapped), keyOf(keys, aHolds));
});

test('keys: step counters and the clock do not distinguish states; every semantic field does', () => {
  const l = load(THREE);
  const m0 = trackMachine(initialMachine(l.config));
  const m = after(m0, [0, 0, 0]);
  const keys = new StateKeys(symmetryOf(l.config, l.scenario, true), m0);
  const k = keyOf(keys, m);
  const procs = m.procs.slice();
  procs[0] = { ...procs[0], steps: procs[0].steps + 17 };
  assert.equal(keyOf(keys, { ...m, procs, clock: m.clock + 99 }), k);
  const devs = ownCopy(m, 0).devs;
  (devs[0] as { refcount: number }).refcount += 1;
  assert.notEqual(keyOf(keys, { ...m, devs }), k);
  const errno = m.procs.slice();
  errno[0] = { ...errno[0], errno: 6 };
  assert.notEqual(keyOf(keys, { ...m, procs: errno }), k);
  const locals = m.procs.slice();
  const top = locals[0].stack.length - 1;
  locals[0] = { ...locals[0], stack: locals[0].stack.map((f, i) => (i === top ? { ...f, l: { ...f.l, zz: 1 } } : f)) };
  assert.notEqual(keyOf(keys, { ...m, procs: locals }), k);
  // The order in which locals were set does not matter.
  const reordered = m.procs.slice();
  reordered[0] = { ...reordered[0], stack: reordered[0].stack.map((f) => ({ ...f, l: Object.fromEntries(Object.entries(f.l).reverse()) })) };
  assert.equal(keyOf(keys, { ...m, procs: reordered }), k);
  // With a `steps` expectation, that process's counter counts.
  const s = load(THREE + 'expect A.steps > 0\n');
  const keys2 = new StateKeys(symmetryOf(s.config, s.scenario, true), m0);
  const k2 = keyOf(keys2, m);
  assert.notEqual(keyOf(keys2, { ...m, procs }), k2);
});

test('lock discipline: a field read freely until written, then guarded by the locks common to every access, racy when none; a contradiction restarts', () => {
  const d = new LockDiscipline(1, 8, (b) => `f${b}`);
  const fp = (reads: number, writes: number) => ({ reads: new Int32Array([reads]), writes: new Int32Array([writes]), taskReads: false, taskWrites: false });
  assert.equal(d.account(fp(0b1, 0), 0), false, 'an unwritten field may be read without a lock');
  assert.throws(() => d.account(fp(0, 0b1), 0b1), RestartSearch, 'read as a constant, now written: restart');
  d.resetTouched();
  assert.equal(d.account(fp(0, 0b1), 0b011), false, 'written under locks 0 and 1');
  assert.equal(d.account(fp(0b1, 0), 0b010), false, 'read under lock 1: still guarded by lock 1');
  assert.throws(() => d.account(fp(0b1, 0), 0b100), RestartSearch, 'read under lock 2 only: no common lock, and decisions relied on one');
  assert.deepEqual(d.racy(), ['dev0.f0']);
  d.resetTouched();
  assert.equal(d.account(fp(0b1, 0), 0b1), true, 'after the restart it is racy from the start');
  assert.equal(d.account(fp(0b10, 0), 0), false, 'another field is unaffected');
});

test('independence of transactions: no common lock and no field one of them writes', () => {
  const tx = (locks: number, reads: number, writes: number): TxFootprint => ({ locks, reads: [reads], writes: [writes], taskReads: false, taskWrites: false });
  assert.equal(independent(tx(0b01, 0b1, 0), tx(0b10, 0b1, 0)), true, 'different locks, both only read');
  assert.equal(independent(tx(0b01, 0, 0b1), tx(0b10, 0b1, 0)), false, 'one writes what the other reads');
  assert.equal(independent(tx(0b01, 0, 0), tx(0b01, 0, 0)), false, 'the same lock');
  assert.equal(independent(null, tx(0, 0, 0)), false, 'a panic depends on everything');
});
