// A driver written in C inside a scenario, debugged in a real VS Code
// (code-server + headless chromium): the race warning on its device, a
// breakpoint on a line of its d_close, F5, and the stop on that line of the
// .camsim file itself.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEditorSession, type EditorSession } from './editorSession';
import { ROOT } from './paths';
import { prerequisites } from './prerequisites';

const pre = prerequisites();
const SAMPLE = 'own-driver-pass-before-fix.camsim';
/** The first statement of the driver's d_close that runs after the lock: where the breakpoint goes. */
const CLOSE_LINE = 'softc->flags &= ~MYPASS_FLAG_OPEN;';

describe('a driver written in C, in VS Code', { skip: pre.status === 'skip' ? pre.reason : false, timeout: 300_000 }, () => {
  let session: EditorSession;

  before(async () => {
    if (pre.status === 'fail') throw new Error(pre.reason);
    if (pre.status !== 'ready') return;
    session = await startEditorSession('own-driver', pre.editor, pre.vsix);
  });

  after(async () => {
    await session?.close();
  });

  test('the race warning, a breakpoint in d_close, F5 stops on that line of the scenario', async () => {
    const { workbench, steps } = session;
    const lines = fs.readFileSync(path.join(ROOT, 'samples', SAMPLE), 'utf8').split('\n');
    const closeLine = lines.findIndex((l) => l.includes(CLOSE_LINE)) + 1;
    assert.ok(closeLine > 0, `${SAMPLE} has no line '${CLOSE_LINE}'`);

    await steps.step('open the sample with its own pass driver', () => workbench.openFile(SAMPLE));
    const row = await steps.step('the close race warning in Problems', () =>
      workbench.waitForProblem(`the race warning in ${SAMPLE}`, (r) => r.file === SAMPLE && r.severity === 'warning' && /D_TRACKCLOSE/.test(r.message)),
    );
    assert.match(row.message, /race/i);

    await steps.step('a breakpoint on a line of d_close (F9)', async () => {
      await workbench.runCommand('View: Show Run and Debug');
      await workbench.openFile(SAMPLE);
      await workbench.goToLine(closeLine);
      await workbench.toggleBreakpoint();
    });
    const rows = await workbench.breakpointRows();
    assert.ok(rows.some((r) => r.includes(SAMPLE) && r.includes(String(closeLine))), `no breakpoint row for ${SAMPLE}:${closeLine}: ${JSON.stringify(rows)}`);

    await steps.step('F5 stops at the breakpoint', async () => {
      await workbench.openFile(SAMPLE);
      await workbench.focusEditor();
      await workbench.continue();
      await workbench.waitForStopped(60_000);
    });
    assert.equal(await workbench.activeTabName(), SAMPLE);
    assert.equal(await workbench.cursorLine(), closeLine);
    await steps.step('stop debugging', () => workbench.stopDebugging());
  });
});
