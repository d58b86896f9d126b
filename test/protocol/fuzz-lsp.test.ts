// Fuzzing the language server over stdio (fixed seeds): generated sequences of
// document operations (open with hostile text, changes, closes, configuration
// changes) mixed with requests whose parameters are well formed or not (random
// JSON in place of the parameters or of one field), sent as raw JSON-RPC. For
// every request: an answer within a time bound, and never an internal error;
// over the whole run: no stack trace and no handler failure in the log or on
// stderr, the server's memory under a bound, and a clean exit at the end.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { LspClient, docUri } from './lsp-client';
import { brokenOutput, garbageBytes, mutatedSample, nestedRepeats } from '../helpers/fuzzScenarios';
import { Raw } from './lsp-raw';

const ANSWER_MS = 2_000;
const MEMORY_MB = 900;
const INTERNAL_ERROR = -32603;

const REQUESTS = [
  'textDocument/hover', 'textDocument/completion', 'textDocument/definition', 'textDocument/references', 'textDocument/documentHighlight',
  'textDocument/prepareRename', 'textDocument/rename', 'textDocument/documentSymbol', 'textDocument/foldingRange',
  'textDocument/semanticTokens/full', 'textDocument/formatting', 'textDocument/codeAction', 'textDocument/codeLens',
];

/** Any JSON value, small. */
const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

type Op =
  | { kind: 'open'; doc: number; text: string }
  | { kind: 'change'; doc: number; at: number; length: number; text: string }
  | { kind: 'close'; doc: number }
  | { kind: 'configure'; maxStates: number; enabled: boolean }
  | { kind: 'request'; method: number; doc: number; line: number; character: number; newName: string; damage: { field: number; value: unknown } | null }
  | { kind: 'raw'; method: number; params: unknown }
  | { kind: 'notify'; method: string; params: unknown };

const text = fc.oneof(mutatedSample, nestedRepeats, garbageBytes.map((b) => Buffer.from(b).toString('utf8')));

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('open' as const), doc: fc.nat({ max: 5 }), text }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('change' as const), doc: fc.nat({ max: 5 }), at: fc.nat(), length: fc.nat({ max: 30 }), text: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('repeat 1000000 {\n', '}\n', '\n', 'process Q {\n')) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), doc: fc.nat({ max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('configure' as const), maxStates: fc.integer({ min: 1, max: 3000 }), enabled: fc.boolean() }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      method: fc.nat({ max: REQUESTS.length - 1 }),
      doc: fc.nat({ max: 6 }),
      line: fc.integer({ min: -2, max: 60 }),
      character: fc.integer({ min: -2, max: 90 }),
      newName: fc.string({ maxLength: 6 }),
      damage: fc.option(fc.record({ field: fc.nat({ max: 5 }), value: json }), { nil: null }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('raw' as const), method: fc.nat({ max: REQUESTS.length - 1 }), params: json }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('notify' as const),
      method: fc.constantFrom('textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'textDocument/didSave', 'workspace/didChangeConfiguration', 'camsim/unknown'),
      params: json,
    }),
  },
);

function rssMb(pid: number): number | undefined {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return undefined;
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(status, 'utf8'));
  return m ? Number(m[1]) / 1024 : undefined;
}

/** Well-formed parameters of a request, then (sometimes) one field replaced by any JSON value. */
function paramsOf(o: Extract<Op, { kind: 'request' }>): unknown {
  const uri = docUri(`fuzz-${o.doc}.camsim`);
  const position = { line: o.line, character: o.character };
  const range = { start: position, end: { line: o.line + 1, character: 0 } };
  const p: Record<string, unknown> = { textDocument: { uri }, position };
  const method = REQUESTS[o.method];
  if (method === 'textDocument/rename') p.newName = o.newName;
  if (method === 'textDocument/references') p.context = { includeDeclaration: true };
  if (method === 'textDocument/codeAction') {
    delete p.position;
    p.range = range;
    p.context = { diagnostics: [] };
  }
  if (method === 'textDocument/formatting') p.options = { tabSize: 2, insertSpaces: true };
  if (o.damage) {
    const keys = ['textDocument', 'position', 'newName', 'context', 'range', 'uri'];
    const key = keys[o.damage.field];
    if (key === 'uri') (p.textDocument as Record<string, unknown>).uri = o.damage.value;
    else p[key] = o.damage.value;
  }
  return p;
}

describe('language server fuzz', () => {
  let client: LspClient;
  let raw: Raw;
  const versions = new Map<number, number>();
  const texts = new Map<number, string>();
  let mostMb = 0;
  /** Answers by kind: a result, InvalidParams, another error. */
  const answered = { result: 0, invalid: 0, other: 0 };

  before(async () => {
    client = await LspClient.start({
      settings: { backgroundCheck: { enabled: true, maxStates: 2000, timeoutMs: 300 } },
      initializationOptions: { raceCheckDelayMs: 10, diagnosticsDelayMs: 5 },
    });
    raw = new Raw(client);
  });
  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr.slice(0, 2000));
  });

  async function apply(o: Op): Promise<void> {
    const uriOf = (doc: number) => docUri(`fuzz-${doc}.camsim`);
    switch (o.kind) {
      case 'open':
        versions.set(o.doc, 1);
        texts.set(o.doc, o.text);
        raw.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: uriOf(o.doc), languageId: 'camsim', version: 1, text: o.text } } });
        return;
      case 'change': {
        const old = texts.get(o.doc);
        if (old === undefined) return;
        const at = o.at % (old.length + 1);
        const next = old.slice(0, at) + o.text + old.slice(at + o.length);
        const version = (versions.get(o.doc) ?? 1) + 1;
        versions.set(o.doc, version);
        texts.set(o.doc, next);
        raw.send({ method: 'textDocument/didChange', params: { textDocument: { uri: uriOf(o.doc), version }, contentChanges: [{ text: next }] } });
        return;
      }
      case 'close':
        texts.delete(o.doc);
        raw.send({ method: 'textDocument/didClose', params: { textDocument: { uri: uriOf(o.doc) } } });
        return;
      case 'configure':
        client.settings = { backgroundCheck: { enabled: o.enabled, maxStates: o.maxStates, timeoutMs: 300 } };
        raw.send({ method: 'workspace/didChangeConfiguration', params: { settings: { camsim: client.settings } } });
        return;
      case 'notify':
        raw.send(o.params === undefined ? { method: o.method } : { method: o.method, params: o.params });
        return;
      case 'request':
      case 'raw': {
        const method = REQUESTS[o.method];
        const params = o.kind === 'raw' ? o.params : paramsOf(o);
        const t0 = performance.now();
        const answer = await raw.request(method, params, ANSWER_MS);
        const ms = performance.now() - t0;
        assert.ok(answer, `${method} ${JSON.stringify(params).slice(0, 300)}: no answer within ${ANSWER_MS} ms`);
        assert.notEqual(answer.error?.code, INTERNAL_ERROR, `${method} ${JSON.stringify(params).slice(0, 300)}: internal error: ${answer.error?.message}`);
        assert.ok(ms < ANSWER_MS);
        if (!answer.error) answered.result++;
        else if (answer.error.code === -32602) answered.invalid++;
        else answered.other++;
        const mb = rssMb(client.proc.pid!);
        if (mb !== undefined) mostMb = Math.max(mostMb, mb);
        return;
      }
    }
  }

  test('fuzz: generated protocol sequences with malformed parameters: every request answered in time, never an internal error, no stack trace, memory bounded', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        for (const o of ops) await apply(o);
        const broken = brokenOutput(client.logs.join('\n') + '\n' + client.stderr);
        assert.equal(broken, undefined, broken);
        assert.deepEqual(client.logs.filter((l) => / failed: |^unexpected /.test(l)), []);
      }),
      { seed: 12014, numRuns: 500, endOnFailure: true },
    );
    assert.ok(mostMb < MEMORY_MB, `the server grew to ${mostMb.toFixed(0)} MB`);
    // The run exercised both sides: requests answered, and parameters refused.
    assert.ok(answered.result > 100 && answered.invalid > 50, JSON.stringify(answered));
    // Still answering, after everything.
    const alive = await raw.request('textDocument/hover', { textDocument: { uri: docUri('none.camsim') }, position: { line: 0, character: 0 } }, ANSWER_MS);
    assert.deepEqual(alive, { jsonrpc: '2.0', id: alive && (alive as { id?: string }).id, result: null });
  });
});
