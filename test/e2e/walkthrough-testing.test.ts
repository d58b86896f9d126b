// The walkthrough and the Testing view in a real VS Code (code-server + headless
// chromium, the built package installed): the walkthrough opens and its first step
// opens a copy of the before-fix sample; the Testing view lists the sample's
// expectations, Run marks `expect panic` passed and Debug replays its panic, and
// after switching only the driver to after-fix (and saving) Run marks it failed,
// with the reason. The "check all scenarios" task puts a failed expectation of the
// workspace in Problems; camsim.codeLens.enabled hides and shows the lenses.
import { until } from './workbench';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { startEditorSession, type EditorSession } from './editorSession';
import { prerequisites } from './prerequisites';
import { Sel } from './selectors';

const pre = prerequisites();
const SAMPLE = 'pass-race-before-fix.camsim';
const WALKTHROUGH = 'Find and fix a kernel race with camsim';
const OPEN_SAMPLE = 'Open the before-fix sample';
/** A workspace scenario whose expectation fails: for the check task. */
const NO_PANIC = 'no-panic.camsim';
const NO_PANIC_TEXT = 'scenario "expects the impossible"\ndevice pass0: pass before-fix\nprocess A {\n  open pass0 as f\n  close f\n}\nprocess B {\n  open pass0 as f\n  close f\n}\n\nexpect no panic\n';
/** The Testing view's tree (VS Code 1.139). */
const TEST_ROW = '.test-explorer .monaco-list-row';


describe('the walkthrough and the Testing view', { skip: pre.status === 'skip' ? pre.reason : false, timeout: 300_000 }, () => {
  let session: EditorSession;

  before(async () => {
    if (pre.status === 'fail') throw new Error(pre.reason);
    if (pre.status !== 'ready') return;
    session = await startEditorSession('walkthrough-testing', pre.editor, pre.vsix, { [NO_PANIC]: NO_PANIC_TEXT });
    // The Testing view then lists one file of that name: the copy the walkthrough opens.
    fs.rmSync(path.join(session.workspace, SAMPLE));
  });

  after(async () => {
    if (session) console.log(`# step timings: ${session.steps.timings.map((t) => `${t.step} ${t.ms} ms`).join('; ')}`);
    await session?.close();
  });

  /** Every row of the Testing view's tree: its text and state, level and whether it is expanded. */
  async function testRows(): Promise<{ row: Locator; label: string; level: number; expanded: string | null }[]> {
    const rows = session.workbench.locator(TEST_ROW);
    const out = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      out.push({
        row,
        // The label and description as shown, then the state as the accessible label says it ("(Passed)").
        label: `${(await row.innerText()).replace(/\s+/g, ' ').trim()} ${/\(([^()]+)\)$/.exec((await row.getAttribute('aria-label')) ?? '')?.[0] ?? ''}`,
        level: Number((await row.getAttribute('aria-level')) ?? '0'),
        expanded: await row.getAttribute('aria-expanded'),
      });
    }
    return out;
  }

  /** Shows the Testing view with the sample's file row expanded; returns the labels of its expectation rows. */
  async function sampleExpectations(): Promise<string[]> {
    const { workbench } = session;
    await workbench.runCommand('Testing: Focus on Test Explorer View');
    await workbench.locator('.test-explorer').first().waitFor({ timeout: 15_000 });
    let seen: string[] = [];
    return until(`the expectations of ${SAMPLE} in the Testing view`, 30_000, async () => {
      const rows = await testRows();
      seen = rows.map((r) => `${r.level}:${r.label}`);
      if (seen.length === 0) throw new Error('no rows');
      const at = rows.findIndex((r) => r.label.startsWith(SAMPLE));
      if (at < 0) throw new Error(`no row for ${SAMPLE} among ${seen.join(' | ')}`);
      if (rows[at].expanded === 'false') {
        await rows[at].row.locator('.monaco-tl-twistie').click();
        return undefined;
      }
      const kids: string[] = [];
      for (const r of rows.slice(at + 1)) {
        if (r.level <= rows[at].level) break;
        kids.push(r.label);
      }
      if (kids.length === 0) throw new Error(`no expectation rows: ${seen.join(' | ')}`);
      return kids;
    });
  }

  /** Brings the sample's editor to the front (its copy is not in the workspace: by its tab). */
  async function focusSample(): Promise<void> {
    await session.workbench.page.locator('.tabs-container .tab', { hasText: SAMPLE.replace('.camsim', '') }).first().click();
    await session.workbench.page.locator(Sel.activeGroupTab, { hasText: SAMPLE.replace('.camsim', '') }).waitFor();
  }

  /** Runs the tests of the active editor's file and waits for `expect panic` to read `state`. */
  async function runAndRead(state: RegExp): Promise<string> {
    const { workbench } = session;
    await focusSample();
    await workbench.runCommand('Test: Run Tests in Current File');
    return until(`expect panic to be marked ${state}`, 60_000, async () => {
      const label = (await sampleExpectations().catch(() => [] as string[])).find((l) => l.startsWith('expect panic'));
      return label && state.test(label) ? label : undefined;
    });
  }

  test('the walkthrough opens and its first step opens a copy of the before-fix sample', async () => {
    const { workbench, steps, workspace } = session;
    await steps.step('open the walkthrough', async () => {
      await workbench.runCommand('Welcome: Open Walkthrough...');
      const row = workbench.locator(Sel.quickInputRow).filter({ hasText: WALKTHROUGH }).first();
      await row.waitFor({ timeout: 15_000 });
      await row.click();
      await workbench.locator('.gettingStartedContainer').getByText(WALKTHROUGH).first().waitFor({ timeout: 15_000 });
    });
    await steps.step('its first step opens the sample', async () => {
      await workbench.locator('.gettingStartedContainer').getByText(OPEN_SAMPLE, { exact: true }).first().click();
      await workbench.page.locator(Sel.activeGroupTab, { hasText: SAMPLE.replace('.camsim', '') }).waitFor({ timeout: 20_000 });
      await workbench.page.locator(Sel.viewLine, { hasText: 'expect panic' }).first().waitFor();
    });
    assert.equal(await workbench.activeTabName(), SAMPLE);
    assert.ok(!fs.existsSync(path.join(workspace, SAMPLE)), 'the copy is not in the workspace');
    const verdict = await steps.step('the second step checks the sample in view', async () => {
      const page = workbench.page;
      await page.locator('.gettingStartedContainer').getByText('Check every interleaving', { exact: true }).first().click();
      await page.locator('.gettingStartedContainer').getByText('Check All Interleavings', { exact: true }).first().click();
      return workbench.waitForNotification(/^camsim check:/);
    });
    assert.match(verdict, /every expectation holds.*a panic is reachable/, verdict);
  });

  test('the Testing view lists the expectation; Run passes expect panic before the fix, Debug replays its panic, and Run fails it after switching the driver only', async () => {
    const { workbench, steps } = session;
    const listed = await steps.step('the Testing view lists the sample and its expectation', () => sampleExpectations());
    assert.equal(listed.length, 1, JSON.stringify(listed));
    assert.match(listed[0], /^expect panic/);

    const passed = await steps.step('Run: expect panic passes on the before-fix driver', () => runAndRead(/passed/i));
    assert.match(passed, /passed/i);

    const widget = await steps.step('Debug: the interleaving of expect panic runs to the panic in the debugger', async () => {
      await focusSample();
      await workbench.runCommand('Test: Debug Tests in Current File');
      await workbench.waitForStopped(60_000);
      return workbench.waitForExceptionWidget(/when refcount is zero/, 30_000);
    });
    assert.match(widget, /cam_periph_release_locked_buses: release of 0x[0-9a-f]+ when refcount is zero/);
    await steps.step('stop debugging', () => workbench.stopDebugging());

    await steps.step('switch the device to the after-fix driver, nothing else, and save', async () => {
      await focusSample();
      await workbench.page.locator(Sel.viewLine, { hasText: 'device pass0: pass before-fix' }).first().click();
      await workbench.page.keyboard.press('End');
      for (let i = 0; i < 'before-fix'.length; i++) await workbench.page.keyboard.press('Backspace');
      await workbench.page.keyboard.type('after-fix');
      await workbench.page.keyboard.press('Escape'); // a completion list, if one opened
      await workbench.save();
      await workbench.page.locator(Sel.viewLine, { hasText: 'device pass0: pass after-fix' }).first().waitFor();
    });
    const failed = await steps.step('Run: expect panic fails on the after-fix driver', () => runAndRead(/failed/i));
    assert.match(failed, /failed/i);
    const message = await steps.step('the failure says why, at the expectation', async () => {
      // The failure's peek opens in the editor at the expect line.
      return until('the failure message', 20_000, async () => {
        const text = (await workbench.locator('body').innerText()).replace(/\u00a0/g, ' ');
        return /expect panic failed: no interleaving panics/.test(text) ? text : undefined;
      });
    });
    assert.match(message, /expect panic failed: no interleaving panics/);
  });

  test('the check task reports the failed expectation of a workspace scenario in Problems, at its line', async () => {
    const { workbench, steps } = session;
    await steps.step('Tasks: Run Task, camsim, check all scenarios', async () => {
      await workbench.runCommand('Tasks: Run Task');
      const type = workbench.page.locator(Sel.quickInputRow).filter({ has: workbench.page.getByText('camsim', { exact: true }) }).first();
      await type.waitFor({ timeout: 15_000 });
      await type.click();
      const task = workbench.page.locator(Sel.quickInputRow).filter({ hasText: 'check all scenarios' }).first();
      await task.waitFor({ timeout: 15_000 });
      await task.click();
    });
    const expectLine = NO_PANIC_TEXT.split('\n').indexOf('expect no panic') + 1;
    const row = await steps.step('Problems lists the failure', () =>
      workbench.waitForProblem('expect no panic failed', (r) => /expect no panic failed: cam_periph_release_locked_buses/.test(r.message), 90_000),
    );
    assert.equal(row.file, NO_PANIC);
    assert.equal(row.severity, 'error');
    assert.equal(row.line, expectLine);
  });

  test('camsim.codeLens.enabled off takes the lenses away from an open scenario, and on brings them back', async () => {
    const { workbench, steps, workspace } = session;
    const lenses = workbench.page.locator(`${Sel.activeEditor} .codelens-decoration`, { hasText: 'Check all interleavings' });
    const settings = path.join(workspace, '.vscode', 'settings.json');
    await steps.step('the lenses of a workspace scenario', async () => {
      await workbench.openFile('pass-race-after-fix.camsim');
      await lenses.first().waitFor({ timeout: 30_000 });
    });
    await steps.step('camsim.codeLens.enabled: false hides them', async () => {
      fs.mkdirSync(path.dirname(settings), { recursive: true });
      fs.writeFileSync(settings, JSON.stringify({ 'camsim.codeLens.enabled': false }));
      await lenses.first().waitFor({ state: 'detached', timeout: 30_000 });
    });
    await steps.step('true shows them again', async () => {
      fs.writeFileSync(settings, JSON.stringify({ 'camsim.codeLens.enabled': true }));
      await lenses.first().waitFor({ timeout: 30_000 });
    });
  });
});
