// Timeline render time for a 100,000-step trace, beside a baseline that draws
// every span and every counter write of the whole trace (no culling, no merging):
//   in node:     the model (timelineModel) + layout + the drawing of the initial
//                viewport (the whole run in 1,200 px), and the drawing of a
//                2,000-step window (a zoomed-in redraw);
//   through the adapter: the extension's side of a stop over the real adapter
//                process (stdio): the whole recording fetched on opening, then at
//                each stop a count-0 camsim/trace for the cursor, the new steps
//                only (extension/timeline/traceCache.ts), the model and the
//                drawing, against fetching the whole recording again at each stop;
//   in chromium: the same drawings turned into SVG DOM nodes by the webview's own
//                bundle (dist/timeline.js), inserted, laid out and painted (until
//                the second animation frame), in headless Debian chromium driven
//                by playwright-core, with a garbage collection before each
//                run. Skipped, saying why, when chromium or the bundle is missing.
// The trace: two processes opening and closing pass0 (after the fix) in a
// `repeat`, round-robin, cut at 100,000 steps (as bench/trace-export.ts).
//
// Run: npm run build && npx webpack --mode production && node --expose-gc out/bench/timeline-render.js

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { loadScenario, runScenario } from '../core/engine/scenarioRun';
import { timelineModel, type TimelineModel } from '../core/engine/trace/timeline';
import { drawTimeline } from '../extension/timeline/render/draw';
import { layoutTimeline } from '../extension/timeline/render/layout';
import { countNodes, toSvgString } from '../extension/timeline/render/svg';
import { fitView, type Viewport } from '../extension/timeline/render/viewport';
import { TIMELINE_CSS } from '../extension/timeline/html';
import { TraceCache, type TraceWindow } from '../extension/timeline/traceCache';
import { adapterStoppedAfter, collect, median, once, pair, PAIR_RUNS, repeatedOpenClose, untilStopped } from './common';

const STEPS = 100_000;
const WIDTH = 1200;
const WINDOW = 2000;
const BROWSER_RUNS = 5;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const BUNDLE = path.join(__dirname, '..', '..', 'dist', 'timeline.js');
const ADAPTER = path.join(__dirname, '..', 'debug-adapter', 'main.js');
const STOPS = 10;
const SCENARIO = repeatedOpenClose(1000);

const ms = (x: number): string => `${x.toFixed(1).padStart(9)} ms`;
const n = (x: number): string => x.toLocaleString('en-US');
function row(label: string, r: { ours: number; base: number }, baseLabel: string): void {
  console.log(`  ${label.padEnd(40)}${ms(r.ours)}   ${baseLabel.padEnd(34)}${ms(r.base)}   ratio ${(r.base / r.ours).toFixed(1)}x faster`);
}

const loaded = loadScenario(SCENARIO);
if (!loaded.config) throw new Error('the benchmark scenario does not load');
const config = loaded.config;
const recorded = once(() => runScenario(loaded, { maxSteps: STEPS }).run);
const steps = recorded.value.steps;
const names = config.processes.map((p) => p.name);

const initialView = fitView(steps.length, WIDTH, steps.length);
const mid = Math.floor(steps.length / 2);
const windowView: Viewport = { start: mid, end: mid + WINDOW, width: WIDTH, cursor: mid + 10 };

// Node: model + layout + draw, ours (virtualized) against the baseline (everything).
const initial = pair(
  () => {
    const layout = layoutTimeline(timelineModel(steps, names));
    return drawTimeline(layout, initialView);
  },
  () => {
    const layout = layoutTimeline(timelineModel(steps, names));
    return drawTimeline(layout, initialView, { virtualize: false });
  },
);
const modelOnly = once(() => timelineModel(steps, names));
const model = modelOnly.value;
const layout = layoutTimeline(model);
const layoutOnly = once(() => layoutTimeline(model));
const drawInitial = pair(
  () => drawTimeline(layout, initialView),
  () => drawTimeline(layout, initialView, { virtualize: false }),
);
const drawWindow = pair(
  () => drawTimeline(layout, windowView),
  () => drawTimeline(layout, windowView, { virtualize: false }),
);

const spans = model.lanes.reduce((k, l) => k + l.calls.length + l.locks.length, 0);
const writes = model.counters.reduce((k, c) => k + c.points.length, 0);
console.log(
  `timeline of ${n(steps.length)} steps (recorded in ${recorded.ms.toFixed(0)} ms): ${n(spans)} call and lock spans, ` +
    `${n(writes)} counter writes, ${n(model.handoffs.length)} lock handoffs; ${WIDTH} px wide; medians of ${PAIR_RUNS} runs alternating with the baseline`,
);
console.log('node (the pure drawing function)');
console.log(
  `  nodes drawn: whole run ${n(countNodes(drawInitial.value))} (baseline ${n(countNodes(drawInitial.baseValue))}), ` +
    `${n(WINDOW)}-step window ${n(countNodes(drawWindow.value))} (baseline ${n(countNodes(drawWindow.baseValue))}); ` +
    `SVG text ${(toSvgString(drawInitial.value).length / 1e3).toFixed(0)} kB (baseline ${(toSvgString(drawInitial.baseValue).length / 1e6).toFixed(1)} MB)`,
);
console.log(`  (timelineModel alone ${modelOnly.ms.toFixed(1)} ms, layout alone ${layoutOnly.ms.toFixed(1)} ms)`);
row('model + layout + draw, whole run', initial, 'baseline: draw everything');
row('draw, whole run', drawInitial, 'baseline: draw everything');
row(`draw, ${n(WINDOW)}-step window`, drawWindow, 'baseline: draw everything');

/** In the page: the webview's functions, the model and a container. */
const PAGE_SCRIPT = `
const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
window.renderOnce = async (virtualize, view) => {
  // Collect the previous drawing's garbage first, so neither side pays for the other's.
  gc();
  await frames();
  const t0 = performance.now();
  const { layoutTimeline, drawTimeline, toDom } = window.camsimTimeline;
  const layout = window.cachedLayout && view.reuse ? window.cachedLayout : layoutTimeline(window.model);
  window.cachedLayout = layout;
  const tree = drawTimeline(layout, view, { virtualize });
  const svg = toDom(tree);
  const plot = document.getElementById('plot');
  plot.replaceChildren(svg);
  svg.getBoundingClientRect();
  const laidOut = performance.now() - t0;
  await frames();
  const ms = performance.now() - t0;
  const nodes = svg.getElementsByTagName('*').length + 1;
  plot.replaceChildren();
  return { ms, laidOut, nodes };
};`;

async function browserFigures(): Promise<void> {
  console.log('chromium (the webview bundle: model layout + draw + SVG DOM + page layout + paint, to the second animation frame; at 60 Hz two frames are 33 ms)');
  if (!fs.existsSync(CHROMIUM)) return console.log(`  skipped: no chromium at ${CHROMIUM} (set CHROMIUM, or run scripts/editor-setup.sh)`);
  if (!fs.existsSync(BUNDLE)) return console.log(`  skipped: ${path.relative(process.cwd(), BUNDLE)} is missing (npx webpack --mode production)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--js-flags=--expose-gc'],
    viewport: { width: WIDTH + 40, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setContent(`<!DOCTYPE html><html><head><style>${TIMELINE_CSS}</style></head><body><div id="plot"></div></body></html>`);
    await page.addScriptTag({ content: fs.readFileSync(BUNDLE, 'utf8') });
    await page.addScriptTag({ content: PAGE_SCRIPT });
    await page.evaluate((m: TimelineModel) => {
      (window as unknown as { model: TimelineModel }).model = m;
    }, model);
    type Result = { ms: number; laidOut: number; nodes: number };
    const render = (virtualize: boolean, view: Viewport & { reuse?: boolean }): Promise<Result> =>
      page.evaluate(([v, vw]) => (window as unknown as { renderOnce(v: boolean, vw: unknown): Promise<Result> }).renderOnce(v, vw), [virtualize, view] as const);
    const measure = async (view: Viewport & { reuse?: boolean }, label: string): Promise<void> => {
      await render(true, view);
      await render(false, view);
      const a: Result[] = [];
      const b: Result[] = [];
      for (let i = 0; i < BROWSER_RUNS; i++) {
        a.push(await render(true, view));
        b.push(await render(false, view));
      }
      const ours = median(a.map((x) => x.ms));
      const base = median(b.map((x) => x.ms));
      const oursSync = median(a.map((x) => x.laidOut));
      const baseSync = median(b.map((x) => x.laidOut));
      console.log(`  ${label.padEnd(40)}${ms(ours)}   ${`baseline: draw everything`.padEnd(34)}${ms(base)}   ratio ${(base / ours).toFixed(1)}x faster   (${n(a[0].nodes)} vs ${n(b[0].nodes)} elements)`);
      console.log(`  ${'  of which up to laid out (no paint)'.padEnd(40)}${ms(oursSync)}   ${''.padEnd(34)}${ms(baseSync)}   ratio ${(baseSync / oursSync).toFixed(1)}x faster`);
    };
    await measure(initialView, 'layout + draw + paint, whole run');
    await measure({ ...windowView, reuse: true }, `draw + paint, ${n(WINDOW)}-step window`);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}


async function adapterFigures(): Promise<void> {
  console.log(`through the adapter (node out/debug-adapter/main.js over stdio, recording stopped at ${n(STEPS)} steps)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-bench-timeline-'));
  const file = path.join(dir, 'loop.camsim');
  fs.writeFileSync(file, SCENARIO);
  const { dc } = await adapterStoppedAfter(ADAPTER, file, STEPS);
  try {
    const fetch = async (from: number, count: number): Promise<TraceWindow> => (await dc.customRequest('camsim/trace', { from, count })).body as TraceWindow;
    const cache = new TraceCache();
    /** What the panel does at a stop: the cursor, the changed steps, the model if they changed, the drawing. */
    const refresh = async (c: TraceCache): Promise<number> => {
      collect();
      const t0 = process.hrtime.bigint();
      const w = await fetch(0, 0);
      c.observe(w.cursor, w.total);
      if (await c.sync(fetch)) lastLayout = layoutTimeline(timelineModel(c.steps, names));
      drawTimeline(lastLayout!, { ...fitView(c.steps.length, WIDTH), cursor: c.cursor });
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    let lastLayout: ReturnType<typeof layoutTimeline> | undefined;
    const open = await refresh(cache);
    const total = cache.steps.length;
    const forward: number[] = [];
    const back: number[] = [];
    const naive: number[] = [];
    for (let i = 0; i < STOPS; i++) {
      await untilStopped(dc, () => dc.nextRequest({ threadId: 1 })); // at the end: the recording grows
      forward.push(await refresh(cache));
      naive.push(await refresh(new TraceCache())); // the whole recording again
    }
    for (let i = 0; i < STOPS; i++) {
      await untilStopped(dc, () => dc.stepBackRequest({ threadId: 1 }));
      back.push(await refresh(cache));
    }
    console.log(`  opening: the whole recording (${n(total)} steps) + model + layout + draw   ${ms(open)}`);
    row('a stop that adds steps (model again)', { ours: median(forward), base: median(naive) }, 'baseline: fetch everything again');
    row('a stop backward (cursor only)', { ours: median(back), base: median(naive) }, 'baseline: fetch everything again');
  } finally {
    await dc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

adapterFigures()
  .then(() => browserFigures())
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
