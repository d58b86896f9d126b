// "camsim: Export Trace": asks the running camsim session for its recording
// (custom DAP request camsim/exportTrace: the trace file's text) and saves it.
import * as path from 'path';
import * as vscode from 'vscode';
import { CustomRequests } from '../../core/protocol';
import type { ExportedTrace } from '../../debug-adapter/runtime/traceFiles';
import { activeCamsimSession } from '../debugSession';

export async function exportTrace(): Promise<void> {
  const session = activeCamsimSession();
  if (!session) return;
  const exported = (await session.customRequest(CustomRequests.exportTrace)) as ExportedTrace | undefined;
  if (typeof exported?.text !== 'string') throw new Error(`${CustomRequests.exportTrace} returned no trace`);
  const program = typeof session.configuration.program === 'string' ? session.configuration.program : 'scenario.camsim';
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(path.dirname(program), `${path.basename(program, '.camsim')}.trace.json`)),
    filters: { 'camsim trace': ['json'] },
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, Buffer.from(exported.text, 'utf8'));
  const note = exported.note ? ` ${exported.note}` : '';
  void vscode.window.showInformationMessage(
    `camsim: ${exported.steps} steps written to ${vscode.workspace.asRelativePath(target)}.${note}`,
  );
}
