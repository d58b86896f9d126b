// The checks of the drivers written in C in a scenario: names, fields, calls
// and their arity, declarations, and a path analysis of each routine (locks
// held at a return, references taken and not given back, unreachable code).
//
// Missing names (the parser's '' Idents) were reported as syntax errors and are
// skipped here.

import type { Diagnostic, Range, Scenario } from '../ast';
import { DRIVERS } from '../ast';
import type { CExpr, CRoutine, CStmt, DriverDecl } from '../cAst';
import { KERNEL_CALLS, kernelCall } from '../../kernel/kernelCalls';
import { closestName } from '../suggest';
import { flagConstantNames } from '../flags';
import { analyzeRoutine } from './paths';
import { C_FIELDS, C_POINTERS, cConstant, cConstantNames, D_FLAG_NAMES } from './names';

type Related = NonNullable<Diagnostic['related']>;

function diag(range: Range, code: string, message: string, severity: Diagnostic['severity'] = 'error', related?: Related): Diagnostic {
  const d: Diagnostic = { range, message, severity, code };
  if (related && related.length) d.related = related;
  return d;
}

const lineOf = (r: Range): number => r.start.line + 1;
const didYouMean = (s: string | undefined): string => (s ? `; did you mean '${s}'?` : '');
const isVoid = (name: string): boolean => kernelCall(name)?.prototype.startsWith('void') ?? false;

/** Routines that return an int (an errno) to devfs; the others return nothing. */
const INT_ROUTINES: readonly string[] = ['d_open', 'd_close'];

export function checkDrivers(s: Scenario): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, DriverDecl>();
  for (const d of s.drivers) {
    const name = d.name.name;
    if (name) {
      const prev = seen.get(name);
      if (prev) out.push(diag(d.name.range, 'duplicate-driver', `driver ${name} is already declared (line ${lineOf(prev.name.range)})`, 'error', [{ range: prev.name.range, message: `the first declaration of ${name}` }]));
      else seen.set(name, d);
      if ((DRIVERS as readonly string[]).includes(name)) {
        out.push(diag(d.name.range, 'driver-name-clash', `'${name}' is a built-in driver: give your driver another name (for example my${name})`));
      }
    }
    checkDriver(d, out);
  }
  return out;
}

function checkDriver(d: DriverDecl, out: Diagnostic[]): void {
  const what = d.name.name ? `driver ${d.name.name}` : 'the driver';
  for (const f of d.dFlags?.names ?? []) {
    if (!D_FLAG_NAMES.includes(f.name)) {
      out.push(diag(f.range, 'unknown-d-flag', `unknown cdevsw flag '${f.name}'${didYouMean(closestName(f.name, D_FLAG_NAMES))} (d_flags: ${D_FLAG_NAMES.join(', ')} or 0)`));
    }
  }
  const flags = new Map<string, Range>();
  const kernelFlags = new Set([...flagConstantNames(), ...cConstantNames()]);
  for (const f of d.softcFlags) {
    const prev = flags.get(f.name.name);
    if (prev) out.push(diag(f.name.range, 'duplicate-flag', `softc flag ${f.name.name} is already declared (line ${lineOf(prev)})`, 'error', [{ range: prev, message: 'the first declaration' }]));
    else flags.set(f.name.name, f.name.range);
    if (kernelFlags.has(f.name.name)) out.push(diag(f.name.range, 'name-clash', `'${f.name.name}' is already a kernel constant: give the flag a name of the driver's own (e.g. ${(d.name.name || 'MY').toUpperCase()}_FLAG_...)`));
    if (f.value === 0 || (f.value & (f.value - 1)) !== 0) out.push(diag(f.range, 'flag-value', `${f.name.name} = 0x${f.value.toString(16)} is not a single bit: a softc flag is one bit such as 0x01, 0x02, 0x04`, 'warning'));
  }
  const routines = new Map<string, CRoutine>();
  for (const r of d.routines) {
    const prev = routines.get(r.kind);
    if (prev) out.push(diag(r.name.range, 'duplicate-routine', `${what} already has ${r.kind} (line ${lineOf(prev.name.range)})`, 'error', [{ range: prev.name.range, message: `the first ${r.kind}` }]));
    else routines.set(r.kind, r);
    checkRoutine(d, r, out);
  }
  for (const required of ['d_open', 'd_close']) {
    if (!routines.has(required) && d.name.name) {
      out.push(diag(d.name.range, 'missing-routine', `${what} has no ${required}: write ${required} { ... return (0); }`));
    }
  }
  const open = routines.get('d_open');
  const close = routines.get('d_close');
  const o = open ? analyzeRoutine(d, open, out) : undefined;
  const c = close ? analyzeRoutine(d, close, out) : undefined;
  for (const r of routines.values()) if (r !== open && r !== close) analyzeRoutine(d, r, out);
  if (o?.successRefs !== undefined && c?.successRefs !== undefined && close && o.successRefs + c.successRefs !== 0) {
    out.push(diag(close.name.range, 'unbalanced-reference', `d_open keeps ${o.successRefs} periph reference(s) when it succeeds but d_close gives back ${-c.successRefs}: each open and close pair changes the refcount by ${o.successRefs + c.successRefs}`, 'warning'));
  }
}

interface Scope {
  driver: DriverDecl;
  routine: CRoutine;
  locals: Map<string, Range>;
  labels: Map<string, Range>;
  out: Diagnostic[];
}

function collectLabels(stmts: readonly CStmt[], into: Map<string, Range>, out: Diagnostic[]): void {
  for (const st of stmts) {
    if (st.kind === 'label') {
      const prev = into.get(st.label.name);
      if (prev) out.push(diag(st.label.range, 'duplicate-label', `label ${st.label.name} is already defined (line ${lineOf(prev)})`, 'error', [{ range: prev, message: 'the first definition' }]));
      else into.set(st.label.name, st.label.range);
    } else if (st.kind === 'if') {
      collectLabels(st.then, into, out);
      if (st.else) collectLabels(st.else, into, out);
    }
  }
}

function checkRoutine(d: DriverDecl, r: CRoutine, out: Diagnostic[]): void {
  const sc: Scope = { driver: d, routine: r, locals: new Map(), labels: new Map(), out };
  collectLabels(r.body, sc.labels, out);
  checkStmts(sc, r.body);
}

function checkStmts(sc: Scope, stmts: readonly CStmt[]): void {
  for (const st of stmts) checkStmt(sc, st);
}

function checkStmt(sc: Scope, st: CStmt): void {
  const { out } = sc;
  switch (st.kind) {
    case 'decl': {
      if (st.init) checkExpr(sc, st.init, 'value');
      const n = st.name.name;
      const prev = sc.locals.get(n);
      const clash = builtinMeaning(sc, n);
      if (prev) out.push(diag(st.name.range, 'duplicate-local', `${n} is already declared (line ${lineOf(prev)})`, 'error', [{ range: prev, message: 'the first declaration' }]));
      else if (clash) out.push(diag(st.name.range, 'name-clash', `the local '${n}' clashes with ${clash}: choose another name`));
      sc.locals.set(n, st.name.range);
      return;
    }
    case 'assign':
    case 'incdec':
      checkTarget(sc, st.target);
      if (st.kind === 'assign') checkExpr(sc, st.value, 'value');
      return;
    case 'expr':
      if (st.expr.kind === 'call') checkCall(sc, st.expr, 'statement');
      else checkExpr(sc, st.expr, 'value');
      return;
    case 'if':
      checkExpr(sc, st.cond, 'value');
      checkStmts(sc, st.then);
      if (st.else) checkStmts(sc, st.else);
      return;
    case 'return': {
      const r = sc.routine.kind;
      const returnsInt = INT_ROUTINES.includes(r);
      if (st.value) checkExpr(sc, st.value, 'value');
      if (returnsInt && !st.value) out.push(diag(st.range, 'return-value', `${r} returns an int to devfs: write return (0); or return an errno such as return (ENXIO);`));
      if (!returnsInt && st.value) out.push(diag(st.value.range, 'return-value', `${r} returns nothing: write return;`));
      return;
    }
    case 'goto':
      if (!sc.labels.has(st.label.name)) {
        const guess = closestName(st.label.name, [...sc.labels.keys()]);
        out.push(diag(st.label.range, 'unknown-label', `no label '${st.label.name}' in ${sc.routine.kind}${didYouMean(guess)}: a goto jumps to a label of the same routine, written 'NAME:'`));
      }
      return;
    case 'label':
      return;
  }
}

/** What a name would clash with, if anything. */
function builtinMeaning(sc: Scope, name: string): string | undefined {
  if (C_POINTERS.some((p) => p.name === name)) return `the kernel's ${name}`;
  if (cConstant(name) !== undefined) return `the constant ${name}`;
  if (sc.driver.softcFlags.some((f) => f.name.name === name)) return `the softc flag ${name}`;
  if (kernelCall(name)) return `the kernel function ${name}`;
  return undefined;
}

function checkTarget(sc: Scope, e: CExpr): void {
  if (e.kind === 'field') {
    if (!checkField(sc, e)) return;
    const info = C_FIELDS[e.object.name as 'softc' | 'periph'].find((f) => f.name === e.field.name);
    if (info && !info.writable) {
      sc.out.push(diag(e.range, 'read-only-field', `${e.object.name}->${e.field.name} is the kernel's and read-only here: ${e.field.name === 'refcount' ? 'change it with cam_periph_acquire and cam_periph_release' : 'cam_periph_invalidate and cam_periph_hold set these flags'}`));
    }
    return;
  }
  if (e.kind === 'name') {
    if (sc.locals.has(e.name)) return;
    if (builtinMeaning(sc, e.name)) {
      sc.out.push(diag(e.range, 'not-assignable', `${e.name} cannot be assigned: only locals and softc fields can`));
      return;
    }
  }
  checkExpr(sc, e, 'value');
}

/** Whether the field exists (reports it when not). */
function checkField(sc: Scope, e: Extract<CExpr, { kind: 'field' }>): boolean {
  const obj = e.object.name;
  if (obj !== 'softc' && obj !== 'periph') {
    sc.out.push(diag(e.object.range, 'unknown-pointer', `'${obj}->' is not supported: fields are read through softc-> and periph->${didYouMean(closestName(obj, ['softc', 'periph']))}`));
    return false;
  }
  const fields = C_FIELDS[obj].map((f) => f.name);
  if (!fields.includes(e.field.name)) {
    const other = obj === 'softc' ? 'periph' : 'softc';
    const elsewhere = C_FIELDS[other].some((f) => f.name === e.field.name) ? ` (${other}->${e.field.name} exists)` : '';
    const guess = closestName(e.field.name, fields);
    sc.out.push(diag(e.field.range, 'unknown-field', `${obj} has no field '${e.field.name}'${elsewhere} (its fields are ${fields.join(' and ')})${guess ? `: did you mean '${guess}'?` : ''}`));
    return false;
  }
  return true;
}

function checkExpr(sc: Scope, e: CExpr, _ctx: 'value'): void {
  switch (e.kind) {
    case 'num':
      return;
    case 'name':
      return checkName(sc, e);
    case 'field':
      checkField(sc, e);
      return;
    case 'unary':
      if (e.op === '&') {
        if (e.operand.kind !== 'name' || e.operand.name !== 'Giant') sc.out.push(diag(e.range, 'address-of', "'&' is only for &Giant, as in mtx_lock(&Giant)"));
        else sc.out.push(diag(e.range, 'address-of', '&Giant is only an argument of mtx_lock and mtx_unlock'));
        return;
      }
      return checkExpr(sc, e.operand, 'value');
    case 'binary':
      checkExpr(sc, e.left, 'value');
      checkExpr(sc, e.right, 'value');
      return;
    case 'call':
      return checkCall(sc, e, 'value');
  }
}

function checkName(sc: Scope, e: Extract<CExpr, { kind: 'name' }>): void {
  const n = e.name;
  if (sc.locals.has(n) || cConstant(n) !== undefined || sc.driver.softcFlags.some((f) => f.name.name === n)) return;
  if (n === 'periph' || n === 'softc') return;
  if (n === 'Giant') {
    sc.out.push(diag(e.range, 'address-of', 'Giant is a lock: use it only as mtx_lock(&Giant) and mtx_unlock(&Giant)'));
    return;
  }
  if (kernelCall(n)) {
    sc.out.push(diag(e.range, 'unknown-name', `${n} is a kernel function: call it, e.g. ${n}(periph)`));
    return;
  }
  const flags = [...new Set(sc.driver.softcFlags.map((f) => f.name.name))];
  const locals = [...sc.locals.keys()];
  if (/^[A-Z][A-Z0-9_]*$/.test(n)) {
    const guess = closestName(n, [...flags, ...cConstantNames()]);
    const driver = sc.driver.name.name || 'the driver';
    sc.out.push(diag(e.range, 'undeclared-flag', `'${n}' is not a flag of ${driver} nor a kernel constant${didYouMean(guess)}${flags.length ? ` (its flags are ${flags.join(', ')})` : ''}; to add it, declare it in softc_flags, e.g. softc_flags ${n} = 0x02;`));
    return;
  }
  const guess = closestName(n, [...locals, 'periph', 'softc']);
  sc.out.push(diag(e.range, 'unknown-name', `'${n}' is not declared${didYouMean(guess)}: declare a local with int ${n}; before using it`));
}

function checkCall(sc: Scope, e: Extract<CExpr, { kind: 'call' }>, ctx: 'statement' | 'value'): void {
  const name = e.callee.name;
  const k = kernelCall(name);
  if (!k) {
    const names = KERNEL_CALLS.map((c) => c.name);
    sc.out.push(diag(e.callee.range, 'unknown-call', `unknown kernel function '${name}'${didYouMean(closestName(name, names))} (a routine can call ${names.join(', ')})`));
    for (const a of e.args) checkArg(sc, a);
    return;
  }
  if (e.args.length !== k.params.length) {
    sc.out.push(diag(e.range, 'arity', `${name} takes ${k.params.length} argument${k.params.length === 1 ? '' : 's'} (${k.params.join(', ')}), not ${e.args.length}: ${k.prototype}`));
  }
  if (ctx === 'value' && isVoid(name)) sc.out.push(diag(e.range, 'void-value', `${name} returns nothing (${k.prototype}): call it as a statement of its own`));
  e.args.forEach((a, i) => {
    const param = k.params[i];
    if (param === 'periph' && !(a.kind === 'name' && a.name === 'periph')) {
      sc.out.push(diag(a.range, 'argument', `the argument of ${name} is the periph: write ${name}(periph${k.params.length > 1 ? ', ...' : ''})`));
    } else if (param === 'm' && !(a.kind === 'unary' && a.op === '&' && a.operand.kind === 'name' && a.operand.name === 'Giant')) {
      sc.out.push(diag(a.range, 'argument', `the only mutex here is Giant: write ${name}(&Giant)`));
    } else if (param !== 'periph' && param !== 'm') {
      checkArg(sc, a);
    }
  });
}

function checkArg(sc: Scope, a: CExpr): void {
  if (a.kind === 'unary' && a.op === '&' && a.operand.kind === 'name' && a.operand.name === 'Giant') return;
  checkExpr(sc, a, 'value');
}
