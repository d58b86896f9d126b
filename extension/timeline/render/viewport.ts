// The visible window of the timeline and its geometry. Positions are in steps: the
// debugger's cursor c (the state before step c runs) sits at position c, and step
// k occupies [k, k + 1). A viewport shows positions [start, end) across the plot,
// which begins after the gutter of lane names (narrower in a narrow view).

export interface Viewport {
  /** First position shown. */
  start: number;
  /** One past the last position shown (end > start). */
  end: number;
  /** Width of the whole drawing in pixels, gutter included. */
  width: number;
  /** The debugger's cursor, drawn as a line. */
  cursor?: number;
}

/** Pixels left of the plot for lane, lock and counter names, in a view wide enough. */
export const GUTTER = 136;
/** The gutter of a narrow view: a third of the width, but at least this. */
export const MIN_GUTTER = 48;
/** Pixels right of the plot. */
export const RIGHT_PAD = 14;
/** The narrowest drawing (a narrower view scrolls sideways). */
export const MIN_WIDTH = 160;
/** The narrowest window: a few steps fill the width. */
export const MIN_SPAN = 4;

/** The gutter of a drawing `width` pixels wide: names give way to the plot when the view is narrow. */
export function gutterWidth(width: number): number {
  return Math.round(Math.max(MIN_GUTTER, Math.min(GUTTER, width / 3)));
}

export function plotWidth(vp: Viewport): number {
  return Math.max(1, vp.width - gutterWidth(vp.width) - RIGHT_PAD);
}

/** Pixels per step. */
export function scale(vp: Viewport): number {
  return plotWidth(vp) / (vp.end - vp.start);
}

export function xOf(vp: Viewport, pos: number): number {
  return gutterWidth(vp.width) + (pos - vp.start) * scale(vp);
}

export function posAt(vp: Viewport, x: number): number {
  return vp.start + (x - gutterWidth(vp.width)) / scale(vp);
}

/** The step whose cell is under x, or undefined outside the plot or the trace. */
export function stepAt(vp: Viewport, x: number, steps: number): number | undefined {
  const left = gutterWidth(vp.width);
  if (x < left || x > left + plotWidth(vp)) return undefined;
  const k = Math.floor(posAt(vp, x));
  return k >= 0 && k < steps ? k : undefined;
}

/** The whole trace in the given width. */
export function fitView(steps: number, width: number, cursor?: number): Viewport {
  return { start: 0, end: Math.max(steps, MIN_SPAN), width, cursor };
}

/** Keeps the window inside [0, steps] and at least MIN_SPAN wide. */
export function clampView(vp: Viewport, steps: number): Viewport {
  const total = Math.max(steps, MIN_SPAN);
  const span = Math.min(Math.max(vp.end - vp.start, MIN_SPAN), total);
  const start = Math.min(Math.max(vp.start, 0), total - span);
  return { ...vp, start, end: start + span };
}

/** Zooms by `factor` (< 1 zooms in) keeping the position under pixel `anchorX` in place. */
export function zoomView(vp: Viewport, factor: number, anchorX: number, steps: number): Viewport {
  const left = gutterWidth(vp.width);
  const x = Math.min(Math.max(anchorX, left), left + plotWidth(vp));
  const anchor = posAt(vp, x);
  const span = (vp.end - vp.start) * factor;
  const start = anchor - ((x - left) / plotWidth(vp)) * span;
  return clampView({ ...vp, start, end: start + span }, steps);
}

/** Moves the window by `dx` pixels (positive: later steps come into view). */
export function panView(vp: Viewport, dx: number, steps: number): Viewport {
  const d = dx / scale(vp);
  return clampView({ ...vp, start: vp.start + d, end: vp.end + d }, steps);
}

/** Scrolls so that `pos` is in view (centred when it was outside). */
export function revealPosition(vp: Viewport, pos: number, steps: number): Viewport {
  const margin = (vp.end - vp.start) * 0.02;
  if (pos >= vp.start + margin && pos <= vp.end - margin) return vp;
  const span = vp.end - vp.start;
  return clampView({ ...vp, start: pos - span / 2, end: pos + span / 2 }, steps);
}

/** Axis ticks: whole steps at 1, 2 or 5 x 10^k apart, at least `minPx` pixels apart. */
export function ticks(vp: Viewport, minPx = 80): number[] {
  const raw = minPx / scale(vp);
  let unit = 1;
  while (unit < raw) {
    if (unit * 2 >= raw) {
      unit *= 2;
      break;
    }
    if (unit * 5 >= raw) {
      unit *= 5;
      break;
    }
    unit *= 10;
  }
  const out: number[] = [];
  for (let t = Math.ceil(vp.start / unit) * unit; t <= vp.end; t += unit) out.push(t);
  return out;
}
