// Parameters with the wrong shape, over the real protocol: every request gets
// InvalidParams (-32602) and the server logs one line about it; a document
// notification with the wrong shape is logged in one line and dropped; nothing
// throws inside a handler, and the server goes on answering.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, type Hover } from 'vscode-languageserver-protocol';
import { LspClient, docUri } from './lsp-client';
import { sample } from './lsp-util';
import { Raw } from './lsp-raw';

const INVALID_PARAMS = -32602;

/** The error a request is answered with (fails when it is answered normally). */
async function errorOf(raw: Raw, method: string, params: unknown): Promise<{ code: number; message: string }> {
  const r = await raw.request(method, params);
  assert.ok(r.error, `${method} ${JSON.stringify(params)} was answered: ${JSON.stringify(r.result)}`);
  return r.error;
}

/** Log lines that are stack traces or handler failures (none is ever expected). */
function badLogs(client: LspClient): string[] {
  return client.logs.filter((l) => /\n\s+at |failed: |^unexpected |internal error/i.test(l));
}

describe('language server: parameters checked at the door', () => {
  let client: LspClient;
  let raw: Raw;
  const uri = docUri('params.camsim');
  const text = sample('pass-race-before-fix.camsim');

  before(async () => {
    client = await LspClient.start({ settings: { backgroundCheck: { enabled: false } } });
    raw = new Raw(client);
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1);
  });
  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  const cases: [string, string, unknown, RegExp][] = [
    ['rename {}', 'textDocument/rename', {}, /textDocument must be an object/],
    ['rename without newName', 'textDocument/rename', { textDocument: { uri }, position: { line: 0, character: 0 } }, /newName must be a string/],
    ['completion with null params', 'textDocument/completion', null, /params must be an object/],
    ['hover with a position of strings', 'textDocument/hover', { textDocument: { uri }, position: { line: 'one', character: 0 } }, /position\.line must be a number/],
    ['definition with a uri that is a number', 'textDocument/definition', { textDocument: { uri: 7 }, position: { line: 0, character: 0 } }, /textDocument\.uri must be a string/],
    ['references with an array', 'textDocument/references', [], /received parameters by position/],
    ['codeAction without a context', 'textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }, /context must be an object/],
    ['codeAction with a diagnostic of null', 'textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, context: { diagnostics: [null] } }, /context\.diagnostics\[0\] must be an object/],
    ['semantic tokens with nothing', 'textDocument/semanticTokens/full', undefined, /received none/],
    ['semantic tokens with null', 'textDocument/semanticTokens/full', null, /params must be an object/],
    ['documentSymbol with a string', 'textDocument/documentSymbol', 'x', /params must be an object/],
    ['formatting with textDocument null', 'textDocument/formatting', { textDocument: null, options: { tabSize: 2, insertSpaces: true } }, /textDocument must be an object/],
    ['codeLens with an empty object', 'textDocument/codeLens', {}, /textDocument must be an object/],
    ['foldingRange with a number', 'textDocument/foldingRange', 5, /params must be an object/],
    ['documentHighlight with position null', 'textDocument/documentHighlight', { textDocument: { uri }, position: null }, /position must be an object/],
    ['prepareRename with character Infinity (sent as null)', 'textDocument/prepareRename', { textDocument: { uri }, position: { line: 0, character: null } }, /position\.character must be a number/],
  ];

  for (const [name, method, params, message] of cases) {
    test(`regression: ${name}: InvalidParams, one log line, no stack`, async () => {
      const logs = client.logs.length;
      const e = await errorOf(raw, method, params);
      assert.equal(e.code, INVALID_PARAMS, e.message);
      assert.match(e.message, message);
      // Parameters that are no object at all (an array, none) are answered by the protocol
      // library itself, silently; the server's own checks log one line, with or after the answer.
      const byServer = params !== undefined && !Array.isArray(params);
      for (let i = 0; i < 50 && byServer && client.logs.length === logs; i++) await new Promise((r) => setTimeout(r, 10));
      const fresh = client.logs.slice(logs);
      assert.equal(fresh.length, byServer ? 1 : 0, fresh.join('\n---\n'));
      if (byServer) assert.match(fresh[0], /^[\w/]+: invalid params: [^\n]+$/);
      assert.deepEqual(badLogs(client), []);
    });
  }

  test('regression: didOpen with text 123, and didChange with a change of the wrong shape, are logged in one line each and dropped', async () => {
    const bad = docUri('bad.camsim');
    const logs = client.logs.length;
    raw.send({ method: DidOpenTextDocumentNotification.method, params: { textDocument: { uri: bad, languageId: 'camsim', version: 1, text: 123 } } });
    raw.send({ method: DidChangeTextDocumentNotification.method, params: { textDocument: { uri, version: 2 }, contentChanges: [{ text: 5 }] } });
    raw.send({ method: 'textDocument/didClose', params: null });
    for (let i = 0; i < 100 && client.logs.length < logs + 3; i++) await new Promise((r) => setTimeout(r, 10));
    const fresh = client.logs.slice(logs);
    assert.equal(fresh.length, 3, fresh.join('\n---\n'));
    assert.match(fresh[0], /^didOpen: invalid params, ignored: textDocument\.text must be a string$/);
    assert.match(fresh[1], /^didChange: invalid params, ignored: contentChanges\[0\]\.text must be a string$/);
    assert.match(fresh[2], /^didClose: invalid params, ignored: params must be an object$/);
    // The dropped open left no document behind; the good one is untouched and answers.
    const none = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: bad }, position: { line: 0, character: 0 } });
    assert.equal(none, null);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: text.split('\n').findIndex((l) => l.startsWith('device')), character: 8 } });
    assert.ok(hover, 'the open document still answers');
    assert.deepEqual(badLogs(client), []);
    assert.doesNotMatch(client.stderr, /\n\s+at /);
  });
});
