// Formatting, code actions and code lenses through the real server.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CodeAction, CodeLens, TextEdit } from 'vscode-languageserver-protocol';
import { LspClient, docUri } from './lsp-client';
import { applyEdits, applyWorkspaceEdit, checkVerdict, lineOf, rangeOf, sample, sampleNames } from './lsp-util';
import { analyze } from '../../core/scenario';
import { meaning } from '../unit/scenario-format-meaning';
import { Commands } from '../../core/protocol';

describe('language server formatting', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ settings: { backgroundCheck: { enabled: false } } });
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  let n = 0;
  async function format(text: string, options = { tabSize: 2, insertSpaces: true }): Promise<string> {
    const uri = docUri(`format-${n++}.camsim`);
    await client.open(uri, text);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options });
    await client.close(uri);
    return applyEdits(text, edits);
  }

  for (const name of sampleNames()) {
    test(`formatting twice equals formatting once, and keeps the meaning: ${name}`, async () => {
      const text = sample(name);
      const once = await format(text);
      const twice = await format(once);
      assert.equal(twice, once);
      assert.deepEqual(meaning(once), meaning(text));
    });
  }

  test('indents as the editor asks: tabs, or tabSize spaces, a level per brace', async () => {
    const text = 'device pass0: pass after-fix\nprocess A {\nopen pass0 as f\nrepeat 2 {\nclose f\nopen pass0 as f\n}\n}\n';
    const body = (indent: string) => [
      'device pass0: pass after-fix', 'process A {', `${indent}open pass0 as f`, `${indent}repeat 2 {`,
      `${indent}${indent}close f`, `${indent}${indent}open pass0 as f`, `${indent}}`, '}', '',
    ].join('\n');
    const tabs = await format(text, { tabSize: 8, insertSpaces: false });
    const four = await format(text, { tabSize: 4, insertSpaces: true });
    assert.equal(tabs, body('\t'));
    assert.equal(four, body('    '));
    // formatting its own output again changes nothing, in either style
    assert.equal(await format(tabs, { tabSize: 8, insertSpaces: false }), tabs);
    assert.equal(await format(four, { tabSize: 4, insertSpaces: true }), four);
  });

  test('one canonical style', async () => {
    const messy = [
      '',
      '',
      '   scenario   "messy"   # title',
      'device  pass0 :pass   before-fix',
      '',
      '',
      '',
      'process A{',
      '',
      'open pass0 as f',
      '\t\trepeat 0x2 {',
      '  close f   ',
      'open   pass0   as f',
      '        }',
      '',
      '          }',
      'schedule A * 3   A*2',
      'expect ( pass0 . refcount==0 )&&!A.done||- 1 < A.steps - B.steps',
      '   # trailing comment   ',
      '',
      '',
    ].join('\n');
    const expected = [
      'scenario "messy"  # title',
      'device pass0: pass before-fix',
      '',
      'process A {',
      '  open pass0 as f',
      '  repeat 0x2 {',
      '    close f',
      '    open pass0 as f',
      '  }',
      '}',
      'schedule A*3 A*2',
      'expect (pass0.refcount == 0) && !A.done || -1 < A.steps - B.steps',
      '# trailing comment',
      '',
    ].join('\n');
    const formatted = await format(messy);
    assert.equal(formatted, expected);
    assert.deepEqual(meaning(formatted), meaning(messy));
  });

  test('a file with syntax errors is left as it is', async () => {
    const broken = 'device pass0 pass\nprocess A {\n   open pass0 as f\n';
    assert.equal(await format(broken), broken);
  });

  test('CRLF files keep their line breaks', async () => {
    const text = 'device  pass0: pass\r\nprocess A {\r\nopen pass0 as f\r\n}\r\n';
    assert.equal(await format(text), 'device pass0: pass\r\nprocess A {\r\n  open pass0 as f\r\n}\r\n');
  });
});

describe('language server code actions and lenses', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ settings: { backgroundCheck: { enabled: false } } });
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('the race warning has a quick fix that switches the device to after-fix and `expect panic` to `expect no panic`: the fixed file passes its check', async () => {
    const uri = docUri('race-fix.camsim');
    const text = sample('pass-race-before-fix.camsim');
    assert.equal(checkVerdict(text).ok, true);
    await client.open(uri, text);
    const p = await client.diagnosticsFor(uri, 1);
    const race = p.diagnostics.find((d) => d.code === 'devfs-close-race');
    assert.ok(race);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: race.range, context: { diagnostics: [race], only: ['quickfix'] } });
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred]), [
      ['Switch pass0 to after-fix (D_TRACKCLOSE) and expect no panic', 'quickfix', true],
      ['Switch pass0 to after-fix (D_TRACKCLOSE)', 'quickfix', false],
    ]);
    for (const a of actions) assert.deepEqual(a.diagnostics, [race]);
    const fixed = applyWorkspaceEdit(text, uri, actions[0].edit!);
    const lines = fixed.split('\n');
    assert.equal(lines[lineOf(text, 'device pass0')], 'device pass0: pass after-fix');
    assert.equal(lines[lineOf(text, 'expect panic')], 'expect no panic');
    // camsim check on the fixed text: every expectation holds
    assert.deepEqual(checkVerdict(fixed), { ok: true, failed: [] });
    // the driver alone leaves `expect panic`, which then fails
    const driverOnly = applyWorkspaceEdit(text, uri, actions[1].edit!);
    assert.deepEqual(checkVerdict(driverOnly).failed.map((f) => f.split(':')[0]), ['expect panic']);
    // after the fix the warning is gone
    const version = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } }, text: fixed }]);
    assert.deepEqual((await client.diagnosticsFor(uri, version)).diagnostics, []);
  });

  test('with two racing devices, switching one leaves `expect panic` alone', async () => {
    const uri = docUri('two-races.camsim');
    const text = 'device pass0: pass before-fix\ndevice sg0: sg before-fix\nprocess A {\n  open pass0 as f\n  close f\n  open sg0 as g\n  close g\n}\nprocess B {\n  open pass0 as f\n  close f\n  open sg0 as g\n  close g\n}\nexpect panic\n';
    await client.open(uri, text);
    const p = await client.diagnosticsFor(uri, 1);
    const race = p.diagnostics.find((d) => d.code === 'devfs-close-race');
    assert.ok(race);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: race.range, context: { diagnostics: [race] } });
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred]), [['Switch pass0 to after-fix (D_TRACKCLOSE)', true]]);
  });

  test('a "did you mean" suggestion is a quick fix', async () => {
    const uri = docUri('suggest.camsim');
    const text = 'device pass0: pas before-fxi\nprocess A {\n  open pass0 as f\n}\nexpect pass0.refcont == 0\n';
    await client.open(uri, text);
    const p = await client.diagnosticsFor(uri, 1);
    assert.equal(p.diagnostics.length, 3, JSON.stringify(p.diagnostics));
    const whole = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: p.diagnostics } });
    assert.deepEqual(actions.map((a) => a.title), ["Change to 'pass'", "Change to 'before-fix'", "Change to 'refcount'"]);
    let fixed = text;
    for (const a of actions.reverse()) fixed = applyWorkspaceEdit(fixed, uri, a.edit!);
    assert.deepEqual(analyze(fixed).diagnostics.map((d) => d.code), []);
  });

  test('code actions elsewhere: none', async () => {
    const uri = docUri('none.camsim');
    const text = sample('pass-race-after-fix.camsim');
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: rangeOf(text, lineOf(text, 'open'), 'open'), context: { diagnostics: [] } });
    assert.deepEqual(actions, []);
  });

  test('code lenses: Run, Debug and Check all interleavings above the scenario, with the document URI', async () => {
    const uri = docUri('lenses.camsim');
    const text = sample('pass-race-before-fix.camsim');
    await client.open(uri, text);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.map((l) => [l.command?.title, l.command?.command, l.command?.arguments]), [
      ['▶ Run', Commands.run, [{ uri }]],
      ['Debug', Commands.debug, [{ uri }]],
      ['Check all interleavings', Commands.check, [{ uri }]],
    ]);
    for (const l of lenses) assert.equal(l.range.start.line, lineOf(text, 'scenario "'));
  });
});
