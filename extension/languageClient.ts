// Starts the camsim language server (dist/server.js) in a Node process over IPC.
import * as vscode from 'vscode';
import { LanguageClient, NotificationType, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LANGUAGE_ID, RaceCheckNotification, Settings, type RaceCheckParams, type ServerInitializationOptions } from '../core/protocol';
import { codeLensEnabled } from './settings';

const raceCheckNotification = new NotificationType<RaceCheckParams>(RaceCheckNotification.method);

export function createLanguageClient(
  context: vscode.ExtensionContext,
  outputChannel: vscode.LogOutputChannel,
  onRaceCheck: (params: RaceCheckParams) => void,
): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    outputChannel,
    // Settings changes under "camsim" reach the server as didChangeConfiguration.
    synchronize: { configurationSection: 'camsim' },
    // This extension has Run, Debug and Debug Counterexample: the code lenses name them.
    initializationOptions: { extensionCommands: true } satisfies ServerInitializationOptions,
    // The Run / Debug / Check lenses above a scenario, unless camsim.codeLens.enabled is off.
    middleware: { provideCodeLenses: (doc, token, next) => (codeLensEnabled() ? next(doc, token) : []) },
  };
  // The client id "camsim" makes vscode-languageclient honour `camsim.trace.server`.
  const client = new LanguageClient('camsim', 'camsim Language Server', serverOptions, clientOptions);
  const lensesChanged = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    client.onNotification(raceCheckNotification, onRaceCheck),
    lensesChanged,
    // Turning the lenses on or off redraws them (the editor asks again).
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, { onDidChangeCodeLenses: lensesChanged.event, provideCodeLenses: () => [] }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Settings.codeLensEnabled)) lensesChanged.fire();
    }),
  );
  return client;
}
