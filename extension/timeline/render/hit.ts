// What is under the pointer: the step (for hover details and for a click that
// moves the debugger), and the lane row, call, lock span or counter there.

import type { TimelineCall, TimelineLockSpan } from '../../../core/engine/trace/timeline';
import { counterAt, upperBound, type CounterBox, type LaneBox, type LaneRow, type SpanIndex, type TimelineLayout } from './layout';
import { stepAt, type Viewport } from './viewport';

export interface Hit {
  /** The step whose cell is under the pointer. */
  step: number;
  lane?: LaneBox;
  row?: LaneRow;
  call?: TimelineCall;
  lock?: TimelineLockSpan;
  counter?: { path: string; value: number };
}

/** The span of a row that covers `step` (the innermost when spans overlap). */
export function spanAt<T>(idx: SpanIndex<T>, step: number): T | undefined {
  for (let i = upperBound(idx.starts, step) - 1; i >= 0; i--) {
    if (idx.ends[i] > step) return idx.items[i];
    if (idx.maxEnd[i] <= step) break;
  }
  return undefined;
}

function counterHit(box: CounterBox, step: number): Hit['counter'] {
  return { path: box.path, value: counterAt(box, step) };
}

/** Undefined outside the plot, or left/right of the trace. */
export function hitTest(layout: TimelineLayout, vp: Viewport, x: number, y: number): Hit | undefined {
  const step = stepAt(vp, x, layout.steps);
  if (step === undefined) return undefined;
  for (const lane of layout.lanes) {
    if (y < lane.y || y >= lane.y + lane.height) continue;
    const row = lane.rows.find((r) => y >= r.y && y < r.y + r.height);
    const hit: Hit = { step, lane, row };
    if (row?.kind === 'call') hit.call = spanAt(row.spans, step);
    if (row?.kind === 'lock') hit.lock = spanAt(row.spans, step);
    return hit;
  }
  const box = layout.counters.find((b) => y >= b.y && y < b.y + b.height);
  return box ? { step, counter: counterHit(box, step) } : { step };
}
