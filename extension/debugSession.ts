// The camsim debug session that commands act on.
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../core/protocol';

export function activeCamsimSession(quiet = false): vscode.DebugSession | undefined {
  const session = vscode.debug.activeDebugSession;
  if (session?.type === DEBUG_TYPE) return session;
  if (!quiet) void vscode.window.showErrorMessage('camsim: start debugging a scenario first.');
  return undefined;
}
