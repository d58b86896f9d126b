// "camsim: Export Trace": asks the running camsim session for its recording
// (custom DAP request camsim/exportTrace) and saves it as a trace file.
import * as path from 'path';
import * as vscode from 'vscode';
import { CustomRequests } from '../../core/protocol';
import { activeCamsimSession } from '../debugSession';

/** The response body may be the JSON text itself or carry it in `text`/`trace`. */
function traceText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object') {
    const b = body as { text?: unknown; trace?: unknown };
    if (typeof b.text === 'string') return b.text;
    if (typeof b.trace === 'string') return b.trace;
    if (b.trace !== undefined) return JSON.stringify(b.trace, null, 2);
  }
  return JSON.stringify(body, null, 2);
}

export async function exportTrace(): Promise<void> {
  const session = activeCamsimSession();
  if (!session) return;
  const text = traceText(await session.customRequest(CustomRequests.exportTrace));
  const program = typeof session.configuration.program === 'string' ? session.configuration.program : 'scenario.camsim';
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(path.dirname(program), `${path.basename(program, '.camsim')}.trace.json`)),
    filters: { 'camsim trace': ['json'] },
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  void vscode.window.showInformationMessage(`camsim: trace written to ${vscode.workspace.asRelativePath(target)}.`);
}
