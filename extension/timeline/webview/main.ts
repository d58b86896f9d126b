/// <reference lib="dom" />
// The timeline webview's script (bundled into dist/timeline.js). It keeps the
// viewport, turns the pure drawing (render/draw.ts) into DOM nodes, and speaks
// the messages of messages.ts with the extension: a click on a step moves the
// debugger there, hovering asks for the step's record.

import type { TraceStep } from '../../../core/engine/run/traceStep';
import type { FromWebview, ToWebview } from '../messages';
import { describeHit } from '../render/describe';
import { drawTimeline } from '../render/draw';
import { hitTest, type Hit } from '../render/hit';
import { AXIS_HEIGHT, layoutTimeline, type TimelineLayout } from '../render/layout';
import type { SvgNode } from '../render/svg';
import { clampView, fitView, MIN_WIDTH, panView, plotWidth, revealPosition, scale, xOf, zoomView, type Viewport } from '../render/viewport';

export { drawTimeline, fitView, layoutTimeline };

const SVG_NS = 'http://www.w3.org/2000/svg';
/** A press that moves further than this is a drag (pan), not a click. */
const DRAG_PX = 4;

/** The drawing as SVG DOM nodes. */
export function toDom(node: SvgNode, doc: Document = document): Element {
  const e = doc.createElementNS(SVG_NS, node.tag);
  for (const k in node.attrs) if (k !== 'xmlns') e.setAttribute(k, String(node.attrs[k]));
  if (node.text !== undefined) e.textContent = node.text;
  if (node.children) for (const c of node.children) e.appendChild(toDom(c, doc));
  return e;
}

interface Host {
  post(msg: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

interface SavedState {
  session: string;
  start: number;
  end: number;
  follow: boolean;
}

function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the timeline page has no #${id}`);
  return e as T;
}

class TimelineView {
  private layout: TimelineLayout | undefined;
  private vp: Viewport = fitView(0, 800);
  private cursor: number | undefined;
  private session = '';
  private ended = false;
  private frame = 0;
  private readonly details = new Map<number, TraceStep>();
  private readonly asked = new Set<number>();
  private hovered: { hit: Hit; x: number; y: number } | undefined;
  private press: { x: number; vp: Viewport; dragged: boolean } | undefined;

  private readonly status = byId('status');
  private readonly outcome = byId('outcome');
  private readonly plot = byId('plot');
  private readonly hover = byId('hover');
  private readonly tooltip = byId('tooltip');
  private readonly follow = byId<HTMLInputElement>('follow');

  constructor(private readonly host: Host) {
    const saved = host.getState() as Partial<SavedState> | undefined;
    if (typeof saved?.follow === 'boolean') this.follow.checked = saved.follow;
    window.addEventListener('message', (e: MessageEvent<ToWebview>) => this.onMessage(e.data));
    byId('zoom-in').addEventListener('click', () => this.zoom(0.5));
    byId('zoom-out').addEventListener('click', () => this.zoom(2));
    byId('fit').addEventListener('click', () => this.fit());
    this.follow.addEventListener('change', () => {
      if (this.follow.checked) this.reveal();
      this.save();
    });
    this.plot.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.plot.addEventListener('mousedown', (e) => this.onDown(e));
    window.addEventListener('mousemove', (e) => this.onMove(e));
    window.addEventListener('mouseup', (e) => this.onUp(e));
    this.plot.addEventListener('mouseleave', () => this.hideHover());
    this.plot.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.resize()).observe(this.plot);
    this.vp = { ...this.vp, width: this.width() };
    host.post({ type: 'ready' });
  }

  private width(): number {
    return Math.max(MIN_WIDTH, this.plot.clientWidth);
  }

  // ---- messages ----

  private onMessage(msg: ToWebview): void {
    if (!msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'model':
        return this.setModel(msg);
      case 'cursor':
        this.cursor = msg.cursor;
        this.reveal();
        this.updateStatus();
        return this.schedule();
      case 'empty':
        this.layout = undefined;
        this.status.textContent = msg.text;
        this.outcome.hidden = true;
        this.plot.querySelector('svg')?.remove();
        return;
      case 'ended':
        this.ended = true;
        this.updateStatus(msg.text);
        return;
      case 'step':
        this.details.set(msg.step.index, msg.step);
        if (this.hovered?.hit.step === msg.step.index) this.showTooltip();
        return;
    }
  }

  private setModel(msg: Extract<ToWebview, { type: 'model' }>): void {
    const before = this.layout;
    const sameSession = msg.session === this.session;
    this.layout = layoutTimeline(msg.model);
    this.cursor = msg.cursor;
    this.ended = false;
    this.details.clear();
    this.asked.clear();
    const steps = msg.model.steps;
    const width = this.width();
    const saved = this.host.getState() as Partial<SavedState> | undefined;
    if (before && sameSession) {
      // Keep the user's window; a window that showed the whole run keeps doing so.
      const wasFit = this.vp.start <= 0 && this.vp.end >= before.steps;
      this.vp = wasFit ? fitView(steps, width) : clampView({ ...this.vp, width }, steps);
    } else if (saved?.session === msg.session && typeof saved.start === 'number' && typeof saved.end === 'number') {
      this.vp = clampView({ start: saved.start, end: saved.end, width }, steps); // the view was hidden and shown again
    } else {
      this.vp = fitView(steps, width);
    }
    this.session = msg.session;
    this.reveal();
    this.updateStatus();
    this.updateOutcome();
    this.schedule();
  }

  private updateStatus(extra?: string): void {
    const l = this.layout;
    if (!l) return;
    const parts = [`${this.session}: ${l.steps} steps`];
    if (this.cursor !== undefined) {
      parts.push(this.cursor >= l.steps && l.steps > 0 ? `the debugger is after the last step (${this.cursor})` : `the debugger is before step ${this.cursor}`);
    }
    const note = extra ?? (this.ended ? 'the session has ended' : undefined);
    if (note) parts.push(note);
    this.status.textContent = parts.join(' · ');
  }

  private updateOutcome(): void {
    const p = this.layout?.panic;
    this.outcome.hidden = !p;
    if (!p) return;
    const what = p.kind === 'deadlock' ? 'Deadlock' : p.kind === 'use-after-free' ? 'Use after free' : 'Panic';
    this.outcome.textContent = `${what} in ${p.process} at step ${p.step}${p.fn ? `, ${p.fn}()` : ''}: ${p.message}`;
  }

  // ---- the viewport ----

  private setView(vp: Viewport): void {
    this.vp = vp;
    this.save();
    this.schedule();
  }

  private zoom(factor: number, anchorX?: number): void {
    if (!this.layout) return;
    const x = anchorX ?? (this.cursor !== undefined && this.cursor >= this.vp.start && this.cursor <= this.vp.end ? xOf(this.vp, this.cursor) : this.vp.width / 2);
    this.setView(zoomView(this.vp, factor, x, this.layout.steps));
  }

  private fit(): void {
    if (this.layout) this.setView(fitView(this.layout.steps, this.width()));
  }

  private reveal(): void {
    if (!this.layout || this.cursor === undefined || !this.follow.checked) return;
    this.vp = revealPosition(this.vp, this.cursor, this.layout.steps);
    this.save();
  }

  private resize(): void {
    const width = this.width();
    if (width === this.vp.width) return;
    this.vp = { ...this.vp, width };
    this.schedule();
  }

  private save(): void {
    const state: SavedState = { session: this.session, start: this.vp.start, end: this.vp.end, follow: this.follow.checked };
    this.host.setState(state);
  }

  // ---- drawing ----

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.frame = 0;
    if (!this.layout) return;
    const svg = toDom(drawTimeline(this.layout, { ...this.vp, cursor: this.cursor }));
    const old = this.plot.querySelector('svg');
    if (old) old.replaceWith(svg);
    else this.plot.appendChild(svg);
    if (this.hovered) this.placeHover(this.hovered.hit);
  }

  // ---- pointer and keys ----

  /** Pointer position in the drawing's coordinates. */
  private local(e: MouseEvent): { x: number; y: number } {
    const box = this.plot.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  private onWheel(e: WheelEvent): void {
    if (!this.layout) return;
    const { x } = this.local(e);
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      this.zoom(Math.exp(Math.max(-1, Math.min(1, e.deltaY * 0.002))), x);
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      e.preventDefault();
      this.setView(panView(this.vp, e.deltaX || e.deltaY, this.layout.steps));
    }
  }

  private onDown(e: MouseEvent): void {
    if (e.button !== 0 || !this.layout) return;
    this.plot.focus();
    this.press = { x: e.clientX, vp: this.vp, dragged: false };
  }

  private onMove(e: MouseEvent): void {
    if (this.press && this.layout) {
      const dx = this.press.x - e.clientX;
      if (Math.abs(dx) > DRAG_PX) this.press.dragged = true;
      if (this.press.dragged) {
        this.plot.classList.add('dragging');
        this.hideHover();
        this.setView(panView(this.press.vp, dx, this.layout.steps));
        return;
      }
    }
    if (!this.layout || !this.plot.contains(e.target as Node)) return;
    const { x, y } = this.local(e);
    const hit = hitTest(this.layout, this.vp, x, y);
    if (!hit) return this.hideHover();
    this.hovered = { hit, x: e.clientX, y: e.clientY };
    this.placeHover(hit);
    this.showTooltip();
    if (!this.details.has(hit.step) && !this.asked.has(hit.step)) {
      this.asked.add(hit.step);
      this.host.post({ type: 'details', step: hit.step });
    }
  }

  private onUp(e: MouseEvent): void {
    const press = this.press;
    this.press = undefined;
    this.plot.classList.remove('dragging');
    if (!press || press.dragged || !this.layout || !this.plot.contains(e.target as Node)) return;
    const { x, y } = this.local(e);
    const hit = hitTest(this.layout, this.vp, x, y);
    if (hit) this.goto(hit.step);
  }

  private goto(step: number): void {
    if (this.ended) {
      this.updateStatus('the session has ended: start debugging again to move through the run');
      return;
    }
    this.host.post({ type: 'gotoStep', step });
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.layout) return;
    const page = plotWidth(this.vp) * 0.25;
    const keys: Record<string, () => void> = {
      '+': () => this.zoom(0.5),
      '=': () => this.zoom(0.5),
      '-': () => this.zoom(2),
      '0': () => this.fit(),
      ArrowLeft: () => this.setView(panView(this.vp, -page, this.layout!.steps)),
      ArrowRight: () => this.setView(panView(this.vp, page, this.layout!.steps)),
      Home: () => this.setView(panView(this.vp, -Infinity, this.layout!.steps)),
      End: () => this.setView(panView(this.vp, Infinity, this.layout!.steps)),
    };
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  }

  private placeHover(hit: Hit): void {
    const x0 = Math.max(xOf(this.vp, hit.step), xOf(this.vp, this.vp.start));
    this.hover.hidden = false;
    this.hover.style.top = `${AXIS_HEIGHT}px`;
    this.hover.style.left = `${x0}px`;
    this.hover.style.width = `${Math.max(1, scale(this.vp))}px`;
  }

  private showTooltip(): void {
    const h = this.hovered;
    if (!h) return;
    const [head, ...rest] = describeHit(h.hit, this.details.get(h.hit.step));
    const title = document.createElement('div');
    title.className = 'head';
    title.textContent = head;
    this.tooltip.replaceChildren(title, document.createTextNode(rest.join('\n')));
    this.tooltip.hidden = false;
    const w = this.tooltip.offsetWidth;
    const left = h.x + 14 + w > window.innerWidth ? Math.max(0, h.x - 14 - w) : h.x + 14;
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${Math.min(h.y + 14, Math.max(0, window.innerHeight - this.tooltip.offsetHeight - 4))}px`;
  }

  private hideHover(): void {
    this.hovered = undefined;
    this.hover.hidden = true;
    this.tooltip.hidden = true;
  }
}

declare function acquireVsCodeApi(): Host & { postMessage(msg: unknown): void };

// In the editor the page gets VS Code's API; elsewhere (the benchmark's page)
// only the exported drawing functions are used.
if (typeof acquireVsCodeApi === 'function') {
  const api = acquireVsCodeApi();
  new TimelineView({ post: (m) => api.postMessage(m), getState: () => api.getState(), setState: (s) => api.setState(s) });
}
