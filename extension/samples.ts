// "camsim: Open Sample": copies one of the scenarios shipped with the extension
// (samples/) to the extension's storage and opens the copy, so the user can edit,
// check and debug it without touching the installed files. Called from the
// walkthrough with a sample's file name; from the palette, it asks which.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

/** A scenario's title: its `scenario "..."` line. */
function titleOf(text: string): string | undefined {
  return /^\s*scenario\s+"([^"\n]*)"/m.exec(text)?.[1];
}

function bundledSamples(context: vscode.ExtensionContext): string[] {
  const dir = context.asAbsolutePath('samples');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.camsim')).sort() : [];
}

/** The copy to open: the existing one while it is unchanged, else a new one next to it. */
function copyOf(source: string, storage: string): string {
  const text = fs.readFileSync(source, 'utf8');
  const base = path.basename(source, '.camsim');
  for (let n = 1; ; n++) {
    const target = path.join(storage, `${base}${n === 1 ? '' : `-${n}`}.camsim`);
    if (!fs.existsSync(target)) {
      fs.mkdirSync(storage, { recursive: true });
      fs.writeFileSync(target, text);
      return target;
    }
    if (fs.readFileSync(target, 'utf8') === text) return target;
  }
}

export async function openSample(context: vscode.ExtensionContext, arg: unknown): Promise<void> {
  const samples = bundledSamples(context);
  let name = typeof arg === 'string' ? arg : undefined;
  if (name !== undefined && !samples.includes(name)) throw new Error(`there is no sample named ${name}; the samples are ${samples.join(', ')}`);
  if (name === undefined) {
    const pick = await vscode.window.showQuickPick(
      samples.map((file) => ({ label: file, description: titleOf(fs.readFileSync(context.asAbsolutePath(path.join('samples', file)), 'utf8')) })),
      { title: 'camsim: Open Sample', placeHolder: 'A scenario to copy and open (your copy can be edited)' },
    );
    if (!pick) return;
    name = pick.label;
  }
  const storage = path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'samples');
  const copy = copyOf(context.asAbsolutePath(path.join('samples', name)), storage);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(copy));
  // From the walkthrough (not a text editor), open beside it so that both stay in view.
  const fromText = vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputText;
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: fromText ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside });
}
