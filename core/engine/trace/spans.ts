// What a recorded run looks like as intervals, derived once from its steps for
// both the Chrome/Perfetto export and the editor's timeline: the kernel calls of
// each process (nested by call depth), who held which lock when, the handoffs
// of a lock from one process to another, and the series of each counter.
//
// Time is the step index: a span [start, end) covers the steps start..end-1.

import type { TraceStep } from '../run/traceStep';

export interface CallSpan {
  pid: number;
  /** The kernel function, or the scenario statement for depth 0 (`open pass0 as f`). */
  name: string;
  /** The kernel function ('' for a scenario statement). */
  fn: string;
  /** Model source file and line of the span's first step (scenario line for a statement). */
  file: string;
  line: number;
  /** 0: a scenario statement; 1: the system call; deeper: callees. */
  depth: number;
  /** First step index, and one past the last step of this process inside the span. */
  start: number;
  end: number;
}

export interface LockSpan {
  lock: string;
  pid: number;
  /** The step that took the lock. */
  start: number;
  /** One past the step that dropped it, or the step count when it was still held at the end. */
  end: number;
  /** Held to the end of the trace (never dropped). */
  held: boolean;
}

/** A lock dropped by one process and taken next by another. */
export interface LockHandoff {
  lock: string;
  from: number;
  to: number;
  /** The step that dropped it and the step that took it next. */
  release: number;
  take: number;
}

/**
 * Kernel-call spans per process, nested by TraceStep.depth: a step at depth d
 * belongs to the frame at depth d that is open, unless the process came down
 * from depth d-1 (a new call) or the function differs; a step at depth 0 always
 * starts a new statement. Spans are listed by start, outer before inner.
 */
export function callSpans(steps: readonly TraceStep[]): CallSpan[] {
  const out: CallSpan[] = [];
  const open = new Map<number, CallSpan[]>();
  const last = new Map<number, { index: number; depth: number }>();
  for (const s of steps) {
    let stack = open.get(s.pid);
    if (!stack) open.set(s.pid, (stack = []));
    const prev = last.get(s.pid);
    const end = prev ? prev.index + 1 : s.index;
    while (stack.length && stack[stack.length - 1].depth > s.depth) stack.pop()!.end = end;
    const top = stack[stack.length - 1];
    const continues = top && top.depth === s.depth && s.depth > 0 && top.fn === s.fn && prev !== undefined && prev.depth >= s.depth;
    if (!continues) {
      if (top && top.depth === s.depth) stack.pop()!.end = end;
      const span: CallSpan = { pid: s.pid, name: s.depth === 0 ? s.code : s.fn, fn: s.fn, file: s.file, line: s.line, depth: s.depth, start: s.index, end: s.index + 1 };
      stack.push(span);
      out.push(span);
    }
    last.set(s.pid, { index: s.index, depth: s.depth });
  }
  for (const [pid, stack] of open) {
    const end = last.get(pid)!.index + 1;
    for (const span of stack) span.end = end;
  }
  return out;
}

/** Who held each lock when: one span per take, in order of the take. */
export function lockSpans(steps: readonly TraceStep[]): LockSpan[] {
  const out: LockSpan[] = [];
  const held = new Map<string, LockSpan>();
  const total = steps.length ? steps[steps.length - 1].index + 1 : 0;
  for (const s of steps) {
    for (const lock of s.locksDropped) {
      const span = held.get(lock);
      if (span) {
        span.end = s.index + 1;
        span.held = false;
        held.delete(lock);
      }
    }
    for (const lock of s.locksTaken) {
      const span: LockSpan = { lock, pid: s.pid, start: s.index, end: total, held: true };
      held.set(lock, span);
      out.push(span);
    }
  }
  return out;
}

/** Every drop of a lock whose next take is by another process. */
export function lockHandoffs(steps: readonly TraceStep[]): LockHandoff[] {
  const out: LockHandoff[] = [];
  const dropped = new Map<string, { pid: number; index: number }>();
  for (const s of steps) {
    for (const lock of s.locksTaken) {
      const d = dropped.get(lock);
      if (d && d.pid !== s.pid) out.push({ lock, from: d.pid, to: s.pid, release: d.index, take: s.index });
      dropped.delete(lock);
    }
    for (const lock of s.locksDropped) dropped.set(lock, { pid: s.pid, index: s.index });
  }
  return out;
}

export interface CounterPoint {
  /** The step that wrote the value (it holds from that step on). */
  step: number;
  value: number;
}

export interface CounterSeries {
  path: string;
  /** The value before the first step (the first write's old value when not given). */
  initial: number;
  points: CounterPoint[];
}

/** The device fields drawn as counters by default: the periph refcount and the cdev usecount. */
export const DEFAULT_COUNTER_FIELDS: readonly string[] = ['refcount', 'si_usecount'];

/**
 * One series per counter `device.field` whose field is in `fields`: the initial
 * value and every write. `initial` (path -> value) adds counters that never
 * change and gives the values before the first step.
 */
export function counterSeries(steps: readonly TraceStep[], fields: readonly string[] = DEFAULT_COUNTER_FIELDS, initial: Readonly<Record<string, number>> = {}): CounterSeries[] {
  const byPath = new Map<string, CounterSeries>();
  const wanted = (path: string) => {
    const dot = path.lastIndexOf('.');
    return dot > 0 && path.indexOf('.') === dot && fields.includes(path.slice(dot + 1));
  };
  for (const [path, value] of Object.entries(initial)) if (wanted(path)) byPath.set(path, { path, initial: value, points: [] });
  for (const s of steps) {
    for (const c of s.changes) {
      if (typeof c.new !== 'number' || !wanted(c.path)) continue;
      let series = byPath.get(c.path);
      if (!series) byPath.set(c.path, (series = { path: c.path, initial: typeof c.old === 'number' ? c.old : 0, points: [] }));
      series.points.push({ step: s.index, value: c.new });
    }
  }
  return [...byPath.values()];
}

/** `device.field -> value` for the numeric fields of each device's state (e.g. a trace file's `initial.devices`). */
export function counterValues(devices: Readonly<Record<string, object>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [dev, state] of Object.entries(devices)) {
    for (const [k, v] of Object.entries(state as Record<string, unknown>)) if (typeof v === 'number') out[`${dev}.${k}`] = v;
  }
  return out;
}
