// A process's call stack as the debugger shows it: kernel frames top-down, each
// a line of a model source, and at the bottom the scenario statement it runs.

import type { Machine } from '../../core/kernel/state';
import { FUNCTIONS } from '../../core/kernel/functions';
import { enabled, waitingFor } from '../../core/engine/run/machine';
import { statementText } from '../../core/engine/run/traceStep';
import { SCENARIO_FILE } from '../../core/kernel/dsl';

export type FrameWhere = { kind: 'model'; file: string; line: number } | { kind: 'scenario'; line: number } | { kind: 'none' };

export interface FrameView {
  /** 0 is the top (innermost) frame. */
  level: number;
  name: string;
  where: FrameWhere;
  /** Index into the process's kernel stack, for kernel frames. */
  stackIndex?: number;
}

/** `A (blocked)`: what the threads list shows. */
export function threadName(m: Machine, pid: number): string {
  const name = m.config.processes[pid].name;
  return `${name}${processTag(m, pid)}`;
}

function processTag(m: Machine, pid: number): string {
  const p = m.procs[pid];
  if (m.outcome && m.outcome.pid === pid && m.outcome.kind !== 'deadlock') return ' (panicked)';
  if (p.done) return ' (finished)';
  if (m.config.processes[pid].kind === 'taskq' && p.stack.length === 1 && p.stack[0].pc === 0 && m.tasks.length === 0) return ' (idle)';
  if (!m.outcome && !enabled(m, pid)) return ' (blocked)';
  return '';
}

/** In words: runnable, blocked and on what, finished. */
export function processState(m: Machine, pid: number): string {
  const p = m.procs[pid];
  if (m.outcome && m.outcome.pid === pid && m.outcome.kind !== 'deadlock') return `${m.outcome.kind === 'panic' ? 'panicked' : 'used a freed periph'} in ${m.outcome.fn}()`;
  if (p.done) return 'finished';
  if (m.outcome) return 'stopped (the kernel panicked)';
  const waits = waitingFor(m, pid);
  if (waits) return `blocked: waits for ${waits}`;
  return p.stack.length === 0 ? 'runnable (between statements)' : 'runnable';
}

/**
 * The frames of `pid`, top first. `endLine`: the scenario line (1-based) to show
 * for a process that has finished (its closing brace).
 */
export function framesOf(m: Machine, pid: number, endLine: number): FrameView[] {
  const p = m.procs[pid];
  const pc = m.config.processes[pid];
  const out: FrameView[] = [];
  const waits = !m.outcome && !p.done ? waitingFor(m, pid) : undefined;
  const fault = m.outcome && m.outcome.pid === pid && m.outcome.kind !== 'deadlock' ? m.outcome : undefined;
  for (let i = p.stack.length - 1; i >= 0; i--) {
    const f = p.stack[i];
    const fn = FUNCTIONS[f.fn];
    let name = `${fn.name}()`;
    let line = fn.steps[f.pc].line;
    if (i === p.stack.length - 1 && waits) name += ` — blocked: waits for ${waits}`;
    if (i === p.stack.length - 1 && fault) {
      name += ` — ${fault.kind === 'panic' ? 'panic' : 'use after free'}`;
      // The step that panicked has moved the frame past its line: show the line that panicked.
      if (fault.fn === fn.name && fault.file === fn.file && fault.line !== undefined) line = fault.line;
    }
    // A routine of a driver written in the scenario: its lines are the scenario's own.
    const where: FrameWhere = fn.file === SCENARIO_FILE ? { kind: 'scenario', line } : { kind: 'model', file: fn.file, line };
    out.push({ level: out.length, name, where, stackIndex: i });
  }
  if (pc.kind === 'taskq') return out;
  if (p.done) {
    out.push({ level: out.length, name: `${pc.name}: finished`, where: { kind: 'scenario', line: endLine } });
  } else {
    const op = pc.program[p.pc];
    out.push({ level: out.length, name: `${pc.name}: ${statementText(m, pid, op)}`, where: { kind: 'scenario', line: op.line + 1 } });
  }
  return out;
}

/** Where `pid` is in a routine of the scenario's own driver: its frame depth, function, step and line (undefined elsewhere). */
export interface OwnStatement {
  depth: number;
  fn: number;
  pc: number;
  line: number;
}

export function ownStatementAt(m: Machine, pid: number): OwnStatement | undefined {
  const st = m.procs[pid].stack;
  const f = st[st.length - 1];
  if (!f || FUNCTIONS[f.fn].file !== SCENARIO_FILE) return undefined;
  return { depth: st.length, fn: f.fn, pc: f.pc, line: FUNCTIONS[f.fn].steps[f.pc].line };
}

/**
 * Whether `pid` is still inside the statement it started at: a statement of a
 * driver written in the scenario takes several steps when it makes a kernel call
 * in its condition or value (the call, then the test), all on its one line.
 * Step Over goes on to the next statement.
 */
export function withinStatement(start: OwnStatement | undefined, m: Machine, pid: number): boolean {
  if (!start) return false;
  const now = ownStatementAt(m, pid);
  return now !== undefined && now.depth === start.depth && now.fn === start.fn && now.pc > start.pc && now.line === start.line;
}
