// Keeps the language server's latest background race check per document
// (camsim/raceCheck notifications) and shows the active scenario's verdict in the
// status bar; a click debugs the counterexample when there is one.
import * as vscode from 'vscode';
import { Commands, LANGUAGE_ID, type RaceCheckParams } from '../core/protocol';

export class RaceStatus implements vscode.Disposable {
  private readonly latest = new Map<string, RaceCheckParams>();
  private readonly item = vscode.window.createStatusBarItem('camsim.raceCheck', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription = vscode.window.onDidChangeActiveTextEditor(() => this.render());

  constructor() {
    this.item.name = 'camsim race check';
  }

  update(params: RaceCheckParams): void {
    this.latest.set(params.uri, params);
    this.render();
  }

  /** The last check of this document, when the server has reported one. */
  get(uri: vscode.Uri): RaceCheckParams | undefined {
    return this.latest.get(uri.toString());
  }

  private render(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const check = doc?.languageId === LANGUAGE_ID ? this.latest.get(doc.uri.toString()) : undefined;
    if (!doc || !check) {
      this.item.hide();
      return;
    }
    const icon = check.verdict === 'ok' ? '$(check)' : check.verdict === 'incomplete' ? '$(question)' : '$(warning)';
    this.item.text = `${icon} camsim: ${check.verdict}`;
    this.item.tooltip = `${check.states} states explored${check.schedule ? `\ncounterexample: ${check.schedule}` : ''}`;
    this.item.command = check.schedule
      ? { title: 'Debug Counterexample', command: Commands.debugCounterexample, arguments: [{ uri: check.uri }] }
      : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.subscription.dispose();
  }
}
