// Watches the camsim adapter's messages so that the timeline follows the debugger:
// every `stopped` event (a step, a breakpoint, a step back) refreshes it.
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../../core/protocol';
import type { TimelinePanel } from './panel';

export function registerTimelineTracker(timeline: TimelinePanel): vscode.Disposable {
  return vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (message: { type?: string; event?: string }) => {
        if (message.type === 'event' && message.event === 'stopped') void timeline.refresh();
      },
    }),
  });
}
