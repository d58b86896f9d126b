// One routine of a driver written in C (d_open { ... }) -> one modelled
// function (core/kernel/dsl.ts), the same kind of step list as the built-in
// drivers': one step per statement, on the statement's own line of the `.camsim`
// file (SCENARIO_FILE). Lock operations are steps of their own, so they are the
// scheduling points; a kernel call in an expression is a call step first, its
// result left in a local named after the call (`cam_periph_acquire()`).

import type { CExpr, CRoutine, CStmt, RoutineKind } from '../../scenario/cAst';
import { call, iff, jump, kfn, line, lock, ret, unlock, SCENARIO_FILE, type Ctx, type KFn, type Step } from '../../kernel/dsl';
import { GIANT, SIM } from '../../kernel/locks';
import {
  cam_periph_acquire, cam_periph_hold, cam_periph_invalidate, cam_periph_release, cam_periph_release_locked, cam_periph_runccb, cam_periph_unhold,
} from '../../kernel/cam_periph';
import { periphArgs } from '../../kernel/drivers/common';
import { kernelCall } from '../../kernel/kernelCalls';
import { compileExpr, containsCall, DriverCompileError, FIELDS, printExpr, type Eval, type Scope } from './cExpr';

type CCall = Extract<CExpr, { kind: 'call' }>;

/** What each kernel call of the C subset is in the model. */
type CallModel =
  | { kind: 'lock' | 'unlock'; which: 'sim' | 'giant' }
  | { kind: 'call'; target: KFn; returns: boolean };

const CALLS: Readonly<Record<string, CallModel>> = {
  cam_periph_acquire: { kind: 'call', target: cam_periph_acquire, returns: true },
  cam_periph_release: { kind: 'call', target: cam_periph_release, returns: false },
  cam_periph_release_locked: { kind: 'call', target: cam_periph_release_locked, returns: false },
  cam_periph_hold: { kind: 'call', target: cam_periph_hold, returns: true },
  cam_periph_unhold: { kind: 'call', target: cam_periph_unhold, returns: false },
  cam_periph_invalidate: { kind: 'call', target: cam_periph_invalidate, returns: false },
  scsi_io: { kind: 'call', target: cam_periph_runccb, returns: true },
  cam_periph_lock: { kind: 'lock', which: 'sim' },
  cam_periph_unlock: { kind: 'unlock', which: 'sim' },
  mtx_lock: { kind: 'lock', which: 'giant' },
  mtx_unlock: { kind: 'unlock', which: 'giant' },
};

/** cam_periph_lock/unlock read periph->sim: after the periph is freed that is a use after free. */
const readSim = (c: Ctx): void => { c.periph('periph->sim'); };

/** The C name of the routine's function, as FreeBSD would name it (passopen). */
export function routineFunctionName(driver: string, kind: RoutineKind): string {
  return `${driver}${kind.replace(/^d_/, '')}`;
}

const SIGNATURES: Record<RoutineKind, (fn: string) => string[]> = {
  d_open: (fn) => ['static int', `${fn}(struct cdev *dev, int flags, int fmt, struct thread *td)`, '{'],
  d_close: (fn) => ['static int', `${fn}(struct cdev *dev, int flag, int fmt, struct thread *td)`, '{'],
  oninvalidate: (fn) => ['static void', `${fn}(struct cam_periph *periph)`, '{'],
  devgonecb: (fn) => ['static void', `${fn}(void *arg)`, '{'],
};

/** What a routine finds on entry: the periph its argument leads to (the first step, on the routine's own line). */
const ENTRY: Record<RoutineKind, { code: string; run: (c: Ctx) => void }> = {
  d_open: { code: 'periph = (struct cam_periph *)dev->si_drv1;', run: (c) => { c.l.periph = c.dev.si_drv1 ? 1 : 0; } },
  d_close: { code: 'periph = (struct cam_periph *)dev->si_drv1;', run: (c) => { c.l.periph = c.dev.si_drv1 ? 1 : 0; } },
  oninvalidate: { code: 'softc = (struct softc *)periph->softc;', run: () => undefined },
  devgonecb: { code: 'periph = (struct cam_periph *)arg;', run: (c) => { c.l.periph = 1; } },
};

/** Names the kernel's own steps keep in a frame: a local may not take them. */
const RESERVED = new Set(['dev', 'periph', 'softc', 'Giant']);

export interface RoutineOptions {
  driver: string;
  flags: ReadonlyMap<string, number>;
  /** Steps added before the closing brace, e.g. oninvalidate's destroy_dev_sched_cb when the driver has a devgonecb. */
  epilogue?: Step[];
}

/** Builds the step list; labels are kept by name (`#n` for the compiler's own), several may name one step. */
class Builder {
  readonly steps: Step[] = [];
  readonly labels: Record<string, number> = {};
  private pending: string[] = [];
  private nextLabel = 0;
  readonly locals = new Set<string>();
  readonly userLabels = new Map<string, CStmt>();
  readonly gotos: { label: string; stmt: CStmt }[] = [];

  constructor(readonly opts: RoutineOptions) {}

  fresh(): string {
    return `#${this.nextLabel++}`;
  }

  emit(s: Step, line0: number): void {
    s.line = line0 + 1;
    for (const l of this.pending) this.labels[l] = this.steps.length;
    this.pending = [];
    this.steps.push(s);
  }

  place(label: string): void {
    this.pending.push(label);
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }

  scope(calls: ReadonlyMap<CExpr, string> = new Map()): Scope {
    return { locals: this.locals, flags: this.opts.flags, calls };
  }

  /**
   * Runs the kernel calls inside `e` as call steps, left to right; returns where
   * their results are. A call on the right of `&&` or `||` runs only when C would
   * evaluate it: the operator becomes a test and a jump, its value a local too.
   */
  hoist(e: CExpr, line0: number, indent: string): Map<CExpr, string> {
    const out = new Map<CExpr, string>();
    this.hoistInto(e, out, line0, indent);
    return out;
  }

  private local(base: string, out: Map<CExpr, string>): string {
    const used = new Set(out.values());
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}#${i}`;
    return name;
  }

  private hoistInto(e: CExpr, out: Map<CExpr, string>, line0: number, indent: string): void {
    switch (e.kind) {
      case 'call': {
        for (const a of e.args) this.hoistInto(a, out, line0, indent);
        const model = checkCall(e);
        if (model.kind !== 'call' || !model.returns) {
          throw new DriverCompileError(`${e.callee.name}() returns nothing to use in an expression: call it as a statement`, e.range);
        }
        const name = this.local(`${e.callee.name}()`, out);
        this.emit(call(`${indent}${printExpr(e)};`, () => model.target, periphArgs, name), line0);
        out.set(e, name);
        return;
      }
      case 'unary':
        this.hoistInto(e.operand, out, line0, indent);
        return;
      case 'binary': {
        this.hoistInto(e.left, out, line0, indent);
        if ((e.op !== '&&' && e.op !== '||') || !containsCall(e.right)) {
          this.hoistInto(e.right, out, line0, indent);
          return;
        }
        // L && R: R (and its calls) only when L holds; L || R: only when it does not.
        const and = e.op === '&&';
        const name = this.local(`(${printExpr(e)})`, out);
        const left = compileExpr(e.left, this.scope(out));
        const end = this.fresh();
        this.emit(line(`${indent}/* ${printExpr(e.left)} ${e.op} ... */`, (c) => { c.l[name] = and ? 0 : 1; }), line0);
        this.emit(iff(`${indent}/* ${and ? '' : '!'}(${printExpr(e.left)}) */`, (c) => (left(c) !== 0) === and, end), line0);
        this.hoistInto(e.right, out, line0, indent);
        const right = compileExpr(e.right, this.scope(out));
        this.emit(line(`${indent}/* ... ${e.op} ${printExpr(e.right)} */`, (c) => { c.l[name] = right(c) !== 0 ? 1 : 0; }), line0);
        this.place(end);
        out.set(e, name);
        return;
      }
      default:
        return;
    }
  }
}

function checkCall(k: CCall): CallModel {
  const model = CALLS[k.callee.name];
  const spec = kernelCall(k.callee.name);
  if (!model || !spec) throw new DriverCompileError(`${k.callee.name}() is not a kernel call the model has`, k.callee.range);
  if (k.args.length !== spec.params.length) {
    throw new DriverCompileError(`${k.callee.name}() takes ${spec.params.length} argument${spec.params.length === 1 ? '' : 's'} (${spec.prototype})`, k.range);
  }
  const first = k.args[0];
  if (model.kind !== 'call' && model.which === 'giant') {
    if (!(first.kind === 'unary' && first.op === '&' && first.operand.kind === 'name' && first.operand.name === 'Giant')) {
      throw new DriverCompileError(`the model has one mutex for ${k.callee.name}(): &Giant (the periph lock is cam_periph_lock)`, first.range);
    }
  } else if (!(first.kind === 'name' && first.name === 'periph')) {
    throw new DriverCompileError(`${k.callee.name}() works on the routine's periph: pass \`periph\``, first.range);
  }
  return model;
}

function endsFlow(body: readonly CStmt[]): boolean {
  const last = body[body.length - 1];
  if (!last) return false;
  if (last.kind === 'return' || last.kind === 'goto') return true;
  return last.kind === 'if' && last.else !== undefined && endsFlow(last.then) && endsFlow(last.else);
}

function declare(b: Builder, body: readonly CStmt[]): void {
  for (const s of body) {
    if (s.kind === 'decl') {
      if (RESERVED.has(s.name.name)) throw new DriverCompileError(`\`${s.name.name}\` is a name the kernel gives this routine: choose another`, s.name.range);
      b.locals.add(s.name.name);
    } else if (s.kind === 'label') {
      if (b.userLabels.has(s.label.name)) throw new DriverCompileError(`label ${s.label.name} is defined twice`, s.label.range);
      b.userLabels.set(s.label.name, s);
    } else if (s.kind === 'if') {
      declare(b, s.then);
      if (s.else) declare(b, s.else);
    } else if (s.kind === 'goto') {
      b.gotos.push({ label: s.label.name, stmt: s });
    }
  }
}

function assignTarget(b: Builder, target: CExpr): { read: Eval; write: (c: Ctx, v: number) => void } {
  if (target.kind === 'name') {
    const name = target.name;
    if (!b.locals.has(name)) throw new DriverCompileError(`\`${name}\` is not a local of this routine (declare it: int ${name};)`, target.range);
    return { read: (c) => c.l[name] ?? 0, write: (c, v) => { c.l[name] = v; } };
  }
  if (target.kind === 'field') {
    const f = FIELDS[target.object.name]?.[target.field.name];
    if (!f) throw new DriverCompileError(`${target.object.name}->${target.field.name} is not a field the model has`, target.range);
    if (!f.write) throw new DriverCompileError(`${target.object.name}->${target.field.name} is read-only here: only CAM changes it`, target.range);
    return { read: f.read, write: f.write };
  }
  throw new DriverCompileError('only a local or softc->flags / softc->open_count can be assigned', target.range);
}

function compileStmts(b: Builder, body: readonly CStmt[], depth: number): void {
  for (const s of body) compileStmt(b, s, depth);
}

function compileStmt(b: Builder, s: CStmt, depth: number): void {
  const ind = '\t'.repeat(depth);
  const l0 = s.range.start.line;
  switch (s.kind) {
    case 'decl': {
      if (!s.init) return;
      const name = s.name.name;
      const calls = b.hoist(s.init, l0, ind);
      const v = compileExpr(s.init, b.scope(calls));
      b.emit(line(`${ind}int ${name} = ${printExpr(s.init)};`, (c) => { c.l[name] = v(c); }), l0);
      return;
    }
    case 'assign': {
      const t = assignTarget(b, s.target);
      const calls = b.hoist(s.value, l0, ind);
      const v = compileExpr(s.value, b.scope(calls));
      const code = `${ind}${printExpr(s.target)} ${s.op} ${printExpr(s.value)};`;
      const op = s.op;
      b.emit(line(code, (c) => {
        const x = v(c);
        switch (op) {
          case '=': t.write(c, x); break;
          case '|=': t.write(c, t.read(c) | x); break;
          case '&=': t.write(c, t.read(c) & x); break;
          case '+=': t.write(c, (t.read(c) + x) | 0); break;
          case '-=': t.write(c, (t.read(c) - x) | 0); break;
        }
      }), l0);
      return;
    }
    case 'incdec': {
      const t = assignTarget(b, s.target);
      const d = s.op === '++' ? 1 : -1;
      b.emit(line(`${ind}${printExpr(s.target)}${s.op};`, (c) => { t.write(c, (t.read(c) + d) | 0); }), l0);
      return;
    }
    case 'expr': {
      const e = s.expr;
      if (e.kind === 'call') {
        const model = checkCall(e);
        const code = `${ind}${printExpr(e)};`;
        if (model.kind === 'call') {
          // The priority of cam_periph_hold is checked for its names; the model does not use it.
          for (const a of e.args.slice(1)) compileExpr(a, b.scope());
          b.emit(call(code, () => model.target, periphArgs), l0);
        } else if (model.which === 'sim') {
          b.emit(model.kind === 'lock' ? lock(code, SIM, readSim) : unlock(code, SIM, readSim), l0);
        } else {
          b.emit(model.kind === 'lock' ? lock(code, GIANT) : unlock(code, GIANT), l0);
        }
        return;
      }
      const calls = b.hoist(e, l0, ind);
      const v = compileExpr(e, b.scope(calls));
      b.emit(line(`${ind}${printExpr(e)};`, (c) => { v(c); }), l0);
      return;
    }
    case 'if': {
      const calls = b.hoist(s.cond, l0, ind);
      const cond = compileExpr(s.cond, b.scope(calls));
      const otherwise = b.fresh();
      const end = s.else ? b.fresh() : otherwise;
      b.emit(iff(`${ind}if (${printExpr(s.cond)})`, (c) => cond(c) !== 0, otherwise), l0);
      compileStmts(b, s.then, depth + 1);
      if (s.else) {
        if (!endsFlow(s.then)) {
          const elseLine = s.elseRange?.start.line ?? s.else[0]?.range.start.line ?? l0;
          b.emit(jump(`${ind}} else {`, end), elseLine);
        }
        b.place(otherwise);
        compileStmts(b, s.else, depth + 1);
      }
      b.place(end);
      return;
    }
    case 'return': {
      if (!s.value) {
        b.emit(ret(`${ind}return;`), l0);
        return;
      }
      const calls = b.hoist(s.value, l0, ind);
      const v = compileExpr(s.value, b.scope(calls));
      b.emit(ret(`${ind}return (${printExpr(s.value)});`, v), l0);
      return;
    }
    case 'goto':
      if (!b.userLabels.has(s.label.name)) throw new DriverCompileError(`no label ${s.label.name}: in this routine`, s.label.range);
      b.emit(jump(`${ind}goto ${s.label.name};`, s.label.name), l0);
      return;
    case 'label':
      b.place(s.label.name);
      return;
  }
}

/** Compiles one routine; throws DriverCompileError for what the model cannot run. */
export function compileRoutine(r: CRoutine, opts: RoutineOptions): KFn {
  const returnsInt = r.kind === 'd_open' || r.kind === 'd_close';
  const b = new Builder(opts);
  declare(b, r.body);
  const locals = [...b.locals];
  const entry = ENTRY[r.kind];
  b.emit(line(`\t${entry.code}  /* on entry */`, (c) => {
    entry.run(c);
    for (const name of locals) c.l[name] = 0;
  }), r.range.start.line);
  compileStmts(b, r.body, 1);
  const closing = r.range.end.line;
  for (const s of opts.epilogue ?? []) b.emit(s, closing);
  if (!endsFlow(r.body) || b.hasPending() || (opts.epilogue?.length ?? 0) > 0) {
    b.emit(returnsInt ? ret('\treturn (0);  /* the end of the routine */') : ret('}'), closing);
  }
  const name = routineFunctionName(opts.driver, r.kind);
  const fn = kfn(SCENARIO_FILE, name, `the scenario's driver ${opts.driver}: ${r.kind}`, SIGNATURES[r.kind](name), b.steps);
  // kfn keeps one label per step; a routine may put several on one (a user's `out:` and the end of an if).
  for (const s of fn.steps) s.label = undefined;
  fn.labels = b.labels;
  fn.firstLine = r.range.start.line + 1;
  fn.lastLine = closing + 1;
  return fn;
}
