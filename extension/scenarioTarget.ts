// Which scenario a command acts on: the resource of an editor-title button, the
// `{ uri }` argument of a code lens (core/protocol ScenarioCommandArgs), or the
// active editor. The file is saved first because the CLI and the adapter read it
// from disk.
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
  const editorDoc = vscode.window.activeTextEditor?.document;
  const uri = uriFromArgument(arg) ?? (editorDoc?.languageId === LANGUAGE_ID ? editorDoc.uri : undefined);
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
