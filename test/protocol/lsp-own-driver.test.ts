// A driver written in C inside a scenario, through the real server over stdio:
// diagnostics with ranges inside a routine (an unknown call, a flag the driver
// does not declare, a return with the periph lock held), hover on a kernel call,
// completion of softc fields, rename of a flag everywhere, folding of routines.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DiagnosticSeverity, type CodeAction, type SemanticTokens, type CompletionItem, type CompletionList, type FoldingRange, type Hover, type MarkupContent, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspClient, docUri } from './lsp-client';
import { applyWorkspaceEdit, at, lineOf, messageOf, rangeOf } from './lsp-util';
import { KERNEL_CALLS } from '../../core/kernel/kernelCalls';

const NO_CHECK = { backgroundCheck: { enabled: false } };

const BUGGY = [
  'scenario "own driver with three bugs"', // 0
  'driver mypass {', // 1
  '  d_flags = D_TRACKCLOSE;', // 2
  '  softc_flags MYPASS_FLAG_OPEN = 0x01, MYPASS_FLAG_INVALID = 0x04;', // 3
  '  resting = 1;', // 4
  '', // 5
  '  d_open {', // 6
  '    if (cam_periph_acquire(periph) != CAM_REQ_CMP)', // 7
  '      return (ENXIO);', // 8
  '    cam_periph_lock(periph);', // 9
  '    if (softc->flags & MYPASS_FLAG_GONE) {', // 10
  '      cam_periph_release_locked(periph);', // 11
  '      return (ENXIO);', // 12
  '    }', // 13
  '    cam_periph_frobnicate(periph);', // 14
  '    softc->flags |= MYPASS_FLAG_OPEN;', // 15
  '    cam_periph_unlock(periph);', // 16
  '    return (0);', // 17
  '  }', // 18
  '  d_close {', // 19
  '    cam_periph_lock(periph);', // 20
  '    softc->flags &= ~MYPASS_FLAG_OPEN;', // 21
  '    cam_periph_release_locked(periph);', // 22
  '    cam_periph_unlock(periph);', // 23
  '    return (0);', // 24
  '  }', // 25
  '}', // 26
  'device p0: mypass', // 27
  'process A {', // 28
  '  open p0 as f', // 29
  '  close f', // 30
  '}', // 31
  'expect p0.softc_flags & MYPASS_FLAG_OPEN == 0', // 32
  '',
].join('\n');

describe('language server: drivers written in C', () => {
  let client: LspClient;
  const uri = docUri('own-driver.camsim');
  before(async () => {
    client = await LspClient.start({ settings: NO_CHECK });
    await client.open(uri, BUGGY);
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('an unknown call, an undeclared flag and a return with the periph lock held are reported inside the routine', async () => {
    const p = await client.diagnosticsFor(uri, 1);
    const byCode = (code: string) => p.diagnostics.filter((d) => d.code === code);
    const unknownCall = byCode('unknown-call');
    assert.equal(unknownCall.length, 1, JSON.stringify(p.diagnostics));
    assert.deepEqual(unknownCall[0].range, rangeOf(BUGGY, 14, 'cam_periph_frobnicate'));
    assert.equal(unknownCall[0].severity, DiagnosticSeverity.Error);
    assert.match(messageOf(unknownCall[0]), /unknown kernel function 'cam_periph_frobnicate'/);

    const flag = byCode('undeclared-flag');
    assert.equal(flag.length, 1);
    assert.deepEqual(flag[0].range, rangeOf(BUGGY, 10, 'MYPASS_FLAG_GONE'));
    assert.match(messageOf(flag[0]), /not a flag of mypass.*softc_flags MYPASS_FLAG_GONE/);

    const locked = byCode('return-locked');
    assert.equal(locked.length, 1, JSON.stringify(p.diagnostics));
    assert.equal(locked[0].range.start.line, 12, 'the return inside the if, which skips cam_periph_unlock');
    assert.equal(locked[0].severity, DiagnosticSeverity.Warning, 'a warning: the scenario still runs and shows the deadlock');
    assert.match(messageOf(locked[0]), /periph lock held/);
    assert.equal(locked[0].relatedInformation?.[0].location.range.start.line, 9, 'points at the cam_periph_lock');
    // nothing in d_close, which is correct
    assert.ok(p.diagnostics.every((d) => d.range.start.line < 19 || d.range.start.line > 25), JSON.stringify(p.diagnostics));
  });

  test('hover on cam_periph_release_locked inside a routine gives its prototype, FreeBSD source and effect', async () => {
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at(BUGGY, 'cam_periph_release_locked', 3, 22) });
    assert.ok(h, 'a hover');
    const value = (h.contents as MarkupContent).value;
    assert.match(value, /void cam_periph_release_locked\(struct cam_periph \*periph\)/);
    assert.match(value, /sys\/cam\/cam_periph\.c/);
    assert.match(value, /SIM mutex held/);
    assert.deepEqual(h.range, rangeOf(BUGGY, 22, 'cam_periph_release_locked'));
  });

  test('hover on a softc flag and on the driver name in a device', async () => {
    const flag = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at(BUGGY, 'MYPASS_FLAG_OPEN', 2, 15) });
    assert.match((flag?.contents as MarkupContent).value, /MYPASS_FLAG_OPEN\*\* = 0x1/);
    const drv = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at(BUGGY, 'mypass', 1, 27) });
    assert.match((drv?.contents as MarkupContent).value, /driver mypass.*written in this file/);
  });

  test('completion after softc-> lists the softc fields; in a routine, the kernel calls and the flags', async () => {
    const arrow = await client.request<CompletionList | CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 15, character: '    softc->'.length },
      context: { triggerKind: 2, triggerCharacter: '>' },
    });
    const labels = (r: CompletionList | CompletionItem[]) => (Array.isArray(r) ? r : r.items).map((i) => i.label);
    assert.deepEqual(labels(arrow).sort(), ['flags', 'open_count']);
    const inBody = labels(await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 17, character: 4 } }));
    for (const want of ['cam_periph_acquire', 'cam_periph_release_locked', 'mtx_lock', 'MYPASS_FLAG_OPEN', 'ENXIO', 'CAM_REQ_CMP', 'periph', 'return']) assert.ok(inBody.includes(want), want);
  });

  test('renaming a softc flag changes its declaration, the routines and the expectation', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: at(BUGGY, 'MYPASS_FLAG_OPEN', 3, 15), newName: 'MYPASS_OPEN' });
    const text = applyWorkspaceEdit(BUGGY, uri, edit);
    assert.equal(text.split('MYPASS_OPEN').length - 1, 4, text);
    assert.ok(!text.includes('MYPASS_FLAG_OPEN'));
    assert.equal(lineOf(text, 'expect p0.softc_flags & MYPASS_OPEN == 0'), 32);
  });

  test('renaming the driver changes the device that uses it; a built-in name is refused', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: at(BUGGY, 'mypass', 1, 1), newName: 'ourpass' });
    const text = applyWorkspaceEdit(BUGGY, uri, edit);
    assert.match(text, /driver ourpass \{/);
    assert.match(text, /device p0: ourpass/);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri }, position: at(BUGGY, 'mypass', 1, 1), newName: 'pass' }), /built-in driver/);
  });

  test('the driver block and each routine fold', async () => {
    const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    const starts = folds.map((f) => `${f.startLine}-${f.endLine}`);
    for (const want of ['1-25', '6-17', '19-24']) assert.ok(starts.includes(want), `${want} in ${starts.join(' ')}`);
  });

  test('semantic tokens inside a routine: kernel calls as functions, the flags, comments per line', async () => {
    const legend = client.initializeResult.capabilities.semanticTokensProvider?.legend;
    assert.ok(legend);
    const r = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const tokens: { line: number; character: number; length: number; type: string }[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < r.data.length; i += 5) {
      line += r.data[i];
      character = r.data[i] === 0 ? character + r.data[i + 1] : r.data[i + 1];
      tokens.push({ line, character, length: r.data[i + 2], type: legend.tokenTypes[r.data[i + 3]] });
    }
    const typeAt = (l: number, needle: string) => {
      const at = rangeOf(BUGGY, l, needle).start.character;
      return tokens.find((t) => t.line === l && t.character === at && t.length === needle.length)?.type;
    };
    assert.equal(typeAt(9, 'cam_periph_lock'), 'function');
    assert.equal(typeAt(15, 'MYPASS_FLAG_OPEN'), 'enumMember');
    assert.equal(typeAt(1, 'mypass'), 'type');
    assert.equal(typeAt(7, 'if'), 'keyword');
    assert.equal(typeAt(27, 'device'), 'keyword', 'the scenario around the driver keeps its tokens');
  });

  test('a driver without D_TRACKCLOSE opened by two processes: the race warning and a quick fix that adds the flag', async () => {
    const racy = BUGGY.replace('d_flags = D_TRACKCLOSE;', 'd_flags = 0;').replace('expect p0', 'process B {\n  open p0 as f\n  close f\n}\nexpect p0');
    const u = docUri('own-driver-race.camsim');
    await client.open(u, racy);
    const p = await client.diagnosticsFor(u, 1);
    const race = p.diagnostics.find((d) => d.code === 'devfs-close-race');
    assert.ok(race, JSON.stringify(p.diagnostics));
    assert.deepEqual(race.range, rangeOf(racy, 27, 'mypass'));
    assert.equal(race.severity, DiagnosticSeverity.Warning);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: race.range, context: { diagnostics: [race] } });
    const fix = actions.find((a) => /Add D_TRACKCLOSE/.test(a.title));
    assert.ok(fix?.edit, JSON.stringify(actions));
    const fixed = applyWorkspaceEdit(racy, u, fix.edit);
    assert.match(fixed, /^ {2}d_flags = D_TRACKCLOSE;$/m);
  });

  test('hover on every kernel call of the subset, each inside a routine', async () => {
    const calls = KERNEL_CALLS.map((k) => `    ${k.name}(${k.params.map((p) => (p === 'm' ? '&Giant' : p === 'priority' ? 'PRIBIO' : 'periph')).join(', ')});`);
    const text = ['driver all {', '  d_open {', ...calls, '    return (0);', '  }', '  d_close { return (0); }', '}', ''].join('\n');
    const u = docUri('own-driver-all-calls.camsim');
    await client.open(u, text);
    for (const [i, k] of KERNEL_CALLS.entries()) {
      const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: { line: 2 + i, character: 6 } });
      const value = (h?.contents as MarkupContent | undefined)?.value ?? '';
      assert.ok(value.includes(k.prototype), `${k.name}: ${value}`);
      assert.ok(value.includes(k.source), k.name);
      assert.ok(value.includes(k.effect), k.name);
    }
  });
});
