// The recorded steps of one debug session, kept in the extension so that each stop
// fetches only what may have changed (camsim/trace with a range) instead of the
// whole recording: a 100,000-step trace crosses to the editor once.
//
// What can change between two stops: the recording grows at its end; and
// stepping forward from the past with another choice than the recorded one
// replaces everything after the point where it diverged. That point is never
// before the cursor the command started from, so the steps before the lowest
// cursor seen since the last fetch are kept. A command that ends inside the
// recording (total > cursor) with the same total changed nothing. A restart may
// change anything: the caller resets the cache. As a check, the step before the
// kept prefix is fetched again and compared; a mismatch starts over.

import type { TraceStep } from '../../core/engine/run/traceStep';
import { MAX_TRACE_STEPS, type TraceWindow } from '../../core/protocol';

export type { TraceWindow };

export type FetchTrace = (from: number, count: number) => Promise<TraceWindow>;

/** The adapter's largest window per request. */
export const TRACE_CHUNK = MAX_TRACE_STEPS;

function sameStep(a: TraceStep | undefined, b: TraceStep | undefined): boolean {
  if (!a || !b) return false;
  return (
    a.index === b.index &&
    a.pid === b.pid &&
    a.fn === b.fn &&
    a.file === b.file &&
    a.line === b.line &&
    a.depth === b.depth &&
    a.changes.length === b.changes.length &&
    a.locksTaken.length === b.locksTaken.length &&
    a.locksDropped.length === b.locksDropped.length &&
    a.outcome?.kind === b.outcome?.kind
  );
}

export function isTraceWindow(body: unknown): body is TraceWindow {
  const w = body as Partial<TraceWindow> | undefined;
  return !!w && Array.isArray(w.steps) && typeof w.cursor === 'number' && typeof w.total === 'number' && typeof w.from === 'number';
}

export class TraceCache {
  steps: TraceStep[] = [];
  cursor = 0;
  /** The lowest cursor seen since the last fetch: steps before it are unchanged. */
  private lowest = 0;
  private stale = true;

  reset(): void {
    this.steps = [];
    this.lowest = 0;
    this.stale = true;
  }

  /** A stop's cursor and recording length (a cheap camsim/trace with count 0). */
  observe(cursor: number, total: number): void {
    this.cursor = cursor;
    this.lowest = Math.min(this.lowest, cursor);
    if (cursor === total || total !== this.steps.length) this.stale = true;
  }

  /** Fetches what may have changed since the last sync; true when the steps changed. */
  async sync(fetch: FetchTrace, chunk = TRACE_CHUNK): Promise<boolean> {
    if (!this.stale) return false;
    const keep = Math.min(this.lowest, this.steps.length);
    const from = Math.max(0, keep - 1);
    const fresh: TraceStep[] = [];
    let cursor = this.cursor;
    for (let at = from, total = Infinity; at < total; ) {
      const w = await fetch(at, chunk);
      if (w.from !== at) throw new Error(`camsim/trace answered from step ${w.from}, not ${at}`);
      total = w.total;
      cursor = w.cursor;
      for (const s of w.steps) fresh.push(s);
      if (w.steps.length === 0) break;
      at += w.steps.length;
    }
    if (keep > 0 && !sameStep(fresh[0], this.steps[keep - 1])) {
      this.reset(); // the recording changed before the kept prefix: fetch it all
      return this.sync(fetch, chunk);
    }
    const tail = keep > 0 ? fresh.slice(1) : fresh;
    const changed = tail.length !== this.steps.length - keep || tail.some((s, i) => !sameStep(s, this.steps[keep + i]));
    if (changed) {
      this.steps.length = keep;
      for (const s of tail) this.steps.push(s);
    }
    this.cursor = cursor;
    this.lowest = cursor;
    this.stale = false;
    return changed;
  }
}
