// The path analysis of one routine of a driver written in C: every path through
// its statements (if/else, goto, return), following the locks it holds, the
// periph references it takes and gives back, and the values of its locals as far
// as they are known. It reports a return with the periph lock or Giant held, a
// lock taken twice or dropped without being held, a call that needs the SIM
// mutex made without it, references kept on an error return or unbalanced
// between paths, and statements no path reaches.
//
// The kernel calls that can fail (cam_periph_acquire, cam_periph_hold, scsi_io)
// split a path in two, one per outcome; a condition the analysis cannot decide
// (softc->flags, periph->refcount) follows both branches.

import type { Diagnostic, Range } from '../ast';
import type { CExpr, CRoutine, CStmt, DriverDecl } from '../cAst';
import { ERRNO } from '../fields';
import { cConstant, hasDFlag, softcFlagValue } from './names';

/** Beyond this many distinct (statement, state) pairs the routine is not analysed (no path diagnostics). */
const MAX_STATES = 20_000;
const MAX_REFS = 4;

export interface RoutineSummary {
  /** The periph references kept by every successful return (0 returned), when they all agree. */
  successRefs?: number;
}

type Node =
  | { op: 'stmt'; stmt: CStmt; next: number }
  | { op: 'branch'; stmt: Extract<CStmt, { kind: 'if' }>; t: number; f: number }
  | { op: 'jump'; stmt?: Extract<CStmt, { kind: 'goto' }>; target: number }
  | { op: 'ret'; stmt: Extract<CStmt, { kind: 'return' }> }
  | { op: 'end' };

interface State {
  /** Where the periph lock was taken on this path, or undefined when not held. */
  lock?: Range;
  giant?: Range;
  refs: number;
  holds: number;
  /** Where the first reference of this path was taken. */
  refAt?: Range;
  locals: Record<string, number | undefined>;
}

type Value = number | undefined;

function flatten(body: readonly CStmt[]): { nodes: Node[]; labels: Map<string, number> } {
  const nodes: Node[] = [];
  const labels = new Map<string, number>();
  const gotos: { node: Extract<Node, { op: 'jump' }>; label: string }[] = [];
  const emit = (stmts: readonly CStmt[]): void => {
    for (const st of stmts) {
      switch (st.kind) {
        case 'if': {
          const b: Extract<Node, { op: 'branch' }> = { op: 'branch', stmt: st, t: 0, f: 0 };
          nodes.push(b);
          b.t = nodes.length;
          emit(st.then);
          if (st.else) {
            const skip: Extract<Node, { op: 'jump' }> = { op: 'jump', target: 0 };
            nodes.push(skip);
            b.f = nodes.length;
            emit(st.else);
            skip.target = nodes.length;
          } else b.f = nodes.length;
          break;
        }
        case 'goto': {
          const j: Extract<Node, { op: 'jump' }> = { op: 'jump', stmt: st, target: -1 };
          nodes.push(j);
          gotos.push({ node: j, label: st.label.name });
          break;
        }
        case 'return':
          nodes.push({ op: 'ret', stmt: st });
          break;
        default:
          if (st.kind === 'label' && !labels.has(st.label.name)) labels.set(st.label.name, nodes.length);
          nodes.push({ op: 'stmt', stmt: st, next: nodes.length + 1 });
      }
    }
  };
  emit(body);
  nodes.push({ op: 'end' });
  // an unknown label is reported by the checker; the path ends there
  for (const g of gotos) g.node.target = labels.get(g.label) ?? nodes.length - 1;
  return { nodes, labels };
}

function key(at: number, s: State): string {
  const r = (x: Range | undefined): string => (x ? `${x.start.line}:${x.start.character}` : '-');
  return `${at}|${r(s.lock)}|${r(s.giant)}|${s.refs}|${s.holds}|${r(s.refAt)}|${JSON.stringify(s.locals)}`;
}

const clone = (s: State): State => ({ ...s, locals: { ...s.locals } });
const clampRefs = (n: number): number => Math.max(-MAX_REFS, Math.min(MAX_REFS, n));
const lineOf = (r: Range): number => r.start.line + 1;

export function analyzeRoutine(d: DriverDecl, r: CRoutine, out: Diagnostic[]): RoutineSummary {
  const { nodes } = flatten(r.body);
  const reported = new Set<string>();
  const found: Diagnostic[] = [];
  const report = (range: Range, code: string, message: string, severity: Diagnostic['severity'], related?: Diagnostic['related']): void => {
    const k = `${code}@${range.start.line}:${range.start.character}`;
    if (reported.has(k)) return;
    reported.add(k);
    const dg: Diagnostic = { range, message, severity, code };
    if (related?.length) dg.related = related;
    found.push(dg);
  };
  const entry: State = { refs: 0, holds: 0, locals: {} };
  const fromKernel = r.kind === 'oninvalidate'; // cam_periph_invalidate calls it under the SIM mutex
  if (fromKernel) entry.lock = r.name.range;
  if ((r.kind === 'd_open' || r.kind === 'd_close') && hasDFlag(d, 'D_NEEDGIANT')) entry.giant = r.name.range;

  const reached = new Array<boolean>(nodes.length).fill(false);
  const seen = new Set<string>();
  const work: { at: number; s: State }[] = [{ at: 0, s: entry }];
  const successRefs = new Set<number>();
  const refsByClass = new Map<string, { refs: number; range: Range }>();
  let overflow = false;

  // ---- expressions: every outcome (value and state) ----
  const evalExpr = (e: CExpr, s: State): { v: Value; s: State }[] => {
    switch (e.kind) {
      case 'num':
        return [{ v: e.value, s }];
      case 'name': {
        if (Object.prototype.hasOwnProperty.call(s.locals, e.name)) return [{ v: s.locals[e.name], s }];
        return [{ v: cConstant(e.name) ?? softcFlagValue(d, e.name), s }];
      }
      case 'field':
        return [{ v: undefined, s }];
      case 'unary':
        return evalExpr(e.operand, s).map(({ v, s: s2 }) => ({
          v: v === undefined || e.op === '&' ? undefined : e.op === '!' ? Number(!v) : e.op === '~' ? ~v : -v,
          s: s2,
        }));
      case 'binary': {
        const res: { v: Value; s: State }[] = [];
        for (const l of evalExpr(e.left, s)) {
          if (e.op === '&&' && l.v === 0) res.push({ v: 0, s: l.s });
          else if (e.op === '||' && l.v !== undefined && l.v !== 0) res.push({ v: 1, s: l.s });
          else {
            for (const rr of evalExpr(e.right, l.s)) res.push({ v: binary(e.op, l.v, rr.v), s: rr.s });
          }
        }
        return res;
      }
      case 'call': {
        let states: State[] = [s];
        for (const a of e.args) states = states.flatMap((st) => evalExpr(a, st).map((o) => o.s));
        return states.flatMap((st) => call(e, st));
      }
    }
  };

  const binary = (op: string, a: Value, b: Value): Value => {
    if (op === '&&') return a === undefined || b === undefined ? (a === 0 || b === 0 ? 0 : undefined) : Number(!!a && !!b);
    if (op === '||') return a === undefined || b === undefined ? (a ? 1 : b ? 1 : undefined) : Number(!!a || !!b);
    if (a === undefined || b === undefined) return undefined;
    switch (op) {
      case '|': return a | b;
      case '&': return a & b;
      case '^': return a ^ b;
      case '<<': return a << b;
      case '>>': return a >> b;
      case '==': return Number(a === b);
      case '!=': return Number(a !== b);
      case '<': return Number(a < b);
      case '<=': return Number(a <= b);
      case '>': return Number(a > b);
      case '>=': return Number(a >= b);
      case '+': return a + b;
      case '-': return a - b;
    }
    return undefined;
  };

  const needLock = (e: Extract<CExpr, { kind: 'call' }>, s: State): void => {
    if (!s.lock) report(e.range, 'needs-periph-lock', `${e.callee.name} needs the periph lock (the SIM mutex), which is not held here on some path: call cam_periph_lock(periph) first`, 'warning');
  };

  const call = (e: Extract<CExpr, { kind: 'call' }>, s0: State): { v: Value; s: State }[] => {
    const s = clone(s0);
    const name = e.callee.name;
    const addRef = (st: State, n: number): State => {
      if (n > 0 && st.refs <= 0 && !st.refAt) st.refAt = e.range;
      st.refs = clampRefs(st.refs + n);
      return st;
    };
    switch (name) {
      case 'cam_periph_acquire':
        return [{ v: 0x01, s: addRef(clone(s), 1) }, { v: 0x04, s }];
      case 'cam_periph_release':
        if (s.lock) report(e.range, 'lock-recursion', `cam_periph_release takes the SIM mutex, which this path already holds (cam_periph_lock on line ${lineOf(s.lock)}): it would recurse on a non-recursive mutex; use cam_periph_release_locked`, 'error', [{ range: s.lock, message: 'the periph lock is taken here' }]);
        return [{ v: undefined, s: addRef(s, -1) }];
      case 'cam_periph_release_locked':
        needLock(e, s);
        return [{ v: undefined, s: addRef(s, -1) }];
      case 'cam_periph_lock':
        if (s.lock) report(e.range, 'double-lock', `the periph lock is already held here on some path (taken on line ${lineOf(s.lock)}): taking it again deadlocks`, 'error', [{ range: s.lock, message: 'taken here' }]);
        s.lock = e.range;
        return [{ v: undefined, s }];
      case 'cam_periph_unlock':
        if (!s.lock) report(e.range, 'unlock-not-held', 'cam_periph_unlock without the periph lock held on some path: the kernel panics (mutex not owned)', 'error');
        s.lock = undefined;
        return [{ v: undefined, s }];
      case 'cam_periph_hold': {
        needLock(e, s);
        const ok = addRef(clone(s), 1);
        ok.holds = clampRefs(ok.holds + 1);
        return [{ v: 0, s: ok }, { v: ERRNO.ENXIO, s }];
      }
      case 'cam_periph_unhold':
        needLock(e, s);
        s.holds = clampRefs(s.holds - 1);
        return [{ v: undefined, s: addRef(s, -1) }];
      case 'cam_periph_invalidate':
        needLock(e, s);
        return [{ v: undefined, s }];
      case 'mtx_lock':
        if (s.giant) report(e.range, 'double-lock', `Giant is already held here on some path (line ${lineOf(s.giant)}${s.giant === r.name.range ? ', by devfs for a D_NEEDGIANT driver' : ''}): taking it again deadlocks`, 'error', [{ range: s.giant, message: 'taken here' }]);
        s.giant = e.range;
        return [{ v: undefined, s }];
      case 'mtx_unlock':
        if (!s.giant) report(e.range, 'unlock-not-held', 'mtx_unlock(&Giant) without Giant held on some path: the kernel panics (mutex not owned)', 'error');
        s.giant = undefined;
        return [{ v: undefined, s }];
      case 'scsi_io':
        needLock(e, s);
        return [{ v: 0, s: clone(s) }, { v: ERRNO.EIO, s }];
    }
    return [{ v: undefined, s }];
  };

  const assignTo = (target: CExpr, v: Value, s: State): void => {
    if (target.kind === 'name') s.locals[target.name] = v === undefined || Math.abs(v) > 1e6 ? undefined : v;
  };

  const exec = (st: CStmt, s: State): State[] => {
    switch (st.kind) {
      case 'decl': {
        if (!st.init) {
          const s2 = clone(s);
          s2.locals[st.name.name] = undefined;
          return [s2];
        }
        return evalExpr(st.init, s).map(({ v, s: s2 }) => {
          const s3 = clone(s2);
          assignTo({ kind: 'name', name: st.name.name, range: st.name.range }, v, s3);
          return s3;
        });
      }
      case 'assign':
        return evalExpr(st.value, s).map(({ v, s: s2 }) => {
          const s3 = clone(s2);
          if (st.target.kind === 'name') {
            const old = s3.locals[st.target.name];
            const nv = st.op === '=' ? v : binary(st.op[0], old, v);
            assignTo(st.target, nv, s3);
          }
          return s3;
        });
      case 'incdec': {
        const s2 = clone(s);
        if (st.target.kind === 'name') assignTo(st.target, binary(st.op[0], s2.locals[st.target.name], 1), s2);
        return [s2];
      }
      case 'expr':
        return evalExpr(st.expr, s).map((o) => o.s);
      default:
        return [s];
    }
  };

  const atExit = (s: State, range: Range, value: Value, what: string): void => {
    if (s.lock && !fromKernel) {
      report(range, 'return-locked', `${r.kind} can ${what} with the periph lock held (cam_periph_lock on line ${lineOf(s.lock)} is not undone on this path): the next cam_periph_lock deadlocks`, 'error', [{ range: s.lock, message: 'the periph lock is taken here' }]);
    }
    if (!s.lock && fromKernel) {
      report(range, 'return-unlocked', `${r.kind} can ${what} without the periph lock, but it is called with the SIM mutex held and must give it back held`, 'error');
    }
    const giantAtEntry = entry.giant !== undefined;
    if (s.giant && !giantAtEntry) {
      report(range, 'return-locked', `${r.kind} can ${what} with Giant held (mtx_lock(&Giant) on line ${lineOf(s.giant)} is not undone on this path): the next mtx_lock(&Giant) deadlocks`, 'error', [{ range: s.giant, message: 'Giant is taken here' }]);
    }
    if (!s.giant && giantAtEntry) {
      report(range, 'return-unlocked', `${r.kind} can ${what} without Giant, which devfs took for this D_NEEDGIANT driver and will drop itself`, 'error');
    }
    if (s.holds > 0) {
      report(range, 'return-held', `${r.kind} can ${what} with the periph held (cam_periph_hold without cam_periph_unhold on this path): the next cam_periph_hold sleeps for ever`, 'warning');
    }
    if (r.kind === 'd_open' && value !== undefined && value !== 0 && s.refs > 0) {
      report(range, 'unbalanced-reference', `d_open fails here (returns ${errnoName(value)}) still holding ${s.refs} periph reference(s) it took${s.refAt ? ` (line ${lineOf(s.refAt)})` : ''}: devfs does not call d_close after a failed open, so the reference leaks`, 'warning', s.refAt ? [{ range: s.refAt, message: 'the reference is taken here' }] : undefined);
      return;
    }
    const cls = value === undefined ? 'unknown' : value === 0 ? 'ok' : 'error';
    if (value === 0 || (!['d_open', 'd_close'].includes(r.kind))) successRefs.add(s.refs);
    const prev = refsByClass.get(cls);
    if (!prev) refsByClass.set(cls, { refs: s.refs, range });
    else if (prev.refs !== s.refs) {
      report(range, 'unbalanced-reference', `${r.kind} ${what === 'return' ? 'returns' : 'ends'} here having changed the periph refcount by ${s.refs}, but by ${prev.refs} on another path (line ${lineOf(prev.range)}): acquire and release are unbalanced along some path (this may be legitimate if another routine, such as d_close for d_open, evens it out)`, 'warning', [{ range: prev.range, message: `the path with ${prev.refs}` }]);
    }
  };

  for (let item = work.pop(); item; item = work.pop()) {
    const { at, s } = item;
    const k = key(at, s);
    if (seen.has(k)) continue;
    if (seen.size >= MAX_STATES) {
      overflow = true;
      break;
    }
    seen.add(k);
    reached[at] = true;
    const n = nodes[at];
    switch (n.op) {
      case 'stmt':
        for (const s2 of exec(n.stmt, s)) work.push({ at: n.next, s: s2 });
        break;
      case 'branch':
        for (const o of evalExpr(n.stmt.cond, s)) {
          if (o.v === undefined || o.v !== 0) work.push({ at: n.t, s: o.s });
          if (o.v === undefined || o.v === 0) work.push({ at: n.f, s: o.s });
        }
        break;
      case 'jump':
        work.push({ at: n.target, s });
        break;
      case 'ret':
        if (n.stmt.value) for (const o of evalExpr(n.stmt.value, s)) atExit(o.s, n.stmt.range, o.v, 'return');
        else atExit(s, n.stmt.range, undefined, 'return');
        break;
      case 'end': {
        const end = r.range.end;
        const brace = { start: { line: end.line, character: Math.max(0, end.character - 1) }, end };
        if (r.kind === 'd_open' || r.kind === 'd_close') {
          report(brace, 'missing-return', `${r.kind} can reach its end without a return: end it with return (0); (or an errno)`, 'error');
        }
        atExit(s, brace, r.kind === 'd_open' || r.kind === 'd_close' ? undefined : 0, 'reach its end');
        break;
      }
    }
  }
  if (overflow) return {};
  out.push(...found);
  reportUnreachable(nodes, reached, out);
  return successRefs.size === 1 ? { successRefs: [...successRefs][0] } : {};
}

function errnoName(v: number): string {
  const name = Object.keys(ERRNO).find((k) => ERRNO[k] === v);
  return name ?? String(v);
}

/** The first statement of each run that no path reaches. */
function reportUnreachable(nodes: readonly Node[], reached: readonly boolean[], out: Diagnostic[]): void {
  let inRun = false;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const stmt = n.op === 'end' ? undefined : n.stmt;
    if (!stmt) continue;
    if (reached[i]) {
      inRun = false;
      continue;
    }
    if (inRun) continue;
    inRun = true;
    out.push({ range: stmt.range, message: 'this code is never reached: every path before it returns or jumps elsewhere', severity: 'warning', code: 'unreachable' });
  }
}
