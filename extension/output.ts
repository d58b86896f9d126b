// The extension's output channels: one for the extension and its commands, one for
// the language server (which vscode-languageclient also uses for the message trace).
import * as vscode from 'vscode';

export interface Outputs {
  /** Activation, commands, CLI runs. */
  main: vscode.OutputChannel;
  /** The language server's log and `camsim.trace.server` messages. */
  server: vscode.LogOutputChannel;
}

export function createOutputs(context: vscode.ExtensionContext): Outputs {
  const outputs: Outputs = {
    main: vscode.window.createOutputChannel('camsim'),
    server: vscode.window.createOutputChannel('camsim Language Server', { log: true }),
  };
  context.subscriptions.push(outputs.main, outputs.server);
  return outputs;
}

/** Shows an error with a button that opens the channel holding the details. */
export async function showErrorWithOutput(message: string, channel: vscode.OutputChannel): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Show Output');
  if (choice === 'Show Output') channel.show(true);
}
