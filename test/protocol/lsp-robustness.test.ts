// Property test: random edits (incremental and full, with any characters) and
// requests at random positions never crash the server, and every response stays
// well formed: ranges inside the document, the shapes LSP requires.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Position,
  SemanticTokens,
  TextDocumentContentChangeEvent,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { LspClient, docUri } from './lsp-client';
import { applyEdits, rangesWithin, sample, sampleNames, validRange } from './lsp-util';
import { formatScenario } from '../../core/scenario/format';

const FRAGMENTS = [
  'device ', 'pass0', ': ', 'pass', 'sg', 'before-fix', 'after-fix', ' with io-error', 'process ', 'A', 'B', ' {', '}', '{',
  '\n', '\r\n', '\r', 'open ', ' as ', 'f', 'close ', 'ioctl ', 'lose ', 'repeat ', '3', '0x1f', '99999999999999999999',
  'schedule ', '*', 'expect ', 'panic', 'no ', 'leak', '.', 'refcount', 'errno', '==', '=', '&&', '||', '(', ')', '!', '-',
  '"', '"title"', '#', ' ', '\t', 'é', '😀', '\u0000', '\ufeff', 'kernel invariants', 'taskq', 'scenario ',
];

interface Edit {
  at: number;
  length: number;
  text: string;
  full: boolean;
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  length: fc.nat({ max: 24 }),
  text: fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 3 })), { maxLength: 6 }).map((a) => a.join('')),
  full: fc.nat({ max: 19 }).map((n) => n < 3), // sometimes the whole text
});

const positionArb: fc.Arbitrary<{ line: number; character: number; wild: boolean }> = fc.record({
  line: fc.nat({ max: 40 }),
  character: fc.nat({ max: 60 }),
  wild: fc.nat({ max: 9 }).map((n) => n < 2), // sometimes outside the document
});

describe('language server robustness', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({
      settings: { backgroundCheck: { enabled: true, maxStates: 3000, timeoutMs: 500 } },
      initializationOptions: { raceCheckDelayMs: 20, diagnosticsDelayMs: 10 },
    });
  });
  after(async () => {
    assert.equal(await client.stop(), 0, client.stderr);
  });

  let run = 0;
  let probes = 0;

  /** A position inside the document (or, when `wild`, anywhere). */
  function position(doc: TextDocument, p: { line: number; character: number; wild: boolean }): Position {
    if (p.wild) return { line: p.line * 7, character: p.character * 3 };
    const line = p.line % Math.max(1, doc.lineCount);
    const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
    return { line, character: p.character % (text.length + 1) };
  }

  /** Sends every kind of request at `pos` and checks each answer's shape against the current text. */
  async function probe(uri: string, text: string, pos: Position, newName: string): Promise<void> {
    probes++;
    const td = { textDocument: { uri } };
    const problems: string[] = [];
    const check = (what: string, v: unknown) => problems.push(...rangesWithin(v, text, what));
    const failedRequest = (err: unknown): null => {
      // a refused rename is a well-formed error response
      const code = (err as { code?: number }).code;
      assert.equal(code, -32803, `unexpected error ${String(err)}`);
      return null;
    };

    const completion = await client.request<CompletionItem[]>('textDocument/completion', { ...td, position: pos });
    assert.ok(Array.isArray(completion));
    for (const c of completion) assert.equal(typeof c.label, 'string');
    check('completion', completion);

    const hover = await client.request<Hover | null>('textDocument/hover', { ...td, position: pos });
    if (hover) {
      assert.equal(typeof (hover.contents as { value: string }).value, 'string');
      check('hover', hover);
    }
    const def = await client.request<Location | null>('textDocument/definition', { ...td, position: pos });
    if (def) assert.equal(def.uri, uri);
    check('definition', def);
    check('references', await client.request<Location[]>('textDocument/references', { ...td, position: pos, context: { includeDeclaration: true } }));
    check('highlights', await client.request('textDocument/documentHighlight', { ...td, position: pos }));
    check('prepareRename', await client.request('textDocument/prepareRename', { ...td, position: pos }).catch(failedRequest));
    const renamed = await client.request<WorkspaceEdit | null>('textDocument/rename', { ...td, position: pos, newName }).catch(failedRequest);
    check('rename', renamed);

    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', td);
    check('documentSymbol', symbols);
    const contained = (s: DocumentSymbol): void => {
      assert.ok(typeof s.name === 'string' && s.name.length > 0);
      const inside = (s.range.start.line < s.selectionRange.start.line || (s.range.start.line === s.selectionRange.start.line && s.range.start.character <= s.selectionRange.start.character)) &&
        (s.selectionRange.end.line < s.range.end.line || (s.selectionRange.end.line === s.range.end.line && s.selectionRange.end.character <= s.range.end.character));
      assert.ok(inside, `selectionRange inside range: ${JSON.stringify(s)}`);
      s.children?.forEach(contained);
    };
    symbols.forEach(contained);

    const lines = text.split(/\r\n|\r|\n/);
    for (const f of await client.request<FoldingRange[]>('textDocument/foldingRange', td)) {
      assert.ok(f.startLine <= f.endLine && f.endLine < lines.length, JSON.stringify(f));
    }
    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', td);
    assert.equal(tokens.data.length % 5, 0);
    let line = 0;
    let ch = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      const [dl, dc, len] = tokens.data.slice(i, i + 5);
      line += dl;
      ch = dl ? dc : ch + dc;
      assert.ok(line < lines.length && ch + len <= lines[line].length, `token ${line}:${ch}+${len}`);
    }
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { ...td, options: { tabSize: 2, insertSpaces: true } });
    check('formatting', edits);
    if (edits.length) {
      const formatted = applyEdits(text, edits);
      assert.equal(formatScenario(formatted), formatted, 'the formatted text is a fixed point');
    }
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { ...td, range: { start: pos, end: pos }, context: { diagnostics: [] } });
    for (const a of actions) assert.equal(typeof a.title, 'string');
    check('codeAction', actions);
    check('codeLens', await client.request<CodeLens[]>('textDocument/codeLens', td));
    assert.deepEqual(problems, []);
  }

  test('property: random edits never crash the server and every response stays well formed', async () => {
    const seeds = [...sampleNames().map(sample), '', 'process A {\n', '"\n#\n}}}}\n'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(fc.array(editArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
        fc.array(positionArb, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('B', 'x2', 'pass0', 'open', '9z', '', 'new-name'),
        async (seed, batches, positions, newName) => {
          const uri = docUri(`random-${run++}.camsim`);
          let doc = TextDocument.create(uri, 'camsim', 1, seed);
          await client.open(uri, seed);
          for (const batch of batches) {
            const changes: TextDocumentContentChangeEvent[] = [];
            for (const e of batch) {
              const text = doc.getText();
              if (e.full) {
                changes.push({ text: e.text });
                doc = TextDocument.update(doc, [{ text: e.text }], doc.version);
                continue;
              }
              const start = text.length ? e.at % (text.length + 1) : 0;
              const end = Math.min(text.length, start + e.length);
              const change = { range: { start: doc.positionAt(start), end: doc.positionAt(end) }, text: e.text };
              changes.push(change);
              doc = TextDocument.update(doc, [change], doc.version);
            }
            const version = await client.change(uri, changes);
            doc = TextDocument.create(uri, 'camsim', version, doc.getText());
            for (const p of positions) await probe(uri, doc.getText(), position(doc, p), newName);
          }
          const final = await client.diagnosticsFor(uri, doc.version);
          for (const d of final.diagnostics) {
            assert.ok(validRange(d.range, doc.getText()), JSON.stringify(d));
            assert.equal(typeof d.message, 'string');
            assert.equal(typeof d.code, 'string');
            for (const r of d.relatedInformation ?? []) assert.ok(validRange(r.location.range, doc.getText()), JSON.stringify(r));
          }
          await client.close(uri);
        },
      ),
      { numRuns: 60 },
    );
    assert.ok(probes >= 40, `${probes} probes`);
    assert.equal(client.proc.exitCode, null, 'the server is still running');
    assert.deepEqual(client.logs.filter((l) => / failed: |^unexpected /.test(l)), []);
  });

  test('malformed requests get answers or errors, never a crash', async () => {
    const uri = docUri('malformed.camsim');
    await client.open(uri, sample('pass-race-before-fix.camsim'));
    const answers = await Promise.allSettled([
      client.request('textDocument/hover', { textDocument: { uri } }),
      client.request('textDocument/completion', {}),
      client.request('textDocument/definition', { textDocument: { uri }, position: { line: 'x', character: null } }),
      client.request('textDocument/rename', { textDocument: { uri }, position: { line: 10, character: 8 }, newName: 42 }),
      client.request('textDocument/codeAction', { textDocument: { uri }, range: null, context: null }),
      client.request('textDocument/semanticTokens/full', { textDocument: {} }),
      client.request('textDocument/formatting', { textDocument: { uri: 'file:///nowhere.camsim' }, options: {} }),
    ]);
    assert.equal(answers.length, 7);
    // the server still answers a normal request
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 15 } });
    assert.ok(h);
    assert.equal(client.proc.exitCode, null);
  });
});
