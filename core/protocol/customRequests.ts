// The debug adapter's custom requests (the timeline, "why", trace export), each
// declared once with its arguments and its response body. The adapter dispatches
// through a handler table typed by CustomRequestMap; the extension calls them
// through a helper typed by it. Plain data types only.

import type { Change } from '../engine/run/observe';
import type { TraceStep } from '../engine/run/traceStep';

/** A window of camsim/trace when the client asks for no count. */
export const TRACE_WINDOW = 10_000;
/** The most steps camsim/trace answers at once. */
export const MAX_TRACE_STEPS = 100_000;
/** How many writes camsim/why lists by default, and at most. */
export const WHY_LIMIT = 50;
export const MAX_WHY_LIMIT = 10_000;

export interface TraceArguments {
  /** The first step; by default a window around the cursor. */
  from?: number;
  /** How many steps (default TRACE_WINDOW, at most MAX_TRACE_STEPS). */
  count?: number;
}

/** The camsim/trace response body: recorded steps [from, from + steps.length). */
export interface TraceWindow {
  steps: TraceStep[];
  cursor: number;
  total: number;
  from: number;
}

export interface GotoStepArguments {
  step: number;
}

export interface GotoStepResponse {
  cursor: number;
}

export interface WhyArguments {
  /** An expression naming a counter, e.g. `pass0.refcount`. */
  expression: string;
  /** The thread whose locals the expression may name. */
  threadId?: number;
  /** How many writes to list (default WHY_LIMIT, at most MAX_WHY_LIMIT). */
  limit?: number;
}

/** One recorded step that wrote the value camsim/why asked about. */
export interface WriteView {
  step: number;
  process: string;
  function: string;
  file: string;
  line: number;
  code: string;
  old: Change['old'];
  new: Change['new'];
}

export interface WhyResponse {
  expression: string;
  /** The recorded path the expression names. */
  path: string;
  cursor: number;
  /** Every write up to the cursor; `writes` holds the newest of them. */
  total: number;
  writes: WriteView[];
}

export interface ExportTraceArguments {
  /** Absolute path of the trace file to write (replaced when it exists). */
  path: string;
}

/** The answer once the whole file is written (the adapter answers other requests meanwhile). */
export interface ExportTraceResponse {
  path: string;
  steps: number;
  bytes: number;
  /** Something the user should know about the file (its steps ordered by slice, its size). */
  note?: string;
}

/** Every custom request: its arguments and its response body. */
export interface CustomRequestMap {
  /** The recorded trace: a window of steps and the cursor. */
  'camsim/trace': { args: TraceArguments; body: TraceWindow };
  /** Move the cursor to step N (time travel); answered before the stopped event. */
  'camsim/gotoStep': { args: GotoStepArguments; body: GotoStepResponse };
  /** The steps that wrote a counter, newest first. */
  'camsim/why': { args: WhyArguments; body: WhyResponse };
  /** Writes the current recording as a trace file to a path. */
  'camsim/exportTrace': { args: ExportTraceArguments; body: ExportTraceResponse };
}

export type CustomRequestName = keyof CustomRequestMap;
export type CustomRequestArgs<K extends CustomRequestName> = CustomRequestMap[K]['args'];
export type CustomRequestBody<K extends CustomRequestName> = CustomRequestMap[K]['body'];

/** The custom requests' names, for callers that prefer a property to a string. */
export const CustomRequests = {
  trace: 'camsim/trace',
  gotoStep: 'camsim/gotoStep',
  why: 'camsim/why',
  exportTrace: 'camsim/exportTrace',
} as const satisfies Record<string, CustomRequestName>;

/** Every custom request name, to check that a table covers them all. */
export const CUSTOM_REQUEST_NAMES: readonly CustomRequestName[] = Object.values(CustomRequests);
