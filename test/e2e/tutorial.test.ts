// docs/tutorial.md's lab in a real VS Code (code-server + headless chromium),
// step by step as a student follows it, each picture of the tutorial taken here:
// the race warning, F5 to the panic, stepping back, the timeline, the fix
// checked. With CAMSIM_UPDATE_DOCS=1 the pictures replace docs/tutorial/*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEditorSession, type EditorSession } from './editorSession';
import { ROOT } from './paths';
import { prerequisites } from './prerequisites';
import { TUTORIAL_SHOTS, type TutorialShot } from './tutorialShots';

const pre = prerequisites();
const SAMPLE = 'pass-race-before-fix.camsim';
const TO_FIX = 'my-fix.camsim';
const PANIC = /cam_periph_release_locked_buses: release of 0x[0-9a-f]+ when refcount is zero/;
const REFCOUNT = ['Periphs', 'pass0', 'refcount'];

describe('the tutorial in VS Code', { skip: pre.status === 'skip' ? pre.reason : false, timeout: 300_000 }, () => {
  let session: EditorSession;
  const taken = new Map<TutorialShot, string>();
  const picture = async (name: TutorialShot) => taken.set(name, await session.steps.picture(name));

  before(async () => {
    if (pre.status === 'fail') throw new Error(pre.reason);
    if (pre.status !== 'ready') return;
    session = await startEditorSession('tutorial', pre.editor, pre.vsix, {
      [TO_FIX]: fs.readFileSync(path.join(ROOT, 'samples', SAMPLE), 'utf8'),
    });
  });

  after(async () => {
    await session?.close();
    if (process.env.CAMSIM_UPDATE_DOCS === '1' && taken.size === TUTORIAL_SHOTS.length) {
      for (const [name, file] of taken) fs.copyFileSync(file, path.join(ROOT, 'docs', 'tutorial', `${name}.png`));
    }
  });

  test('4. the warning, F5 to the panic, stepping back', async () => {
    const { workbench, steps } = session;
    const row = await steps.step('open the sample: the race warning', async () => {
      await workbench.openFile(SAMPLE);
      await workbench.showProblems();
      return workbench.waitForProblem('the devfs close race', (r) => /devfs close race/.test(r.message));
    });
    assert.match(row.message, /D_TRACKCLOSE/);
    await picture('01-race-warning');

    const widget = await steps.step('F5: the debugger stops at the panic', async () => {
      await workbench.runCommand('View: Show Run and Debug');
      await workbench.openFile(SAMPLE);
      await workbench.focusEditor();
      await workbench.continue();
      await workbench.waitForStopped(60_000);
      return workbench.waitForExceptionWidget(PANIC, 30_000);
    });
    assert.match(widget, PANIC);
    await workbench.waitForActiveTab('cam_periph.c');
    const atPanic = Number(await workbench.readVariable(REFCOUNT));
    assert.equal(atPanic, 0);
    // the timeline below has drawn the run
    assert.match(await workbench.webviewText(), /refcount/);
    await picture('02-panic');

    const before = await steps.step('step back until the refcount is 1', async () => {
      for (let i = 0; i < 40; i++) {
        await workbench.stepBack();
        await workbench.waitForStopped();
        if (Number(await workbench.readVariable(REFCOUNT)) === 1) return 1;
      }
      return Number(await workbench.readVariable(REFCOUNT));
    });
    assert.equal(before, 1);
    await picture('03-step-back');
  });

  test('5. the timeline', async () => {
    const { workbench, steps } = session;
    const text = await steps.step('the timeline below the code', async () => {
      await workbench.runCommand('camsim: Open Timeline');
      return workbench.webviewText();
    });
    assert.match(text, /\bA\b/);
    assert.match(text, /\bB\b/);
    await picture('04-timeline');
    await steps.step('stop debugging', () => workbench.stopDebugging());
  });

  test('6. the fix, checked', async () => {
    const { workbench, steps } = session;
    await steps.step('quick fix: switch to after-fix', async () => {
      await workbench.openFile(TO_FIX);
      await workbench.quickFix('device pass0', /after-fix/i);
      await workbench.save();
    });
    const verdict = await steps.step('check all interleavings', async () => {
      await workbench.runCommand('camsim: Check All Interleavings');
      return workbench.waitForNotification(/^camsim check:/);
    });
    assert.match(verdict, /held|hold/i);
    await picture('05-fixed');
  });
});
