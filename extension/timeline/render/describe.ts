// The text of the hover card: what the timeline knows at the pointer, and the
// step's own record once the extension has sent it.

import type { TraceStep } from '../../../core/engine/run/traceStep';
import type { Hit } from './hit';

function range(start: number, end: number): string {
  return end - start <= 1 ? `step ${start}` : `steps ${start}–${end - 1}`;
}

function value(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Lines of the hover card; the first is its heading. */
export function describeHit(hit: Hit, step?: TraceStep): string[] {
  const lines: string[] = [];
  const who = step?.process ?? hit.lane?.process;
  lines.push(`step ${hit.step}${who && step ? ` · ${who}` : ''}`);
  if (step) {
    const where = step.file ? `${step.fn}() ${step.file}:${step.line}` : `scenario line ${step.line}`;
    lines.push(`${where}: ${step.code}`);
    for (const c of step.changes) lines.push(`  ${c.path}: ${value(c.old)} → ${value(c.new)}`);
    if (step.locksTaken.length) lines.push(`  takes ${step.locksTaken.join(', ')}`);
    if (step.locksDropped.length) lines.push(`  drops ${step.locksDropped.join(', ')}`);
    if (step.outcome) lines.push(`  ${step.outcome.kind}: ${step.outcome.message}`);
  }
  if (hit.call) {
    const c = hit.call;
    const site = c.file ? ` (${c.file}:${c.line})` : '';
    lines.push(`${hit.lane?.process ?? ''} in ${c.depth === 0 ? `“${c.name}”` : `${c.name}()`}${site}, ${range(c.start, c.end)}`.trim());
  }
  if (hit.lock) {
    const l = hit.lock;
    lines.push(`${hit.lane?.process ?? ''} holds ${l.lock}, ${range(l.start, l.end)}${l.held ? ' (still held at the end)' : ''}`.trim());
  }
  if (hit.counter) lines.push(`${hit.counter.path} = ${hit.counter.value} before this step`);
  lines.push('Click to move the debugger to this step');
  return lines;
}
