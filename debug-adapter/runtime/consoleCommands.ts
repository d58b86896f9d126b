// Commands of the debug console besides expressions: `why PATH` (the steps that
// wrote a value, newest first) and `help`.

import * as path from 'node:path';
import type { Inspector } from './inspector';

export type CommandResult = { ok: true; text: string } | { ok: false; message: string };

/** Runs `text` when it is a console command; undefined when it is an expression. */
export function consoleCommand(rt: Inspector, text: string, pid?: number): CommandResult | undefined {
  const m = /^(why|help)\b\s*(.*)$/.exec(text.trim());
  if (!m) return undefined;
  return m[1] === 'why' ? why(rt, m[2], pid) : { ok: true, text: HELP };
}

function why(rt: Inspector, expression: string, pid?: number): CommandResult {
  if (!expression) return { ok: false, message: 'why: name a value, e.g. why pass0.refcount' };
  const p = rt.pathOf(expression, pid);
  if (!p.ok) return { ok: false, message: `why: ${p.message}` };
  const { total, writes } = rt.why(p.path);
  if (total === 0) return { ok: true, text: `${p.path}: no step before step ${rt.cursor} wrote it (it has its initial value)` };
  const lines = writes.map((w) => `  step ${w.step}  ${w.process}  ${w.function}  ${path.basename(w.file)}:${w.line}  ${String(w.old)} -> ${String(w.new)}   ${w.code}`);
  const more = total > writes.length ? `\n  ... and ${total - writes.length} older writes` : '';
  return { ok: true, text: `${p.path}: written ${total === 1 ? 'once' : `${total} times`} before step ${rt.cursor}, newest first:\n${lines.join('\n')}${more}` };
}

const HELP = [
  'The debug console evaluates expressions of the scenario language at the current step:',
  '  pass0.refcount          a periph refcount',
  '  A.f.errno               the errno of descriptor f of process A (f.errno in a frame of A)',
  '  pass0.sim_mtx.holder    who holds a lock',
  '  pass0.refcount == 0 && A.blocked',
  'Commands:',
  '  why PATH                the steps that wrote a value, newest first (why pass0.refcount)',
  '  help                    this text',
].join('\n');
