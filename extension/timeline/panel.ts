// The "camsim: Open Timeline" webview panel: one panel, refreshed from the active
// camsim session's recording (custom DAP request camsim/trace) whenever the
// debugger stops; a click on a step asks the adapter to go there (camsim/gotoStep).
import * as vscode from 'vscode';
import { CustomRequests, type GotoStepArguments } from '../../core/protocol';
import { activeCamsimSession } from '../debugSession';
import { makeNonce, timelineHtml } from './html';

type FromWebview = { type: 'ready' } | { type: 'gotoStep'; step: number };

export class TimelinePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  constructor(private readonly output: vscode.OutputChannel) {}

  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      'camsim.timeline',
      'camsim Timeline',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [] },
    );
    panel.webview.html = timelineHtml(panel.webview.cspSource, makeNonce());
    panel.webview.onDidReceiveMessage((msg: FromWebview) => this.onMessage(msg));
    panel.onDidDispose(() => (this.panel = undefined));
    this.panel = panel;
  }

  /** Sends the current recording to the panel (no-op when it is closed). */
  async refresh(): Promise<void> {
    if (!this.panel) return;
    const session = activeCamsimSession(true);
    let trace: unknown = null;
    if (session) {
      try {
        trace = await session.customRequest(CustomRequests.trace);
      } catch (err) {
        this.output.appendLine(`timeline: ${CustomRequests.trace} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    await this.panel?.webview.postMessage({ type: 'trace', trace });
  }

  private async onMessage(msg: FromWebview): Promise<void> {
    if (msg.type === 'ready') {
      await this.refresh();
    } else if (msg.type === 'gotoStep' && Number.isInteger(msg.step)) {
      const args: GotoStepArguments = { step: msg.step };
      await activeCamsimSession()?.customRequest(CustomRequests.gotoStep, args);
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
