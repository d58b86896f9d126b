// The expressions of a driver written in C (core/scenario/cAst.ts): printed back
// as C for the step lines the debugger and the trace show, and compiled into
// closures over a step's context (never into source text to evaluate). Kernel
// calls inside an expression are not evaluated here: the routine compiler runs
// each as a call step first and leaves its result in a local (`calls`).

import type { CExpr } from '../../scenario/cAst';
import type { Range } from '../../scenario/ast';
import type { Ctx } from '../../kernel/dsl';
import { cConstant } from '../../scenario/c/names';

/** Something the compiler cannot run, with where it is. */
export class DriverCompileError extends Error {
  constructor(
    message: string,
    readonly range: Range,
  ) {
    super(message);
  }
}

export type Eval = (c: Ctx) => number;

/** The names a routine's expressions may use, besides the kernel's constants. */
export interface Scope {
  /** `int` locals the routine declares. */
  locals: ReadonlySet<string>;
  /** The driver's softc flags. */
  flags: ReadonlyMap<string, number>;
  /** For each kernel call in the expression being compiled, the local its result was left in. */
  calls: ReadonlyMap<CExpr, string>;
}

/** The value of a constant a routine may name (errno, cam_status, flags, PRIBIO: the front end's one table), or NULL. */
export function constantValue(name: string): number | undefined {
  return name === 'NULL' ? 0 : cConstant(name);
}

/** C precedence of binary operators (higher binds tighter), for printing with the parentheses it needs. */
const PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9,
};

/** The expression as C. */
export function printExpr(e: CExpr, outer = 0): string {
  switch (e.kind) {
    case 'num':
      return String(e.value);
    case 'name':
      return e.name;
    case 'field':
      return `${e.object.name}->${e.field.name}`;
    case 'unary':
      return `${e.op}${printExpr(e.operand, 10)}`;
    case 'binary': {
      const p = PRECEDENCE[e.op];
      const text = `${printExpr(e.left, p)} ${e.op} ${printExpr(e.right, p + 1)}`;
      return p < outer ? `(${text})` : text;
    }
    case 'call':
      return `${e.callee.name}(${e.args.map((a) => printExpr(a)).join(', ')})`;
  }
}

/** The softc and periph fields a routine may read, and how: reaching a freed periph is a use after free. */
export const FIELDS: Readonly<Record<string, Readonly<Record<string, { read: Eval; write?: (c: Ctx, v: number) => void }>>>> = {
  softc: {
    flags: {
      read: (c) => c.periph('periph->softc').softc_flags,
      write: (c, v) => { c.periph('periph->softc').softc_flags = v; },
    },
    open_count: {
      read: (c) => c.periph('softc->open_count').open_count,
      write: (c, v) => { c.periph('softc->open_count').open_count = v; },
    },
  },
  periph: {
    flags: { read: (c) => c.periph('periph->flags').flags },
    refcount: { read: (c) => c.periph('periph->refcount').refcount },
  },
};

/** Compiles a value expression (an int, as C computes it on 32 bits). */
export function compileExpr(e: CExpr, scope: Scope): Eval {
  // A kernel call, or an `&&` / `||` with one on its right, already ran as steps: its value is in a local.
  const local = scope.calls.get(e);
  if (local !== undefined) return (c) => c.l[local] ?? 0;
  switch (e.kind) {
    case 'num': {
      const v = e.value | 0;
      return () => v;
    }
    case 'name':
      return compileName(e.name, e.range, scope);
    case 'field': {
      const f = FIELDS[e.object.name]?.[e.field.name];
      if (!f) throw new DriverCompileError(`${e.object.name}->${e.field.name} is not a field the model has (softc->flags, softc->open_count, periph->flags, periph->refcount)`, e.range);
      return f.read;
    }
    case 'unary': {
      if (e.op === '&') throw new DriverCompileError('`&` is only for `&Giant`, the argument of mtx_lock and mtx_unlock', e.range);
      const a = compileExpr(e.operand, scope);
      switch (e.op) {
        case '!': return (c) => (a(c) === 0 ? 1 : 0);
        case '~': return (c) => ~a(c);
        default: return (c) => -a(c) | 0;
      }
    }
    case 'binary': {
      const a = compileExpr(e.left, scope);
      const b = compileExpr(e.right, scope);
      return binary(e.op, a, b);
    }
    case 'call':
      throw new DriverCompileError(`${e.callee.name}() returns nothing to use in an expression`, e.range);
  }
}

function compileName(name: string, range: Range, scope: Scope): Eval {
  if (scope.locals.has(name)) return (c) => c.l[name] ?? 0;
  const flag = scope.flags.get(name);
  if (flag !== undefined) return () => flag;
  const k = constantValue(name);
  if (k !== undefined) return () => k;
  if (name === 'periph') return (c) => c.l.periph ?? 0;
  if (name === 'softc') return (c) => (c.l.periph ? 1 : 0);
  throw new DriverCompileError(`\`${name}\` is not a local of this routine, a flag of this driver or a constant the model knows`, range);
}

function binary(op: string, a: Eval, b: Eval): Eval {
  switch (op) {
    case '|': return (c) => a(c) | b(c);
    case '&': return (c) => a(c) & b(c);
    case '^': return (c) => a(c) ^ b(c);
    case '<<': return (c) => a(c) << b(c);
    case '>>': return (c) => a(c) >> b(c);
    case '==': return (c) => (a(c) === b(c) ? 1 : 0);
    case '!=': return (c) => (a(c) !== b(c) ? 1 : 0);
    case '<': return (c) => (a(c) < b(c) ? 1 : 0);
    case '<=': return (c) => (a(c) <= b(c) ? 1 : 0);
    case '>': return (c) => (a(c) > b(c) ? 1 : 0);
    case '>=': return (c) => (a(c) >= b(c) ? 1 : 0);
    case '&&': return (c) => (a(c) !== 0 && b(c) !== 0 ? 1 : 0);
    case '||': return (c) => (a(c) !== 0 || b(c) !== 0 ? 1 : 0);
    case '+': return (c) => (a(c) + b(c)) | 0;
    case '-': return (c) => (a(c) - b(c)) | 0;
  }
  throw new Error(`unknown operator ${op}`);
}

export function containsCall(e: CExpr): boolean {
  switch (e.kind) {
    case 'call': return true;
    case 'unary': return containsCall(e.operand);
    case 'binary': return containsCall(e.left) || containsCall(e.right);
    default: return false;
  }
}
