// Navigation through the real server: definition, references, highlights,
// rename (every reference updated; a taken or invalid name refused), the
// outline, folding ranges and semantic tokens.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  SymbolKind,
  type DocumentHighlight,
  type DocumentSymbol,
  type FoldingRange,
  type Location,
  type SemanticTokens,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { LspClient, docUri, startWithDocument } from './lsp-client';
import { applyWorkspaceEdit, rangeOf } from './lsp-util';
import { analyze } from '../../core/scenario';

const TEXT = [
  '# navigation', // 0
  '# of names', // 1
  'scenario "names"', // 2
  'device pass0: pass before-fix', // 3
  'process A {', // 4
  '  open pass0 as f', // 5
  '  repeat 2 {', // 6
  '    close f', // 7
  '    open pass0 as f', // 8
  '  }', // 9
  '  close f', // 10
  '}', // 11
  'process B {', // 12
  '  open pass0 as f', // 13
  '  close f', // 14
  '}', // 15
  'schedule A B*2 A', // 16
  'expect pass0.refcount == 0 && A.f.errno == 0 && B.f.open == false', // 17
  'expect pass0.sim_mtx.holder != A', // 18
  '',
].join('\n');

describe('language server navigation', () => {
  let client: LspClient;
  const uri = docUri('navigation.camsim');
  before(async () => {
    client = await startWithDocument(uri, TEXT);
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  const pos = (line: number, needle: string, occurrence = 1) => rangeOf(TEXT, line, needle, occurrence).start;
  const req = <R>(method: string, position: { line: number; character: number }, extra: object = {}): Promise<R> =>
    client.request<R>(method, { textDocument: { uri }, position, ...extra });

  test('definition: a device use goes to its declaration, a descriptor use to its first open', async () => {
    const dev = await req<Location>('textDocument/definition', pos(17, 'pass0'));
    assert.deepEqual(dev, { uri, range: rangeOf(TEXT, 3, 'pass0') });
    const fd = await req<Location>('textDocument/definition', pos(10, 'f'));
    assert.deepEqual(fd, { uri, range: rangeOf(TEXT, 5, 'f') });
    const bf = await req<Location>('textDocument/definition', pos(17, 'f', 2));
    assert.deepEqual(bf, { uri, range: rangeOf(TEXT, 5, 'f') }, 'A.f is A\'s descriptor');
    const proc = await req<Location>('textDocument/definition', pos(16, 'B'));
    assert.deepEqual(proc, { uri, range: rangeOf(TEXT, 12, 'B') });
    assert.equal(await req('textDocument/definition', pos(3, 'device')), null);
  });

  test('references: every place a name is used, with or without the declaration', async () => {
    const refs = await req<Location[]>('textDocument/references', pos(5, 'pass0'), { context: { includeDeclaration: true } });
    assert.deepEqual(refs.map((l) => l.range), [
      rangeOf(TEXT, 3, 'pass0'),
      rangeOf(TEXT, 5, 'pass0'),
      rangeOf(TEXT, 8, 'pass0'),
      rangeOf(TEXT, 13, 'pass0'),
      rangeOf(TEXT, 17, 'pass0'),
      rangeOf(TEXT, 18, 'pass0'),
    ]);
    const uses = await req<Location[]>('textDocument/references', pos(4, 'A'), { context: { includeDeclaration: false } });
    assert.deepEqual(uses.map((l) => l.range), [rangeOf(TEXT, 16, 'A'), rangeOf(TEXT, 16, 'A', 2), rangeOf(TEXT, 17, 'A'), rangeOf(TEXT, 18, 'A')]);
    // B's f is not A's f
    const bf = await req<Location[]>('textDocument/references', pos(14, 'f'), { context: { includeDeclaration: true } });
    assert.deepEqual(bf.map((l) => l.range), [rangeOf(TEXT, 13, 'f'), rangeOf(TEXT, 14, 'f'), rangeOf(TEXT, 17, 'f', 3)]);
  });

  test('highlights mark declarations as writes', async () => {
    const hl = await req<DocumentHighlight[]>('textDocument/documentHighlight', pos(7, 'f'));
    assert.deepEqual(hl.map((h) => [h.range.start.line, h.kind]), [[5, 3], [7, 2], [8, 3], [10, 2], [17, 2]]);
  });

  test('rename of a device updates every reference and keeps the scenario valid', async () => {
    const prep = await req<{ range: unknown; placeholder: string }>('textDocument/prepareRename', pos(13, 'pass0'));
    assert.deepEqual(prep, { range: rangeOf(TEXT, 13, 'pass0'), placeholder: 'pass0' });
    const edit = await req<WorkspaceEdit>('textDocument/rename', pos(13, 'pass0'), { newName: 'tape0' });
    const renamed = applyWorkspaceEdit(TEXT, uri, edit);
    assert.equal(renamed, TEXT.replaceAll('pass0', 'tape0'));
    assert.deepEqual(analyze(renamed).diagnostics.filter((d) => d.severity === 'error'), []);
  });

  test('rename of a process updates the schedule and expressions', async () => {
    const edit = await req<WorkspaceEdit>('textDocument/rename', pos(16, 'A'), { newName: 'opener' });
    const renamed = applyWorkspaceEdit(TEXT, uri, edit);
    assert.match(renamed, /^process opener \{$/m);
    assert.match(renamed, /^schedule opener B\*2 opener$/m);
    assert.match(renamed, /opener\.f\.errno == 0/);
    assert.match(renamed, /holder != opener$/m);
    assert.deepEqual(analyze(renamed).diagnostics.filter((d) => d.severity === 'error'), []);
  });

  test('rename of a descriptor stays inside its process', async () => {
    const edit = await req<WorkspaceEdit>('textDocument/rename', pos(8, 'f'), { newName: 'fd' });
    const renamed = applyWorkspaceEdit(TEXT, uri, edit).split('\n');
    assert.deepEqual([renamed[5], renamed[7], renamed[8], renamed[10], renamed[13], renamed[14]], [
      '  open pass0 as fd',
      '    close fd',
      '    open pass0 as fd',
      '  close fd',
      '  open pass0 as f',
      '  close f',
    ]);
    assert.match(renamed[17], /A\.fd\.errno == 0 && B\.f\.open/);
  });

  test('rename refuses a taken name, a keyword and a malformed name', async () => {
    const refused = async (p: { line: number; character: number }, newName: string, why: RegExp): Promise<void> => {
      await assert.rejects(req('textDocument/rename', p, { newName }), (err: Error & { code?: number }) => {
        assert.match(err.message, why);
        assert.equal(err.code, -32803); // RequestFailed
        return true;
      });
    };
    await refused(pos(3, 'pass0'), 'A', /process A already exists/);
    await refused(pos(4, 'A'), 'B', /process B already exists/);
    await refused(pos(4, 'A'), 'pass0', /device pass0 already exists/);
    await refused(pos(4, 'A'), 'EBUSY', /errno constant/);
    await refused(pos(3, 'pass0'), 'devmtx', /kernel lock/);
    await refused(pos(4, 'A'), 'open', /keyword/);
    await refused(pos(4, 'A'), '2x', /a name is letters/);
    await refused(pos(4, 'A'), 'a b', /a name is letters/);
    await refused(pos(5, 'f'), 'errno', /field of the process/);
    await assert.rejects(req('textDocument/prepareRename', pos(3, 'device')), /only a declared device, process or descriptor/);
  });

  test('document symbols: the outline of the scenario', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((s) => [s.name, s.kind]), [
      ['names', SymbolKind.File],
      ['pass0', SymbolKind.Object],
      ['A', SymbolKind.Function],
      ['B', SymbolKind.Function],
      ['schedule', SymbolKind.Event],
      ['expect pass0.refcount == 0 && A.f.errno == 0 && B.f.open == false', SymbolKind.Boolean],
      ['expect pass0.sim_mtx.holder != A', SymbolKind.Boolean],
    ]);
    assert.equal(symbols[1].detail, 'pass before-fix');
    const a = symbols[2];
    assert.deepEqual(a.selectionRange, rangeOf(TEXT, 4, 'A'));
    assert.deepEqual(a.children?.map((c) => c.name), ['open pass0 as f', 'repeat 2', 'close f']);
    assert.deepEqual(a.children?.[1].children?.map((c) => c.name), ['close f', 'open pass0 as f']);
  });

  test('folding ranges: processes, repeat blocks and comment runs', async () => {
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.deepEqual(ranges.map((r) => [r.startLine, r.endLine, r.kind]), [
      [0, 1, 'comment'],
      [4, 10, 'region'],
      [6, 8, 'region'],
      [12, 14, 'region'],
    ]);
  });

  test('semantic tokens classify names by what they denote', async () => {
    const legend = client.initializeResult.capabilities.semanticTokensProvider!.legend;
    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    // decode the relative encoding
    const decoded = new Map<string, [string, string[]]>();
    let line = 0;
    let ch = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      const [dl, dc, , type, mods] = tokens.data.slice(i, i + 5);
      line += dl;
      ch = dl ? dc : ch + dc;
      decoded.set(`${line}:${ch}`, [legend.tokenTypes[type], legend.tokenModifiers.filter((_, k) => mods & (1 << k))]);
    }
    const kind = (l: number, needle: string, occurrence = 1) => decoded.get(`${l}:${rangeOf(TEXT, l, needle, occurrence).start.character}`);
    assert.deepEqual(kind(0, '#'), ['comment', []]);
    assert.deepEqual(kind(3, 'device'), ['keyword', []]);
    assert.deepEqual(kind(3, 'pass0'), ['variable', ['declaration']]);
    assert.deepEqual(kind(3, 'pass', 2), ['type', []]);
    assert.deepEqual(kind(3, 'before-fix'), ['enumMember', []]);
    assert.deepEqual(kind(4, 'A'), ['function', ['declaration']]);
    assert.deepEqual(kind(5, 'pass0'), ['variable', []]);
    assert.deepEqual(kind(5, 'f'), ['parameter', ['declaration']]);
    assert.deepEqual(kind(6, '2'), ['number', []]);
    assert.deepEqual(kind(16, 'B'), ['function', []]);
    assert.deepEqual(kind(16, '*'), ['operator', []]);
    assert.deepEqual(kind(17, 'refcount'), ['property', []]);
    assert.deepEqual(kind(17, 'f.errno'), ['parameter', []]);
    assert.deepEqual(kind(17, 'false'), ['keyword', []]);
    assert.deepEqual(kind(18, 'sim_mtx'), ['property', ['defaultLibrary']]);
    assert.deepEqual(kind(2, '"names"'), ['string', []]);
  });

  test('positions outside the document are answered, not failed', async () => {
    assert.deepEqual(await req('textDocument/references', { line: 999, character: 999 }, { context: { includeDeclaration: true } }), []);
    assert.equal(await req('textDocument/definition', { line: -5, character: 3 }), null);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: docUri('not-open.camsim') }, position: { line: 0, character: 0 } }), null);
  });
});

