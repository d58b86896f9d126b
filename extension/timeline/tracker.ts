// Watches the camsim adapter's messages for the timeline: which sessions advertise
// the trace requests (the initialize response), every stop (forward, backward,
// goto), and restarts, which may replace the recording.
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../../core/protocol';
import type { TimelinePanel } from './panel';

interface Message {
  type?: string;
  command?: string;
  event?: string;
  success?: boolean;
  body?: Record<string, unknown>;
}

export function registerTimelineTracker(timeline: TimelinePanel): vscode.Disposable {
  return vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
    createDebugAdapterTracker: (session) => ({
      onWillReceiveMessage: (m: Message) => {
        if (m.type === 'request' && m.command === 'restart') timeline.onRestart(session);
      },
      onDidSendMessage: (m: Message) => {
        if (m.type === 'response' && m.command === 'initialize' && m.success) timeline.onCapabilities(session, m.body);
        else if (m.type === 'event' && m.event === 'stopped') timeline.onStopped(session, m.body ?? {});
      },
    }),
  });
}
