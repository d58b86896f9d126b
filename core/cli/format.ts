// How `camsim run` prints a run: one line per step, a final state, the result
// line and the expectations.

import { sourcePlace } from '../kernel/dsl';
import type { TraceStep } from '../engine/run/traceStep';
import type { Machine, MachineConfig, Outcome } from '../kernel/state';
import type { ExpectationResult } from '../engine/expr/expectations';
import type { Change } from '../engine/run/observe';
import { variantOf } from '../kernel/drivers';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function showValue(v: Change['new']): string {
  return typeof v === 'string' ? v : String(v);
}

/** `pass0.refcount 1->0  +pass0.sim_mtx` */
export function formatChanges(s: TraceStep): string {
  const parts: string[] = [];
  for (const l of s.locksTaken) parts.push(`+${l}`);
  for (const l of s.locksDropped) parts.push(`-${l}`);
  for (const c of s.changes) {
    if (c.path.endsWith('.holder')) continue;
    parts.push(`${c.path} ${showValue(c.old)}->${showValue(c.new)}`);
  }
  return parts.join('  ');
}

export function formatStep(s: TraceStep, scenarioFile: string): string {
  const where = sourcePlace(s.file, s.line, scenarioFile);
  const fn = s.fn || '(statement)';
  const indent = '  '.repeat(Math.min(s.depth, 8));
  const changes = formatChanges(s);
  return `${pad(String(s.index), 5)} ${pad(s.process, 6)} ${pad(fn, 32)} ${pad(where, 22)} ${indent}${s.code}${changes ? `    [${changes}]` : ''}`;
}

export function formatOutcome(o: Outcome, config: MachineConfig): string {
  const who = config.processes[o.pid]?.name ?? '?';
  const at = o.file ? ` (${o.file}:${o.line})` : '';
  switch (o.kind) {
    case 'panic':
      return `panic in process ${who}, in ${o.fn}${at}: ${o.message}`;
    case 'use-after-free':
      return `use after free in process ${who}, in ${o.fn}${at}: ${o.message}`;
    case 'deadlock':
      return o.message;
  }
}

/** One line per device: its counters at the end, with the resting refcount. */
export function formatFinalState(m: Machine): string[] {
  return m.devs.map((d, i) => {
    const cfg = m.config.devices[i];
    const resting = variantOf(cfg).resting;
    const periph = d.freed ? 'periph freed' : `refcount ${d.refcount} (resting ${resting})`;
    return `final: ${cfg.name} (${cfg.driver} ${cfg.variant}): ${periph}, open_count ${d.open_count}, si_usecount ${d.si_usecount}, si_threadcount ${d.si_threadcount}`;
  });
}

export function formatExpectation(e: ExpectationResult): string {
  return `  ${e.text}: ${e.held ? 'held' : 'FAILED'} (${e.detail})`;
}
