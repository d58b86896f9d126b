// The explorer's own copies of machines: the same values as core/kernel/state.ts
// describes, but devices and the task queue record which of their fields a slice
// reads and writes. The partial-order reduction (movers.ts) needs those
// footprints to know which slices commute; nothing else changes, and `step`'s
// semantics are reused as they are (../run/machine.ts `stepInPlace`).

import type { DevState, Machine, ProcState } from '../../kernel/state';

/** Whether reads and writes are being recorded (only while the explorer runs a slice). */
let recording = false;
/** Per device: a bit per field read / written since `startRecording`. */
let devReads = new Int32Array(0);
let devWrites = new Int32Array(0);
let taskReads = false;
let taskWrites = false;

/** A device as a view on a value array; its fields are accessors defined from the real field list. */
class TrackedDev {
  constructor(
    readonly $i: number,
    readonly $v: unknown[],
  ) {}
}

/** The field names of DevState, in the order of the accessors (bit k is field k; fields past 30 share bit 30). */
let devFields: readonly string[] | undefined;

function defineDevFields(fields: readonly string[]): void {
  if (devFields) {
    if (devFields.join() !== fields.join()) throw new Error(`device fields changed: ${devFields.join()} / ${fields.join()}`);
    return;
  }
  devFields = fields;
  fields.forEach((name, k) => {
    const bit = 1 << Math.min(k, 30);
    Object.defineProperty(TrackedDev.prototype, name, {
      get(this: TrackedDev) {
        if (recording) devReads[this.$i] |= bit;
        return this.$v[k];
      },
      set(this: TrackedDev, x: unknown) {
        if (recording) devWrites[this.$i] |= bit;
        this.$v[k] = x;
      },
      enumerable: true,
    });
  });
}

/** The device fields in accessor order (after `trackMachine`). */
export function trackedDevFields(): readonly string[] {
  return devFields ?? [];
}

/** The raw values of a tracked device, in `trackedDevFields()` order (for state keys). */
export function devValues(d: DevState): readonly unknown[] {
  return (d as unknown as TrackedDev).$v;
}

/**
 * The taskqueue's pending destructions (Machine.tasks), recording its reads and
 * writes. Copies share the array until one of them changes it.
 */
class TrackedTasks {
  constructor(
    public a: number[],
    private own: boolean,
  ) {}
  get length(): number {
    if (recording) taskReads = true;
    return this.a.length;
  }
  push(x: number): number {
    if (recording) taskWrites = true;
    if (!this.own) this.unshare();
    return this.a.push(x);
  }
  shift(): number | undefined {
    if (recording) taskWrites = true;
    if (!this.own) this.unshare();
    return this.a.shift();
  }
  private unshare(): void {
    this.a = this.a.slice();
    this.own = true;
  }
  slice(): number[] {
    if (recording) taskReads = true;
    return this.a.slice();
  }
}

export function taskValues(m: Machine): readonly number[] {
  return (m.tasks as unknown as TrackedTasks).a;
}

/** A tracked copy of a plain machine (the initial one). */
export function trackMachine(m: Machine): Machine {
  if (m.devs.length > 0) defineDevFields(Object.keys(m.devs[0]));
  const extraMachine = Object.keys(m).filter((k) => !['config', 'devs', 'locks', 'procs', 'tasks', 'outcome', 'clock'].includes(k));
  if (extraMachine.length) throw new Error(`the explorer does not know the machine fields ${extraMachine.join(', ')}`);
  procExtraFields = m.procs.some((p) => Object.keys(p).some((k) => !PROC_FIELDS.includes(k)));
  const fields = trackedDevFields();
  return {
    ...m,
    devs: m.devs.map((d, i) => new TrackedDev(i, fields.map((f) => (d as unknown as Record<string, unknown>)[f])) as unknown as DevState),
    locks: m.locks.map((l) => ({ ...l })),
    procs: m.procs.map((p) => copyProc(p)),
    tasks: new TrackedTasks(m.tasks.slice(), true) as unknown as number[],
  };
}

/** Whether processes carry fields beyond those copyProc knows (then they are copied generically). */
let procExtraFields = false;
const PROC_FIELDS = ['pc', 'loops', 'stack', 'fds', 'errno', 'done', 'steps'];

function copyProc(p: ProcState): ProcState {
  // Only the top frame is ever changed in place (a return replaces its caller's frame),
  // so the frames below it are shared, and keep their cached keys (key.ts).
  const stack = p.stack.slice();
  const top = stack.length - 1;
  if (top >= 0) {
    const f = stack[top];
    stack[top] = { fn: f.fn, pc: f.pc, l: { ...f.l } };
  }
  // fds entries and lock entries are replaced, never changed in place, by the executor.
  // `loops` is replaced, never changed in place (run/machine.ts advanceProgram): shared.
  if (procExtraFields) return { ...p, stack, fds: p.fds.slice() };
  return { pc: p.pc, loops: p.loops, stack, fds: p.fds.slice(), errno: p.errno, done: p.done, steps: p.steps };
}

/**
 * A copy of a tracked machine that process `pid` may then change in place
 * (`stepInPlace`): every device, the lock table, the task queue and that process
 * are new; the other processes and the static config are shared.
 */
export function ownCopy(m: Machine, pid: number): Machine {
  const procs = m.procs.slice();
  procs[pid] = copyProc(m.procs[pid]);
  const devs = new Array<DevState>(m.devs.length);
  for (let i = 0; i < devs.length; i++) {
    const t = m.devs[i] as unknown as TrackedDev;
    devs[i] = new TrackedDev(t.$i, t.$v.slice()) as unknown as DevState;
  }
  return {
    config: m.config,
    devs,
    locks: m.locks.slice(),
    procs,
    tasks: new TrackedTasks((m.tasks as unknown as TrackedTasks).a, false) as unknown as number[],
    outcome: m.outcome,
    clock: m.clock,
  };
}

/** What a recorded stretch of execution touched (arrays reused from one recording to the next). */
export interface Footprint {
  /** Per device: bit k set when field k was read (writes are in `writes`). */
  reads: Int32Array;
  writes: Int32Array;
  taskReads: boolean;
  taskWrites: boolean;
}

export function newFootprint(devices: number): Footprint {
  return { reads: new Int32Array(devices), writes: new Int32Array(devices), taskReads: false, taskWrites: false };
}

export function startRecording(devices: number): void {
  if (devReads.length !== devices) {
    devReads = new Int32Array(devices);
    devWrites = new Int32Array(devices);
  } else {
    devReads.fill(0);
    devWrites.fill(0);
  }
  taskReads = false;
  taskWrites = false;
  recording = true;
}

/** Stops recording and copies what was touched since `startRecording` into `into`. */
export function stopRecording(into: Footprint): Footprint {
  recording = false;
  into.reads.set(devReads);
  into.writes.set(devWrites);
  into.taskReads = taskReads;
  into.taskWrites = taskWrites;
  return into;
}
