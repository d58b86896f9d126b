// What changed between two machines, named as the expression language names it
// (`pass0.refcount`, `pass0.sim_mtx.holder`, `A.f.errno`), for the trace, the
// debugger's "changed" markers and "why is it 0?".

import type { DevState, Machine } from '../kernel/state';
import { DEVICE_LOCK_NAMES, GLOBAL_LOCK_COUNT, GLOBAL_LOCK_NAMES } from '../kernel/constants';

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

/** The changes from `a` to `b` (b is usually one step after a). */
export function diff(a: Machine, b: Machine): Change[] {
  const out: Change[] = [];
  for (let d = 0; d < a.devs.length; d++) {
    const x = a.devs[d];
    const y = b.devs[d];
    if (x === y) continue;
    const name = a.config.devices[d].name;
    for (const k of DEVICE_STATE_FIELDS) {
      if (x[k] !== y[k]) out.push({ path: `${name}.${k}`, old: x[k], new: y[k] });
    }
  }
  for (let l = 0; l < a.locks.length; l++) {
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
    x.fds.forEach((fd, i) => {
      const fy = y.fds[i];
      if (fd.open !== fy.open) out.push({ path: `${pc.name}.${pc.fdNames[i]}.open`, old: fd.open, new: fy.open });
      if (fd.errno !== fy.errno) out.push({ path: `${pc.name}.${pc.fdNames[i]}.errno`, old: fd.errno, new: fy.errno });
    });
    if (x.done !== y.done) out.push({ path: `${pc.name}.done`, old: x.done, new: y.done });
  }
  return out;
}
