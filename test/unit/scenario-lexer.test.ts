import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYWORDS, TOKEN_KINDS, tokenize, type Token } from '../../core/scenario';

const kinds = (ts: Token[]): string[] => ts.map((t) => `${t.kind}:${t.text}`);

test('token kinds form a stable legend', () => {
  assert.deepEqual([...TOKEN_KINDS], ['keyword', 'identifier', 'number', 'string', 'comment', 'operator', 'punct', 'newline', 'eof', 'error']);
});

test('a device line: keywords, words with hyphens, punctuation, comment, ranges', () => {
  const ts = tokenize('device pass0: pass before-fix with io-error # c\n');
  assert.deepEqual(kinds(ts), [
    'keyword:device',
    'identifier:pass0',
    'punct::',
    'identifier:pass',
    'identifier:before-fix',
    'keyword:with',
    'identifier:io-error',
    'comment:# c',
    'newline:\n',
    'eof:',
  ]);
  assert.deepEqual(ts[4].range, { start: { line: 0, character: 19 }, end: { line: 0, character: 29 } });
  assert.deepEqual(ts[8].range, { start: { line: 0, character: 47 }, end: { line: 1, character: 0 } });
  assert.deepEqual(ts[9].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } });
  assert.equal(ts[4].start, 19);
  assert.equal(ts[4].end, 29);
});

test('a hyphen joins words only when a letter follows it', () => {
  assert.deepEqual(kinds(tokenize('use-after-free a-b a - b x-1 a--b a-')).slice(0, -1), [
    'keyword:use-after-free',
    'identifier:a-b',
    'identifier:a',
    'operator:-',
    'identifier:b',
    'identifier:x',
    'operator:-',
    'number:1',
    'identifier:a',
    'operator:-',
    'operator:-',
    'identifier:b',
    'identifier:a',
    'operator:-',
  ]);
});

test('numbers: decimal and hex; a number glued to letters is one error token', () => {
  const ts = tokenize('42 0x1F 0X0a 12ab 0x 0xg');
  assert.deepEqual(
    ts.slice(0, -1).map((t) => [t.kind, t.text, t.value]),
    [
      ['number', '42', 42],
      ['number', '0x1F', 31],
      ['number', '0X0a', 10],
      ['error', '12ab', undefined],
      ['error', '0x', undefined],
      ['error', '0xg', undefined],
    ],
  );
  assert.match(ts[3].message ?? '', /'12ab' is not a number/);
});

test('operators: longest match, and a lone = is an error with a hint', () => {
  assert.deepEqual(kinds(tokenize('== != <= >= && || < > ! & | + - * = ( ) { } . ,')).slice(0, -1), [
    'operator:==',
    'operator:!=',
    'operator:<=',
    'operator:>=',
    'operator:&&',
    'operator:||',
    'operator:<',
    'operator:>',
    'operator:!',
    'operator:&',
    'operator:|',
    'operator:+',
    'operator:-',
    'operator:*',
    'error:=',
    'punct:(',
    'punct:)',
    'punct:{',
    'punct:}',
    'punct:.',
    'punct:,',
  ]);
  assert.match(tokenize('a = 1')[1].message ?? '', /write '==' to compare/);
});

test('strings: escapes, and an unterminated string ends at the line end', () => {
  const [s] = tokenize('"a \\"b\\" c"');
  assert.equal(s.kind, 'string');
  assert.equal(s.value, 'a "b" c');
  const ts = tokenize('scenario "open\nnext');
  assert.equal(ts[1].kind, 'error');
  assert.equal(ts[1].value, 'open');
  assert.match(ts[1].message ?? '', /unterminated string/);
  assert.deepEqual(ts[1].range, { start: { line: 0, character: 9 }, end: { line: 0, character: 14 } });
  assert.equal(ts[2].kind, 'newline');
  assert.deepEqual(ts[3].range.start, { line: 1, character: 0 });
});

test('CRLF, CR and LF each end a line; columns count UTF-16 units', () => {
  const ts = tokenize('a\r\nb\rc\nd 😀 e');
  const words = ts.filter((t) => t.kind === 'identifier');
  assert.deepEqual(
    words.map((t) => [t.text, t.range.start.line, t.range.start.character]),
    [
      ['a', 0, 0],
      ['b', 1, 0],
      ['c', 2, 0],
      ['d', 3, 0],
      ['e', 3, 5],
    ],
  );
  const emoji = ts.find((t) => t.kind === 'error');
  assert.equal(emoji?.text, '😀');
  assert.deepEqual(emoji?.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 4 } });
});

test('every reserved word lexes as a keyword, and others as identifiers', () => {
  for (const k of KEYWORDS) assert.equal(tokenize(k)[0].kind, 'keyword', k);
  for (const w of ['pass', 'before-fix', 'invariants', 'none', 'refcount', 'A']) assert.equal(tokenize(w)[0].kind, 'identifier', w);
});

test('tokens cover the text: slices match and only blanks lie between them', () => {
  const text = 'process A {\r\n  open pass0 as f # x\n\t}\n expect A.f.errno==EBUSY @';
  const ts = tokenize(text);
  let prevEnd = 0;
  for (const t of ts) {
    assert.equal(text.slice(t.start, t.end), t.text);
    assert.match(text.slice(prevEnd, t.start), /^[ \t]*$/);
    prevEnd = t.end;
  }
  assert.equal(prevEnd, text.length);
});
