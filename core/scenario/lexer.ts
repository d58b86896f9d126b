// The lexer of `.camsim` files: text -> tokens with LSP ranges.
//
// Words are letters, digits and `_`, starting with a letter or `_`; a `-` belongs
// to a word when a letter follows it, so `before-fix`, `io-error` and
// `use-after-free` are single words. Consequently, inside expressions a
// subtraction between two names needs spaces (`A.steps - B.steps`); `x-1` is
// still `x - 1` because a digit follows the hyphen.
//
// Comments run from `#` to the end of the line. Newlines are tokens (statements
// are one per line). Tokens never span lines. The lexer never throws: anything it
// cannot read becomes an `error` token carrying a message.

import type { Position, Range } from './ast';

/** Every token kind, in a stable order (usable as an LSP semantic token legend). */
export const TOKEN_KINDS = [
  'keyword',
  'identifier',
  'number',
  'string',
  'comment',
  'operator',
  'punct',
  'newline',
  'eof',
  'error',
] as const;

export type TokenKind = (typeof TOKEN_KINDS)[number];

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  range: Range;
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
  /** numbers: their value; strings: their contents (also on an unterminated string's error token). */
  value?: number | string;
  /** error tokens: what is wrong, for a person. */
  message?: string;
}

/** Words that open a top-level declaration. */
export const DECLARATION_KEYWORDS: readonly string[] = ['scenario', 'kernel', 'device', 'process', 'schedule', 'expect'];
/** Words that open a statement inside a process. */
export const STATEMENT_KEYWORDS: readonly string[] = ['open', 'close', 'ioctl', 'lose', 'repeat'];
/** Every reserved word. None of them can name a device, process or descriptor. */
export const KEYWORDS: readonly string[] = [
  ...DECLARATION_KEYWORDS,
  ...STATEMENT_KEYWORDS,
  'as',
  'with',
  'no',
  'panic',
  'deadlock',
  'use-after-free',
  'leak',
  'true',
  'false',
];

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

export function isKeyword(word: string): boolean {
  return KEYWORD_SET.has(word);
}

/** Operators, longest first where one is a prefix of another. */
const TWO_CHAR_OPERATORS: ReadonlySet<string> = new Set(['==', '!=', '<=', '>=', '&&', '||']);
const ONE_CHAR_OPERATORS = '<>!&|+-*';
const PUNCTUATION = '{}():.,';

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isWordChar(c: number): boolean {
  return isLetter(c) || isDigit(c);
}
function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isBlank(c: number): boolean {
  // space, tab, vertical tab, form feed, no-break space, BOM
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let line = 0;
  let lineStart = 0; // offset of the first character of the current line
  let i = 0;

  const pos = (offset: number): Position => ({ line, character: offset - lineStart });
  const push = (kind: TokenKind, start: number, end: number, extra?: Partial<Token>): void => {
    tokens.push({ kind, text: text.slice(start, end), range: { start: pos(start), end: pos(end) }, start, end, ...extra });
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    const start = i;

    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === 10 || c === 13) {
      // \n, \r\n or \r: one newline token ending at the start of the next line
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      tokens.push({
        kind: 'newline',
        text: text.slice(start, i),
        range: { start: pos(start), end: { line: line + 1, character: 0 } },
        start,
        end: i,
      });
      line++;
      lineStart = i;
      continue;
    }
    if (c === 35) {
      // '#': comment to the end of the line
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      push('comment', start, i);
      continue;
    }
    if (isLetter(c)) {
      i++;
      for (;;) {
        while (i < n && isWordChar(text.charCodeAt(i))) i++;
        // a hyphen continues the word only when a letter follows it
        if (text.charCodeAt(i) === 45 && i + 1 < n && isLetter(text.charCodeAt(i + 1))) {
          i += 2;
          continue;
        }
        break;
      }
      const word = text.slice(start, i);
      push(KEYWORD_SET.has(word) ? 'keyword' : 'identifier', start, i);
      continue;
    }
    if (isDigit(c)) {
      lexNumber(start);
      continue;
    }
    if (c === 34) {
      lexString(start);
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPERATORS.has(two)) {
      i += 2;
      push('operator', start, i);
      continue;
    }
    const ch = text[i];
    if (ONE_CHAR_OPERATORS.includes(ch)) {
      i++;
      push('operator', start, i);
      continue;
    }
    if (PUNCTUATION.includes(ch)) {
      i++;
      push('punct', start, i);
      continue;
    }
    // Anything else is an error token: one code point, or a run of '=' and a word.
    if (ch === '=') {
      i++;
      push('error', start, i, { message: "'=' is not an operator: write '==' to compare" });
      continue;
    }
    const cp = text.codePointAt(i) ?? c;
    i += cp > 0xffff ? 2 : 1;
    const shown = String.fromCodePoint(cp);
    const message =
      ch === "'"
        ? `unexpected character "'": strings use double quotes`
        : cp < 32 || cp === 127
          ? `unexpected control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
          : `unexpected character '${shown}'`;
    push('error', start, i, { message });
  }
  tokens.push({ kind: 'eof', text: '', range: { start: pos(n), end: pos(n) }, start: n, end: n });
  return tokens;

  function lexNumber(start: number): void {
    let value: number;
    let ok = true;
    if (text.charCodeAt(i) === 48 && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
      i += 2;
      const digits = i;
      while (i < n && isHexDigit(text.charCodeAt(i))) i++;
      ok = i > digits;
      value = ok ? parseInt(text.slice(digits, i), 16) : NaN;
    } else {
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      value = Number(text.slice(start, i));
    }
    // `12ab` or `0x1g` is one bad number, not a number and a word
    if (i < n && isWordChar(text.charCodeAt(i))) {
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      ok = false;
    }
    if (ok) push('number', start, i, { value });
    else push('error', start, i, { message: `'${text.slice(start, i)}' is not a number (write decimal digits or 0x and hex digits)` });
  }

  function lexString(start: number): void {
    i++; // opening quote
    let value = '';
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        push('string', start, i, { value });
        return;
      }
      if (c === 10 || c === 13) break;
      if (c === 92 && i + 1 < n && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13) {
        const e = text[i + 1];
        value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        i += 2;
        continue;
      }
      value += text[i];
      i++;
    }
    push('error', start, i, { value, message: `unterminated string: add a closing '"' on this line` });
  }
}
