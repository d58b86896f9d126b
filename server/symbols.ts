// Where each device, process and descriptor of a scenario is named: its
// declarations and every use (statements, the schedule, expression paths).
// Definition, references, rename, highlights and semantic tokens all read this.

import type { Ident, Position, Range, Scenario, Stmt } from '../core/scenario';
import { forEachStmt, indexScenario, lookupPath, visitPaths } from '../core/scenario';
import type { DriverDecl } from '../core/scenario/cAst';
import { forEachCExpr, forEachCStmt, localsOf, stmtExprs } from './cDriver';

export type SymbolRef =
  | { kind: 'device'; name: string }
  | { kind: 'process'; name: string }
  /** A descriptor is scoped to its process: `f` of A and `f` of B are different. */
  | { kind: 'descriptor'; process: string; name: string }
  /** A driver written in the scenario (`driver NAME { ... }`). */
  | { kind: 'driver'; name: string }
  /** A softc flag of a driver written in the scenario. */
  | { kind: 'flag'; name: string };

export interface Occurrence {
  ref: SymbolRef;
  range: Range;
  /** A declaration: `device NAME`, `process NAME`, or an `open ... as FD`. */
  declaration: boolean;
}

export function symbolKey(ref: SymbolRef): string {
  return ref.kind === 'descriptor' ? `descriptor:${ref.process}:${ref.name}` : `${ref.kind}:${ref.name}`;
}

export function describeSymbol(ref: SymbolRef): string {
  if (ref.kind === 'flag') return `softc flag ${ref.name}`;
  return ref.kind === 'descriptor' ? `descriptor ${ref.name} of process ${ref.process}` : `${ref.kind} ${ref.name}`;
}

/** Every occurrence of a declared device, process or descriptor, sorted by position. */
export function collectOccurrences(s: Scenario): Occurrence[] {
  const ix = indexScenario(s);
  const out: Occurrence[] = [];
  const device = (id: Ident, declaration: boolean): void => {
    if (id.name && ix.devices.has(id.name)) out.push({ ref: { kind: 'device', name: id.name }, range: id.range, declaration });
  };
  const process = (id: Ident, declaration: boolean): void => {
    if (id.name && ix.processes.has(id.name)) out.push({ ref: { kind: 'process', name: id.name }, range: id.range, declaration });
  };

  for (const d of s.devices) device(d.name, true);
  for (const p of s.processes) {
    process(p.name, true);
    const proc = p.name.name;
    // statements of a duplicate declaration belong to no symbol: the first one owns the name
    const owner = proc && ix.processes.get(proc) === p;
    forEachStmt(p.body, (st: Stmt) => {
      switch (st.kind) {
        case 'open':
          device(st.device, false);
          if (owner && st.fd.name) out.push({ ref: { kind: 'descriptor', process: proc, name: st.fd.name }, range: st.fd.range, declaration: true });
          break;
        case 'close':
        case 'ioctl':
          if (owner && st.fd.name && ix.descriptors.get(proc)?.has(st.fd.name)) {
            out.push({ ref: { kind: 'descriptor', process: proc, name: st.fd.name }, range: st.fd.range, declaration: false });
          }
          break;
        case 'lose':
          device(st.device, false);
          break;
        case 'repeat':
          break;
      }
    });
  }
  for (const item of s.items) {
    if (item.kind === 'schedule') for (const e of item.entries) process(e.process, false);
  }
  for (const e of s.expectations) if (e.expr) visitPaths(e.expr, (parts) => pathOccurrences(parts, s, out));
  driverOccurrences(s, out);
  out.sort((a, b) => comparePositions(a.range.start, b.range.start));
  return out;
}

/** User drivers (declarations and devices) and their softc flags (declarations, routines, expressions). */
function driverOccurrences(s: Scenario, out: Occurrence[]): void {
  const first = new Map<string, DriverDecl>();
  for (const d of s.drivers) if (d.name.name && !first.has(d.name.name)) first.set(d.name.name, d);
  const flags = new Set(s.drivers.flatMap((d) => d.softcFlags.map((f) => f.name.name)));
  for (const [name, d] of first) out.push({ ref: { kind: 'driver', name }, range: d.name.range, declaration: true });
  for (const dev of s.devices) if (first.has(dev.driver.name)) out.push({ ref: { kind: 'driver', name: dev.driver.name }, range: dev.driver.range, declaration: false });
  for (const d of s.drivers) {
    const declared = new Set<string>();
    for (const f of d.softcFlags) {
      if (!declared.has(f.name.name)) out.push({ ref: { kind: 'flag', name: f.name.name }, range: f.name.range, declaration: true });
      declared.add(f.name.name);
    }
    for (const r of d.routines) {
      const locals = localsOf(r);
      forEachCStmt(r.body, (st) => {
        for (const e of stmtExprs(st)) {
          forEachCExpr(e, (x) => {
            if (x.kind === 'name' && declared.has(x.name) && !locals.has(x.name)) out.push({ ref: { kind: 'flag', name: x.name }, range: x.range, declaration: false });
          });
        }
      });
    }
  }
  for (const e of s.expectations) {
    if (!e.expr) continue;
    visitPaths(e.expr, (parts) => {
      if (parts.length === 1 && flags.has(parts[0].name)) out.push({ ref: { kind: 'flag', name: parts[0].name }, range: parts[0].range, declaration: false });
    });
  }
}


function pathOccurrences(parts: Ident[], s: Scenario, out: Occurrence[]): void {
  const names = parts.map((p) => p.name);
  const root = lookupPath(names.slice(0, 1), s);
  if (root.kind === 'device') out.push({ ref: { kind: 'device', name: root.device }, range: parts[0].range, declaration: false });
  else if (root.kind === 'process-name') {
    out.push({ ref: { kind: 'process', name: root.name }, range: parts[0].range, declaration: false });
    if (parts.length > 1) {
      const second = lookupPath(names.slice(0, 2), s);
      if (second.kind === 'descriptor') {
        out.push({ ref: { kind: 'descriptor', process: second.process, name: second.fd }, range: parts[1].range, declaration: false });
      }
    }
  }
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Whether `pos` is inside `r` or touches its end (a cursor right after a name is on it). */
export function touches(r: Range, pos: Position): boolean {
  return comparePositions(r.start, pos) <= 0 && comparePositions(pos, r.end) <= 0;
}

export function occurrenceAt(occurrences: readonly Occurrence[], pos: Position): Occurrence | undefined {
  // binary search for the last occurrence starting at or before pos
  let lo = 0;
  let hi = occurrences.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comparePositions(occurrences[mid].range.start, pos) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = found; i >= 0 && i >= found - 1; i--) if (touches(occurrences[i].range, pos)) return occurrences[i];
  return undefined;
}

export function occurrencesOf(occurrences: readonly Occurrence[], ref: SymbolRef): Occurrence[] {
  const key = symbolKey(ref);
  return occurrences.filter((o) => symbolKey(o.ref) === key);
}

/** The declaration a use refers to: the first declaration of a device or process, the first open of a descriptor. */
export function definitionOf(s: Scenario, ref: SymbolRef): Range | undefined {
  const ix = indexScenario(s);
  switch (ref.kind) {
    case 'device':
      return ix.devices.get(ref.name)?.name.range;
    case 'process':
      return ix.processes.get(ref.name)?.name.range;
    case 'descriptor':
      return ix.descriptors.get(ref.process)?.get(ref.name)?.fd.range;
    case 'driver':
      return s.drivers.find((d) => d.name.name === ref.name)?.name.range;
    case 'flag':
      return s.drivers.flatMap((d) => d.softcFlags).find((f) => f.name.name === ref.name)?.name.range;
  }
}
