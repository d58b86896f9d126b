// The layout of a `driver` block: each line re-indented by its brace depth (one
// level per open `{`, one more for the statement of a brace-less if/else), with
// trailing blanks removed. The text of a line is otherwise kept as written:
// comments, spacing inside a line and lines inside a multi-line comment stay.

import { tokenizeC, type CToken } from './lexer';
import type { DriverRegion } from './regions';

/** The formatted text of each line of the region, by zero-based line number. */
export function formatDriverLines(text: string, region: DriverRegion, lines: readonly string[], indent: string): Map<number, string> {
  const { tokens, comments } = tokenizeC(text, region);
  const out = new Map<number, string>();
  const byLine = new Map<number, CToken[]>();
  for (const t of tokens) {
    if (t.kind === 'eof') continue;
    const list = byLine.get(t.range.start.line);
    if (list) list.push(t);
    else byLine.set(t.range.start.line, [t]);
  }
  const insideComment = new Set<number>();
  for (const c of comments) for (let l = c.range.start.line + 1; l <= c.range.end.line; l++) insideComment.add(l);
  const { line: endLine, character: endChar } = tokens[tokens.length - 1].range.end;
  let depth = 0;
  let dangling = false; // the previous code line was `if (...)` or `else` without a brace
  for (let l = region.line; l <= endLine && l < lines.length; l++) {
    // on the last line, what follows the block belongs to the scenario
    const raw = l === endLine ? lines[l].slice(0, endChar) : lines[l];
    const toks = byLine.get(l) ?? [];
    if (insideComment.has(l)) {
      out.set(l, raw.trimEnd());
      continue;
    }
    const trimmed = raw.trim();
    if (!trimmed) {
      out.set(l, '');
      continue;
    }
    const first = toks[0];
    const closesFirst = first !== undefined && first.text === '}' && first.kind === 'punct';
    let level = Math.max(0, depth - (closesFirst ? 1 : 0));
    const opensBlock = first !== undefined && first.text === '{' && first.kind === 'punct';
    if (dangling && !opensBlock && !closesFirst) level++;
    const lead = l === region.line ? raw.slice(region.character).trim() : trimmed;
    out.set(l, indent.repeat(level) + lead);
    for (const t of toks) {
      if (t.kind !== 'punct') continue;
      if (t.text === '{') depth++;
      else if (t.text === '}') depth = Math.max(0, depth - 1);
    }
    if (toks.length) {
      const last = toks[toks.length - 1];
      const startsIf = first.text === 'if' || first.text === 'else' || (closesFirst && toks[1]?.text === 'else');
      dangling = startsIf && ((last.text === ')' && last.kind === 'punct') || (last.text === 'else' && last.kind === 'word'));
    }
  }
  return out;
}
