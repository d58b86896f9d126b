/// <reference lib="dom" />
// The timeline of the pass(4) close race in a real VS Code (code-server + headless
// chromium, the built package installed): it opens by itself on the panic and on
// the command, draws both processes and the panic, follows the debugger, moves
// it on a click; "Why this value" lists a counter's writes and jumps to one.
// Every figure read on screen is compared with the same run made here by the
// engine itself (the debugger's default schedule is the scenario's own).
import { until } from './workbench';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ElementHandle, Frame, Page } from 'playwright-core';
import { loadScenario, runScenario } from '../../core/engine/scenarioRun';
import type { TraceStep } from '../../core/engine/run/traceStep';
import { startEditorSession, type EditorSession } from './editorSession';
import { ARTIFACTS, ROOT } from './paths';
import { prerequisites } from './prerequisites';
import { Sel } from './selectors';

const pre = prerequisites();
const SAMPLE = 'pass-race-before-fix.camsim';
const PANIC = /cam_periph_release_locked_buses/;
const REFCOUNT = ['Periphs', 'pass0', 'refcount'];
const COUNTER = 'pass0.refcount';
const SHOTS = path.join(ARTIFACTS, 'timeline');

/** The run as the engine records it: what the timeline and the debugger must agree with. */
const steps: TraceStep[] = runScenario(loadScenario(fs.readFileSync(path.join(ROOT, 'samples', SAMPLE), 'utf8'))).run.steps;
const writes = steps.flatMap((s) => s.changes.filter((c) => c.path === COUNTER).map((c) => ({ step: s.index, old: Number(c.old), new: Number(c.new) })));

/** The counter in state `pos` (after steps 0..pos-1). */
function valueAt(pos: number): number {
  let v = writes.length ? writes[0].old : 0;
  for (const w of writes) if (w.step < pos) v = w.new;
  return v;
}


/** The timeline's webview: its outer host element (for screenshots) and its content frame. */
async function timelineFrame(page: Page, timeoutMs = 30_000): Promise<{ host: ElementHandle; frame: Frame }> {
  return until('the timeline webview with its drawing', timeoutMs, async () => {
    for (const host of await page.locator(Sel.webviewHost).elementHandles()) {
      const outer = await host.contentFrame();
      const frame = await (await outer?.$(Sel.webviewContent))?.contentFrame();
      if (frame && (await frame.locator('svg.timeline').count()) > 0) return { host, frame };
    }
    return undefined;
  });
}

interface Drawing {
  steps: number;
  viewStart: number;
  viewEnd: number;
  plotX: number;
  plotWidth: number;
  cursor: string;
}

async function drawing(frame: Frame): Promise<Drawing> {
  const d = await frame.locator('svg.timeline').evaluate((svg) => ({ ...(svg as SVGSVGElement).dataset }));
  return {
    steps: Number(d.steps),
    viewStart: Number(d.viewStart),
    viewEnd: Number(d.viewEnd),
    plotX: Number(d.plotX),
    plotWidth: Number(d.plotWidth),
    cursor: d.cursor ?? '',
  };
}

/** Where step `step`'s cell is, in lane `lane`'s first row (the drawing's own coordinates). */
async function stepPoint(frame: Frame, step: number, lane: string): Promise<{ x: number; y: number }> {
  const d = await drawing(frame);
  const x = d.plotX + ((step + 0.5 - d.viewStart) * d.plotWidth) / (d.viewEnd - d.viewStart);
  const laneTop = Number(await frame.locator(`g.lane[data-lane="${lane}"] text.lane-name`).getAttribute('y'));
  return { x, y: laneTop };
}

/** The timeline's cursor line reaching `cursor` (the page is looked up each time: moving the view beside reloads it). */
async function waitForCursor(page: Page, cursor: number): Promise<void> {
  await until(`the timeline's cursor at step ${cursor}`, 15_000, async () => {
    const { frame } = await timelineFrame(page, 2000);
    return (await drawing(frame)).cursor === String(cursor) ? true : undefined;
  });
}

/** The refcount the Variables view shows (the Run and Debug view is shown first). */
async function readVariableNumber(workbench: EditorSession['workbench']): Promise<number> {
  await workbench.runCommand('View: Show Run and Debug');
  return Number(await workbench.readVariable(REFCOUNT));
}

describe('the timeline of the pass(4) close race in VS Code', { skip: pre.status === 'skip' ? pre.reason : false, timeout: 300_000 }, () => {
  let session: EditorSession;
  /** The step the click moved the debugger to. */
  let clicked: number | undefined;

  before(async () => {
    if (pre.status === 'fail') throw new Error(pre.reason);
    if (pre.status !== 'ready') return;
    fs.rmSync(SHOTS, { recursive: true, force: true });
    session = await startEditorSession('timeline', pre.editor, pre.vsix);
  });

  after(async () => {
    if (session) console.log(`# step timings: ${session.steps.timings.map((t) => `${t.step} ${t.ms} ms`).join('; ')}`);
    await session?.close();
  });

  test('1. debugging to the panic opens the timeline by itself: lanes A and B, the panic marked on B', async () => {
    const { workbench, steps: rec } = session;
    await rec.step('F5 on the race sample, to the panic', async () => {
      await workbench.openFile(SAMPLE);
      await workbench.focusEditor();
      await workbench.continue(); // no breakpoints: the run stops on its panic
      await workbench.waitForStopped();
      await workbench.waitForDebugText(PANIC);
    });
    const { frame } = await rec.step('the timeline opens by itself', () => timelineFrame(workbench.page));
    // The adapter advertises the trace requests, so the debug toolbar offers the timeline too.
    await workbench.page.locator(`${Sel.debugToolbar} .action-label[aria-label^="Open Timeline"]`).first().waitFor({ timeout: 10_000 });
    const lanes = await frame.locator('g.lane').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-lane')));
    assert.deepEqual(lanes, ['A', 'B']);
    for (const lane of ['A', 'B']) {
      assert.equal(await frame.locator(`g.lane[data-lane="${lane}"] text.lane-name`).textContent(), lane);
      const calls = await frame.locator(`g.lane[data-lane="${lane}"] rect.call`).evaluateAll((rs) => rs.map((r) => r.getAttribute('data-name')));
      for (const name of ['open pass0 as f', 'close f', 'devfs_close', 'passclose']) assert.ok(calls.includes(name), `lane ${lane} has no ${name}: ${calls.join(', ')}`);
    }
    const panic = frame.locator('g.panic');
    assert.equal(await panic.getAttribute('data-process'), 'B');
    assert.equal(Number(await panic.getAttribute('data-step')), steps.length - 1);
    assert.match((await panic.locator('text.panic-label').textContent()) ?? '', PANIC);
    assert.equal(await panic.locator('path.panic-mark').count(), 1);
    assert.match(await frame.locator('#outcome').innerText(), /Panic in B at step \d+, cam_periph_release_locked_buses\(\)/);
    const d = await drawing(frame);
    assert.equal(d.steps, steps.length, 'the timeline has every step of the run');
    assert.equal(d.cursor, String(steps.length), 'the cursor is after the panicking step');
    const drawn = await frame
      .locator(`g.counter[data-path="${COUNTER}"] circle.write`)
      .evaluateAll((cs) => cs.map((c) => ({ step: Number(c.getAttribute('data-step')), value: Number(c.getAttribute('data-value')) })));
    assert.deepEqual(drawn, writes.map((w) => ({ step: w.step, value: w.new })), 'the refcount line has the run\'s writes');
  });

  test('2. "camsim: Open Timeline" shows it again after it was closed', async () => {
    const { workbench, steps: rec } = session;
    await rec.step('close every editor', async () => {
      await workbench.runCommand('View: Close All Editors');
      await until('no webview', 10_000, async () => ((await workbench.page.locator(Sel.webviewHost).count()) === 0 ? true : undefined));
    });
    const { frame } = await rec.step('open the timeline from the command palette', async () => {
      await workbench.runCommand('camsim: Open Timeline');
      return timelineFrame(workbench.page);
    });
    assert.deepEqual(await frame.locator('g.lane').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-lane'))), ['A', 'B']);
    assert.equal(await frame.locator('g.panic').getAttribute('data-process'), 'B');
  });

  test('3. hovering a step shows it; a click moves the debugger there and Variables show that step\'s refcount', async () => {
    const { workbench, steps: rec } = session;
    // The state right after the write that raised the refcount to its highest value.
    const top = writes.reduce((a, b) => (b.new > a.new ? b : a));
    const target = top.step + 1;
    const expected = valueAt(target);
    assert.equal(expected, top.new);
    assert.notEqual(expected, valueAt(steps.length), 'the chosen step differs from the panic');
    const { frame } = await timelineFrame(workbench.page);
    const owner = steps[target].process;
    const at = await stepPoint(frame, target, owner);
    const card = await rec.step(`hover step ${target}`, async () => {
      await frame.locator('svg.timeline').hover({ position: at });
      return until('the hover card with the step\'s code', 10_000, async () => {
        const text = await frame.locator('#tooltip').innerText();
        return text.includes(steps[target].code) ? text : undefined;
      });
    });
    assert.match(card, new RegExp(`^step ${target} · ${owner}`));
    await rec.step(`click step ${target} in the timeline`, async () => {
      await frame.locator('svg.timeline').click({ position: at });
      await workbench.waitForStopped();
      await waitForCursor(workbench.page, target);
    });
    const shown = await rec.step('refcount in Variables', async () => {
      await workbench.runCommand('View: Show Run and Debug');
      return until(`refcount ${expected} in the Variables view`, 15_000, async () => {
        const v = await workbench.readVariable(REFCOUNT, 2000).catch(() => undefined);
        return v !== undefined && Number(v) === expected ? v : undefined;
      });
    });
    assert.equal(Number(shown), expected);
    assert.doesNotMatch(await workbench.exceptionText(), PANIC, 'the debugger left the panic');
    clicked = target;
    const { host } = await timelineFrame(workbench.page);
    fs.mkdirSync(SHOTS, { recursive: true });
    await host.screenshot({ path: path.join(SHOTS, 'timeline-webview.png') });
  });

  test('4. `why pass0.refcount` in the Debug Console lists the writes before the debugger\'s step', async () => {
    const { workbench, steps: rec } = session;
    assert.ok(clicked !== undefined, 'step 3 did not move the debugger');
    const before = writes.filter((w) => w.step < clicked!).reverse();
    const text = await rec.step('why in the Debug Console', async () => {
      await workbench.showDebugConsole();
      await workbench.page.locator('.repl-input-wrapper .monaco-editor').first().click();
      await workbench.page.keyboard.type(`why ${COUNTER}`);
      await workbench.page.keyboard.press('Enter');
      return until('the why answer', 10_000, async () => {
        const all = await workbench.debugConsoleText();
        const i = all.lastIndexOf(`${COUNTER}: written`);
        return i >= 0 ? all.slice(i) : undefined;
      });
    });
    assert.match(text, new RegExp(`written ${before.length === 1 ? 'once' : `${before.length} times`} before step ${clicked}, newest first`));
    const listed = [...text.matchAll(/step (\d+)\s+([AB])\s.*?(-?\d+) -> (-?\d+)/g)].map((m) => ({ step: Number(m[1]), old: Number(m[3]), new: Number(m[4]) }));
    assert.deepEqual(listed, before.map((w) => ({ step: w.step, old: w.old, new: w.new })));
  });

  test('5. "Why This Value?" on the refcount lists its writes and jumps to the one picked', async () => {
    const { workbench, steps: rec } = session;
    assert.ok(clicked !== undefined, 'step 3 did not move the debugger');
    const before = writes.filter((w) => w.step < clicked!).reverse();
    const rows = await rec.step('Why This Value? on pass0 refcount', async () => {
      await workbench.variableMenu(REFCOUNT, 'Why This Value?');
      const list = workbench.page.locator(Sel.quickInputRow);
      await list.first().waitFor({ timeout: 10_000 });
      return list.allInnerTexts();
    });
    const listed = rows.map((r) => /step (\d+): (-?\d+) → (-?\d+)/.exec(r)).map((m) => m && { step: Number(m[1]), old: Number(m[2]), new: Number(m[3]) });
    assert.deepEqual(listed, before.map((w) => ({ step: w.step, old: w.old, new: w.new })), rows.join(' | '));
    before.forEach((w, i) => assert.ok(rows[i].includes(`${steps[w.step].process} · ${steps[w.step].fn}`), `row "${rows[i]}" names the writer`));
    const oldest = before[before.length - 1];
    await rec.step(`jump to the write at step ${oldest.step}`, async () => {
      await workbench.page.locator(Sel.quickInputRow, { hasText: `step ${oldest.step}:` }).first().click();
      await workbench.waitForStopped();
    });
    const shown = await until(`refcount ${oldest.old} before step ${oldest.step}`, 15_000, async () => {
      const v = await workbench.readVariable(REFCOUNT, 2000).catch(() => undefined);
      return v !== undefined && Number(v) === oldest.old ? v : undefined;
    });
    assert.equal(Number(shown), valueAt(oldest.step));
    await rec.step('the timeline follows the jump', () => waitForCursor(workbench.page, oldest.step));
  });

  test('6. the cursor follows the debugger stepping backward and forward', async () => {
    const { workbench, steps: rec } = session;
    const cursorNow = async (): Promise<number> => Number((await drawing((await timelineFrame(workbench.page)).frame)).cursor);
    const start = await cursorNow();
    const back = await rec.step('step back', async () => {
      await workbench.stepBack();
      await workbench.waitForStopped();
      return until('the cursor to move back', 10_000, async () => {
        const c = await cursorNow();
        return c < start ? c : undefined;
      });
    });
    const forward = await rec.step('step over', async () => {
      await workbench.page.locator(`${Sel.debugToolbar} .action-label.codicon-debug-step-over`).first().click();
      await workbench.waitForStopped();
      return until('the cursor to move forward', 10_000, async () => {
        const c = await cursorNow();
        return c > back ? c : undefined;
      });
    });
    assert.ok(back < start && forward > back, `${start} -> ${back} -> ${forward}`);
    // The timeline's refcount at its cursor is the one the Variables view shows (stepping
    // forward from the past may start a new timeline, so the recording is the reference here).
    const { frame } = await timelineFrame(workbench.page);
    const now = await frame.locator(`g.counter[data-path="${COUNTER}"] text.counter-now`).textContent();
    assert.equal(Number(/= (-?\d+) at the cursor/.exec(now ?? '')?.[1]), await readVariableNumber(workbench), now ?? '');
  });

  test('7. the timeline reads in light and dark themes (theme colours, not fixed ones)', async () => {
    const { workbench, steps: rec } = session;
    const luminance = async (): Promise<{ text: number; background: number }> => {
      const { frame } = await timelineFrame(workbench.page);
      return frame.evaluate(() => {
        const lum = (c: string): number => {
          const [r, g, b] = (c.match(/[\d.]+/g) ?? ['0', '0', '0']).map(Number);
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const name = document.querySelector('svg.timeline text.lane-name')!;
        return { text: lum(getComputedStyle(name).fill), background: lum(getComputedStyle(document.body).backgroundColor) };
      });
    };
    /** Preferences: Color Theme, then the first theme of that kind (not a high-contrast one). */
    const pick = async (kind: 'Light' | 'Dark'): Promise<string> => {
      const page = workbench.page;
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await page.locator(Sel.quickInputBox).fill('>Preferences: Color Theme');
      const command = page.locator(Sel.quickInputRow).filter({ hasText: /^\s*Preferences: Color Theme(?!s)/ }).first();
      await command.waitFor({ timeout: 10_000 });
      await command.click();
      await page.locator(Sel.quickInputBox).fill(kind);
      const theme = page.locator(Sel.quickInputRow).filter({ hasText: new RegExp(`^\\s*${kind}\\b`) }).filter({ hasNotText: /High Contrast/ }).first();
      await theme.waitFor({ timeout: 10_000 });
      const name = ((await theme.getAttribute('aria-label')) ?? '').trim();
      await theme.click();
      await page.waitForTimeout(800);
      return name;
    };
    const themes: Record<string, { text: number; background: number }> = {};
    for (const kind of ['Light', 'Dark'] as const) {
      themes[kind] = await rec.step(`timeline in a ${kind.toLowerCase()} theme`, async () => {
        const name = await pick(kind);
        const l = await luminance();
        const { host } = await timelineFrame(workbench.page);
        await host.screenshot({ path: path.join(SHOTS, `timeline-${kind.toLowerCase()}-theme.png`) });
        console.log(`# ${kind.toLowerCase()} theme "${name}": text luminance ${l.text.toFixed(0)} on ${l.background.toFixed(0)}`);
        return l;
      });
    }
    const light = themes.Light;
    const dark = themes.Dark;
    assert.ok(light.text < light.background - 100, `light theme: text ${light.text} on ${light.background}`);
    assert.ok(dark.text > dark.background + 100, `dark theme: text ${dark.text} on ${dark.background}`);
  });

  test('8. when the session ends the timeline keeps the run and says so', async () => {
    const { workbench, steps: rec } = session;
    await rec.step('stop debugging', () => workbench.stopDebugging());
    const { frame } = await timelineFrame(workbench.page);
    const status = await until('the ended status', 10_000, async () => {
      const t = await frame.locator('#status').innerText();
      return /ended/.test(t) ? t : undefined;
    });
    assert.match(status, /\d+ steps/);
    assert.equal(await frame.locator('g.lane').count(), 2);
  });
});
