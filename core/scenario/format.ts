// The canonical layout of a `.camsim` file, for the editor's "Format Document"
// and any command-line use.
//
// The language is line-oriented (one item per line), so the formatter works on
// the lexer's tokens line by line and only ever changes whitespace: the tokens,
// their order and the line each item is on relative to the others stay as they
// are, which is why formatting cannot change what a scenario means. The style:
//   - two spaces of indentation per open `{`;
//   - one space between words, none before `:`, around `.` and `*` (`A*3`),
//     inside parentheses or after a unary `!`/`-`; one space around binary operators;
//   - a comment after an item is separated by two spaces; comment text is kept;
//   - runs of blank lines become one; none at the start or end of the file, right
//     after a line that opens a block or right before a line that closes one;
//   - the file ends with exactly one line break.
// A text with syntax errors is not formatted (its structure is uncertain).
// `driver` blocks are C: c/format.ts re-indents their lines by brace depth.

import { parseScenario } from './parser';
import { tokenize, type Token } from './lexer';
import { findDriverRegions, maskDrivers } from './c/regions';
import { formatDriverLines } from './c/format';

export interface FormatOptions {
  /** The line break to write; by default the text's first one, or '\n'. */
  eol?: '\n' | '\r\n';
  /** One level of indentation; two spaces by default. */
  indent?: string;
}

/** The formatted text, or undefined when the text has syntax errors. */
export function formatScenario(text: string, opts: FormatOptions = {}): string | undefined {
  const parsed = parseScenario(text);
  if (parsed.diagnostics.length > 0) return undefined;
  const eol = opts.eol ?? (/\r?\n/.exec(text)?.[0] === '\r\n' ? '\r\n' : '\n');
  const INDENT = opts.indent ?? '  ';
  const regions = findDriverRegions(text);
  const lines = splitLines(tokenize(maskDrivers(text, regions)));
  const driverLines = new Map<number, string>();
  if (regions.length) {
    const raw = text.split(/\r\n|\r|\n/);
    for (const r of regions) for (const [l, s] of formatDriverLines(text, r, raw, INDENT)) driverLines.set(l, s);
  }
  const out: string[] = [];
  let depth = 0;
  let blankPending = false;
  let lastOpened = false; // the last written line opened a block
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const code = line.filter((t) => t.kind !== 'comment');
    const comment = line.find((t) => t.kind === 'comment');
    const c = driverLines.get(index);
    if (c !== undefined) {
      if (c === '') {
        blankPending = out.length > 0;
        continue;
      }
      if (blankPending && !lastOpened && !/^\s*}/.test(c)) out.push('');
      blankPending = false;
      // what follows the driver's closing brace on its line (a comment) stays after it
      const rest = joinTokens(code) + (comment ? (code.length ? '  ' : '') + comment.text.trimEnd() : '');
      out.push(rest ? `${c}  ${rest}` : c);
      lastOpened = /{\s*(\/\*.*\*\/\s*|\/\/.*)?$/.test(c);
      continue;
    }
    if (line.length === 0) {
      blankPending = out.length > 0;
      continue;
    }
    const closesFirst = code.length > 0 && isPunct(code[0], '}');
    if (closesFirst) depth = Math.max(0, depth - 1);
    // no blank line right after an opening line or right before a closing one
    if (blankPending && !closesFirst && !lastOpened) out.push('');
    blankPending = false;
    let body = joinTokens(code);
    if (comment) body = body ? `${body}  ${comment.text.trimEnd()}` : comment.text.trimEnd();
    out.push(INDENT.repeat(depth) + body);
    const opens = code.filter((t) => isPunct(t, '{')).length;
    const closes = code.filter((t) => isPunct(t, '}')).length - (closesFirst ? 1 : 0);
    depth = Math.max(0, depth + opens - closes);
    lastOpened = opens > closes;
  }
  return out.length ? out.join(eol) + eol : '';
}

/** Tokens per source line, without newline and end-of-file tokens. */
function splitLines(tokens: readonly Token[]): Token[][] {
  const lines: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'newline') lines.push([]);
    else if (t.kind !== 'eof') lines[lines.length - 1].push(t);
  }
  return lines;
}

function isPunct(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.text === text;
}

/** Whether an operator token is a prefix (unary) operator here. */
function isUnary(t: Token, prev: Token | undefined): boolean {
  if (t.kind !== 'operator') return false;
  if (t.text === '!') return true;
  if (t.text !== '-') return false;
  if (!prev) return true;
  if (prev.kind === 'operator') return true;
  if (isPunct(prev, '(')) return true;
  // after `expect`, but not after the values `true` and `false`
  return prev.kind === 'keyword' && prev.text !== 'true' && prev.text !== 'false';
}

function joinTokens(tokens: readonly Token[]): string {
  let s = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const prev = tokens[i - 1];
    if (i > 0 && spaceBetween(prev, t, tokens[i - 2])) s += ' ';
    s += t.text;
  }
  return s;
}

function spaceBetween(a: Token, b: Token, beforeA: Token | undefined): boolean {
  if (isPunct(b, ':') || isPunct(b, ')') || isPunct(b, '.') || isPunct(b, ',')) return false;
  if (isPunct(a, '(') || isPunct(a, '.')) return false;
  if ((a.kind === 'operator' && a.text === '*') || (b.kind === 'operator' && b.text === '*')) return false;
  if (isPunct(a, '{') && isPunct(b, '}')) return false;
  if (isUnary(a, beforeA)) return false;
  return true;
}
