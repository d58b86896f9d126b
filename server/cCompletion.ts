// Completion inside a `driver` block: the driver's items between routines, and
// in a routine the kernel calls, the driver's flags, the locals, softc-> and
// periph-> fields, errno and CAM constants and the C words of the subset.

import { CompletionItemKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver';
import type { DriverDecl } from '../core/scenario/cAst';
import { KERNEL_CALLS } from '../core/kernel/kernelCalls';
import { ERRNO } from '../core/scenario';
import { C_FIELDS, C_OTHER_CONSTANTS, C_POINTERS, cConstant, D_FLAG_NAMES } from '../core/scenario/c/names';
import { FLAG_CONSTANTS } from '../core/scenario';
import { kernelCallMarkdown, localsOf, routineAt } from './cDriver';
import { toItem, type Candidate } from './completionItem';


const C_KEYWORDS: readonly { label: string; doc: string; snippet: string }[] = [
  { label: 'int', doc: 'Declares an int local, e.g. int error;', snippet: 'int ${1:error};' },
  { label: 'if', doc: 'if (COND) STATEMENT [else STATEMENT]', snippet: 'if (${1:cond}) {\n\t$0\n}' },
  { label: 'else', doc: 'The branch taken when the if condition is false.', snippet: 'else' },
  { label: 'return', doc: 'return (0); or return (ERRNO); in d_open and d_close; return; in the others.', snippet: 'return (${1:0});' },
  { label: 'goto', doc: 'Jumps to a label of the same routine (goto bad;).', snippet: 'goto ${1:bad};' },
];

const DRIVER_ITEMS: readonly { label: string; doc: string; snippet: string }[] = [
  { label: 'd_flags', doc: 'cdevsw flags: 0, D_TRACKCLOSE (d_close on every close), D_NEEDGIANT (Giant held around open and close).', snippet: 'd_flags = ${1|D_TRACKCLOSE,0,D_NEEDGIANT|};' },
  { label: 'softc_flags', doc: "The driver's softc flag bits, by name.", snippet: 'softc_flags ${1:MY_FLAG_OPEN} = ${2:0x01};' },
  { label: 'resting', doc: 'The periph refcount at rest with no opens (1: the devfs node holds a reference, dropped by devgonecb).', snippet: 'resting = ${1:1};' },
  { label: 'd_open', doc: 'The open routine (cdevsw d_open), in C.', snippet: 'd_open {\n\t$0\n\treturn (0);\n}' },
  { label: 'd_close', doc: 'The close routine (cdevsw d_close), in C.', snippet: 'd_close {\n\t$0\n\treturn (0);\n}' },
  { label: 'oninvalidate', doc: 'Called by cam_periph_invalidate with the SIM mutex held.', snippet: 'oninvalidate {\n\t$0\n}' },
  { label: 'devgonecb', doc: 'Called once the cdev is destroyed (d_gonecb).', snippet: 'devgonecb {\n\t$0\n}' },
];

/** The completion items at `pos` inside driver `d`; `before` is the line up to the cursor. */
export function completeInDriver(d: DriverDecl, before: string, pos: Position, snippets: boolean, trigger?: string): CompletionItem[] {
  if (/\/\/|\/\*(?!.*\*\/)/.test(before)) return []; // in a comment
  const m = /([A-Za-z_]\w*)$/.exec(before);
  const partial = m ? m[1] : '';
  const head = before.slice(0, before.length - partial.length);
  const replace: Range = { start: { line: pos.line, character: pos.character - partial.length }, end: pos };
  const arrow = /\b(softc|periph)\s*->\s*$/.exec(head);
  if (trigger === '>' && !arrow) return [];
  if ((trigger === ' ' || trigger === ':' || trigger === '.') && !/d_flags\s*=\s*$/.test(head)) return [];
  let list: Candidate[];
  const r = routineAt(d, pos);
  if (arrow) {
    const obj = arrow[1] as 'softc' | 'periph';
    list = C_FIELDS[obj].map((f) => ({ label: f.name, kind: CompletionItemKind.Field, detail: `${obj}->${f.name}${f.writable ? '' : ' (read-only)'}`, doc: f.doc }));
  } else if (/d_flags\s*=\s*([\w\s|]*\|\s*)?$/.test(head)) {
    list = D_FLAG_NAMES.map((n) => ({ label: n, kind: CompletionItemKind.EnumMember, detail: `0x${(FLAG_CONSTANTS[n] ?? 0).toString(16)}`, doc: 'cdevsw d_flags (sys/sys/conf.h)' }));
  } else if (!r || (r && pos.line === r.name.range.start.line && pos.character <= r.name.range.end.character)) {
    list = DRIVER_ITEMS.map((i) => ({ label: i.label, kind: CompletionItemKind.Keyword, detail: 'driver item', doc: i.doc, snippet: i.snippet }));
  } else {
    list = [
      ...KERNEL_CALLS.map((k) => ({ label: k.name, kind: CompletionItemKind.Function, detail: k.prototype, doc: kernelCallMarkdown(k), snippet: `${k.name}(${k.params.map((p, i) => (p === 'periph' ? 'periph' : p === 'm' ? '&Giant' : `\${${i + 1}:${p === 'priority' ? 'PRIBIO' : p}}`)).join(', ')})` })),
      ...d.softcFlags.map((f) => ({ label: f.name.name, kind: CompletionItemKind.EnumMember, detail: `0x${f.value.toString(16)}`, doc: `A softc flag of driver ${d.name.name}.` })),
      ...[...localsOf(r).keys()].map((n) => ({ label: n, kind: CompletionItemKind.Variable, detail: 'int', doc: 'A local of this routine.' })),
      ...C_POINTERS.filter((p) => p.name !== 'Giant').map((p) => ({ label: p.name, kind: CompletionItemKind.Variable, detail: p.name === 'periph' ? 'struct cam_periph *' : 'softc *', doc: p.doc })),
      ...Object.keys(ERRNO).filter((n) => n !== 'ERESTART').map((n) => ({ label: n, kind: CompletionItemKind.Constant, detail: `errno ${ERRNO[n]}`, doc: 'errno value (sys/sys/errno.h)' })),
      ...Object.keys(C_OTHER_CONSTANTS).map((n) => ({ label: n, kind: CompletionItemKind.Constant, detail: String(cConstant(n)), doc: C_OTHER_CONSTANTS[n].doc })),
      ...Object.keys(FLAG_CONSTANTS).filter((n) => n.startsWith('CAM_PERIPH_')).map((n) => ({ label: n, kind: CompletionItemKind.Constant, detail: `0x${FLAG_CONSTANTS[n].toString(16)}`, doc: 'struct cam_periph flags (sys/cam/cam_periph.h), for periph->flags' })),
      ...C_KEYWORDS.map((k) => ({ label: k.label, kind: CompletionItemKind.Keyword, detail: 'C', doc: k.doc, snippet: k.snippet })),
    ];
  }
  return list.map((c, i) => toItem(c, replace, i, snippets));
}
