// The timeline's drawing: a pure function from a laid-out model and a viewport to
// an SVG tree. Only what lies in the window is drawn, and where spans or counter
// writes are denser than a few pixels they are merged (a call row then shows one
// bar per cluster, a counter a min-max stroke per pixel column), so the size of
// the drawing depends on the width in pixels, not on the length of the trace.
// Colours come from CSS classes (the webview maps them to VS Code theme colours).

import {
  AXIS_HEIGHT,
  counterAt,
  lockRow,
  lowerBound,
  upperBound,
  type CallRow,
  type CounterBox,
  type LaneBox,
  type LaneRow,
  type SpanIndex,
  type TimelineLayout,
} from './layout';
import { el, type SvgNode } from './svg';
import { gutterWidth, plotWidth, scale, ticks, xOf, type Viewport } from './viewport';

export interface DrawOptions {
  /**
   * false: draw every span and every counter write of the whole trace, with no
   * culling or merging (the baseline the benchmark compares with). Default true.
   */
  virtualize?: boolean;
}

/** A span narrower than this many pixels is merged with its neighbours. */
export const MIN_SPAN_PX = 2;
/** Spans that start within this many pixels of a narrow one join its cluster. */
export const CLUSTER_PX = 3;
/** Counter writes are marked with dots only when they are at least this far apart on average. */
export const MARKER_SPACING_PX = 8;
/** Handoff arrows are drawn only when there is at least this much room per arrow. */
export const ARROW_SPACING_PX = 10;
/** Baselines of the tick labels and of the outcome's label above the axis. */
const TICK_LABEL_Y = 12;
const MARK_LABEL_Y = AXIS_HEIGHT - 10;
/** Average width of a label character (11px UI font). */
export const CHAR_PX = 6.4;

/** One decimal: shorter attributes, same picture. */
function r(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Text cut to fit `px` pixels, with an ellipsis; '' when not even a few letters fit. */
export function fitLabel(text: string, px: number): string {
  const n = Math.floor(px / CHAR_PX);
  if (n >= text.length) return text;
  return n >= 4 ? `${text.slice(0, n - 1)}…` : '';
}

/** The first of `texts` (longest first) that fits `px` pixels whole, else the last one cut to fit. */
function fitFirst(texts: readonly string[], px: number): string {
  return texts.find((t) => t.length * CHAR_PX <= px) ?? fitLabel(texts[texts.length - 1], px);
}

interface Plot {
  left: number;
  right: number;
}

function plotOf(vp: Viewport): Plot {
  const left = gutterWidth(vp.width);
  return { left, right: left + plotWidth(vp) };
}

/**
 * Calls `span(i, x0, x1)` for each span wide enough to draw on its own and
 * `narrow(i, j, x0, x1)` for each run [i, j) of narrow spans that start within
 * CLUSTER_PX of each other (a single narrow span is a run of one).
 */
function walkSpans<T>(
  idx: SpanIndex<T>,
  vp: Viewport,
  virtualize: boolean,
  span: (i: number, x0: number, x1: number) => void,
  narrow: (i: number, j: number, x0: number, x1: number) => void,
): void {
  const n = idx.items.length;
  if (!virtualize) {
    for (let i = 0; i < n; i++) span(i, xOf(vp, idx.starts[i]), xOf(vp, idx.ends[i]));
    return;
  }
  const k = scale(vp);
  let i = upperBound(idx.maxEnd, vp.start);
  while (i < n && idx.starts[i] < vp.end) {
    const x0 = xOf(vp, idx.starts[i]);
    const w = (idx.ends[i] - idx.starts[i]) * k;
    if (w >= MIN_SPAN_PX) {
      span(i, x0, x0 + w);
      i++;
      continue;
    }
    let j = Math.max(i + 1, lowerBound(idx.starts, idx.starts[i] + CLUSTER_PX / k, i + 1));
    // A wide span that starts inside the run keeps its own bar (and label).
    if (j - 1 > i && (idx.ends[j - 1] - idx.starts[j - 1]) * k >= MIN_SPAN_PX) j--;
    narrow(i, j, x0, xOf(vp, Math.max(idx.ends[i], idx.ends[j - 1])));
    i = j;
  }
}

function clampX(x: number, p: Plot): number {
  return Math.min(Math.max(x, p.left - 1), p.right + 1);
}

/**
 * One row: a rect per span wide enough to see (a labelled bar for a call), and
 * every run of narrow spans as one merged bar, all merged bars of the row in a
 * single path (overlapping or touching bars joined), so a dense row costs one
 * element however many spans it holds.
 */
function drawRow(row: LaneRow, vp: Viewport, p: Plot, virtualize: boolean, out: SvgNode[]): void {
  const y = row.y + 1;
  const h = row.height - 2;
  const call = row.kind === 'call';
  const cls = call ? `call d${Math.min((row as CallRow).depth, 6)}` : 'lock';
  let merged = '';
  let mergedCount = 0;
  let runA = NaN;
  let runB = NaN;
  const flush = (): void => {
    if (runA === runA) merged += `M${r(runA)},${y}h${r(runB - runA)}v${h}h${r(runA - runB)}z`;
  };
  walkSpans<{ start: number; end: number }>(
    row.spans,
    vp,
    virtualize,
    (i, x0, x1) => {
      const a = clampX(x0, p);
      const b = Math.max(clampX(x1, p), a + 1);
      const item = row.spans.items[i] as { name?: string; lock?: string; held?: boolean; start: number; end: number };
      const name = call ? (item.name ?? '') : (item.lock ?? '');
      const attrs: Record<string, string | number> = {
        class: call ? cls : item.held ? 'lock held' : 'lock',
        x: r(a),
        y,
        width: r(b - a),
        height: h,
        'data-name': name,
        'data-start': item.start,
        'data-end': item.end,
      };
      out.push(el('rect', attrs));
      if (call && b - a > 24) {
        const tx = Math.max(a, p.left) + 3;
        const label = fitLabel(name, b - tx - 2);
        if (label) out.push(el('text', { class: 'span-label', x: r(tx), y: y + h - 3 }, undefined, label));
      }
    },
    (i, j, x0, x1) => {
      const a = clampX(x0, p);
      const b = Math.max(clampX(x1, p), a + 1);
      mergedCount += j - i;
      if (a <= runB + 1) {
        runB = Math.max(runB, b);
        return;
      }
      flush();
      runA = a;
      runB = b;
    },
  );
  flush();
  if (mergedCount) out.push(el('path', { class: `${cls} merged`, d: merged, 'data-count': mergedCount }));
}

function drawLane(lane: LaneBox, index: number, vp: Viewport, p: Plot, virtualize: boolean): SvgNode {
  const parts: SvgNode[] = [
    el('rect', { class: index % 2 ? 'lane-bg odd' : 'lane-bg', x: 0, y: lane.y - 2, width: vp.width, height: lane.height + 4 }),
    el('text', { class: 'lane-name', x: 8, y: lane.y + 12 }, undefined, fitLabel(lane.process, p.left - 16)),
  ];
  for (const row of lane.rows) {
    if (row.kind === 'lock') {
      parts.push(el('text', { class: 'row-label', x: p.left - 6, y: row.y + row.height - 2, 'text-anchor': 'end' }, undefined, fitLabel(row.lock, p.left - 24)));
    }
    drawRow(row, vp, p, virtualize, parts);
  }
  return el('g', { class: 'lane', 'data-lane': lane.process, 'data-pid': lane.pid }, parts);
}

function drawCounter(box: CounterBox, index: number, steps: number, vp: Viewport, p: Plot, virtualize: boolean): SvgNode {
  const top = box.y + 4;
  const bottom = box.y + box.height - 4;
  const range = box.max - box.min || 1;
  const yOf = (v: number): number => r(bottom - ((v - box.min) / range) * (bottom - top));
  const n = box.positions.length;
  const first = virtualize ? upperBound(box.positions, vp.start) : 0;
  const last = virtualize ? lowerBound(box.positions, vp.end) : n;
  const from = virtualize ? vp.start : 0;
  const k = scale(vp);
  // The step line: the value at the left edge, then each write from the position it holds.
  let d = `M${r(virtualize ? p.left : xOf(vp, 0))},${yOf(counterAt(box, from))}`;
  for (let i = first; i < last; ) {
    const x = xOf(vp, box.positions[i]);
    if (virtualize && i + 1 < last && (box.positions[i + 1] - box.positions[i]) * k < 1) {
      // Several writes in this pixel column: one vertical stroke over their range.
      const j = Math.max(i + 1, lowerBound(box.positions, box.positions[i] + 1 / k, i));
      let lo = box.values[i];
      let hi = lo;
      for (let q = i + 1; q < j; q++) {
        const v = box.values[q];
        if (v < lo) lo = v;
        else if (v > hi) hi = v;
      }
      d += `H${r(x)}V${yOf(lo)}V${yOf(hi)}V${yOf(box.values[j - 1])}`;
      i = j;
    } else {
      d += `H${r(x)}V${yOf(box.values[i])}`;
      i++;
    }
  }
  d += `H${r(virtualize ? p.right : xOf(vp, steps))}`;
  // The name shares its line with the max value at the gutter's right edge.
  const valuePx = Math.max(String(box.max).length, String(box.min).length) * CHAR_PX;
  const parts: SvgNode[] = [
    el('rect', { class: 'counter-bg', x: p.left, y: box.y, width: p.right - p.left, height: box.height }),
    el('text', { class: 'counter-name', x: 8, y: box.y + 12 }, undefined, fitLabel(box.path, p.left - 18 - valuePx)),
    el('text', { class: 'axis-value', x: p.left - 6, y: top + 8, 'text-anchor': 'end' }, undefined, String(box.max)),
    el('text', { class: 'axis-value', x: p.left - 6, y: bottom, 'text-anchor': 'end' }, undefined, String(box.min)),
  ];
  if (vp.cursor !== undefined) {
    const now = counterAt(box, vp.cursor);
    parts.push(el('text', { class: 'counter-now', x: 8, y: box.y + 26 }, undefined, fitFirst([`= ${now} at the cursor`, `= ${now}`], p.left - 14)));
  }
  parts.push(el('path', { class: 'series', d }));
  if (!virtualize || (last - first) * MARKER_SPACING_PX <= p.right - p.left) {
    for (let i = first; i < last; i++) {
      parts.push(
        el('circle', {
          class: 'write',
          cx: r(xOf(vp, box.positions[i])),
          cy: yOf(box.values[i]),
          r: 2.5,
          'data-step': box.steps[i],
          'data-value': box.values[i],
        }),
      );
    }
  }
  return el('g', { class: `counter c${index % 4}`, 'data-path': box.path }, parts);
}

function drawHandoffs(layout: TimelineLayout, vp: Viewport, p: Plot, virtualize: boolean): SvgNode | undefined {
  const hs = layout.handoffs;
  const lo = virtualize ? upperBound(layout.handoffMaxTake, vp.start - 1) : 0;
  const hi = virtualize ? lowerBound(layout.handoffReleases, vp.end) : hs.length;
  if (hi <= lo) return undefined;
  if (virtualize && (hi - lo) * ARROW_SPACING_PX > p.right - p.left) {
    const note = fitFirst([`${hi - lo} lock handoffs: zoom in to see them`, `${hi - lo} handoffs: zoom in`], p.right - p.left);
    return el('text', { class: 'note', x: p.right, y: layout.height - 1, 'text-anchor': 'end' }, undefined, note);
  }
  const parts: SvgNode[] = [];
  for (let i = lo; i < hi; i++) {
    const h = hs[i];
    if (virtualize && h.take + 1 <= vp.start) continue;
    const a = lockRow(layout, h.from, h.lock);
    const b = lockRow(layout, h.to, h.lock);
    if (!a || !b) continue;
    const x1 = r(xOf(vp, h.release + 1));
    const y1 = r(a.y + a.height / 2);
    const x2 = r(xOf(vp, h.take));
    const y2 = r(b.y + b.height / 2);
    const bend = r(Math.max(12, Math.abs(x2 - x1) / 2));
    parts.push(
      el('path', {
        class: 'handoff',
        d: `M${x1},${y1}C${r(x1 + bend)},${y1} ${r(x2 - bend)},${y2} ${x2},${y2}`,
        'marker-end': 'url(#arrow)',
        'data-lock': h.lock,
        'data-release': h.release,
        'data-take': h.take,
      }),
    );
  }
  return el('g', { class: 'handoffs', 'clip-path': 'url(#plot-clip)' }, parts);
}

function drawPanic(layout: TimelineLayout, vp: Viewport, p: Plot): SvgNode | undefined {
  const panic = layout.panic;
  if (!panic) return undefined;
  const attrs = { 'data-step': panic.step, 'data-process': panic.process, 'data-kind': panic.kind, 'data-fn': panic.fn };
  const what = panic.kind === 'deadlock' ? 'deadlock' : panic.kind === 'use-after-free' ? 'use after free' : 'panic';
  const label = `${what} in ${panic.process}${panic.fn ? `, ${panic.fn}` : ''}`;
  if (panic.step + 1 <= vp.start || panic.step >= vp.end) {
    const right = panic.step >= vp.end;
    const text = fitLabel(label, (right ? p.right : vp.width - p.left - 2) - 2 * CHAR_PX);
    return el('g', { class: 'panic offscreen', ...attrs }, [
      el('text', { class: 'panic-label', x: right ? p.right : p.left + 2, y: MARK_LABEL_Y, 'text-anchor': right ? 'end' : 'start' }, undefined, right ? `${text} →` : `← ${text}`),
    ]);
  }
  const x0 = Math.max(xOf(vp, panic.step), p.left);
  const x1 = Math.max(Math.min(xOf(vp, panic.step + 1), p.right), x0 + 2);
  const lane = layout.lanes[layout.laneOfPid.get(panic.pid) ?? -1];
  const parts: SvgNode[] = [el('rect', { class: 'panic-band', x: r(x0), y: AXIS_HEIGHT, width: r(x1 - x0), height: layout.height - AXIS_HEIGHT })];
  if (lane) {
    const cx = r((x0 + x1) / 2);
    const cy = lane.y + 8;
    parts.push(el('path', { class: 'panic-mark', d: `M${cx},${cy - 7}L${r(cx + 7)},${cy}L${cx},${cy + 7}L${r(cx - 7)},${cy}Z` }));
  }
  const anchorEnd = x0 > (p.left + p.right) / 2;
  const room = anchorEnd ? x0 - 4 : vp.width - (x1 + 4);
  parts.push(el('text', { class: 'panic-label', x: r(anchorEnd ? x0 - 4 : x1 + 4), y: MARK_LABEL_Y, 'text-anchor': anchorEnd ? 'end' : 'start' }, undefined, fitLabel(label, room)));
  return el('g', { class: 'panic', ...attrs }, parts);
}

function drawAxis(layout: TimelineLayout, vp: Viewport, p: Plot): SvgNode {
  const parts: SvgNode[] = [el('line', { class: 'axis-line', x1: p.left, y1: AXIS_HEIGHT - 2, x2: p.right, y2: AXIS_HEIGHT - 2 })];
  for (const t of ticks(vp)) {
    const x = r(xOf(vp, t));
    parts.push(el('line', { class: 'grid', x1: x, y1: AXIS_HEIGHT - 6, x2: x, y2: layout.height }));
    const label = String(t);
    const atEnd = x + 2 + label.length * CHAR_PX > vp.width;
    parts.push(el('text', { class: 'tick', x: atEnd ? r(x - 2) : r(x + 2), y: TICK_LABEL_Y, 'text-anchor': atEnd ? 'end' : 'start' }, undefined, label));
  }
  return el('g', { class: 'axis' }, parts);
}

function drawCursor(layout: TimelineLayout, vp: Viewport, p: Plot): SvgNode | undefined {
  const c = vp.cursor;
  if (c === undefined || c < vp.start || c > vp.end) return undefined;
  const x = r(Math.min(xOf(vp, c), p.right));
  return el('g', { class: 'cursor', 'data-step': c }, [
    el('line', { class: 'cursor-line', x1: x, y1: AXIS_HEIGHT - 6, x2: x, y2: layout.height }),
    el('path', { class: 'cursor-head', d: `M${r(x - 5)},${AXIS_HEIGHT - 8}L${r(x + 5)},${AXIS_HEIGHT - 8}L${x},${AXIS_HEIGHT - 2}Z` }),
  ]);
}

/** The whole picture of `layout` in the window `vp`. */
export function drawTimeline(layout: TimelineLayout, vp: Viewport, opts: DrawOptions = {}): SvgNode {
  const virtualize = opts.virtualize !== false;
  const p = plotOf(vp);
  const children: SvgNode[] = [
    el('defs', {}, [
      el('clipPath', { id: 'plot-clip' }, [el('rect', { x: p.left, y: 0, width: p.right - p.left, height: layout.height })]),
      el('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, [
        el('path', { class: 'arrow-head', d: 'M0,0L8,4L0,8Z' }),
      ]),
    ]),
    drawAxis(layout, vp, p),
    ...layout.lanes.map((lane, i) => drawLane(lane, i, vp, p, virtualize)),
    ...layout.counters.map((box, i) => drawCounter(box, i, layout.steps, vp, p, virtualize)),
  ];
  for (const part of [drawHandoffs(layout, vp, p, virtualize), drawPanic(layout, vp, p), drawCursor(layout, vp, p)]) if (part) children.push(part);
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'timeline',
      width: vp.width,
      height: layout.height,
      'data-steps': layout.steps,
      'data-view-start': r(vp.start),
      'data-view-end': r(vp.end),
      'data-plot-x': p.left,
      'data-plot-width': r(p.right - p.left),
      'data-cursor': vp.cursor ?? '',
    },
    children,
  );
}
