// What changed between two machines, named as the expression language names it
// (`pass0.refcount`, `pass0.sim_mtx.holder`, `A.f.errno`), for the trace, the
// debugger's "changed" markers and "why is it 0?".

import type { DevState, Machine } from '../../kernel/state';
import { DEVICE_LOCK_NAMES, GLOBAL_LOCK_COUNT, GLOBAL_LOCK_NAMES } from '../../kernel/constants';
import { changedSince } from './machine';

export type Value = number | boolean | string;

export interface Change {
  path: string;
  old: Value;
  new: Value;
}

/** Device state fields as the expression language exposes them. */
export const DEVICE_STATE_FIELDS: readonly (keyof DevState)[] = [
  'refcount', 'flags', 'softc_flags', 'open_count', 'si_usecount', 'si_threadcount', 'v_usecount', 'si_drv1', 'sched_dtr', 'freed',
];

export function lockPath(m: Machine, lock: number): string {
  if (lock < GLOBAL_LOCK_COUNT) return GLOBAL_LOCK_NAMES[lock];
  const rel = lock - GLOBAL_LOCK_COUNT;
  return `${m.config.devices[Math.floor(rel / 3)].name}.${DEVICE_LOCK_NAMES[rel % 3]}`;
}

export function holderName(m: Machine, holder: number): string {
  return holder < 0 ? 'none' : m.config.processes[holder].name;
}

/** 0, 1, ..., n - 1. */
function all(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The changes from `a` to `b` (b is usually one step after a). */
export function diff(a: Machine, b: Machine): Change[] {
  const out: Change[] = [];
  // After a step, only what it wrote (not every device and lock: that made long runs quadratic).
  const known = changedSince(a, b);
  const devs = known ? [...known.devs].sort((x, y) => x - y) : all(a.devs.length);
  const locks = known ? [...known.locks].sort((x, y) => x - y) : all(a.locks.length);
  for (const d of devs) {
    const x = a.devs[d];
    const y = b.devs[d];
    if (x === y) continue;
    const name = a.config.devices[d].name;
    for (const k of DEVICE_STATE_FIELDS) {
      if (x[k] !== y[k]) out.push({ path: `${name}.${k}`, old: x[k], new: y[k] });
    }
  }
  for (const l of locks) {
    // Entries are replaced, never changed in place: the same entry is the same lock state.
    if (a.locks[l] === b.locks[l]) continue;
    if (a.locks[l].holder !== b.locks[l].holder) {
      out.push({ path: `${lockPath(a, l)}.holder`, old: holderName(a, a.locks[l].holder), new: holderName(b, b.locks[l].holder) });
    }
    if (a.locks[l].recurse !== b.locks[l].recurse) {
      out.push({ path: `${lockPath(a, l)}.recursion`, old: a.locks[l].recurse, new: b.locks[l].recurse });
    }
  }
  for (let p = 0; p < a.procs.length; p++) {
    const x = a.procs[p];
    const y = b.procs[p];
    if (x === y) continue;
    const pc = a.config.processes[p];
    if (x.errno !== y.errno) out.push({ path: `${pc.name}.errno`, old: x.errno, new: y.errno });
    // Descriptor lists and their entries are replaced when they change, never changed in place.
    if (x.fds !== y.fds) {
      for (const i of known ? [...known.fds].sort((u, v) => u - v) : all(x.fds.length)) {
        const fd = x.fds[i];
        const fy = y.fds[i];
        if (fd === fy) continue;
        if (fd.open !== fy.open) out.push({ path: `${pc.name}.${pc.fdNames[i]}.open`, old: fd.open, new: fy.open });
        if (fd.errno !== fy.errno) out.push({ path: `${pc.name}.${pc.fdNames[i]}.errno`, old: fd.errno, new: fy.errno });
      }
    }
    if (x.done !== y.done) out.push({ path: `${pc.name}.done`, old: x.done, new: y.done });
  }
  return out;
}
