// "camsim: Export Trace": asks where to save, then has the running camsim session
// write its recording there (custom DAP request camsim/exportTrace). The adapter
// writes the file a piece at a time and keeps answering meanwhile; a notification
// shows progress until the file is complete.
import * as path from 'path';
import * as vscode from 'vscode';
import { CustomRequests } from '../../core/protocol';
import { customRequest } from '../customRequest';
import { activeCamsimSession } from '../debugSession';

export async function exportTrace(): Promise<void> {
  const session = activeCamsimSession();
  if (!session) return;
  const program = typeof session.configuration.program === 'string' ? session.configuration.program : 'scenario.camsim';
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(path.dirname(program), `${path.basename(program, '.camsim')}.trace.json`)),
    filters: { 'camsim trace': ['json'] },
  });
  if (!target) return;
  if (target.scheme !== 'file') throw new Error('camsim: Export Trace writes to a file on this computer; choose a place on its disk');
  const exported = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `camsim: writing ${path.basename(target.fsPath)}…` },
    () => customRequest(session, CustomRequests.exportTrace, { path: target.fsPath }),
  );
  if (typeof (exported as Partial<typeof exported> | undefined)?.steps !== 'number') throw new Error(`${CustomRequests.exportTrace} did not say what it wrote`);
  const note = exported.note ? ` Note: ${exported.note}.` : '';
  void vscode.window.showInformationMessage(
    `camsim: ${exported.steps} steps written to ${vscode.workspace.asRelativePath(target)}.${note}`,
  );
}
