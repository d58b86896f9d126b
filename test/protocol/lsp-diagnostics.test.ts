// Diagnostics through the real server over stdio: syntax errors with recovery
// and precise ranges, incremental changes, semantic errors with codes and
// related information, the race warning, debouncing.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, docUri } from './lsp-client';
import { lineOf, messageOf, rangeOf, sample } from './lsp-util';

const NO_CHECK = { backgroundCheck: { enabled: false } };

describe('language server diagnostics', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ settings: NO_CHECK });
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  const THREE_ERRORS = [
    'scenario "three mistakes"',
    'device pass0 pass before-fix',
    'process A {',
    '  open pass0 f',
    '  close f',
    '}',
    'expect pass0.refcount = 1',
    '',
  ].join('\n');

  test('a file with three separate syntax errors yields three diagnostics with the right ranges', async () => {
    const uri = docUri('three.camsim');
    await client.open(uri, THREE_ERRORS);
    const p = await client.diagnosticsFor(uri, 1);
    const syntax = p.diagnostics.filter((d) => d.code === 'syntax');
    assert.equal(syntax.length, 3, JSON.stringify(p.diagnostics));
    assert.deepEqual(syntax.map((d) => d.range), [
      rangeOf(THREE_ERRORS, 1, 'pass', 2), // where ':' was expected
      rangeOf(THREE_ERRORS, 3, 'f'), // where 'as' was expected
      rangeOf(THREE_ERRORS, 6, '='), // '=' instead of '=='
    ]);
    for (const d of syntax) {
      assert.equal(d.severity, DiagnosticSeverity.Error);
      assert.equal(d.source, 'camsim');
    }
    assert.match(messageOf(syntax[0]), /expected ':'/);
    assert.match(messageOf(syntax[1]), /expected 'as'/);
    assert.match(messageOf(syntax[2]), /write '=='/);
  });

  test('fixing one syntax error removes only that diagnostic', async () => {
    const uri = docUri('three-fix.camsim');
    await client.open(uri, THREE_ERRORS);
    const first = await client.diagnosticsFor(uri, 1);
    // insert ' as' after `open pass0`: an incremental change of zero width
    const version = await client.change(uri, [{ range: { start: { line: 3, character: 12 }, end: { line: 3, character: 12 } }, text: ' as' }]);
    const second = await client.diagnosticsFor(uri, version);
    const before = first.diagnostics.filter((d) => d.code === 'syntax');
    const after = second.diagnostics.filter((d) => d.code === 'syntax');
    assert.equal(after.length, 2);
    assert.deepEqual(after, [before[0], before[2]]);
  });

  test('incremental changes (several per notification, line shifts, CRLF) keep ranges exact', async () => {
    const uri = docUri('incremental.camsim');
    const text = 'device pass0: pass\r\nprocess A {\r\n  open pass9 as f\r\n}\r\n';
    await client.open(uri, text);
    const p1 = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(p1.diagnostics.map((d) => [d.code, d.range]), [['undeclared-device', rangeOf(text, 2, 'pass9')]]);
    // two changes in one notification, applied in order: a new first line, then a fix on (new) line 3
    const version = await client.change(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# a comment\r\n' },
      { range: { start: { line: 3, character: 11 }, end: { line: 3, character: 12 } }, text: '0' },
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '\r\n\r\n' },
    ]);
    const p2 = await client.diagnosticsFor(uri, version);
    assert.deepEqual(p2.diagnostics, [], 'pass9 became pass0');
    const v3 = await client.change(uri, [{ range: { start: { line: 5, character: 10 }, end: { line: 5, character: 11 } }, text: '' }]);
    const p3 = await client.diagnosticsFor(uri, v3);
    // `open pass as f`: line 5 after the inserted lines
    assert.deepEqual(p3.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['undeclared-device', 5, 7]]);
  });

  test('semantic errors carry a code per kind and related information', async () => {
    const uri = docUri('semantic.camsim');
    const text = [
      'device pass0: pass before-fix',
      'device pass0: sg',
      'process A {',
      '  open pass0 as f',
      '  close f',
      '  close f',
      '}',
      'schedule A C',
      'expect pass0.refcont == 1',
      '',
    ].join('\n');
    await client.open(uri, text);
    const p = await client.diagnosticsFor(uri, 1);
    const byCode = new Map<string, Diagnostic>(p.diagnostics.map((d) => [String(d.code), d]));
    const dup = byCode.get('duplicate-device');
    assert.ok(dup, JSON.stringify(p.diagnostics));
    assert.deepEqual(dup.range, rangeOf(text, 1, 'pass0'));
    assert.deepEqual(dup.relatedInformation, [{ location: { uri, range: rangeOf(text, 0, 'pass0') }, message: 'the first declaration of pass0' }]);
    const closed = byCode.get('descriptor-not-open');
    assert.ok(closed);
    assert.deepEqual(closed.range, rangeOf(text, 5, 'f'));
    assert.equal(closed.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(closed.relatedInformation?.map((r) => r.location.range), [rangeOf(text, 4, 'close f')]);
    const proc = byCode.get('unknown-process');
    assert.ok(proc);
    assert.deepEqual(proc.range, rangeOf(text, 7, 'C'));
    const field = byCode.get('unknown-field');
    assert.ok(field);
    assert.deepEqual(field.range, rangeOf(text, 8, 'refcont'));
    assert.match(messageOf(field), /did you mean 'refcount'/);
    assert.deepEqual(field.data, { suggestion: 'refcount' });
  });

  test('the race warning on the before-fix pass sample, with the opens as related information', async () => {
    const uri = docUri('pass-race-before-fix.camsim');
    const text = sample('pass-race-before-fix.camsim');
    await client.open(uri, text);
    const p = await client.diagnosticsFor(uri, 1);
    assert.equal(p.diagnostics.length, 1, JSON.stringify(p.diagnostics));
    const [race] = p.diagnostics;
    assert.equal(race.code, 'devfs-close-race');
    assert.equal(race.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(race.range, rangeOf(text, lineOf(text, 'device pass0'), 'before-fix'));
    assert.match(messageOf(race), /devfs close race; see D_TRACKCLOSE/);
    const opens = race.relatedInformation?.map((r) => [r.location.range.start.line, r.message]);
    const openLines = text.split('\n').flatMap((l, i) => (l.includes('open pass0 as f') ? [i] : []));
    assert.deepEqual(opens, [[openLines[0], 'A opens pass0 here'], [openLines[1], 'B opens pass0 here']]);
    assert.deepEqual(race.data, { device: 'pass0' });
  });

  test('the after-fix sample has no diagnostics', async () => {
    const uri = docUri('pass-race-after-fix.camsim');
    await client.open(uri, sample('pass-race-after-fix.camsim'));
    assert.deepEqual((await client.diagnosticsFor(uri, 1)).diagnostics, []);
  });

  test('a burst of changes is debounced: fewer publications than changes, the last for the final version', async () => {
    const uri = docUri('burst.camsim');
    await client.open(uri, 'device pass0: pass\n');
    await client.diagnosticsFor(uri, 1);
    const since = client.diagnostics.length;
    let version = 1;
    for (let i = 0; i < 30; i++) {
      version = await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: `# ${i}\n` }]);
    }
    const last = await client.diagnosticsFor(uri, version);
    assert.deepEqual(last.diagnostics, []);
    const published = client.diagnostics.slice(since).filter((p) => p.uri === uri);
    assert.ok(published.length < 30, `${published.length} publications for 30 changes`);
    // versions only grow
    const versions = published.map((p) => p.version ?? 0);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b));
  });

  test('closing a document clears its diagnostics', async () => {
    const uri = docUri('closing.camsim');
    await client.open(uri, 'device x: nosuch\n');
    assert.equal((await client.diagnosticsFor(uri, 1)).diagnostics.length, 1);
    const since = client.diagnostics.length;
    await client.close(uri);
    const cleared = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 5000, since);
    assert.deepEqual(cleared.diagnostics, []);
  });
});
