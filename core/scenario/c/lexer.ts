// The lexer of the C inside a `driver` block: a region of the scenario text ->
// tokens whose ranges are positions in the whole document. Comments (`/* */`
// and `//`) are returned apart so that the parser never sees them. The lexer
// never throws: anything it cannot read is an `error` token with a message.

import type { Position, Range } from '../ast';
import type { DriverRegion } from './regions';

export type CTokenKind = 'word' | 'number' | 'op' | 'punct' | 'error' | 'eof';

export interface CToken {
  kind: CTokenKind;
  text: string;
  range: Range;
  start: number;
  end: number;
  /** numbers: their value */
  value?: number;
  /** error tokens: what is wrong, for a person */
  message?: string;
}

export interface CComment {
  text: string;
  range: Range;
  start: number;
  end: number;
}

/** Operators, longest first. */
const OPERATORS = [
  '<<=', '>>=', '->', '++', '--', '|=', '&=', '^=', '+=', '-=', '*=', '/=', '%=',
  '==', '!=', '<=', '>=', '&&', '||', '<<', '>>',
  '=', '|', '&', '^', '~', '!', '<', '>', '+', '-', '*', '/', '%', '?',
];
const PUNCTUATION = '{}();,:.[]';

const isLetter = (c: string): boolean => /[A-Za-z_]/.test(c);
const isWordChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c);

export function tokenizeC(text: string, region: DriverRegion): { tokens: CToken[]; comments: CComment[] } {
  const tokens: CToken[] = [];
  const comments: CComment[] = [];
  let line = region.line;
  let lineStart = region.start - region.character;
  let i = region.start;
  const end = region.end;
  const pos = (offset: number): Position => ({ line, character: offset - lineStart });
  const push = (kind: CTokenKind, start: number, stop: number, extra?: Partial<CToken>): void => {
    tokens.push({ kind, text: text.slice(start, stop), range: { start: pos(start), end: pos(stop) }, start, end: stop, ...extra });
  };
  /** Advances over a line break at i (\n, \r\n or \r). */
  const newline = (): void => {
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    lineStart = i;
  };

  while (i < end) {
    const c = text[i];
    const start = i;
    if (c === '\n' || c === '\r') {
      newline();
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const startPos = pos(start);
      i += 2;
      while (i < end && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n' || text[i] === '\r') newline();
        else i++;
      }
      const closed = i < end;
      if (closed) i += 2;
      const range = { start: startPos, end: pos(i) };
      comments.push({ text: text.slice(start, i), range, start, end: i });
      if (!closed) tokens.push({ kind: 'error', text: text.slice(start, i), range, start, end: i, message: "unterminated comment: close it with '*/'" });
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < end && text[i] !== '\n' && text[i] !== '\r') i++;
      comments.push({ text: text.slice(start, i), range: { start: pos(start), end: pos(i) }, start, end: i });
      continue;
    }
    if (isLetter(c)) {
      while (i < end && isWordChar(text[i])) i++;
      push('word', start, i);
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < end && isWordChar(text[i])) i++;
      const s = text.slice(start, i);
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)$/.exec(s);
      if (m) push('number', start, i, { value: Number(m[1].startsWith('0') && m[1].length > 1 && !/^0[xX]/.test(m[1]) ? parseInt(m[1], 8) : m[1]) });
      else push('error', start, i, { message: `'${s}' is not a number (write decimal digits or 0x and hex digits)` });
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < end && text[i] !== c && text[i] !== '\n' && text[i] !== '\r') i += text[i] === '\\' ? 2 : 1;
      if (text[i] === c) i++;
      push('error', start, Math.min(i, end), { message: `${c === '"' ? 'strings' : 'character constants'} are not part of the driver's C subset (it has int values, flags and kernel calls)` });
      continue;
    }
    if (c === '#') {
      while (i < end && text[i] !== '\n' && text[i] !== '\r') i++;
      push('error', start, i, { message: "'#' starts a comment in the scenario, but inside a driver block the text is C: write /* ... */ or // (and there is no preprocessor)" });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      i += op.length;
      push('op', start, i);
      continue;
    }
    if (PUNCTUATION.includes(c)) {
      i++;
      push('punct', start, i);
      continue;
    }
    const cp = text.codePointAt(i) ?? 0;
    i += cp > 0xffff ? 2 : 1;
    const message = cp < 32 || cp === 127
      ? `unexpected control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
      : `unexpected character '${String.fromCodePoint(cp)}'`;
    push('error', start, i, { message });
  }
  tokens.push({ kind: 'eof', text: '', range: { start: pos(end), end: pos(end) }, start: end, end });
  return { tokens, comments };
}
