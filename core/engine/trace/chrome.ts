// A recorded run as Chrome Trace Event JSON (the "JSON Object Format" that
// Perfetto and chrome://tracing open). One step is one microsecond.
//
//   pid 1          the scenario
//   tid 1..n       one track per simulated process: its scenario statements with
//                  the kernel calls nested inside (X events), one leaf slice per
//                  step, an instant per lock drop and for the panic
//   tid 1001..     one track per lock: an X span per holder
//   counters       C events per device counter (periph refcount, cdev si_usecount):
//                  the initial value and every change
//   flows          s -> f arrows from the step that drops a lock to the step where
//                  another process takes it next

import type { TraceFile } from './file';
import { callSpans, counterSeries, counterValues, DEFAULT_COUNTER_FIELDS, lockHandoffs, lockSpans } from './spans';

export type Phase = 'X' | 'B' | 'E' | 'C' | 'i' | 's' | 't' | 'f' | 'M';

export interface TraceEvent {
  name: string;
  ph: Phase;
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  dur?: number;
  /** Instant scope: g(lobal), p(rocess), t(hread). */
  s?: 'g' | 'p' | 't';
  id?: number;
  /** Flow end binding point: 'e' binds to the enclosing slice. */
  bp?: 'e';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  otherData: Record<string, string>;
}

export interface ChromeTraceOptions {
  /** Device fields drawn as counter tracks (default: refcount and si_usecount). */
  counters?: readonly string[];
  /** One leaf slice per step under the kernel calls (default true). */
  stepSlices?: boolean;
}

export const SCENARIO_PID = 1;
export const LOCK_TID_BASE = 1001;

/** The category of metadata events: strict trace parsers reject an M event without it. */
export const METADATA_CAT = '__metadata';

const tidOf = (pid: number) => pid + 1;

function stepChanges(changes: readonly { path: string; old: unknown; new: unknown }[]): string {
  return changes.map((c) => `${c.path} ${String(c.old)}->${String(c.new)}`).join(', ');
}

/** Metadata first, then by time; at the same time a longer slice first, so viewers nest the shorter inside. */
function sortEvents(ev: TraceEvent[]): TraceEvent[] {
  const rank = (e: TraceEvent) => (e.ph === 'M' ? 0 : 1);
  return ev.sort((a, b) => rank(a) - rank(b) || a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
}

/** The Chrome Trace Event JSON object of a trace file. */
export function chromeTrace(t: TraceFile, opts: ChromeTraceOptions = {}): ChromeTrace {
  const steps = t.steps;
  const ev: TraceEvent[] = [];
  const pid = SCENARIO_PID;
  const title = t.scenario.title ?? t.scenario.file ?? 'scenario';

  ev.push({ name: 'process_name', ph: 'M', cat: METADATA_CAT, ts: 0, pid, tid: 0, args: { name: `camsim: ${title}` } });
  for (const p of t.processes) {
    ev.push({ name: 'thread_name', ph: 'M', cat: METADATA_CAT, ts: 0, pid, tid: tidOf(p.pid), args: { name: p.kind === 'taskq' ? `${p.name} (taskqueue_swi_giant)` : `process ${p.name}` } });
    ev.push({ name: 'thread_sort_index', ph: 'M', cat: METADATA_CAT, ts: 0, pid, tid: tidOf(p.pid), args: { sort_index: p.pid } });
  }

  // Kernel calls, outer before inner at the same start so viewers nest them.
  for (const s of callSpans(steps)) {
    ev.push({
      name: s.name,
      cat: s.depth === 0 ? 'statement' : 'kernel',
      ph: 'X',
      ts: s.start,
      dur: s.end - s.start,
      pid,
      tid: tidOf(s.pid),
      args: s.depth === 0 ? { line: s.line } : { fn: s.fn, at: `${s.file}:${s.line}`, depth: s.depth },
    });
  }
  if (opts.stepSlices !== false) {
    for (const s of steps) {
      const args: Record<string, unknown> = { step: s.index, at: s.file ? `${s.file}:${s.line}` : `scenario:${s.line}` };
      if (s.changes.length) args.changes = stepChanges(s.changes);
      ev.push({ name: s.code, cat: 'step', ph: 'X', ts: s.index, dur: 1, pid, tid: tidOf(s.pid), args });
    }
  }

  // Lock tracks: one per lock, in order of first use.
  const lockTid = new Map<string, number>();
  for (const span of lockSpans(steps)) {
    let tid = lockTid.get(span.lock);
    if (tid === undefined) {
      tid = LOCK_TID_BASE + lockTid.size;
      lockTid.set(span.lock, tid);
      ev.push({ name: 'thread_name', ph: 'M', cat: METADATA_CAT, ts: 0, pid, tid, args: { name: `lock ${span.lock}` } });
      ev.push({ name: 'thread_sort_index', ph: 'M', cat: METADATA_CAT, ts: 0, pid, tid, args: { sort_index: 1000 + lockTid.size } });
    }
    const holder = t.processes[span.pid].name;
    ev.push({ name: `held by ${holder}`, cat: 'lock', ph: 'X', ts: span.start, dur: span.end - span.start, pid, tid, args: { lock: span.lock, holder, ...(span.held ? { 'held at the end': true } : {}) } });
  }
  for (const s of steps) {
    for (const lock of s.locksDropped) ev.push({ name: `drop ${lock}`, cat: 'lock', ph: 'i', s: 't', ts: s.index, pid, tid: tidOf(s.pid), args: { lock, step: s.index } });
  }

  // Flows: bound to the step slices (or the innermost call) at both ends.
  let flowId = 0;
  for (const h of lockHandoffs(steps)) {
    const id = ++flowId;
    const name = `${h.lock}: ${t.processes[h.from].name} -> ${t.processes[h.to].name}`;
    ev.push({ name, cat: 'handoff', ph: 's', id, ts: h.release, pid, tid: tidOf(h.from), args: { lock: h.lock } });
    ev.push({ name, cat: 'handoff', ph: 'f', bp: 'e', id, ts: h.take, pid, tid: tidOf(h.to), args: { lock: h.lock } });
  }

  // Counters: the initial value at 0, then one event per change.
  for (const c of counterSeries(steps, opts.counters ?? DEFAULT_COUNTER_FIELDS, counterValues(t.initial.devices))) {
    ev.push({ name: c.path, cat: 'counter', ph: 'C', ts: 0, pid, tid: 0, args: { value: c.initial } });
    for (const p of c.points) ev.push({ name: c.path, cat: 'counter', ph: 'C', ts: p.step, pid, tid: 0, args: { value: p.value } });
  }

  // The end of the run: the step's panic or use after free, or the deadlock after the last step.
  for (const s of steps) {
    if (!s.outcome) continue;
    const o = s.outcome;
    ev.push({ name: `${o.kind}: ${o.message}`, cat: 'outcome', ph: 'i', s: 't', ts: s.index, pid, tid: tidOf(s.pid), args: { kind: o.kind, fn: o.fn, at: o.file ? `${o.file}:${o.line}` : '', message: o.message } });
  }
  const end = t.result.outcome;
  if (end && end.kind === 'deadlock') {
    ev.push({ name: `deadlock: ${end.message}`, cat: 'outcome', ph: 'i', s: 'g', ts: steps.length, pid, tid: tidOf(end.pid), args: { kind: end.kind, message: end.message } });
  }

  return {
    // No displayTimeUnit: viewers disagree on what it does (otherData.timeUnit says it).
    traceEvents: sortEvents(ev),
    otherData: {
      generator: t.generator,
      scenario: t.scenario.file ?? '',
      sha256: t.scenario.sha256,
      schedule: t.schedule.line,
      timeUnit: '1 us = 1 kernel step',
    },
  };
}
