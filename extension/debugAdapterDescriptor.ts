// Chooses where the debug adapter runs: inline in the extension host (default,
// fastest, debuggable with the extension) or as a Node process over stdio
// (dist/debugAdapter.js), the same program other DAP clients use.
import * as vscode from 'vscode';
import { createInlineSession } from './adapterFactory';
import { adapterMode } from './settings';

export class CamsimAdapterDescriptorFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly context: vscode.ExtensionContext) {}

  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    if (adapterMode() === 'external') {
      return new vscode.DebugAdapterExecutable(process.execPath, [this.context.asAbsolutePath('dist/debugAdapter.js')], {
        // In desktop VS Code execPath is Electron; this makes it behave as plain Node.
        env: { ELECTRON_RUN_AS_NODE: '1' },
      });
    }
    return new vscode.DebugAdapterInlineImplementation(createInlineSession());
  }
}
