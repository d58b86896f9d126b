// A user's first hour in a real VS Code (code-server + headless chromium): what a
// person met first and what must hold every time. The panic shows its exception
// widget whatever led there and marks the line that panicked; Debug
// Counterexample works with the background check off; the after-fix quick fix
// leaves a file whose Check passes; a breakpoint on a kernel-model line is listed
// by its file name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEditorSession, type EditorSession } from './editorSession';
import { ROOT } from './paths';
import { prerequisites } from './prerequisites';
import { Sel } from './selectors';

const pre = prerequisites();
const SAMPLE = 'pass-race-before-fix.camsim';
/** A copy of the before-fix sample for the quick fix, so the other tests keep theirs. */
const TO_FIX = 'to-fix.camsim';
const PANIC = /cam_periph_release_locked_buses: release of 0x[0-9a-f]+ when refcount is zero/;
/** The line of the model's cam_periph.c whose step panics (its exception info names it). */
const PANIC_SOURCE = 'cam_periph.c';

/** The model line of the panic, from `camsim run` on the sample ("... (cam_periph.c:72): ..."). */
function panicLine(): number {
  const out = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'run', path.join(ROOT, 'samples', SAMPLE), '-q'], { encoding: 'utf8' }).stdout;
  const m = /\(cam_periph\.c:(\d+)\)/.exec(out);
  assert.ok(m, `camsim run names no cam_periph.c line:\n${out}`);
  return Number(m[1]);
}

describe('a first hour with camsim in VS Code', { skip: pre.status === 'skip' ? pre.reason : false, timeout: 300_000 }, () => {
  let session: EditorSession;

  before(async () => {
    if (pre.status === 'fail') throw new Error(pre.reason);
    if (pre.status !== 'ready') return;
    session = await startEditorSession('first-hour', pre.editor, pre.vsix, {
      // Debug Counterexample must not depend on the language server's background check.
      '.vscode/settings.json': JSON.stringify({ 'camsim.backgroundCheck.enabled': false }, null, 2),
      [TO_FIX]: fs.readFileSync(path.join(ROOT, 'samples', SAMPLE), 'utf8'),
    });
  });

  after(async () => {
    if (session) console.log(`# step timings: ${session.steps.timings.map((t) => `${t.step} ${t.ms} ms`).join('; ')}`);
    await session?.close();
  });

  test('1. Continue from a breakpoint to the panic shows the exception widget on the line that panicked', async () => {
    const { workbench, steps } = session;
    await steps.step('open the race sample', () => workbench.openFile(SAMPLE));
    await steps.step('function breakpoint devfs_close', () => workbench.addFunctionBreakpoint('devfs_close'));
    await steps.step('F5 on the race sample stops at devfs_close', async () => {
      await workbench.openFile(SAMPLE);
      await workbench.focusEditor();
      await workbench.continue();
      await workbench.waitForStopped();
    });
    assert.equal(await workbench.activeTabName(), 'devfs_vnops.c');

    await steps.step('a breakpoint on the kernel-model line (F9)', () => workbench.toggleBreakpoint());
    const rows = await steps.step('the Breakpoints view lists it by file name', () => workbench.breakpointRows());
    assert.ok(rows.some((r) => /devfs_vnops\.c/.test(r)), `no Breakpoints row names devfs_vnops.c: ${JSON.stringify(rows)}`);

    await steps.step('remove the breakpoints', () => workbench.removeAllBreakpoints());
    const widget = await steps.step('continue to the panic', async () => {
      await workbench.continue();
      await workbench.waitForStopped();
      return workbench.waitForExceptionWidget(PANIC);
    });
    assert.match(widget, PANIC);
    // The timeline opens by itself at the first panic, below the code, and gives the focus back.
    await steps.step('the panic source stays in front', () => workbench.waitForActiveTab(PANIC_SOURCE));
    assert.match(await workbench.exceptionText(), PANIC, 'the exception widget went away when the timeline opened');
    // The cursor sits on the top frame's line: the one whose step panicked, as the CLI names it.
    assert.equal(await workbench.cursorLine(), panicLine());
    await steps.step('stop debugging', () => workbench.stopDebugging());
  });

  test('2. Debug Counterexample, with the background check off, replays to the panic and shows its exception widget', async () => {
    const { workbench, steps } = session;
    const widget = await steps.step('debug the counterexample', async () => {
      // A session left over by a failed step 1 would take the stop's focus.
      if (await workbench.locator(Sel.debugToolbar).isVisible()) await workbench.stopDebugging();
      await workbench.openFile(SAMPLE);
      await workbench.runCommand('camsim: Debug Counterexample');
      await workbench.waitForStopped(60_000);
      return workbench.waitForExceptionWidget(PANIC, 30_000);
    });
    assert.match(widget, PANIC);
    await workbench.waitForActiveTab(PANIC_SOURCE);
    await steps.step('stop debugging the counterexample', () => workbench.stopDebugging());
  });

  test('3. the after-fix quick fix leaves a file whose Check passes', async () => {
    const { workbench, steps } = session;
    await steps.step('open the copy of the race sample', () => workbench.openFile(TO_FIX));
    await steps.step('quick fix: switch to the after-fix driver', async () => {
      await workbench.quickFix('device pass0', /after-fix/i);
      await workbench.save();
    });
    const verdict = await steps.step('check all interleavings', async () => {
      await workbench.runCommand('camsim: Check All Interleavings');
      return workbench.waitForNotification(/^camsim check:/);
    });
    assert.doesNotMatch(verdict, /fail|violat|not hold/i, verdict);
    assert.match(verdict, /held|hold|pass/i, verdict);
  });
});
