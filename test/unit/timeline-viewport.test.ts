// The timeline's window: positions and pixels, zoom around the pointer, panning,
// keeping the debugger's step in view, and the axis ticks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  clampView,
  fitView,
  GUTTER,
  gutterWidth,
  MIN_GUTTER,
  MIN_SPAN,
  MIN_WIDTH,
  panView,
  plotWidth,
  posAt,
  revealPosition,
  scale,
  stepAt,
  ticks,
  xOf,
  zoomView,
  type Viewport,
} from '../../extension/timeline/render/viewport';

const close = (a: number, b: number, eps = 1e-6) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(a), Math.abs(b));

const arbView = fc
  .record({
    steps: fc.integer({ min: 0, max: 200_000 }),
    a: fc.double({ min: 0, max: 1, noNaN: true }),
    b: fc.double({ min: 0, max: 1, noNaN: true }),
    width: fc.integer({ min: 200, max: 4000 }),
  })
  .map(({ steps, a, b, width }) => ({ steps, vp: clampView({ start: Math.min(a, b) * steps, end: Math.max(a, b) * steps + MIN_SPAN, width }, steps) }));

function valid(vp: Viewport, steps: number): void {
  assert.ok(vp.start >= 0, `start ${vp.start}`);
  assert.ok(vp.end - vp.start >= MIN_SPAN - 1e-9, `span ${vp.end - vp.start}`);
  assert.ok(vp.end <= Math.max(steps, MIN_SPAN) + 1e-6, `end ${vp.end} past ${steps}`);
}

test('positions and pixels are inverse; a step is found at its cell', () => {
  const vp: Viewport = { start: 100, end: 300, width: 1000 };
  assert.equal(xOf(vp, 100), GUTTER);
  assert.equal(xOf(vp, 300), GUTTER + plotWidth(vp));
  assert.equal(posAt(vp, xOf(vp, 187.25)), 187.25);
  assert.equal(stepAt(vp, xOf(vp, 150.5), 1000), 150);
  assert.equal(stepAt(vp, xOf(vp, 150), 1000), 150);
  assert.equal(stepAt(vp, GUTTER - 1, 1000), undefined);
  assert.equal(stepAt(vp, xOf(vp, 250.5), 200), undefined, 'past the last step');
  assert.deepEqual(fitView(0, 500), { start: 0, end: MIN_SPAN, width: 500, cursor: undefined });
});

test('a narrow view narrows the gutter of names, so that the plot keeps more than half the width', () => {
  assert.equal(gutterWidth(1000), GUTTER);
  assert.equal(gutterWidth(3 * GUTTER), GUTTER);
  assert.equal(gutterWidth(300), 100);
  assert.equal(gutterWidth(MIN_WIDTH), Math.round(MIN_WIDTH / 3));
  assert.equal(gutterWidth(100), MIN_GUTTER);
  for (let width = MIN_WIDTH; width <= 4000; width += 7) {
    const vp = fitView(500, width);
    assert.ok(plotWidth(vp) > width / 2, `width ${width}: plot ${plotWidth(vp)}`);
    assert.equal(xOf(vp, 0), gutterWidth(width));
    assert.equal(stepAt(vp, gutterWidth(width) - 1, 500), undefined, 'the gutter is not a step');
    assert.equal(stepAt(vp, gutterWidth(width) + 0.1, 500), 0);
  }
});

test('property: zooming keeps the position under the pointer in place and the window valid', () => {
  fc.assert(
    fc.property(arbView, fc.double({ min: 0.05, max: 20, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), ({ steps, vp }, factor, at) => {
      const x = gutterWidth(vp.width) + at * plotWidth(vp);
      const z = zoomView(vp, factor, x, steps);
      valid(z, steps);
      const wanted = (vp.end - vp.start) * factor;
      const clamped = wanted < MIN_SPAN || wanted > Math.max(steps, MIN_SPAN) || z.start === 0 || close(z.end, Math.max(steps, MIN_SPAN));
      if (!clamped) {
        assert.ok(close(posAt(z, x), posAt(vp, x), 1e-9), `${posAt(z, x)} moved from ${posAt(vp, x)}`);
        assert.ok(close(z.end - z.start, wanted));
      }
    }),
  );
});

test('property: panning moves by pixels and stops at the ends; reveal brings a position into view', () => {
  fc.assert(
    fc.property(arbView, fc.integer({ min: -5000, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), ({ steps, vp }, dx, at) => {
      const p = panView(vp, dx, steps);
      valid(p, steps);
      assert.ok(close(p.end - p.start, vp.end - vp.start), 'panning keeps the zoom');
      const free = p.start > 0 && !close(p.end, Math.max(steps, MIN_SPAN));
      if (free) assert.ok(close((p.start - vp.start) * scale(vp), dx, 1e-6), `moved ${(p.start - vp.start) * scale(vp)} px, not ${dx}`);
      const pos = at * steps;
      const r = revealPosition(vp, pos, steps);
      valid(r, steps);
      assert.ok(pos >= r.start && pos <= r.end, `${pos} not in [${r.start}, ${r.end}]`);
      if (pos > vp.start + (vp.end - vp.start) * 0.02 && pos < vp.end - (vp.end - vp.start) * 0.02) assert.deepEqual(r, vp, 'a visible position does not scroll');
    }),
  );
});

test('property: ticks are whole 1-2-5 steps, in the window, at least the asked spacing apart', () => {
  fc.assert(
    fc.property(arbView, fc.integer({ min: 30, max: 200 }), ({ vp }, minPx) => {
      const t = ticks(vp, minPx);
      for (const x of t) {
        assert.ok(Number.isInteger(x) && x >= vp.start && x <= vp.end + 1e-9);
      }
      if (t.length >= 2) {
        const unit = t[1] - t[0];
        assert.ok(unit * scale(vp) >= minPx - 1e-9, `ticks ${unit * scale(vp)} px apart`);
        assert.match(String(unit), /^[125]0*$/);
        for (let i = 1; i < t.length; i++) assert.equal(t[i] - t[i - 1], unit);
      }
    }),
  );
});
