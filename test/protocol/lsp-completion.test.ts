// Completion through the real server: keywords, drivers, variants, declared
// devices, processes and descriptors, expression fields after '.', each item
// with documentation.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CompletionTriggerKind, type CompletionItem, type CompletionList, type MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient, docUri, startWithDocument } from './lsp-client';
import { ALL_DRIVERS } from '../helpers/drivers';

const TEXT = [
  'scenario "completion"', // 0
  'device pass0: pass before-fix', // 1
  'device ch0: ch', // 2
  'process A {', // 3
  '  open pass0 as f', // 4
  '  open ch0 as g', // 5
  '  ', // 6
  '}', // 7
  'process B {', // 8
  '  open pass0 as h', // 9
  '  close ', // 10
  '}', // 11
  '', // 12
  'device x0: ', // 13
  'device x1: sg ', // 14
  'device x2: ch before-fix with ', // 15
  'schedule A ', // 16
  'expect ', // 17
  'expect pass0.', // 18
  'expect A.', // 19
  'expect A.f.', // 20
  'expect no ', // 21
  'expect B.h.errno == E', // 22
  'kernel ', // 23
  '  open ', // 24 (outside a process: still completes devices after `open`)
  '# open ', // 25 a comment
  'expect pass0.refcount == ', // 26
  '  open pass0 as ', // 27 after `as`: a new name
  'scenario "two ', // 28 in a string
  '',
].join('\n');

describe('language server completion', () => {
  let client: LspClient;
  const uri = docUri('completion.camsim');
  before(async () => {
    client = await startWithDocument(uri, TEXT);
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  /** Completion at the end of `line` (or at `character`); `trigger`: as if that character had just been typed. */
  async function complete(line: number, character?: number, trigger?: string): Promise<CompletionItem[]> {
    const ch = character ?? TEXT.split('\n')[line].length;
    const context = trigger ? { triggerKind: CompletionTriggerKind.TriggerCharacter, triggerCharacter: trigger } : { triggerKind: CompletionTriggerKind.Invoked };
    const r = await client.request<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: { line, character: ch }, context });
    const items = Array.isArray(r) ? r : (r?.items ?? []);
    for (const item of items) {
      const doc = item.documentation as MarkupContent | undefined;
      assert.ok(doc && doc.kind === 'markdown' && doc.value.length > 0, `item ${item.label} has documentation`);
      assert.ok(item.detail, `item ${item.label} has a detail`);
    }
    return items;
  }
  const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);
  const docOf = (items: CompletionItem[], label: string): string => (items.find((i) => i.label === label)?.documentation as MarkupContent).value;

  test('declaration keywords at the top level, statement keywords inside a process', async () => {
    assert.deepEqual(labels(await complete(12, 0)), ['scenario', 'kernel', 'device', 'driver', 'process', 'schedule', 'expect']);
    const inside = await complete(6);
    assert.deepEqual(labels(inside), ['open', 'close', 'ioctl', 'lose', 'repeat']);
    assert.match(docOf(inside, 'open'), /kern_openat → vn_open → devfs_open → d_open/);
  });

  test('a partly typed keyword is replaced as a whole', async () => {
    const items = await complete(12, 0);
    const edit = items.find((i) => i.label === 'device')?.textEdit;
    assert.deepEqual(edit, { range: { start: { line: 12, character: 0 }, end: { line: 12, character: 0 } }, newText: 'device' });
  });

  test('drivers after the colon, then variants, then options after `with`', async () => {
    const drivers = await complete(13);
    assert.deepEqual(labels(drivers), ALL_DRIVERS);
    assert.match(docOf(drivers, 'pass'), /sys\/cam\/scsi\/scsi_pass\.c/);
    const variants = await complete(14);
    assert.deepEqual(labels(variants), ['before-fix', 'after-fix', 'with']);
    assert.match(docOf(variants, 'before-fix'), /no D_TRACKCLOSE/);
    assert.match(docOf(variants, 'after-fix'), /D_TRACKCLOSE/);
    assert.deepEqual(labels(await complete(15)), ['io-error']);
  });

  test('declared devices after `open`; descriptors of the enclosing process after `close`', async () => {
    const devices = await complete(24);
    assert.deepEqual(labels(devices), ['pass0', 'ch0', 'x0', 'x1', 'x2']);
    assert.match(docOf(devices, 'pass0'), /passthrough/);
    assert.equal(devices.find((i) => i.label === 'pass0')?.detail, 'device: pass before-fix');
    const fds = await complete(10);
    assert.deepEqual(labels(fds), ['h'], 'B opens only h');
  });

  test('processes after `schedule`', async () => {
    const items = await complete(16);
    assert.deepEqual(labels(items), ['A', 'B']);
  });

  test('expectations and names after `expect`; the rest after `expect no`', async () => {
    const items = await complete(17);
    const l = labels(items);
    for (const x of ['panic', 'no panic', 'deadlock', 'no deadlock', 'no use-after-free', 'no leak', 'pass0', 'A', 'devmtx', 'EBUSY', 'D_TRACKCLOSE', 'none']) {
      assert.ok(l.includes(x), `${x} in ${l.join(' ')}`);
    }
    assert.deepEqual(labels(await complete(21)), ['panic', 'deadlock', 'use-after-free', 'leak']);
  });

  test('fields after `.`: a device, a process (fields and descriptors), a descriptor', async () => {
    const dev = await complete(18);
    for (const x of ['refcount', 'si_usecount', 'open_count', 'trackclose', 'sim_mtx', 'vnode_lock']) assert.ok(labels(dev).includes(x), x);
    assert.match(docOf(dev, 'refcount'), /cam_periph_release_locked_buses/);
    assert.equal(dev.find((i) => i.label === 'refcount')?.detail, 'periph->refcount (number)');
    const proc = await complete(19);
    assert.deepEqual(labels(proc), ['blocked', 'done', 'errno', 'steps', 'f', 'g']);
    const fd = await complete(20);
    assert.deepEqual(labels(fd), ['errno', 'open']);
  });

  test('names after an operator, replacing the word being typed', async () => {
    const items = await complete(22);
    const ebusy = items.find((i) => i.label === 'EBUSY');
    assert.ok(ebusy);
    assert.equal(ebusy.detail, 'EBUSY = 16');
    const line = TEXT.split('\n')[22];
    assert.deepEqual(ebusy.textEdit, { range: { start: { line: 22, character: line.length - 1 }, end: { line: 22, character: line.length } }, newText: 'EBUSY' });
  });

  test('kernel options; nothing inside a comment', async () => {
    assert.deepEqual(labels(await complete(23)), ['invariants']);
    assert.deepEqual(await complete(25), []);
  });

  test('the trigger characters are announced', () => {
    assert.deepEqual(client.initializeResult.capabilities.completionProvider?.triggerCharacters, ['.', ':', ' ', '>']);
  });

  test('a typed space opens the list where the next word is a choice: driver, variant, option, device, descriptor, process, outcome', async () => {
    assert.deepEqual(labels(await complete(13, undefined, ' ')), ALL_DRIVERS);
    assert.deepEqual(labels(await complete(14, undefined, ' ')), ['before-fix', 'after-fix', 'with']);
    assert.deepEqual(labels(await complete(15, undefined, ' ')), ['io-error']);
    assert.deepEqual(labels(await complete(24, undefined, ' ')), ['pass0', 'ch0', 'x0', 'x1', 'x2']);
    assert.deepEqual(labels(await complete(10, undefined, ' ')), ['h']);
    assert.deepEqual(labels(await complete(16, undefined, ' ')), ['A', 'B']);
    assert.deepEqual(labels(await complete(21, undefined, ' ')), ['panic', 'deadlock', 'use-after-free', 'leak']);
    assert.deepEqual(labels(await complete(23, undefined, ' ')), ['invariants']);
    // `device x0:` then ':' typed: the drivers too
    assert.deepEqual(labels(await complete(13, 'device x0:'.length, ':')), ALL_DRIVERS);
  });

  test('a typed space elsewhere opens nothing: indentation, after `expect`, in an expression, after `as`, in a string or a comment', async () => {
    for (const [line, character] of [[6, 2], [17, undefined], [26, undefined], [27, undefined], [28, undefined], [25, undefined], [12, 0]] as const) {
      assert.deepEqual(labels(await complete(line, character, ' ')), [], `line ${line}: ${JSON.stringify(TEXT.split('\n')[line])}`);
    }
    // asked for (Ctrl+Space), the same places still list what may come
    assert.ok((await complete(17)).length > 10);
    assert.ok((await complete(26)).some((i) => i.label === 'pass0'));
    assert.deepEqual(labels(await complete(6)), ['open', 'close', 'ioctl', 'lose', 'repeat']);
  });
});
