// Builds the interleavings of the close race (docs/kernel-model.md#the-close-race)
// for any driver, as the schedule of slices that produces them, by running the
// machine and watching where each process is. Tests use these rather than
// hard-coded step counts.

import type { Machine, MachineConfig } from '../../core/kernel/state';
import { FUNCTIONS } from '../../core/kernel/functions';
import { enabled, initialMachine, slice, status } from '../../core/engine/run/machine';
import { variantOf } from '../../core/kernel/drivers';
import { D_NEEDGIANT } from '../../core/kernel/constants';

export function twoProcessConfig(driver: MachineConfig['devices'][number]['driver'], variant: 'before-fix' | 'after-fix', cycles = 1): MachineConfig {
  const program: MachineConfig['processes'][number]['program'] = [];
  for (let i = 0; i < cycles; i++) {
    program.push({ op: 'open' as const, dev: 0, fd: 0, line: 0 }, { op: 'close' as const, fd: 0, line: 1 });
  }
  return {
    devices: [{ name: 'dev0', driver, variant, ioError: false }],
    invariants: false,
    processes: ['A', 'B'].map((name) => ({ name, kind: 'user' as const, fdNames: ['f'], line: 0, program })),
  };
}

export function topFunction(m: Machine, pid: number): string | undefined {
  const st = m.procs[pid].stack;
  return st.length ? FUNCTIONS[st[st.length - 1].fn].name : undefined;
}

export function inStack(m: Machine, pid: number, name: string): boolean {
  return m.procs[pid].stack.some((f) => FUNCTIONS[f.fn].name === name);
}

/** Runs `pid` slice by slice until `until` holds; returns the new machine and the slices run. */
export function runUntil(m: Machine, pid: number, until: (m: Machine) => boolean, pids: number[]): Machine {
  let cur = m;
  let guard = 0;
  while (!until(cur) && enabled(cur, pid) && status(cur) === 'running') {
    cur = slice(cur, pid);
    pids.push(pid);
    if (++guard > 100_000) throw new Error('runUntil: no progress');
  }
  return cur;
}

export type Order = 'race' | 'open-after-flag-cleared' | 'close-before-vput';

/**
 * The close race and its benign orders, for processes A (0) and B (1):
 * race: A closes up to the driver's close, B opens, A finishes, B closes.
 * open-after-flag-cleared: B opens only after A's d_close has run (A past d_close).
 * close-before-vput: B opens in the window and also closes before A's vput.
 */
export function interleave(config: MachineConfig, order: Order): { machine: Machine; schedule: number[] } {
  const pids: number[] = [];
  // devfs calls d_close through giant_close for D_NEEDGIANT drivers: stop before Giant is taken.
  const v = variantOf(config.devices[0]);
  const close = v.d_flags & D_NEEDGIANT ? 'giant_close' : v.close.name;
  let m = initialMachine(config);
  m = runUntil(m, 0, (x) => x.procs[0].fds[0].open, pids);
  m = runUntil(m, 0, (x) => inStack(x, 0, close), pids);
  if (order === 'open-after-flag-cleared') m = runUntil(m, 0, (x) => inStack(x, 0, 'vput') || x.procs[0].done, pids);
  m = runUntil(m, 1, (x) => x.procs[1].fds[0].open || x.procs[1].pc > 0, pids);
  if (order === 'close-before-vput') m = runUntil(m, 1, (x) => x.procs[1].done, pids);
  m = runUntil(m, 0, (x) => x.procs[0].done, pids);
  m = runUntil(m, 1, (x) => x.procs[1].done, pids);
  return { machine: m, schedule: pids };
}
