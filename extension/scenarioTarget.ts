// Which scenario a command acts on: the resource of an editor-title button, the
// `{ uri }` argument of a code lens (core/protocol ScenarioCommandArgs), or the
// active editor (or the one scenario in view). The file is saved first because
// the CLI and the adapter read it from disk.
import * as vscode from 'vscode';
import { LANGUAGE_ID, type ScenarioCommandArgs } from '../core/protocol';

function uriFromArgument(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (arg && typeof arg === 'object' && typeof (arg as ScenarioCommandArgs).uri === 'string') {
    return vscode.Uri.parse((arg as ScenarioCommandArgs).uri);
  }
  return undefined;
}

export async function targetScenario(arg: unknown): Promise<vscode.Uri | undefined> {
  // The active editor's scenario; else, when a view without text has the focus (the
  // walkthrough), the one scenario in view.
  const editorDoc = vscode.window.activeTextEditor?.document;
  const inView = vscode.window.visibleTextEditors.map((e) => e.document).filter((d) => d.languageId === LANGUAGE_ID);
  const fallback = !vscode.window.activeTextEditor && inView.length === 1 ? inView[0].uri : undefined;
  const uri = uriFromArgument(arg) ?? (editorDoc?.languageId === LANGUAGE_ID ? editorDoc.uri : fallback);
  if (!uri) {
    void vscode.window.showErrorMessage('camsim: open a .camsim scenario first.');
    return undefined;
  }
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('camsim: save the scenario to a file first.');
    return undefined;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
  return uri;
}
