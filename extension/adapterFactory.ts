// The one place that knows how the debug adapter's session class is named, so that
// the inline adapter can be created without reaching into debug-adapter/ elsewhere.
import * as vscode from 'vscode';
import { CamsimSession } from '../debug-adapter/session';

/** A new DAP session running inside the extension host. */
export function createInlineSession(): vscode.DebugAdapter {
  return new CamsimSession();
}
