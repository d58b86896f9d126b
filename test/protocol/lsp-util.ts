// Helpers of the language-server tests: samples, ranges found by their text,
// edits applied to a text, and checks that a response is well formed.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { SAMPLES } from './lsp-client';
import { explore } from '../../core/engine/explore/explore';
import { loadScenario } from '../../core/engine/scenarioRun';

export function sample(name: string): string {
  return fs.readFileSync(path.join(SAMPLES, name), 'utf8');
}

export function sampleNames(): string[] {
  return fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.camsim')).sort();
}

/** The range of the `occurrence`-th `needle` on 0-based `line`. */
export function rangeOf(text: string, line: number, needle: string, occurrence = 1): Range {
  const src = text.split(/\r\n|\r|\n/)[line];
  if (src === undefined) throw new Error(`no line ${line}`);
  let at = -1;
  for (let k = 0; k < occurrence; k++) {
    at = src.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' (#${occurrence}) is not on line ${line}: ${src}`);
  }
  return { start: { line, character: at }, end: { line, character: at + needle.length } };
}

/** The 0-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split(/\r\n|\r|\n/).findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line contains '${needle}'`);
  return i;
}

/** A position inside the `occurrence`-th `needle` on its line (offset characters in). */
export function at(text: string, needle: string, offset = 0, line = lineOf(text, needle)): Position {
  const r = rangeOf(text, line, needle);
  return { line, character: r.start.character + offset };
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'camsim', 1, text), [...edits]);
}

export function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit): string {
  return applyEdits(text, edit.changes?.[uri] ?? []);
}

/**
 * What `camsim check` says of a scenario text: the explorer's verdict on every
 * expectation (true: all hold, false: one fails, undefined: undecided), or the
 * first error when the text does not even compile.
 */
export function checkVerdict(text: string): { ok: boolean | undefined; failed: string[]; error?: string } {
  const loaded = loadScenario(text);
  if (!loaded.config) return { ok: false, failed: [], error: loaded.diagnostics.find((d) => d.severity === 'error')?.message };
  const report = explore(loaded.config, loaded.scenario, text);
  return { ok: report.ok, failed: report.expectations.filter((e) => e.verdict !== 'held').map((e) => `${e.text}: ${e.detail}`) };
}

// ---- well-formedness ----

function isPosition(p: unknown): p is Position {
  const q = p as Position;
  return !!q && Number.isInteger(q.line) && Number.isInteger(q.character) && q.line >= 0 && q.character >= 0;
}

/** Whether `r` is a range of `text` (positions inside it, start before end). */
export function validRange(r: unknown, text: string): boolean {
  const q = r as Range;
  if (!q || !isPosition(q.start) || !isPosition(q.end)) return false;
  const lines = text.split(/\r\n|\r|\n/);
  const inside = (p: Position): boolean => p.line < lines.length && p.character <= lines[p.line].length;
  const ordered = q.start.line < q.end.line || (q.start.line === q.end.line && q.start.character <= q.end.character);
  return inside(q.start) && inside(q.end) && ordered;
}

/** Every `range` (and `selectionRange`, `location.range`) anywhere in a value lies in `text`. */
export function rangesWithin(value: unknown, text: string, where = 'response'): string[] {
  const problems: string[] = [];
  const visit = (v: unknown, at: string): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${at}[${i}]`));
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if ((k === 'range' || k === 'selectionRange') && !validRange(x, text)) problems.push(`${at}.${k} = ${JSON.stringify(x)}`);
      else visit(x, `${at}.${k}`);
    }
  };
  visit(value, where);
  return problems;
}

/** A diagnostic's message as text (LSP 3.18 allows Markup). */
export function messageOf(d: { message: string | { value: string } }): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
