// Definition, references, highlights and rename of devices, processes and
// descriptors. Rename refuses a name that is not a plain name or that is taken.

import { DocumentHighlightKind, type DocumentHighlight, type Location, type Position, type Range, type WorkspaceEdit } from 'vscode-languageserver';
import type { Scenario } from '../core/scenario';
import { ERRNO, flagConstantNames, GLOBAL_LOCKS, PROCESS_FIELDS, TASKQ_PROCESS, indexScenario, isKeyword, tokenize } from '../core/scenario';
import type { DocAnalysis } from './analysis';
import { losesDevices } from './scenarioFacts';
import { driverNames } from '../core/kernel/drivers/catalogue';
import { cConstant } from '../core/scenario/c/names';
import { localsOf } from './cDriver';
import { definitionOf, describeSymbol, occurrenceAt, occurrencesOf, type Occurrence, type SymbolRef } from './symbols';

export function definition(a: DocAnalysis, pos: Position): Location | null {
  const occ = occurrenceAt(a.occurrences, pos);
  if (!occ) return null;
  const range = definitionOf(a.scenario, occ.ref);
  return range ? { uri: a.uri, range } : null;
}

export function references(a: DocAnalysis, pos: Position, includeDeclaration: boolean): Location[] {
  const occ = occurrenceAt(a.occurrences, pos);
  if (!occ) return [];
  return occurrencesOf(a.occurrences, occ.ref)
    .filter((o) => includeDeclaration || !o.declaration)
    .map((o) => ({ uri: a.uri, range: o.range }));
}

export function highlights(a: DocAnalysis, pos: Position): DocumentHighlight[] {
  const occ = occurrenceAt(a.occurrences, pos);
  if (!occ) return [];
  return occurrencesOf(a.occurrences, occ.ref).map((o) => ({
    range: o.range,
    kind: o.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
  }));
}

export class RenameError extends Error {}

/** The name under the cursor that can be renamed, or why nothing can be. */
export function prepareRename(a: DocAnalysis, pos: Position): { range: Range; placeholder: string } {
  const occ = renameTarget(a, pos);
  return { range: occ.range, placeholder: nameOf(occ.ref) };
}

export function rename(a: DocAnalysis, pos: Position, newName: string): WorkspaceEdit {
  const occ = renameTarget(a, pos);
  const ref = occ.ref;
  if (newName === nameOf(ref)) return { changes: { [a.uri]: [] } };
  const problem = nameProblem(newName) ?? cNameProblem(ref, newName) ?? takenBy(a.scenario, ref, newName);
  if (problem) throw new RenameError(`cannot rename ${describeSymbol(ref)} to '${newName}': ${problem}`);
  const edits = occurrencesOf(a.occurrences, ref).map((o) => ({ range: o.range, newText: newName }));
  return { changes: { [a.uri]: edits } };
}

function renameTarget(a: DocAnalysis, pos: Position): Occurrence {
  const occ = occurrenceAt(a.occurrences, pos);
  if (!occ) throw new RenameError('only a declared device, process or descriptor, or a driver written in this file and its softc flags, can be renamed');
  return occ;
}

function nameOf(ref: SymbolRef): string {
  return ref.name;
}

/** Why `name` cannot be written as a name, if it cannot. */
function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a name cannot be empty';
  if (isKeyword(name)) return `'${name}' is a keyword`;
  const toks = tokenize(name);
  if (toks.length !== 2 || toks[0].kind !== 'identifier' || toks[0].text !== name) {
    return 'a name is letters, digits and _, starting with a letter or _ (a - may join two words, as in io-error)';
  }
  return undefined;
}

/** Drivers and flags are also C names: no hyphen, no C keyword. */
function cNameProblem(ref: SymbolRef, name: string): string | undefined {
  if (ref.kind !== 'driver' && ref.kind !== 'flag') return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `a ${ref.kind === 'driver' ? 'driver' : 'flag'} name is also a C name: letters, digits and _, starting with a letter or _`;
  if (C_WORDS.has(name)) return `'${name}' is a word of the driver's C`;
  return undefined;
}

const C_WORDS = new Set(['int', 'if', 'else', 'return', 'goto', 'while', 'for', 'do', 'switch', 'case', 'default', 'break', 'continue', 'sizeof', 'struct', 'periph', 'softc', 'Giant', 'driver', 'd_flags', 'softc_flags', 'resting', 'd_open', 'd_close', 'oninvalidate', 'devgonecb']);

/** What already uses `name` where `ref` lives, if anything. */
function takenBy(s: Scenario, ref: SymbolRef, name: string): string | undefined {
  const ix = indexScenario(s);
  if (ref.kind === 'driver') {
    if (driverNames().includes(name)) return `${name} is a built-in driver`;
    if (s.drivers.some((d) => d.name.name === name)) return `driver ${name} already exists`;
    return undefined;
  }
  if (ref.kind === 'flag') {
    if (s.drivers.some((d) => d.softcFlags.some((f) => f.name.name === name))) return `softc flag ${name} already exists`;
    if (cConstant(name) !== undefined || flagConstantNames().includes(name)) return `${name} is a kernel constant`;
    const local = s.drivers.some((d) => d.routines.some((r) => localsOf(r).has(name)));
    if (local) return `a routine has a local named ${name}`;
    return undefined;
  }
  if (ref.kind === 'descriptor') {
    if (ix.descriptors.get(ref.process)?.has(name)) return `process ${ref.process} already has a descriptor ${name}`;
    if (PROCESS_FIELDS.some((f) => f.name === name)) return `${ref.process}.${name} is a field of the process`;
    return undefined;
  }
  if (ix.devices.has(name)) return `device ${name} already exists`;
  if (ix.processes.has(name)) return `process ${name} already exists`;
  if (GLOBAL_LOCKS.some((l) => l.name === name)) return `${name} is a kernel lock in expressions`;
  if (Object.prototype.hasOwnProperty.call(ERRNO, name)) return `${name} is an errno constant`;
  if (flagConstantNames().includes(name)) return `${name} is a flag constant`;
  if (name === 'none') return "'none' means no process in expressions";
  if (name === TASKQ_PROCESS && losesDevices(s)) return `${TASKQ_PROCESS} is the taskqueue thread of this scenario`;
  return undefined;
}
