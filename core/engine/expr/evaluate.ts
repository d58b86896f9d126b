// The evaluator of the expression language, over one machine. Names are
// resolved by the scenario front end (core/scenario/paths.ts); values are read
// from the machine. No JavaScript evaluation of anything a user typed.

import type { Expr, Scenario } from '../../scenario/ast';
import { parseExpression } from '../../scenario/parser';
import { checkExpression } from '../../scenario/checker';
import { resolvePath, type PathOptions, type PathValue } from '../../scenario/paths';
import type { Machine } from '../../kernel/state';
import { CAM_PERIPH_INVALID, D_TRACKCLOSE, DEVICE_LOCK_NAMES, GLOBAL_LOCK_NAMES, deviceLock } from '../../kernel/constants';
import { variantOf } from '../../kernel/drivers';
import { enabled, currentStep } from '../run/machine';
import { FUNCTIONS } from '../../kernel/functions';
import type { Value } from '../run/observe';

export type EvalResult = { ok: true; value: Value } | { ok: false; message: string };

class EvalError extends Error {}

function deviceIndex(m: Machine, name: string): number {
  const i = m.config.devices.findIndex((d) => d.name === name);
  if (i < 0) throw new EvalError(`no device ${name} in this run`);
  return i;
}

function processIndex(m: Machine, name: string): number {
  const i = m.config.processes.findIndex((p) => p.name === name);
  if (i < 0) throw new EvalError(`no process ${name} in this run`);
  return i;
}

function lockIndex(m: Machine, device: string | undefined, name: string): number {
  if (device === undefined) return GLOBAL_LOCK_NAMES.indexOf(name);
  return deviceLock(deviceIndex(m, device), name as (typeof DEVICE_LOCK_NAMES)[number]);
}

/** Processes whose next step takes `lock` and who cannot take it now. */
export function lockWaiters(m: Machine, lock: number): number[] {
  const out: number[] = [];
  m.procs.forEach((p, pid) => {
    const s = currentStep(m, pid);
    if (!s || (s.kind !== 'lock' && s.kind !== 'sleep') || enabled(m, pid)) return;
    const f = p.stack[p.stack.length - 1];
    const l = s.lock!({ m, pid, p, f, l: f.l, dev: m.devs[f.l.dev ?? 0], cfg: m.config.devices[f.l.dev ?? 0], periph: () => m.devs[f.l.dev ?? 0], panic: () => undefined, here: () => '' });
    if (l === lock) out.push(pid);
  });
  return out;
}

/** Reads the value a resolved path names. */
export function readValue(v: PathValue, m: Machine): Value {
  switch (v.kind) {
    case 'device-field': {
      const i = deviceIndex(m, v.device);
      const d = m.devs[i];
      const variant = variantOf(m.config.devices[i]);
      switch (v.field) {
        case 'd_flags':
          return variant.d_flags;
        case 'trackclose':
          return (variant.d_flags & D_TRACKCLOSE) !== 0;
        case 'invalid':
          return (d.flags & CAM_PERIPH_INVALID) !== 0;
        case 'resting':
          return variant.resting;
        default:
          return d[v.field as keyof typeof d] as Value;
      }
    }
    case 'process-field': {
      const pid = processIndex(m, v.process);
      const p = m.procs[pid];
      switch (v.field) {
        case 'blocked':
          return !p.done && !m.outcome && !enabled(m, pid);
        case 'done':
          return p.done;
        case 'errno':
          return p.errno;
        default:
          return p.steps;
      }
    }
    case 'descriptor-field': {
      const pid = processIndex(m, v.process);
      const fd = m.config.processes[pid].fdNames.indexOf(v.fd);
      if (fd < 0) throw new EvalError(`process ${v.process} has no descriptor ${v.fd}`);
      const s = m.procs[pid].fds[fd];
      return v.field === 'open' ? s.open : s.errno;
    }
    case 'lock-field': {
      const l = lockIndex(m, v.lock.device, v.lock.name);
      if (l < 0) throw new EvalError(`no lock ${v.lock.name}`);
      if (v.field === 'holder') return m.locks[l].holder < 0 ? 'none' : m.config.processes[m.locks[l].holder].name;
      if (v.field === 'recursion') return m.locks[l].recurse;
      return lockWaiters(m, l).length;
    }
    case 'constant':
      return v.value;
    case 'process-name':
      return v.name;
    case 'none':
      return 'none';
  }
}

function num(v: Value, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new EvalError(`${what} is a name (${v}), not a number`);
}

function truthy(v: Value): boolean {
  return typeof v === 'string' ? v !== 'none' : v !== 0 && v !== false;
}

function evalExpr(e: Expr, m: Machine, s: Scenario, opts?: PathOptions): Value {
  switch (e.kind) {
    case 'number':
    case 'bool':
      return e.value;
    case 'path': {
      const r = resolvePath(e.parts.map((p) => p.name), s, opts);
      if (r.kind === 'error') throw new EvalError(r.message);
      return readValue(r, m);
    }
    case 'unary': {
      const v = evalExpr(e.operand, m, s, opts);
      return e.op === '!' ? !truthy(v) : -num(v, 'the operand of -');
    }
    case 'binary': {
      if (e.op === '&&') return truthy(evalExpr(e.left, m, s, opts)) && truthy(evalExpr(e.right, m, s, opts));
      if (e.op === '||') return truthy(evalExpr(e.left, m, s, opts)) || truthy(evalExpr(e.right, m, s, opts));
      const a = evalExpr(e.left, m, s, opts);
      const b = evalExpr(e.right, m, s, opts);
      if (e.op === '==' || e.op === '!=') {
        const same = typeof a === 'string' || typeof b === 'string' ? a === b : num(a, 'the left side') === num(b, 'the right side');
        return e.op === '==' ? same : !same;
      }
      const x = num(a, `the left side of ${e.op}`);
      const y = num(b, `the right side of ${e.op}`);
      switch (e.op) {
        case '<': return x < y;
        case '<=': return x <= y;
        case '>': return x > y;
        case '>=': return x >= y;
        case '+': return x + y;
        case '-': return x - y;
        case '&': return x & y;
        case '|': return x | y;
      }
    }
  }
  throw new EvalError('cannot evaluate this expression');
}

/** Evaluates a parsed expression on a machine. */
export function evaluate(e: Expr, m: Machine, s: Scenario, opts?: PathOptions): EvalResult {
  try {
    return { ok: true, value: evalExpr(e, m, s, opts) };
  } catch (err) {
    if (err instanceof EvalError) return { ok: false, message: err.message };
    throw err;
  }
}

/** Parses, checks and evaluates an expression typed by a user (watch, hover, debug console). */
export function evaluateText(text: string, m: Machine, s: Scenario, opts?: PathOptions): EvalResult {
  const parsed = parseExpression(text);
  const syntax = parsed.diagnostics.find((d) => d.severity === 'error');
  if (syntax || !parsed.expr) return { ok: false, message: syntax?.message ?? 'empty expression' };
  const semantic = checkExpression(parsed.expr, s, opts).find((d) => d.severity === 'error');
  if (semantic) return { ok: false, message: semantic.message };
  return evaluate(parsed.expr, m, s, opts);
}

export function isTruthy(v: Value): boolean {
  return truthy(v);
}

/** The kernel function a process is in, for messages. */
export function currentFunction(m: Machine, pid: number): string | undefined {
  const p = m.procs[pid];
  const f = p.stack[p.stack.length - 1];
  return f ? FUNCTIONS[f.fn].name : undefined;
}
