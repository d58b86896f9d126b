// The executor: `step(machine, pid)` runs one kernel line of one process and
// returns the next machine. It is deterministic and never mutates its input.

import type { Ctx, Step } from '../../kernel/dsl';
import { isSchedulingPoint } from '../../kernel/dsl';
import { FUNCTIONS } from '../../kernel/functions';
import { devfs_ioctl_f, kern_close, kern_openat } from '../../kernel/devfs';
import { xpt_async_lost_device } from '../../kernel/cam_periph';
import { taskqueue_swi_giant_run } from '../../kernel/kern_conf';
import { variantOf } from '../../kernel/drivers';
import { EBADF, GLOBAL_LOCK_COUNT, LOCK_GIANT, lockIsRecursable, lockName, periphAddress, SIM_MTX_NAME } from '../../kernel/constants';
import type { DevState, Frame, Machine, MachineConfig, ProcState, Outcome, LockState } from '../../kernel/state';

/** Nested kernel calls before the stack overflows (the deepest path of the model is about a dozen). */
export const MAX_KERNEL_DEPTH = 64;

export function initialMachine(config: MachineConfig): Machine {
  const devs: DevState[] = config.devices.map((d) => {
    const v = variantOf(d);
    return {
      si_usecount: 0, si_threadcount: 0, si_drv1: true, si_devsw: true, sched_dtr: false, named: true,
      v_usecount: 0, v_holdcnt: 0,
      refcount: v.resting, flags: 0, freed: false,
      softc_flags: v.softcFlags, open_count: 0,
    };
  });
  const locks: LockState[] = [];
  for (let i = 0; i < GLOBAL_LOCK_COUNT + 3 * devs.length; i++) locks.push({ holder: -1, recurse: 0 });
  const procs = config.processes.map((pc): ProcState => {
    const p: ProcState = {
      pc: 0, loops: {}, stack: [], errno: 0, done: false, steps: 0,
      fds: pc.fdNames.map(() => ({ open: false, errno: 0, dev: -1 })),
    };
    if (pc.kind === 'taskq') p.stack.push({ fn: taskqueue_swi_giant_run.id, pc: 0, l: { dev: 0 } });
    else advanceProgram(p, config, config.processes.indexOf(pc));
    return p;
  });
  return { config, devs, locks, procs, tasks: [], outcome: null, clock: 0 };
}

/**
 * Moves past `repeat` bookkeeping to the next real statement, or marks the process done.
 * The compiler leaves out every repeat with nothing to run (compile.ts), so each
 * iteration of a repeat reaches a statement: no op is visited twice in one call.
 */
function advanceProgram(p: ProcState, config: MachineConfig, pid: number): void {
  const prog = config.processes[pid].program;
  for (let visits = 0; ; visits++) {
    if (visits > prog.length) throw new Error(`internal error: process ${config.processes[pid].name} has a repeat with nothing to run`);
    if (p.pc >= prog.length) {
      p.done = true;
      return;
    }
    const op = prog[p.pc];
    // `loops` is replaced, never changed in place, so copies of a process may share it.
    if (op.op === 'repeat') {
      if (op.count <= 0) p.pc = op.end + 1;
      else {
        p.loops = { ...p.loops, [p.pc]: op.count };
        p.pc++;
      }
    } else if (op.op === 'end') {
      const left = p.loops[op.start] - 1;
      if (left > 0) {
        p.loops = { ...p.loops, [op.start]: left };
        p.pc = op.start + 1;
      } else {
        const rest = { ...p.loops };
        delete rest[op.start];
        p.loops = rest;
        p.pc++;
      }
    } else return;
  }
}

/** The step a process would run next, or undefined when it is between statements or done. */
export function currentStep(m: Machine, pid: number): Step | undefined {
  const p = m.procs[pid];
  if (p.done || p.stack.length === 0) return undefined;
  const f = p.stack[p.stack.length - 1];
  return FUNCTIONS[f.fn].steps[f.pc];
}

function lockFree(m: Machine, lock: number, pid: number): boolean {
  const l = m.locks[lock];
  return l.holder === -1 || l.holder === pid;
}

/** Whether `pid` can run now: not done, not waiting for a lock or a wakeup. */
export function enabled(m: Machine, pid: number): boolean {
  if (m.outcome) return false;
  const p = m.procs[pid];
  if (!p || p.done) return false;
  if (p.stack.length === 0) return true;
  const f = p.stack[p.stack.length - 1];
  const s = FUNCTIONS[f.fn].steps[f.pc];
  switch (s.kind) {
    case 'lock':
      return lockFree(m, lockOfFast(m, pid, f, s), pid);
    case 'sleep':
      if (!f.l.__slept) return true;
      return s.until!(m, f) && m.locks[lockOfFast(m, pid, f, s)].holder === -1 && (!f.l.__giant || m.locks[LOCK_GIANT].holder === -1);
    case 'wait':
      return s.until!(m, f);
    default:
      return true;
  }
}

/** Whether the next step of `pid` is a scheduling point (takes, drops or sleeps on a lock). */
export function atSchedulingPoint(m: Machine, pid: number): boolean {
  const s = currentStep(m, pid);
  return s !== undefined && isSchedulingPoint(s);
}

/** The lock the next step of `pid` takes, drops or sleeps on; undefined when that step is no lock operation. */
export function nextLock(m: Machine, pid: number): number | undefined {
  const p = m.procs[pid];
  if (p.done || p.stack.length === 0) return undefined;
  const f = p.stack[p.stack.length - 1];
  const s = FUNCTIONS[f.fn].steps[f.pc];
  return s.lock ? lockOf(m, pid, f, s) : undefined;
}

function lockOf(m: Machine, pid: number, f: Frame, s: Step): number {
  return s.lock!(makeCtx(m, pid, m.procs[pid], f));
}

/** The lock of `s` as the step would compute it; the context only lives for this call, so it is reused. */
function lockOfFast(m: Machine, pid: number, f: Frame, s: Step): number {
  scratchCtx.reset(m, pid, m.procs[pid], f);
  const lock = s.lock!(scratchCtx);
  scratchCtx.reset(undefined, -1, undefined, undefined);
  return lock;
}

function makeCtx(m: Machine, pid: number, p: ProcState, f: Frame): Ctx {
  return new StepCtx(m, pid, p, f);
}

/** What a step sees; a class rather than an object literal so that a step allocates no closures. */
class StepCtx implements Ctx {
  readonly l: Frame['l'];
  readonly dev: DevState;
  readonly cfg: MachineConfig['devices'][number];
  private readonly devIndex: number;

  constructor(
    readonly m: Machine,
    readonly pid: number,
    readonly p: ProcState,
    readonly f: Frame,
  ) {
    this.l = f.l;
    this.devIndex = f.l.dev ?? 0;
    this.dev = m.devs[this.devIndex];
    this.cfg = m.config.devices[this.devIndex];
  }

  periph(what: string): DevState {
    const { m, f, devIndex } = this;
    const d = m.devs[devIndex];
    if (d.freed && !m.outcome) {
      m.outcome = {
        kind: 'use-after-free', pid: this.pid, fn: FUNCTIONS[f.fn].name,
        message: `use after free: ${what} of periph ${m.config.devices[devIndex].name} (${periphAddress(devIndex)}) read in ${FUNCTIONS[f.fn].name}() after camperiphfree()`,
        ...where(f),
      };
    }
    return d;
  }

  panic(message: string): void {
    if (!this.m.outcome) this.m.outcome = { kind: 'panic', pid: this.pid, fn: FUNCTIONS[this.f.fn].name, message, ...where(this.f) };
  }

  here(): string {
    const w = where(this.f);
    return `${w.file}:${w.line}`;
  }
}

/** A context for lock selectors called from `enabled` (they only read the frame): one object, reused. */
class ScratchCtx implements Ctx {
  m!: Machine;
  pid = -1;
  p!: ProcState;
  f!: Frame;
  l!: Frame['l'];
  dev!: DevState;
  cfg!: MachineConfig['devices'][number];

  reset(m: Machine | undefined, pid: number, p: ProcState | undefined, f: Frame | undefined): void {
    this.m = m!;
    this.pid = pid;
    this.p = p!;
    this.f = f!;
    this.l = f?.l as Frame['l'];
    const devIndex = f?.l.dev ?? 0;
    this.dev = m?.devs[devIndex] as DevState;
    this.cfg = m?.config.devices[devIndex] as MachineConfig['devices'][number];
  }

  periph(what: string): DevState {
    return new StepCtx(this.m, this.pid, this.p, this.f).periph(what);
  }

  panic(message: string): void {
    new StepCtx(this.m, this.pid, this.p, this.f).panic(message);
  }

  here(): string {
    return new StepCtx(this.m, this.pid, this.p, this.f).here();
  }
}

const scratchCtx = new ScratchCtx();

function where(f: Frame): { file: string; line: number } {
  const fn = FUNCTIONS[f.fn];
  return { file: fn.file, line: fn.steps[f.pc].line };
}

/**
 * What a copy made by `copyFor` has changed since the machine it was copied
 * from: the devices it made its own (a step copies its device before changing
 * it: copy on write) and the lock entries it replaced. A machine with no record
 * (the explorer's own copies) owns every device.
 */
interface Writes {
  /** The machine copied from, by its number (not itself: that would keep every earlier machine alive). */
  from: number;
  devs: number[];
  locks: number[];
  /** Descriptors of the stepping process that were set. */
  fds: number[];
  /** The lists `devs` and `locks` are this machine's own (until then, shared with the machine copied from). */
  ownDevs: boolean;
  ownLocks: boolean;
}

const writesOf = new WeakMap<Machine, Writes>();
const numbers = new WeakMap<Machine, number>();
let lastNumber = 0;

function numberOf(m: Machine): number {
  let n = numbers.get(m);
  if (n === undefined) numbers.set(m, (n = ++lastNumber));
  return n;
}

/**
 * The devices and locks that may differ between `a` and `b`, when `b` was copied
 * from `a` and stepped (`step`, `slice`); undefined when unknown (compare all).
 */
export function changedSince(a: Machine, b: Machine): { devs: readonly number[]; locks: readonly number[]; fds: readonly number[] } | undefined {
  const w = writesOf.get(b);
  return w && w.from === numbers.get(a) ? w : undefined;
}

/**
 * Copies what a step of `pid` may change: the stepping process and the task
 * queue. The lists of devices and locks stay shared until a step writes one
 * (`ownDevice`, `setLock`: copy on write), and then only the device written is
 * copied (a lock entry is replaced, never changed in place). Copying every
 * device at each step, and comparing them all to describe it, made a run
 * quadratic in the number of devices.
 */
function copyFor(m: Machine, pid: number): Machine {
  const p = m.procs[pid];
  // `loops` and the descriptor list are replaced, never changed in place (setFd): shared.
  const q: ProcState = { ...p, stack: p.stack.map((f) => ({ fn: f.fn, pc: f.pc, l: { ...f.l } })) };
  const procs = m.procs.slice();
  procs[pid] = q;
  const next: Machine = {
    config: m.config,
    devs: m.devs,
    locks: m.locks,
    procs,
    tasks: m.tasks.slice(),
    outcome: m.outcome,
    clock: m.clock,
  };
  writesOf.set(next, { from: numberOf(m), devs: [], locks: [], fds: [], ownDevs: false, ownLocks: false });
  return next;
}

/** Makes device `dev` of `m` its own before a step changes it (see Writes). */
function ownDevice(m: Machine, dev: number): void {
  const w = writesOf.get(m);
  if (!w || w.devs.includes(dev) || dev >= m.devs.length) return;
  if (!w.ownDevs) {
    m.devs = m.devs.slice();
    w.ownDevs = true;
  }
  m.devs[dev] = { ...m.devs[dev] };
  w.devs.push(dev);
}

function setLock(m: Machine, lock: number, entry: LockState): void {
  const w = writesOf.get(m);
  if (w && !w.ownLocks) {
    m.locks = m.locks.slice();
    w.ownLocks = true;
  }
  m.locks[lock] = entry;
  if (w && !w.locks.includes(lock)) w.locks.push(lock);
}

/** Runs one step of `pid`. A process that cannot run leaves the machine as it is. */
export function step(m: Machine, pid: number): Machine {
  if (!enabled(m, pid)) return m;
  const next = copyFor(m, pid);
  stepInPlace(next, pid);
  return next;
}

/**
 * Runs one step of `pid` on `next` itself. Only for a machine its caller owns:
 * every device, the locks, the task queue and process `pid` copied from any
 * machine that is shared (as `copyFor` does), and `pid` enabled. `slice` and the
 * explorer use it to copy once per slice instead of once per step.
 */
export function stepInPlace(next: Machine, pid: number): void {
  next.clock++;
  const p = next.procs[pid];
  p.steps++;
  if (p.stack.length === 0) {
    enterStatement(next, pid, p);
    return;
  }
  const f = p.stack[p.stack.length - 1];
  const fn = FUNCTIONS[f.fn];
  const s = fn.steps[f.pc];
  // A step changes at most the device of its frame (the one its context names).
  ownDevice(next, f.l.dev ?? 0);
  const c = makeCtx(next, pid, p, f);
  switch (s.kind) {
    case 'plain': {
      const to = s.run?.(c);
      f.pc = to ? fn.labels[to] : f.pc + 1;
      break;
    }
    case 'lock':
      takeLock(c, s.lock!(c), s);
      s.run?.(c);
      f.pc++;
      break;
    case 'unlock':
      s.run?.(c);
      dropLock(c, s.lock!(c));
      f.pc++;
      break;
    case 'call': {
      const target = s.target!(c);
      if (!target) {
        if (s.into) f.l[s.into] = 0;
        f.pc++;
      } else if (p.stack.length >= MAX_KERNEL_DEPTH) {
        // A call that never ends (a driver's oninvalidate calling cam_periph_invalidate)
        // overflows the kernel stack: amd64's double-fault handler panics.
        c.panic(`double fault (kernel stack overflow: ${p.stack.length} nested calls, the last to ${target.name})`);
      } else {
        p.stack.push({ fn: target.id, pc: 0, l: s.args!(c) });
      }
      break;
    }
    case 'return':
      doReturn(next, pid, p, s.value!(c));
      break;
    case 'sleep': {
      const lock = s.lock!(c);
      if (!f.l.__slept) {
        f.l.__slept = 1;
        dropLock(c, lock);
        if (next.locks[LOCK_GIANT].holder === pid) {
          f.l.__giant = next.locks[LOCK_GIANT].recurse + 1;
          setLock(next, LOCK_GIANT, { holder: -1, recurse: 0 });
        }
      } else {
        setLock(next, lock, { holder: pid, recurse: 0 });
        if (f.l.__giant) setLock(next, LOCK_GIANT, { holder: pid, recurse: f.l.__giant - 1 });
        delete f.l.__slept;
        delete f.l.__giant;
        f.pc++;
      }
      break;
    }
    case 'wait':
      f.pc++;
      break;
  }
}

function takeLock(c: Ctx, lock: number, s: Step): void {
  const l = c.m.locks[lock];
  if (l.holder === -1) {
    setLock(c.m, lock, { holder: c.pid, recurse: 0 });
  } else if (lockIsRecursable(lock, c.m.config.invariants)) {
    setLock(c.m, lock, { holder: c.pid, recurse: l.recurse + 1 });
  } else {
    const name = lockName(lock, c.m.config.devices.map((d) => d.name));
    const isSim = lock >= GLOBAL_LOCK_COUNT && (lock - GLOBAL_LOCK_COUNT) % 3 === 2;
    const isVnode = lock >= GLOBAL_LOCK_COUNT && (lock - GLOBAL_LOCK_COUNT) % 3 === 0;
    c.panic(isVnode
      ? 'lockmgr: locking against myself'
      : `_mtx_lock_sleep: recursed on non-recursive mutex ${isSim ? SIM_MTX_NAME : name} @ ${FUNCTIONS[c.f.fn].file}:${s.line}`);
  }
}

function dropLock(c: Ctx, lock: number): void {
  const l = c.m.locks[lock];
  if (l.holder !== c.pid) {
    c.panic(`mutex ${lockName(lock, c.m.config.devices.map((d) => d.name))} not owned at ${c.here()}`);
    return;
  }
  setLock(c.m, lock, l.recurse > 0 ? { holder: c.pid, recurse: l.recurse - 1 } : { holder: -1, recurse: 0 });
}

function doReturn(m: Machine, pid: number, p: ProcState, value: number): void {
  p.stack.pop();
  if (p.stack.length > 0) {
    // The caller's frame is replaced rather than changed: only the top frame is ever
    // changed in place, so a copy of a process may share the frames below it (the explorer's do).
    const caller = p.stack[p.stack.length - 1];
    const cs = FUNCTIONS[caller.fn].steps[caller.pc];
    const l = { ...caller.l };
    if (cs.into) l[cs.into] = value;
    p.stack[p.stack.length - 1] = { fn: caller.fn, pc: caller.pc + 1, l };
    return;
  }
  // Back in user space: the system call returns.
  const op = m.config.processes[pid].program[p.pc];
  p.errno = value;
  if (op.op === 'open') setFd(m, p, op.fd, { open: value === 0, errno: value, dev: op.dev });
  else if (op.op === 'close') setFd(m, p, op.fd, { ...p.fds[op.fd], open: false, errno: value });
  else if (op.op === 'ioctl') setFd(m, p, op.fd, { ...p.fds[op.fd], errno: value });
  p.pc++;
  advanceProgram(p, m.config, pid);
}

/** Sets a descriptor on a new list: copies of a process share their descriptor list. */
function setFd(m: Machine, p: ProcState, fd: number, value: ProcState['fds'][number]): void {
  const fds = p.fds.slice();
  fds[fd] = value;
  p.fds = fds;
  const w = writesOf.get(m);
  if (w && !w.fds.includes(fd)) w.fds.push(fd);
}

function enterStatement(m: Machine, pid: number, p: ProcState): void {
  const op = m.config.processes[pid].program[p.pc];
  const fd = op.op === 'close' || op.op === 'ioctl' ? p.fds[op.fd] : undefined;
  if (fd && !fd.open) {
    // close(2) or ioctl(2) on a descriptor that is not open: EBADF without entering devfs.
    setFd(m, p, (op as { fd: number }).fd, { ...fd, errno: EBADF });
    p.errno = EBADF;
    p.pc++;
    advanceProgram(p, m.config, pid);
    return;
  }
  switch (op.op) {
    case 'open':
      p.stack.push({ fn: kern_openat.id, pc: 0, l: { dev: op.dev } });
      break;
    case 'close':
      p.stack.push({ fn: kern_close.id, pc: 0, l: { dev: fd!.dev } });
      break;
    case 'ioctl':
      p.stack.push({ fn: devfs_ioctl_f.id, pc: 0, l: { dev: fd!.dev } });
      break;
    case 'lose':
      p.stack.push({ fn: xpt_async_lost_device.id, pc: 0, l: { dev: op.dev } });
      break;
    default:
      break;
  }
}

// ---- whole-machine status ----

/** Every user process has finished and the taskqueue has nothing left to do. */
export function finished(m: Machine): boolean {
  return m.config.processes.every((pc, i) => (pc.kind === 'taskq' ? taskqIdle(m, i) : m.procs[i].done));
}

/** The taskqueue thread sleeps at the top of its loop with no work queued. */
function taskqIdle(m: Machine, pid: number): boolean {
  const st = m.procs[pid].stack;
  return m.tasks.length === 0 && st.length === 1 && st[0].pc === 0;
}

export function runnable(m: Machine): number[] {
  const out: number[] = [];
  for (let i = 0; i < m.procs.length; i++) if (enabled(m, i)) out.push(i);
  return out;
}

export type Status = 'running' | 'finished' | 'panic' | 'use-after-free' | 'deadlock';

export function status(m: Machine): Status {
  if (m.outcome) return m.outcome.kind;
  if (finished(m)) return 'finished';
  return runnable(m).length === 0 ? 'deadlock' : 'running';
}

/** What a stuck process waits for, in words ("vnode_lock of pass0 held by A", "devdrn"). */
export function waitingFor(m: Machine, pid: number): string | undefined {
  const p = m.procs[pid];
  if (p.done || p.stack.length === 0 || enabled(m, pid)) return undefined;
  const f = p.stack[p.stack.length - 1];
  const s = FUNCTIONS[f.fn].steps[f.pc];
  const names = m.config.devices.map((d) => d.name);
  if (s.kind === 'lock') {
    const lock = lockOf(m, pid, f, s);
    const holder = m.locks[lock].holder;
    return `${lockName(lock, names)} held by ${m.config.processes[holder]?.name ?? '?'}`;
  }
  if (s.kind === 'sleep') {
    if (s.until!(m, f)) return `${lockName(lockOf(m, pid, f, s), names)} to wake from "${s.wmesg}"`;
    return `a wakeup on "${s.wmesg}"`;
  }
  if (s.kind === 'wait') return `work ("${s.wmesg}")`;
  return undefined;
}

/** The deadlock as an outcome: the first stuck user process and what it waits for. */
export function deadlockOutcome(m: Machine): Outcome {
  const stuck = m.config.processes
    .map((pc, i) => ({ pc, i }))
    .filter(({ pc, i }) => pc.kind === 'user' && !m.procs[i].done);
  const first = stuck[0] ?? { i: 0 };
  const f = m.procs[first.i].stack[m.procs[first.i].stack.length - 1];
  const parts = stuck.map(({ pc, i }) => `${pc.name} waits for ${waitingFor(m, i) ?? 'nothing it can get'}`);
  return {
    kind: 'deadlock',
    pid: first.i,
    fn: f ? FUNCTIONS[f.fn].name : '',
    message: `deadlock: ${parts.join('; ')}`,
    ...(f ? where(f) : {}),
  };
}

/**
 * Runs `pid` to its next scheduling point: at least one step, then on until a
 * lock operation is next, or until `limit` steps have run (a run's step budget:
 * a slice of statements that take no lock, such as closes of a closed descriptor
 * in a repeat, is otherwise as long as the repeat).
 */
export function slice(m: Machine, pid: number, onStep?: (before: Machine, after: Machine) => void, limit = Infinity): Machine {
  let n = 0;
  if (onStep) {
    let cur = m;
    do {
      const next = step(cur, pid);
      if (next === cur) break;
      onStep(cur, next);
      cur = next;
    } while (++n < limit && !cur.outcome && enabled(cur, pid) && !atSchedulingPoint(cur, pid));
    return cur;
  }
  // Nobody sees the machines in between: copy once and run the steps on the copy.
  if (!enabled(m, pid)) return m;
  const cur = copyFor(m, pid);
  do stepInPlace(cur, pid);
  while (++n < limit && !cur.outcome && enabled(cur, pid) && !atSchedulingPoint(cur, pid));
  return cur;
}
