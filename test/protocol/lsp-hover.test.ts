// Hover through the real server: drivers and variants (what their code does,
// D_TRACKCLOSE or not, the FreeBSD file), statements (the kernel path they run),
// expression fields (meaning and kernel name), names and keywords.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient, docUri, startWithDocument } from './lsp-client';
import { at, rangeOf } from './lsp-util';
import { functionsNamed } from '../../core/kernel/functions';

const TEXT = [
  'scenario "hover"', // 0
  'kernel invariants', // 1
  'device pass0: pass before-fix', // 2
  'device sg0: sg', // 3
  'device ch0: ch after-fix with io-error', // 4
  'process A {', // 5
  '  open pass0 as f', // 6
  '  ioctl f', // 7
  '  close f', // 8
  '  repeat 2 {', // 9
  '    open sg0 as g', // 10
  '    close g', // 11
  '  }', // 12
  '}', // 13
  'process L {', // 14
  '  lose ch0', // 15
  '}', // 16
  'schedule A*3 L taskq', // 17
  'expect pass0.refcount == 0 && A.f.errno == EBUSY', // 18
  'expect pass0.sim_mtx.holder == none', // 19
  'expect no leak', // 20
  '',
].join('\n');

describe('language server hover', () => {
  let client: LspClient;
  const uri = docUri('hover.camsim');
  before(async () => {
    client = await startWithDocument(uri, TEXT);
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function hover(needle: string, offset = 0, line?: number): Promise<{ value: string; hover: Hover }> {
    const position = at(TEXT, needle, offset, line);
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
    assert.ok(h, `a hover at ${needle}`);
    const c = h.contents as MarkupContent;
    assert.equal(c.kind, 'markdown');
    return { value: c.value, hover: h };
  }

  test('on a driver: what it is, the FreeBSD file, both variants and their D_TRACKCLOSE', async () => {
    const { value, hover: h } = await hover('pass before-fix', 1);
    assert.match(value, /pass\(4\): the SCSI passthrough driver/);
    assert.match(value, /sys\/cam\/scsi\/scsi_pass\.c/);
    assert.match(value, /before-fix\*\*: `d_flags = 0` \(no D_TRACKCLOSE/);
    assert.match(value, /after-fix\*\*: `d_flags = D_TRACKCLOSE`/);
    assert.match(value, /passclose/);
    assert.deepEqual(h.range, rangeOf(TEXT, 2, 'pass', 2));
  });

  test('on a variant: what its open and close do, D_TRACKCLOSE or not, the functions and file', async () => {
    const before = (await hover('before-fix', 3)).value;
    assert.match(before, /no D_TRACKCLOSE/);
    assert.match(before, /passopen takes a periph reference/);
    assert.match(before, /d_open: `passopen` — sys\/cam\/scsi\/scsi_pass\.c: passopen\(\) \(2011, before D_TRACKCLOSE\)/);
    assert.match(before, /d_close: `passclose`/);
    assert.match(before, /devfs close race/);
    const afterFix = (await hover('after-fix', 2)).value;
    assert.match(afterFix, /\*\*D_TRACKCLOSE\*\*: devfs calls d_close on every close/);
    assert.match(afterFix, /scsi_ch\.c/);
  });

  test('on a driver of a D_NEEDGIANT device without a variant: the default after-fix', async () => {
    const { value } = await hover(': sg', 2, 3);
    assert.match(value, /This device uses \*\*after-fix\*\* \(the default/);
    assert.match(value, /D_NEEDGIANT\|D_TRACKCLOSE|D_TRACKCLOSE\|D_NEEDGIANT/);
  });

  test('on open: the kernel path down to the driver method, every function a modelled one', async () => {
    const { value, hover: h } = await hover('open pass0', 1);
    assert.match(value, /`kern_openat → vn_open → devfs_open → passopen`/);
    assert.match(value, /kern_openat` — sys\/kern\/vfs_syscalls\.c/);
    assert.deepEqual(h.range, rangeOf(TEXT, 6, 'open pass0 as f'));
    for (const name of ['kern_openat', 'vn_open', 'devfs_open', 'passopen']) assert.ok(functionsNamed(name).length > 0, name);
  });

  test('on close: devfs_close and when it calls d_close', async () => {
    const { value } = await hover('close f', 1);
    assert.match(value, /`kern_close → vn_close → devfs_close → passclose`/);
    assert.match(value, /only when `count_dev\(dev\)`/);
  });

  test('on a statement of a D_NEEDGIANT driver: through the Giant wrapper', async () => {
    const { value } = await hover('open sg0', 1);
    assert.match(value, /`kern_openat → vn_open → devfs_open → giant_open → sgopen`/);
    const close = (await hover('close g', 1)).value;
    assert.match(close, /devfs_close → giant_close → sgclose/);
    assert.match(close, /on \*\*every\*\* close \(D_TRACKCLOSE\)/);
  });

  test('on ioctl and lose', async () => {
    assert.match((await hover('ioctl f', 1)).value, /`devfs_ioctl_f → passioctl`/);
    const lose = (await hover('lose ch0', 1)).value;
    assert.match(lose, /`xpt_async → cam_periph_invalidate → choninvalidate`/);
    assert.match(lose, /taskq/);
  });

  test('on an expression field: its meaning and kernel name', async () => {
    const refcount = (await hover('refcount', 2, 18)).value;
    assert.match(refcount, /\*\*pass0\.refcount\*\* \(number\) — kernel: `periph->refcount`/);
    assert.match(refcount, /cam_periph_release_locked_buses/);
    assert.match((await hover('errno', 1, 18)).value, /\*\*A\.f\.errno\*\* \(number\) — kernel: `error`/);
    assert.match((await hover('EBUSY', 1)).value, /\*\*EBUSY\*\* = 16/);
    assert.match((await hover('sim_mtx', 1)).value, /lock `periph->sim->mtx`/);
    assert.match((await hover('holder', 1)).value, /kernel: `mtx_owner\(\)`/);
    // the root of a path: the device itself
    assert.match((await hover('pass0.refcount', 0, 18)).value, /\*\*device pass0\*\*: `pass before-fix`/);
  });

  test('on declared names: devices, processes, descriptors', async () => {
    assert.match((await hover('pass0', 1, 2)).value, /\*\*device pass0\*\*: `pass before-fix`/);
    assert.match((await hover('A*3', 0)).value, /\*\*process A\*\* \(line 6\): 6 statements; descriptors `f`, `g`/);
    assert.match((await hover('as f', 3, 6)).value, /\*\*descriptor f\*\* of process A opened on `pass0` at line 7/);
  });

  test('on keywords, options and expectations', async () => {
    assert.match((await hover('invariants', 1)).value, /INVARIANTS/);
    assert.match((await hover('io-error', 1)).value, /chgetparams/);
    assert.match((await hover('no leak', 4)).value, /\*\*expect no leak\*\* — .*resting value/);
    assert.match((await hover('schedule', 1)).value, /scheduling point/);
    assert.match((await hover('repeat', 1)).value, /\*\*repeat 2\*\* — runs its statements 2 times/);
    assert.match((await hover('taskq', 1)).value, /taskqueue_swi_giant/);
  });

  test('nothing on blank space', async () => {
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 21, character: 0 } });
    assert.equal(h, null);
  });
});
