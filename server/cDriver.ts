// What is under the cursor inside a `driver` block (a kernel call, a name, a
// field, a flag, a routine), and the hover text of each: the kernel calls' real
// prototypes, FreeBSD sources and effects, the fields, flags and constants.

import type { Position, Range } from 'vscode-languageserver';
import type { Scenario } from '../core/scenario';
import type { CExpr, CRoutine, CStmt, DriverDecl } from '../core/scenario/cAst';
import { C_FIELDS, C_OTHER_CONSTANTS, C_POINTERS, cConstant, hasDFlag } from '../core/scenario/c/names';
import { ERRNO, FLAG_CONSTANTS } from '../core/scenario';
import { kernelCall, type KernelCall } from '../core/kernel/kernelCalls';

function touches(r: Range, pos: Position): boolean {
  const before = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(r.start, pos) && before(pos, r.end);
}

export type CNode =
  | { kind: 'call'; call: KernelCall | undefined; id: { name: string; range: Range } }
  | { kind: 'name'; name: string; range: Range; local?: Range }
  | { kind: 'field'; object: string; field: string; range: Range }
  | { kind: 'object'; name: string; range: Range }
  | { kind: 'routine'; routine: CRoutine; range: Range }
  | { kind: 'flag-decl'; name: string; value: number; range: Range }
  | { kind: 'd-flag'; name: string; range: Range }
  | { kind: 'driver-name'; range: Range }
  | { kind: 'label'; name: string; range: Range };

export function driverAt(s: Scenario, pos: Position): DriverDecl | undefined {
  return s.drivers.find((d) => touches(d.range, pos));
}

export function routineAt(d: DriverDecl, pos: Position): CRoutine | undefined {
  return d.routines.find((r) => touches(r.range, pos));
}

/** The locals declared in a routine, with where. */
export function localsOf(r: CRoutine): Map<string, Range> {
  const out = new Map<string, Range>();
  forEachCStmt(r.body, (st) => {
    if (st.kind === 'decl' && !out.has(st.name.name)) out.set(st.name.name, st.name.range);
  });
  return out;
}

export function forEachCStmt(stmts: readonly CStmt[], visit: (st: CStmt) => void): void {
  for (const st of stmts) {
    visit(st);
    if (st.kind === 'if') {
      forEachCStmt(st.then, visit);
      if (st.else) forEachCStmt(st.else, visit);
    }
  }
}

/** Every expression of a statement (not of nested statements). */
export function stmtExprs(st: CStmt): CExpr[] {
  switch (st.kind) {
    case 'decl':
      return st.init ? [st.init] : [];
    case 'assign':
      return [st.target, st.value];
    case 'incdec':
      return [st.target];
    case 'expr':
      return [st.expr];
    case 'if':
      return [st.cond];
    case 'return':
      return st.value ? [st.value] : [];
    default:
      return [];
  }
}

/** Calls `visit` on every expression node, outermost first. */
export function forEachCExpr(e: CExpr, visit: (e: CExpr) => void): void {
  visit(e);
  switch (e.kind) {
    case 'unary':
      forEachCExpr(e.operand, visit);
      break;
    case 'binary':
      forEachCExpr(e.left, visit);
      forEachCExpr(e.right, visit);
      break;
    case 'call':
      for (const a of e.args) forEachCExpr(a, visit);
      break;
    default:
      break;
  }
}

export function cNodeAt(d: DriverDecl, pos: Position): CNode | undefined {
  if (d.name.name && touches(d.name.range, pos)) return { kind: 'driver-name', range: d.name.range };
  for (const n of d.dFlags?.names ?? []) if (touches(n.range, pos)) return { kind: 'd-flag', name: n.name, range: n.range };
  for (const f of d.softcFlags) if (touches(f.name.range, pos)) return { kind: 'flag-decl', name: f.name.name, value: f.value, range: f.name.range };
  const r = routineAt(d, pos);
  if (!r) return undefined;
  if (touches(r.name.range, pos)) return { kind: 'routine', routine: r, range: r.name.range };
  const locals = localsOf(r);
  let found: CNode | undefined;
  forEachCStmt(r.body, (st) => {
    if (found) return;
    if (st.kind === 'decl' && touches(st.name.range, pos)) found = { kind: 'name', name: st.name.name, range: st.name.range, local: st.name.range };
    if ((st.kind === 'goto' || st.kind === 'label') && touches(st.label.range, pos)) found = { kind: 'label', name: st.label.name, range: st.label.range };
    for (const e of stmtExprs(st)) {
      forEachCExpr(e, (x) => {
        if (found) return;
        if (x.kind === 'call' && touches(x.callee.range, pos)) found = { kind: 'call', call: kernelCall(x.callee.name), id: x.callee };
        else if (x.kind === 'name' && touches(x.range, pos)) found = { kind: 'name', name: x.name, range: x.range, local: locals.get(x.name) };
        else if (x.kind === 'field' && touches(x.field.range, pos)) found = { kind: 'field', object: x.object.name, field: x.field.name, range: x.field.range };
        else if (x.kind === 'field' && touches(x.object.range, pos)) found = { kind: 'object', name: x.object.name, range: x.object.range };
      });
    }
  });
  return found;
}

export function kernelCallMarkdown(k: KernelCall): string {
  return [`\`\`\`c\n${k.prototype}\n\`\`\``, '', k.effect, '', `FreeBSD source: \`${k.source}\``].join('\n');
}

const ROUTINE_DOCS: Record<CRoutine['kind'], string> = {
  d_open: "The driver's open routine (cdevsw d_open): devfs calls it for every open(2) of the device. It returns 0 or an errno.",
  d_close: "The driver's close routine (cdevsw d_close): devfs calls it on the last close of the device, or on every close with D_TRACKCLOSE. It returns 0 or an errno.",
  oninvalidate: "Called by cam_periph_invalidate when the device goes away, with the SIM mutex held (periph_oninval).",
  devgonecb: 'Called by destroy_dev once the cdev is gone (d_gonecb): the place that drops the reference the devfs node held.',
};

/** A user driver in a few lines: its flags, routines and whether it tracks closes. */
export function userDriverMarkdown(d: DriverDecl): string {
  const track = hasDFlag(d, 'D_TRACKCLOSE');
  const lines = [
    `**driver ${d.name.name}** (written in this file, line ${d.name.range.start.line + 1})`,
    '',
    `d_flags: ${d.dFlags?.names.map((n) => `\`${n.name}\``).join(' | ') || '0'} — ${track ? 'd_close runs on every close (D_TRACKCLOSE)' : 'without D_TRACKCLOSE, devfs calls d_close only on the last close'}.`,
    `Routines: ${d.routines.map((r) => `\`${r.kind}\``).join(', ') || 'none'}; resting refcount ${d.resting?.value ?? 1}.`,
  ];
  if (d.softcFlags.length) lines.push(`Softc flags: ${d.softcFlags.map((f) => `\`${f.name.name}\` = 0x${f.value.toString(16)}`).join(', ')}.`);
  return lines.join('\n');
}

export function cNodeMarkdown(d: DriverDecl, node: CNode): string | undefined {
  switch (node.kind) {
    case 'call':
      return node.call ? kernelCallMarkdown(node.call) : undefined;
    case 'driver-name':
      return userDriverMarkdown(d);
    case 'routine':
      return `**${node.routine.kind}** — ${ROUTINE_DOCS[node.routine.kind]}\n\n\`periph\` and \`softc\` are in scope.`;
    case 'flag-decl':
      return `**${node.name}** = 0x${node.value.toString(16)} — a softc flag of driver ${d.name.name}; in routines \`softc->flags & ${node.name}\`, in expectations \`DEVICE.softc_flags & ${node.name}\`.`;
    case 'd-flag':
      return Object.prototype.hasOwnProperty.call(FLAG_CONSTANTS, node.name)
        ? `**${node.name}** = 0x${FLAG_CONSTANTS[node.name].toString(16)} — cdevsw d_flags (sys/sys/conf.h). ${node.name === 'D_TRACKCLOSE' ? 'devfs calls d_close on every close, not only the last.' : node.name === 'D_NEEDGIANT' ? 'devfs holds Giant around d_open and d_close.' : ''}`
        : undefined;
    case 'label':
      return `**${node.name}** — a label of this routine (\`goto ${node.name};\` jumps here).`;
    case 'object': {
      const p = C_POINTERS.find((x) => x.name === node.name);
      return p ? `**${p.name}** — ${p.doc}` : undefined;
    }
    case 'field': {
      const list = C_FIELDS[node.object as 'softc' | 'periph'];
      const f = list?.find((x) => x.name === node.field);
      return f ? `**${node.object}->${f.name}**${f.writable ? '' : ' (read-only)'} — ${f.doc}` : undefined;
    }
    case 'name':
      return nameMarkdown(d, node.name, node.local);
  }
}

function nameMarkdown(d: DriverDecl, name: string, local: Range | undefined): string | undefined {
  if (local) return `**int ${name}** — a local of this routine (declared on line ${local.start.line + 1}).`;
  const flag = d.softcFlags.find((f) => f.name.name === name);
  if (flag) return `**${name}** = 0x${flag.value.toString(16)} — a softc flag of driver ${d.name.name} (line ${flag.name.range.start.line + 1}).`;
  const p = C_POINTERS.find((x) => x.name === name);
  if (p) return `**${p.name}** — ${p.doc}`;
  const v = cConstant(name);
  if (v === undefined) return undefined;
  if (Object.prototype.hasOwnProperty.call(ERRNO, name)) return `**${name}** = ${v} — errno value (sys/sys/errno.h).`;
  if (Object.prototype.hasOwnProperty.call(C_OTHER_CONSTANTS, name)) return `**${name}** = ${v} — ${C_OTHER_CONSTANTS[name].doc}`;
  return `**${name}** = 0x${v.toString(16)} — ${name.startsWith('CAM_PERIPH_') ? 'struct cam_periph flags (sys/cam/cam_periph.h)' : 'cdevsw d_flags (sys/sys/conf.h)'}.`;
}
