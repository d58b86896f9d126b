// The messages between the extension and the timeline webview.

import type { TimelineModel } from '../../core/engine/trace/timeline';
import type { TraceStep } from '../../core/engine/run/traceStep';

export type ToWebview =
  /** A new or grown recording: the model to draw and where the debugger is. */
  | { type: 'model'; model: TimelineModel; cursor: number; session: string }
  /** The debugger moved within the recording already drawn. */
  | { type: 'cursor'; cursor: number }
  /** Nothing to draw: why (no session, no trace support, the session ended). */
  | { type: 'empty'; text: string }
  /** The session ended; the last drawing stays but no longer moves the debugger. */
  | { type: 'ended'; text: string }
  /** The details of a step the webview asked about (hover). */
  | { type: 'step'; step: TraceStep };

export type FromWebview =
  | { type: 'ready' }
  /** Move the debugger so that step `step` is the next to run (camsim/gotoStep). */
  | { type: 'gotoStep'; step: number }
  | { type: 'details'; step: number };

export function isFromWebview(msg: unknown): msg is FromWebview {
  if (!msg || typeof msg !== 'object') return false;
  const m = msg as { type?: unknown; step?: unknown };
  if (m.type === 'ready') return true;
  return (m.type === 'gotoStep' || m.type === 'details') && typeof m.step === 'number' && Number.isInteger(m.step) && m.step >= 0;
}
