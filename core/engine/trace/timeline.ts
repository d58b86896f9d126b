// The data the editor's timeline draws, computed once from the recorded steps so
// the webview only lays it out: a lane per process with its kernel calls and the
// spans where it holds each lock, a series per counter, and the panic.
// Steps are the x axis: a span [start, end) covers steps start..end-1.

import type { TraceStep } from '../run/traceStep';
import { callSpans, counterSeries, lockHandoffs, lockSpans, DEFAULT_COUNTER_FIELDS, type CounterSeries, type LockHandoff } from './spans';

export interface TimelineCall {
  /** The kernel function, or the scenario statement at depth 0. */
  name: string;
  file: string;
  line: number;
  depth: number;
  start: number;
  end: number;
}

export interface TimelineLockSpan {
  lock: string;
  start: number;
  end: number;
  /** Still held when the trace ends. */
  held: boolean;
}

export interface TimelineLane {
  pid: number;
  process: string;
  calls: TimelineCall[];
  locks: TimelineLockSpan[];
  /** The deepest call depth in this lane (rows to draw). */
  maxDepth: number;
}

export interface TimelinePanic {
  step: number;
  pid: number;
  process: string;
  kind: 'panic' | 'use-after-free' | 'deadlock';
  fn: string;
  message: string;
}

export interface TimelineModel {
  /** Number of steps (the width of the x axis). */
  steps: number;
  lanes: TimelineLane[];
  counters: CounterSeries[];
  handoffs: LockHandoff[];
  panic?: TimelinePanic;
}

export interface TimelineOptions {
  /** Counter values before the first step (`pass0.refcount` -> 0), e.g. from counterValues(trace.initial.devices). */
  initial?: Readonly<Record<string, number>>;
  /** Device fields drawn as counters (default: refcount and si_usecount). */
  counters?: readonly string[];
}

/** `names[pid]` is each process's name; processes with no steps still get a lane. */
export function timelineModel(steps: readonly TraceStep[], names: readonly string[], opts: TimelineOptions = {}): TimelineModel {
  const lanes: TimelineLane[] = names.map((process, pid) => ({ pid, process, calls: [], locks: [], maxDepth: 0 }));
  const lane = (pid: number): TimelineLane => lanes[pid] ?? (lanes[pid] = { pid, process: `pid ${pid}`, calls: [], locks: [], maxDepth: 0 });
  for (const c of callSpans(steps)) {
    const l = lane(c.pid);
    l.calls.push({ name: c.name, file: c.file, line: c.line, depth: c.depth, start: c.start, end: c.end });
    if (c.depth > l.maxDepth) l.maxDepth = c.depth;
  }
  for (const s of lockSpans(steps)) lane(s.pid).locks.push({ lock: s.lock, start: s.start, end: s.end, held: s.held });
  const model: TimelineModel = {
    steps: steps.length ? steps[steps.length - 1].index + 1 : 0,
    lanes,
    counters: counterSeries(steps, opts.counters ?? DEFAULT_COUNTER_FIELDS, opts.initial ?? {}),
    handoffs: lockHandoffs(steps),
  };
  for (let i = steps.length - 1; i >= 0; i--) {
    const o = steps[i].outcome;
    if (!o) continue;
    model.panic = { step: steps[i].index, pid: steps[i].pid, process: steps[i].process, kind: o.kind, fn: o.fn, message: o.message };
    break;
  }
  return model;
}
