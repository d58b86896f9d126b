// The devfs close race, end to end in a real VS Code (code-server + headless
// chromium) with the built package installed: diagnostics, debugging to the panic,
// stepping back, and the explorer's verdict.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEditorSession, type EditorSession } from './editorSession';
import { prerequisites } from './prerequisites';

const pre = prerequisites();
const SAMPLE = 'pass-race-before-fix.camsim';
const BROKEN = 'broken.camsim';
/** A misspelt keyword on line 3: a syntax error the parser must report there. */
const BROKEN_TEXT = ['# A scenario with a syntax error.', 'device pass0: pass before-fix', 'proces A {', '  open pass0 as f', '}', ''].join('\n');
const PANIC = /cam_periph_release_locked_buses/;
/** Where the adapter shows the periph's refcount: scope, periph, field. */
const REFCOUNT = ['Periphs', 'pass0', 'refcount'];

function asNumber(value: string, what: string): number {
  const n = Number(value.replace(/^.*?(-?\d+).*$/s, '$1'));
  assert.ok(Number.isFinite(n), `${what} is not a number: "${value}"`);
  return n;
}

describe('the pass(4) close race in VS Code', { skip: pre.status === 'skip' ? pre.reason : false, timeout: 300_000 }, () => {
  let session: EditorSession;
  let refcountAtPanic: number | undefined;

  before(async () => {
    if (pre.status === 'fail') throw new Error(pre.reason);
    if (pre.status !== 'ready') return;
    session = await startEditorSession('debug-race', pre.editor, pre.vsix, { [BROKEN]: BROKEN_TEXT });
  });

  after(async () => {
    if (session) console.log(`# step timings: ${session.steps.timings.map((t) => `${t.step} ${t.ms} ms`).join('; ')}`);
    await session?.close();
  });

  test('1. the race warning of the before-fix sample is in the Problems panel', async () => {
    const { workbench, steps } = session;
    await steps.step('open the before-fix race sample', () => workbench.openFile(SAMPLE));
    const row = await steps.step('race warning in Problems', () =>
      workbench.waitForProblem(
        `the D_TRACKCLOSE race warning in ${SAMPLE}`,
        (r) => r.file === SAMPLE && r.severity === 'warning' && /D_TRACKCLOSE/.test(r.message),
      ),
    );
    assert.match(row.message, /race/i);
  });

  test('2. a broken scenario shows its syntax error', async () => {
    const { workbench, steps } = session;
    await steps.step('open the broken scenario', () => workbench.openFile(BROKEN));
    const row = await steps.step('syntax error in Problems', () =>
      workbench.waitForProblem(`an error on line 3 of ${BROKEN}`, (r) => r.file === BROKEN && r.severity === 'error' && r.line === 3),
    );
    assert.match(row.message, /proces|expected|syntax/i);
  });

  test('3. a breakpoint in devfs_close stops there and shows the periph refcount', async () => {
    const { workbench, steps } = session;
    await steps.step('function breakpoint devfs_close', () => workbench.addFunctionBreakpoint('devfs_close'));
    await steps.step('F5 on the race sample', async () => {
      await workbench.openFile(SAMPLE);
      await workbench.focusEditor();
      await workbench.continue(); // F5 with no launch.json: the configuration provider debugs this file
      await workbench.waitForStopped();
    });
    const refcount = await steps.step('refcount in Variables', () => workbench.readVariable(REFCOUNT));
    asNumber(refcount, 'refcount');
  });

  test('4. one step, then continue, reaches the panic in cam_periph_release_locked_buses', async () => {
    const { workbench, steps } = session;
    await steps.step('step one process', async () => {
      await workbench.stepOver();
      await workbench.waitForStopped();
    });
    // The devfs_close breakpoint may stop again (the other process closes too):
    // continue until the run stops on the panic, a bounded number of times.
    const panic = await steps.step('continue to the panic', async () => {
      for (let i = 0; i < 10; i++) {
        await workbench.continue();
        await workbench.waitForStopped();
        const text = await workbench.waitForDebugText(PANIC, 1500).catch(() => undefined);
        if (text) return text;
      }
      throw new Error('no panic naming cam_periph_release_locked_buses after 10 continues');
    });
    assert.match(panic, PANIC);
    refcountAtPanic = asNumber(await steps.step('refcount at the panic', () => workbench.readVariable(REFCOUNT)), 'refcount');
  });

  test('5. stepping back shows the earlier refcount', async () => {
    const { workbench, steps } = session;
    assert.ok(refcountAtPanic !== undefined, 'step 4 did not reach the panic');
    await steps.step('step back once from the panic', async () => {
      await workbench.stepBack();
      await workbench.waitForStopped();
    });
    assert.doesNotMatch(await workbench.exceptionText(), PANIC, 'the panic is still shown after stepping back');
    asNumber(await workbench.readVariable(REFCOUNT), 'refcount one step back');
    // The release that emptied the refcount ran earlier, in the other process: run
    // backwards to that write (a data breakpoint alone, so nothing else stops it),
    // then one step back shows the value it overwrote.
    await steps.step('break when the refcount is written', async () => {
      await workbench.removeAllBreakpoints();
      await workbench.breakOnValueChange(REFCOUNT);
    });
    await steps.step('reverse continue to the write', async () => {
      await workbench.reverseContinue();
      await workbench.waitForStopped();
    });
    const earlier = await steps.step('step back over the write', async () => {
      await workbench.stepBack();
      await workbench.waitForStopped();
      return workbench.waitForVariableChange(REFCOUNT, String(refcountAtPanic));
    });
    assert.ok(asNumber(earlier, 'refcount') > refcountAtPanic, `the earlier refcount ${earlier} is not above ${refcountAtPanic}`);
  });

  test('6. "Check all interleavings" reports its verdict', async () => {
    const { workbench, steps } = session;
    await steps.step('stop debugging', () => workbench.stopDebugging());
    await steps.step('open the race sample again', () => workbench.openFile(SAMPLE));
    const verdict = await steps.step('check all interleavings', async () => {
      await workbench.runCommand('camsim: Check All Interleavings');
      return workbench.waitForNotification(/^camsim check:/);
    });
    assert.match(verdict, /panic/i);
  });

  test('7. "Debug Counterexample" replays the explorer\'s interleaving to the panic', async () => {
    const { workbench, steps } = session;
    const panic = await steps.step('debug the counterexample', async () => {
      await workbench.removeAllBreakpoints(); // step 5's data breakpoint would stop it first
      await workbench.openFile(SAMPLE);
      await workbench.runCommand('camsim: Debug Counterexample');
      await workbench.waitForStopped();
      return workbench.waitForDebugText(PANIC);
    });
    assert.match(panic, PANIC);
    await steps.step('stop debugging the counterexample', () => workbench.stopDebugging());
  });
});
