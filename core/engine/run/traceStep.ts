// One entry per executed step: who ran, which kernel line, which locks were
// taken or dropped, which values changed (old -> new), and how the run ended.

import type { Machine, Outcome, ProgramOp } from '../../kernel/state';
import { FUNCTIONS } from '../../kernel/functions';
import { diff, type Change } from './observe';

export interface TraceStep {
  index: number;
  /** The slice (run to the next scheduling point) this step belongs to. */
  slice: number;
  pid: number;
  process: string;
  /** Kernel function, or '' for entering a scenario statement. */
  fn: string;
  /** Model source file (e.g. devfs_vnops.c), or '' for a scenario statement. */
  file: string;
  /** 1-based line in that file; for a scenario statement, its 1-based line in the scenario. */
  line: number;
  /** The pseudo-C line (trimmed), or the statement. */
  code: string;
  /** Kernel call depth before the step (0: between statements). */
  depth: number;
  locksTaken: string[];
  locksDropped: string[];
  changes: Change[];
  /** Set on the step that panicked or used a freed periph. */
  outcome?: Outcome;
}

/** A step's fields without its outcome, in a fixed order: the shape the trace file and `run --json` write. */
export function stepFields(s: TraceStep): Omit<TraceStep, 'outcome'> {
  return {
    index: s.index,
    slice: s.slice,
    pid: s.pid,
    process: s.process,
    fn: s.fn,
    file: s.file,
    line: s.line,
    code: s.code,
    depth: s.depth,
    locksTaken: s.locksTaken,
    locksDropped: s.locksDropped,
    changes: s.changes,
  };
}

export function statementText(m: Machine, pid: number, op: ProgramOp): string {
  const pc = m.config.processes[pid];
  switch (op.op) {
    case 'open':
      return `open ${m.config.devices[op.dev].name} as ${pc.fdNames[op.fd]}`;
    case 'close':
      return `close ${pc.fdNames[op.fd]}`;
    case 'ioctl':
      return `ioctl ${pc.fdNames[op.fd]}`;
    case 'lose':
      return `lose ${m.config.devices[op.dev].name}`;
    case 'repeat':
      return `repeat ${op.count}`;
    default:
      return '}';
  }
}

/** Describes the step that took `before` to `after` for process `pid`. */
export function describeStep(before: Machine, after: Machine, pid: number, index: number, slice: number): TraceStep {
  const p = before.procs[pid];
  const changes = diff(before, after);
  const locksTaken: string[] = [];
  const locksDropped: string[] = [];
  for (const c of changes) {
    if (!c.path.endsWith('.holder')) continue;
    const lock = c.path.slice(0, -'.holder'.length);
    if (c.new === before.config.processes[pid].name) locksTaken.push(lock);
    else if (c.old === before.config.processes[pid].name) locksDropped.push(lock);
  }
  const outcome = !before.outcome && after.outcome ? after.outcome : undefined;
  let fn = '';
  let file = '';
  let line: number;
  let code: string;
  if (p.stack.length === 0) {
    const op = before.config.processes[pid].program[p.pc];
    line = op.line + 1;
    code = statementText(before, pid, op);
  } else {
    const f = p.stack[p.stack.length - 1];
    const kf = FUNCTIONS[f.fn];
    const s = kf.steps[f.pc];
    fn = kf.name;
    file = kf.file;
    line = s.line;
    code = s.code.trim();
  }
  // Every TraceStep is built with the same keys in the same order (one hidden
  // class), which keeps loops over long traces fast.
  const t: TraceStep = {
    index, slice, pid, process: before.config.processes[pid].name, fn, file, line, code,
    depth: p.stack.length, locksTaken, locksDropped, changes,
  };
  if (outcome) t.outcome = outcome;
  return t;
}
