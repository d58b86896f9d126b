// Helpers shared by the scenario tests: ranges located by their text, and the
// check that a range lies inside a text.

import type { Diagnostic, Range } from '../../core/scenario';

/** The range of the `occurrence`-th `needle` on 0-based line `line` of `text`. */
export function rangeOf(text: string, line: number, needle: string, occurrence = 1): Range {
  const lines = text.split(/\r\n|\r|\n/);
  const src = lines[line];
  if (src === undefined) throw new Error(`no line ${line}`);
  let at = -1;
  for (let k = 0; k < occurrence; k++) {
    at = src.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' (#${occurrence}) not on line ${line}: ${src}`);
  }
  return { start: { line, character: at }, end: { line, character: at + needle.length } };
}

/** A zero-width range. */
export function point(line: number, character: number): Range {
  return { start: { line, character }, end: { line, character } };
}

/** The zero-width range right after `needle` on a line. */
export function after(text: string, line: number, needle: string, occurrence = 1): Range {
  const r = rangeOf(text, line, needle, occurrence);
  return { start: r.end, end: r.end };
}

export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

/** Whether a range is well formed and lies within the text (LSP positions). */
export function rangeWithin(r: Range, lengths: readonly number[]): boolean {
  const ok = (p: Range['start']): boolean =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lengths.length && p.character >= 0 && p.character <= lengths[p.line];
  const ordered = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return ok(r.start) && ok(r.end) && ordered;
}

/** The diagnostics with a code, as [code, range] pairs (for compact assertions). */
export function byCode(ds: readonly Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === code);
}

export const strip = (text: string): string => text.replace(/^\n/, '');
