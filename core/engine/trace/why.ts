// "Why is it 0?": the steps that wrote a value, newest first, for the CLI's
// `trace --why`, the debugger's console command and its camsim/why request.

import type { Scenario } from '../../scenario/ast';
import { resolvePath, type PathOptions } from '../../scenario/paths';
import type { Value } from '../run/observe';
import type { TraceStep } from '../run/traceStep';

export interface WhyWrite {
  step: number;
  process: string;
  /** Kernel function, or '' when a scenario statement wrote it. */
  fn: string;
  file: string;
  line: number;
  /** The line that wrote it (pseudo-C, or the statement). */
  code: string;
  old: Value;
  new: Value;
}

/**
 * Exactly the steps whose changes wrote `path` (as diff names it: `pass0.refcount`,
 * `A.f.errno`, `pass0.sim_mtx.holder`), newest first. With `upTo`, only steps
 * whose index is <= upTo (the debugger's current step and before).
 */
export function whyWrites(steps: readonly TraceStep[], path: string, upTo?: number): WhyWrite[] {
  const out: WhyWrite[] = [];
  let i = steps.length - 1;
  if (upTo !== undefined) while (i >= 0 && steps[i].index > upTo) i--;
  for (; i >= 0; i--) {
    const s = steps[i];
    for (const c of s.changes) {
      if (c.path !== path) continue;
      out.push({ step: s.index, process: s.process, fn: s.fn, file: s.file, line: s.line, code: s.code, old: c.old, new: c.new });
    }
  }
  return out;
}

/** Values the trace records no write for, and where their writes are recorded instead. */
const DERIVED: Record<string, string> = {
  invalid: 'it is computed from flags (CAM_PERIPH_INVALID): ask why FLAGS',
  trackclose: "it is a constant of the driver variant's cdevsw: no step writes it",
  d_flags: "it is a constant of the driver variant's cdevsw: no step writes it",
  resting: 'it is a constant of the driver variant: no step writes it',
  blocked: 'it is computed from the lock waits, not written by a step',
  steps: 'it counts every step of the process',
  waiters: 'it is computed from the processes waiting for the lock, not written by a step',
};

export type WhyPath = { ok: true; path: string } | { ok: false; message: string };

/**
 * The recorded path of an expression the user typed (`pass0.refcount`, or `f.errno`
 * in the frame of process A), or why no step writes it.
 */
export function whyPath(expression: string, scenario: Scenario, opts: PathOptions = {}): WhyPath {
  const text = expression.trim();
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(text)) {
    return { ok: false, message: `'${text}' is not a name: write a path such as pass0.refcount or A.f.errno` };
  }
  const r = resolvePath(text.split('.'), scenario, opts);
  const derived = (base: string, field: string): WhyPath =>
    DERIVED[field] ? { ok: false, message: `${base}.${field}: ${DERIVED[field].replace('FLAGS', `${base}.flags`)}` } : { ok: true, path: `${base}.${field}` };
  switch (r.kind) {
    case 'error':
      return { ok: false, message: r.message };
    case 'device-field':
      return derived(r.device, r.field);
    case 'process-field':
      return derived(r.process, r.field);
    case 'descriptor-field':
      return { ok: true, path: `${r.process}.${r.fd}.${r.field}` };
    case 'lock-field':
      return derived(r.lock.device ? `${r.lock.device}.${r.lock.name}` : r.lock.name, r.field);
    case 'constant':
      return { ok: false, message: `${r.name} is a constant (${r.value}): no step writes it` };
    default:
      return { ok: false, message: `${text} is not a value a step writes: name a counter such as pass0.refcount` };
  }
}
