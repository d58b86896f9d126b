// The timeline's drawing function: what it draws for the pass race, that the
// window and the merging of dense spans lose nothing, that its size depends on
// the width and not on the trace, and what lies under the pointer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runMachine } from '../../core/engine/run/run';
import { loadScenario, runScenario } from '../../core/engine/scenarioRun';
import { timelineModel, type TimelineModel } from '../../core/engine/trace/timeline';
import type { TraceStep } from '../../core/engine/run/traceStep';
import { counterValues } from '../../core/engine/trace/spans';
import { describeHit } from '../../extension/timeline/render/describe';
import { CHAR_PX, drawTimeline, fitLabel } from '../../extension/timeline/render/draw';
import { hitTest } from '../../extension/timeline/render/hit';
import { counterAt, layoutTimeline, type LaneRow, type TimelineLayout } from '../../extension/timeline/render/layout';
import { countNodes, findNodes, hasClass, toSvgString, type SvgNode } from '../../extension/timeline/render/svg';
import { fitView, GUTTER, gutterWidth, MIN_WIDTH, plotWidth, scale, xOf, type Viewport } from '../../extension/timeline/render/viewport';
import { recordSample, sampleText } from './trace-helpers';

function raceModel(): { model: TimelineModel; steps: TraceStep[] } {
  const t = recordSample('pass-race-before-fix.camsim');
  return { model: timelineModel(t.steps, t.processes.map((p) => p.name), { initial: counterValues(t.initial.devices) }), steps: t.steps };
}

const byClass = (tree: SvgNode, cls: string): SvgNode[] => findNodes(tree, (n) => hasClass(n, cls));
const num = (n: SvgNode, attr: string): number => Number(n.attrs[attr]);

/** The value of a counter in state `pos` (after steps 0..pos-1), straight from the steps. */
function valueFromSteps(steps: readonly TraceStep[], path: string, pos: number, initial: number): number {
  let v = initial;
  for (const s of steps.slice(0, pos)) for (const c of s.changes) if (c.path === path && typeof c.new === 'number') v = c.new;
  return v;
}

test('the pass race, whole run: lanes A and B with their calls, the panic on B, the cursor and the refcount writes', () => {
  const { model } = raceModel();
  const layout = layoutTimeline(model);
  const vp: Viewport = { ...fitView(model.steps, 1200), cursor: 100 };
  const tree = drawTimeline(layout, vp);

  const lanes = findNodes(tree, (n) => n.tag === 'g' && hasClass(n, 'lane'));
  assert.deepEqual(lanes.map((g) => g.attrs['data-lane']), ['A', 'B']);
  for (const lane of lanes) {
    assert.equal(byClass(lane, 'lane-name')[0].text, lane.attrs['data-lane']);
    const names = new Set(findNodes(lane, (n) => n.tag === 'rect' && hasClass(n, 'call')).map((r) => r.attrs['data-name']));
    for (const name of ['open pass0 as f', 'close f', 'devfs_close', 'passclose', 'cam_periph_release_locked']) {
      assert.ok(names.has(name), `lane ${lane.attrs['data-lane']} draws ${name}`);
    }
  }

  const [panic] = byClass(tree, 'panic');
  assert.equal(panic.attrs['data-process'], 'B');
  assert.equal(panic.attrs['data-step'], model.steps - 1);
  assert.equal(byClass(panic, 'panic-mark').length, 1);
  assert.match(byClass(panic, 'panic-label')[0].text ?? '', /panic in B, cam_periph_release_locked_buses/);

  const [cursor] = byClass(tree, 'cursor');
  assert.equal(cursor.attrs['data-step'], 100);
  assert.equal(num(byClass(cursor, 'cursor-line')[0], 'x1'), Math.round(xOf(vp, 100) * 10) / 10);

  const refcount = findNodes(tree, (n) => hasClass(n, 'counter') && n.attrs['data-path'] === 'pass0.refcount')[0];
  const series = model.counters.find((c) => c.path === 'pass0.refcount')!;
  const writes = byClass(refcount, 'write');
  assert.deepEqual(writes.map((w) => num(w, 'data-value')), [1, 2, 1, 0]);
  assert.deepEqual(writes.map((w) => num(w, 'data-step')), series.points.map((p) => p.step));
  assert.match(byClass(refcount, 'counter-now')[0].text ?? '', /^= \d+ at the cursor$/);

  assert.equal(byClass(tree, 'handoff').length, model.handoffs.length, 'every handoff has its arrow at this size');
  assert.equal(tree.attrs['data-steps'], model.steps);
  assert.equal(tree.attrs['data-cursor'], 100);
});

test('spans sit where their steps are: x and width follow the viewport', () => {
  const { model } = raceModel();
  const layout = layoutTimeline(model);
  for (const vp of [fitView(model.steps, 1400), { start: 40, end: 120, width: 900 }]) {
    const rects = findNodes(drawTimeline(layout, vp), (n) => n.tag === 'rect' && n.attrs['data-start'] !== undefined);
    assert.ok(rects.length > 0);
    const left = GUTTER;
    const right = GUTTER + plotWidth(vp);
    for (const r of rects) {
      const x = num(r, 'x');
      const w = num(r, 'width');
      assert.ok(x >= left - 1.1 && x + w <= right + 1.2, `rect ${r.attrs['data-name']} at ${x}+${w} leaves the plot`);
      const start = num(r, 'data-start');
      const end = num(r, 'data-end');
      if (start >= vp.start && end <= vp.end) {
        assert.ok(Math.abs(x - xOf(vp, start)) <= 0.06, `${r.attrs['data-name']} starts at ${x}, not ${xOf(vp, start)}`);
        assert.ok(Math.abs(w - Math.max(1, (end - start) * scale(vp))) <= 0.11, `${r.attrs['data-name']} is ${w} wide`);
      }
    }
  }
});

/** The drawn elements of one row (its y), and the spans each stands for. */
function drawnSpans(tree: SvgNode, row: LaneRow): { single: SvgNode[]; merged: number } {
  const y = row.y + 1;
  const cls = row.kind === 'call' ? 'call' : 'lock';
  const single = findNodes(tree, (n) => n.tag === 'rect' && hasClass(n, cls) && num(n, 'y') === y && n.attrs['data-start'] !== undefined);
  const paths = findNodes(tree, (n) => n.tag === 'path' && hasClass(n, cls) && hasClass(n, 'merged') && String(n.attrs.d).startsWith('M') && String(n.attrs.d).includes(`,${y}h`));
  return { single, merged: paths.reduce((k, p) => k + num(p, 'data-count'), 0) };
}

function traceOf(sample: string, seed: number): TraceStep[] {
  const loaded = loadScenario(sampleText(sample));
  return runMachine(loaded.config!, { policy: { kind: 'random', seed } }).steps;
}

test('property: in any window, every span that reaches into it is drawn, alone or merged, and nothing outside it', () => {
  const samples = ['pass-race-before-fix.camsim', 'pass-race-after-fix.camsim', 'sg-race-before-fix.camsim', 'ch-race-before-fix.camsim', 'pass-device-loss.camsim'];
  fc.assert(
    fc.property(
      fc.constantFrom(...samples),
      fc.integer({ min: 0, max: 10_000 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 300, max: 2000 }),
      (sample, seed, a, b, width) => {
        const steps = traceOf(sample, seed);
        const names = [...new Set(steps.map((s) => s.pid))].sort().map((pid) => steps.find((s) => s.pid === pid)!.process);
        const layout = layoutTimeline(timelineModel(steps, names));
        const start = Math.min(a, b) * layout.steps;
        const end = Math.max(start + 4, Math.max(a, b) * layout.steps);
        const vp: Viewport = { start, end, width };
        const tree = drawTimeline(layout, vp);
        for (const lane of layout.lanes) {
          for (const row of lane.rows) {
            const items = row.spans.items as { start: number; end: number }[];
            const inWindow = items.filter((s) => s.end > vp.start && s.start < vp.end);
            const { single, merged } = drawnSpans(tree, row);
            assert.equal(single.length + merged, inWindow.length, `lane ${lane.process} row y=${row.y}`);
            for (const r of single) assert.ok(num(r, 'data-end') > vp.start && num(r, 'data-start') < vp.end);
            // Bars drawn alone are at least MIN_SPAN_PX wide and do not overlap: at most one per 2 px.
            assert.ok(single.length <= plotWidth(vp) / 2 + 2);
          }
        }
      },
    ),
    { numRuns: 60 },
  );
});

/** The model run `times` times back to back (a long trace without recording one). */
function repeated(model: TimelineModel, times: number): TimelineModel {
  const shift = <T extends { start: number; end: number }>(xs: T[]): T[] =>
    Array.from({ length: times }, (_, k) => xs.map((x) => ({ ...x, start: x.start + k * model.steps, end: x.end + k * model.steps }))).flat();
  return {
    steps: model.steps * times,
    lanes: model.lanes.map((l) => ({ ...l, calls: shift(l.calls), locks: shift(l.locks) })),
    counters: model.counters.map((c) => ({ ...c, points: Array.from({ length: times }, (_, k) => c.points.map((p) => ({ ...p, step: p.step + k * model.steps }))).flat() })),
    handoffs: Array.from({ length: times }, (_, k) => model.handoffs.map((h) => ({ ...h, release: h.release + k * model.steps, take: h.take + k * model.steps }))).flat(),
  };
}

test('the size of the drawing depends on the width, not on the length of the trace', () => {
  const loaded = loadScenario(
    ['device pass0: pass after-fix', 'process A {', '  repeat 30 {', '    open pass0 as f', '    close f', '  }', '}', 'process B {', '  repeat 30 {', '    open pass0 as f', '    close f', '  }', '}', ''].join('\n'),
  );
  const base = timelineModel(runScenario(loaded).run.steps, ['A', 'B']);
  const sizes = [1, 10, 50].map((times) => {
    const layout = layoutTimeline(repeated(base, times));
    const whole = fitView(layout.steps, 1200, layout.steps);
    return { steps: layout.steps, ours: countNodes(drawTimeline(layout, whole)), everything: countNodes(drawTimeline(layout, whole, { virtualize: false })), layout };
  });
  assert.ok(sizes[2].steps > 100_000, `${sizes[2].steps} steps`);
  for (const s of sizes.slice(1)) {
    assert.ok(s.ours <= sizes[0].ours + 50, `${s.ours} nodes for ${s.steps} steps, ${sizes[0].ours} for ${sizes[0].steps}`);
  }
  assert.ok(sizes[2].everything > 40 * sizes[0].everything, 'without virtualization the drawing grows with the trace');
  assert.ok(sizes[2].ours < 200, `${sizes[2].ours} nodes for the whole of ${sizes[2].steps} steps`);
  // A zoomed-in window draws only what is in it.
  const { layout } = sizes[2];
  const vp: Viewport = { start: 50_000, end: 50_400, width: 1200 };
  const tree = drawTimeline(layout, vp);
  assert.ok(countNodes(tree) < 1000);
  for (const r of findNodes(tree, (n) => n.attrs['data-start'] !== undefined && n.attrs['data-end'] !== undefined)) {
    assert.ok(num(r, 'data-end') > vp.start && num(r, 'data-start') < vp.end);
  }
  // Counter writes too dense for dots draw as a min-max stroke per pixel column, no dots.
  assert.equal(findNodes(drawTimeline(layout, fitView(layout.steps, 1200)), (n) => hasClass(n, 'write')).length, 0);
});

/** The H/V commands of a step-line path as (x, y) vertices. */
function vertices(d: string): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  let x = 0;
  let y = 0;
  for (const [, cmd, arg] of d.matchAll(/([MHV])([^MHV]*)/g)) {
    if (cmd === 'M') [x, y] = arg.split(',').map(Number);
    else if (cmd === 'H') x = Number(arg);
    else y = Number(arg);
    out.push({ x, y });
  }
  return out;
}

test('a counter is a step line: its value at the left edge, then each write where it takes effect', () => {
  const { model, steps } = raceModel();
  const layout = layoutTimeline(model);
  const box = layout.counters.find((c) => c.path === 'pass0.refcount')!;
  const vp: Viewport = { start: 60, end: 200, width: 1000 };
  const tree = drawTimeline(layout, vp);
  const path = findNodes(tree, (n) => hasClass(n, 'counter') && n.attrs['data-path'] === box.path)[0];
  const d = String(byClass(path, 'series')[0].attrs.d);
  const yOf = (v: number) => Math.round((box.y + box.height - 4 - ((v - box.min) / (box.max - box.min || 1)) * (box.height - 8)) * 10) / 10;
  const pts = vertices(d);
  assert.equal(pts[0].y, yOf(valueFromSteps(steps, box.path, 60, box.initial)));
  // Each vertical move happens at a write inside the window, to that write's value.
  const inView = model.counters.find((c) => c.path === box.path)!.points.filter((p) => p.step + 1 > vp.start && p.step + 1 < vp.end);
  const moves = pts.filter((p, i) => i > 0 && p.x === pts[i - 1].x && i % 2 === 0);
  assert.deepEqual(moves.map((m) => m.y), inView.map((p) => yOf(p.value)));
  assert.equal(pts[pts.length - 1].x, Math.round((GUTTER + plotWidth(vp)) * 10) / 10);
  for (let pos = 0; pos <= model.steps; pos += 7) assert.equal(counterAt(box, pos), valueFromSteps(steps, box.path, pos, box.initial), `state ${pos}`);
});

test('hit test: the step under the pointer, the call or lock span there, and the counter value before that step', () => {
  const { model, steps } = raceModel();
  const layout: TimelineLayout = layoutTimeline(model);
  const vp = fitView(model.steps, 1300);
  const a = layout.lanes[0];
  const lockRow = a.rows.find((r) => r.kind === 'lock')!;
  const refcount = layout.counters.find((c) => c.path === 'pass0.refcount')!;
  for (let s = 0; s < model.steps; s++) {
    const x = xOf(vp, s + 0.5);
    for (const row of a.rows.filter((r) => r.kind === 'call')) {
      const hit = hitTest(layout, vp, x, row.y + row.height / 2)!;
      assert.equal(hit.step, s);
      assert.equal(hit.lane?.process, 'A');
      const depth = row.kind === 'call' ? row.depth : -1;
      const expected = model.lanes[0].calls.find((c) => c.depth === depth && c.start <= s && s < c.end);
      assert.equal(hit.call, expected, `step ${s}, depth ${depth}`);
    }
    const lock = hitTest(layout, vp, x, lockRow.y + 2)!.lock;
    const held = model.lanes[0].locks.find((l) => lockRow.kind === 'lock' && l.lock === lockRow.lock && l.start <= s && s < l.end);
    assert.equal(lock, held);
    const c = hitTest(layout, vp, x, refcount.y + refcount.height / 2)!.counter!;
    assert.deepEqual(c, { path: 'pass0.refcount', value: valueFromSteps(steps, 'pass0.refcount', s, refcount.initial) });
  }
  assert.equal(hitTest(layout, vp, GUTTER - 10, a.y + 4), undefined, 'the gutter is not a step');
  assert.equal(hitTest(layout, { ...vp, end: model.steps + 50 }, xOf({ ...vp, end: model.steps + 50 }, model.steps + 10), a.y + 4), undefined, 'past the last step');
});

test('the hover card names the step, its code and changes, the call and the counter', () => {
  const { model, steps } = raceModel();
  const layout = layoutTimeline(model);
  const vp = fitView(model.steps, 1300);
  const write = steps.find((s) => s.changes.some((c) => c.path === 'pass0.refcount'))!;
  const lane = layout.lanes[write.pid];
  const row = lane.rows.find((r) => r.kind === 'call' && r.depth === write.depth)!;
  const hit = hitTest(layout, vp, xOf(vp, write.index + 0.5), row.y + 3)!;
  const lines = describeHit(hit, write);
  assert.equal(lines[0], `step ${write.index} · ${write.process}`);
  assert.ok(lines.some((l) => l.includes(write.code) && l.includes(`${write.file}:${write.line}`)));
  assert.ok(lines.some((l) => /pass0\.refcount: \d+ → \d+/.test(l)));
  assert.ok(lines.some((l) => l.includes(`${write.fn}()`)));
  assert.match(lines[lines.length - 1], /Click/);
  assert.equal(describeHit(hit)[0], `step ${write.index}`, 'before the record arrives');
});

test('labels are cut to fit, and the SVG text escapes markup', () => {
  assert.equal(fitLabel('devfs_close', 200), 'devfs_close');
  assert.equal(fitLabel('cam_periph_release_locked_buses', 60), 'cam_peri…');
  assert.equal(fitLabel('devfs_close', 20), '');
  const svg = toSvgString({ tag: 'text', attrs: { 'data-name': 'a "b" <c>' }, text: 'x < y && z' });
  assert.equal(svg, '<text data-name="a &quot;b&quot; &lt;c&gt;">x &lt; y &amp;&amp; z</text>');
});

/** Where a text node's label lies, from its anchor and an estimate of its width. */
function extent(n: SvgNode): { left: number; right: number } {
  const x = num(n, 'x');
  const w = (n.text ?? '').length * CHAR_PX;
  return n.attrs['text-anchor'] === 'end' ? { left: x - w, right: x } : { left: x, right: x + w };
}

test('at narrow widths every label stays inside the drawing, the names inside the gutter, shortened with an ellipsis rather than cut', () => {
  const { model } = raceModel();
  const layout = layoutTimeline(model);
  for (const width of [MIN_WIDTH, 200, 240, 320, 480, 1200]) {
    for (const cursor of [0, 100, model.steps]) {
      // the whole run, and a window that leaves the panic off to the right
      for (const vp of [{ ...fitView(model.steps, width), cursor }, { start: 0, end: 40, width, cursor: Math.min(cursor, 40) }]) {
        const tree = drawTimeline(layout, vp);
        const gutter = gutterWidth(width);
        assert.equal(num(tree, 'width'), width);
        const texts = findNodes(tree, (n) => n.tag === 'text' && (n.text ?? '').length > 0);
        for (const t of texts) {
          const e = extent(t);
          const where = `width ${width}, ${t.attrs.class} '${t.text}' at ${e.left}..${e.right}`;
          assert.ok(e.left >= -0.5 && e.right <= width + 0.5, where);
          if (['lane-name', 'row-label', 'counter-name', 'counter-now', 'axis-value'].some((c) => hasClass(t, c))) assert.ok(e.right <= gutter, `${where}: past the gutter (${gutter})`);
        }
        // a shortened name is the start of the full one and says so
        for (const lane of findNodes(tree, (n) => n.tag === 'g' && hasClass(n, 'lane'))) {
          const shown = byClass(lane, 'lane-name')[0].text ?? '';
          const full = String(lane.attrs['data-lane']);
          assert.ok(shown === full || (shown.endsWith('…') && full.startsWith(shown.slice(0, -1))), `${shown} for ${full}`);
        }
        for (const counter of findNodes(tree, (n) => n.tag === 'g' && hasClass(n, 'counter'))) {
          const [name] = byClass(counter, 'counter-name');
          const full = String(counter.attrs['data-path']);
          assert.ok(name.text === full || (name.text!.endsWith('…') && full.startsWith(name.text!.slice(0, -1))), `${name.text} for ${full}`);
          // the name does not run into the max value on its line
          const max = byClass(counter, 'axis-value')[0];
          assert.ok(extent(name).right < extent(max).left, `width ${width}: ${name.text} overlaps ${max.text}`);
          if (width >= 480) assert.equal(name.text, full, 'a wide view shows the whole name');
        }
        const label = byClass(tree, 'panic-label')[0];
        assert.ok(label, `width ${width}: the panic is labelled`);
        assert.match(label.text ?? '', /panic in B/, `width ${width}`);
      }
    }
  }
});
