// Where everything of a timeline model goes vertically, and an index per row so
// that drawing a window touches only the spans in it. Computed once per model;
// the drawing of a viewport (draw.ts) reads it.

import type { TimelineCall, TimelineLockSpan, TimelineModel, TimelinePanic } from '../../../core/engine/trace/timeline';
import type { CounterSeries, LockHandoff } from '../../../core/engine/trace/spans';

/** Heights in pixels. */
/** Tick labels, then a line for the outcome's label, then the axis. */
export const AXIS_HEIGHT = 36;
export const CALL_ROW = 16;
export const LOCK_ROW = 11;
export const LANE_GAP = 8;
export const COUNTER_HEIGHT = 54;
export const COUNTER_GAP = 10;
export const BOTTOM_PAD = 8;

/**
 * Spans of one row sorted by start, with the running maximum of their ends so
 * that the first span reaching into a window is found by binary search even
 * when spans overlap.
 */
export interface SpanIndex<T> {
  items: T[];
  starts: Float64Array;
  ends: Float64Array;
  maxEnd: Float64Array;
}

export interface CallRow {
  kind: 'call';
  lane: number;
  depth: number;
  y: number;
  height: number;
  spans: SpanIndex<TimelineCall>;
}

export interface LockRow {
  kind: 'lock';
  lane: number;
  lock: string;
  y: number;
  height: number;
  spans: SpanIndex<TimelineLockSpan>;
}

export type LaneRow = CallRow | LockRow;

export interface LaneBox {
  pid: number;
  process: string;
  y: number;
  height: number;
  rows: LaneRow[];
}

export interface CounterBox {
  path: string;
  y: number;
  height: number;
  min: number;
  max: number;
  initial: number;
  /** Position from which each written value holds (the writing step + 1), ascending. */
  positions: Float64Array;
  values: Float64Array;
  /** The writing step of each point. */
  steps: Float64Array;
}

export interface TimelineLayout {
  steps: number;
  lanes: LaneBox[];
  counters: CounterBox[];
  /** Lock handoffs sorted by their release, with the running maximum of their takes. */
  handoffs: LockHandoff[];
  handoffReleases: Float64Array;
  handoffMaxTake: Float64Array;
  /** Lane index by pid. */
  laneOfPid: Map<number, number>;
  panic?: TimelinePanic;
  height: number;
}

export function spanIndex<T extends { start: number; end: number }>(spans: readonly T[]): SpanIndex<T> {
  const items = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const starts = new Float64Array(items.length);
  const ends = new Float64Array(items.length);
  const maxEnd = new Float64Array(items.length);
  let m = -Infinity;
  items.forEach((s, i) => {
    starts[i] = s.start;
    ends[i] = s.end;
    m = Math.max(m, s.end);
    maxEnd[i] = m;
  });
  return { items, starts, ends, maxEnd };
}

/** The first index whose value is >= x (a.length when none). */
export function lowerBound(a: Float64Array, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose value is > x. */
export function upperBound(a: Float64Array, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The value of a counter in state `pos` (after steps 0..pos-1). */
export function counterAt(box: CounterBox, pos: number): number {
  const i = upperBound(box.positions, pos) - 1;
  return i >= 0 ? box.values[i] : box.initial;
}

function counterBox(series: CounterSeries, y: number): CounterBox {
  const n = series.points.length;
  const positions = new Float64Array(n);
  const values = new Float64Array(n);
  const steps = new Float64Array(n);
  let min = series.initial;
  let max = series.initial;
  series.points.forEach((p, i) => {
    positions[i] = p.step + 1;
    values[i] = p.value;
    steps[i] = p.step;
    if (p.value < min) min = p.value;
    if (p.value > max) max = p.value;
  });
  return { path: series.path, y, height: COUNTER_HEIGHT, min, max, initial: series.initial, positions, values, steps };
}

export function layoutTimeline(model: TimelineModel): TimelineLayout {
  let y = AXIS_HEIGHT;
  const lanes: LaneBox[] = model.lanes.map((lane, i) => {
    const top = y;
    const rows: LaneRow[] = [];
    for (let depth = 0; depth <= lane.maxDepth; depth++) {
      rows.push({ kind: 'call', lane: i, depth, y, height: CALL_ROW, spans: spanIndex(lane.calls.filter((c) => c.depth === depth)) });
      y += CALL_ROW;
    }
    const locks = [...new Set(lane.locks.map((l) => l.lock))].sort();
    for (const lock of locks) {
      rows.push({ kind: 'lock', lane: i, lock, y, height: LOCK_ROW, spans: spanIndex(lane.locks.filter((l) => l.lock === lock)) });
      y += LOCK_ROW;
    }
    y += LANE_GAP;
    return { pid: lane.pid, process: lane.process, y: top, height: y - top - LANE_GAP, rows };
  });
  const counters = model.counters.map((series) => {
    const box = counterBox(series, y);
    y += COUNTER_HEIGHT + COUNTER_GAP;
    return box;
  });
  const handoffs = [...model.handoffs].sort((a, b) => a.release - b.release);
  const handoffReleases = new Float64Array(handoffs.length);
  const handoffMaxTake = new Float64Array(handoffs.length);
  let maxTake = -Infinity;
  handoffs.forEach((h, i) => {
    handoffReleases[i] = h.release;
    maxTake = Math.max(maxTake, h.take);
    handoffMaxTake[i] = maxTake;
  });
  const laneOfPid = new Map(lanes.map((l, i) => [l.pid, i]));
  return { steps: model.steps, lanes, counters, handoffs, handoffReleases, handoffMaxTake, laneOfPid, panic: model.panic, height: y + BOTTOM_PAD };
}

/** The row of process `pid` that draws `lock`, if that process ever held it. */
export function lockRow(layout: TimelineLayout, pid: number, lock: string): LockRow | undefined {
  const lane = layout.laneOfPid.get(pid);
  return lane === undefined ? undefined : layout.lanes[lane].rows.find((r): r is LockRow => r.kind === 'lock' && r.lock === lock);
}
