// Makes the editor show its exception widget at every camsim panic.
//
// VS Code shows the widget only when the frame it has focused is, as an object,
// the first frame of that thread's call stack. At a stop it takes the top frame,
// opens its source (a model source: fetched from the adapter first) and focuses
// it; meanwhile the Call Stack view may fetch the same thread's stack a second
// time, and that answer replaces the frame objects. The frame focused is then a
// stale copy, and the widget does not show (a click on the frame, or a second
// identical stop once the source is open, shows it). So after an exception stop,
// once the editor has focused the stopped thread, its top frame is focused again:
// the current object, and the widget shows. Where nothing was replaced this
// changes nothing.
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../core/protocol';

interface Message {
  type?: string;
  event?: string;
  body?: { reason?: string; threadId?: number };
}

export function registerExceptionRefocus(): vscode.Disposable {
  /** Per session: the thread of the last stop when it was an exception, until the editor focuses it. */
  const pending = new Map<string, number>();
  return vscode.Disposable.from(
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (m: Message) => {
          if (m.type !== 'event' || m.event !== 'stopped') return;
          if (m.body?.reason === 'exception' && typeof m.body.threadId === 'number') pending.set(session.id, m.body.threadId);
          else pending.delete(session.id);
        },
        onWillStopSession: () => pending.delete(session.id),
      }),
    }),
    vscode.debug.onDidChangeActiveStackItem((item) => {
      if (!(item instanceof vscode.DebugStackFrame) || pending.get(item.session.id) !== item.threadId) return;
      pending.delete(item.session.id);
      void vscode.commands.executeCommand('workbench.action.debug.callStackTop');
    }),
  );
}
