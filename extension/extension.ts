// Activation of the camsim extension (a .camsim file opened or in the folder, a camsim debug session or task):
// the language client, the debug adapter and configuration providers, the commands,
// the Testing view and the check/lint tasks.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, DEBUG_TYPE, TASK_TYPE } from '../core/protocol';
import { CliRunner } from './cliRunner';
import { registerCommands } from './commands/register';
import { CamsimAdapterDescriptorFactory } from './debugAdapterDescriptor';
import { CamsimConfigurationProvider, CamsimDynamicConfigurationProvider } from './debugConfiguration';
import { createLanguageClient } from './languageClient';
import { createOutputs, showErrorWithOutput, type Outputs } from './output';
import { RaceStatus } from './raceStatus';
import { TimelinePanel } from './timeline/panel';
import { registerTimelineTracker } from './timeline/tracker';
import { registerExceptionRefocus } from './exceptionFocus';
import { CamsimTaskProvider } from './tasks/provider';
import { ScenarioTests } from './testing/controller';

let client: LanguageClient | undefined;

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

export function activate(context: vscode.ExtensionContext): void {
  const started = Date.now();
  const outputs = createOutputs(context);
  try {
    const raceStatus = new RaceStatus();
    const timeline = new TimelinePanel(context.extensionUri, outputs.main);
    context.subscriptions.push(
      raceStatus,
      timeline,
      vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new CamsimAdapterDescriptorFactory(context)),
      vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new CamsimConfigurationProvider()),
      vscode.debug.registerDebugConfigurationProvider(
        DEBUG_TYPE,
        new CamsimDynamicConfigurationProvider(),
        vscode.DebugConfigurationProviderTriggerKind.Dynamic,
      ),
      registerTimelineTracker(timeline),
      registerExceptionRefocus(),
    );
    const commandContext = { extension: context, outputs, cli: new CliRunner(context, outputs.main), raceStatus, timeline };
    registerCommands(commandContext, { [Commands.restartServer]: restartLanguageClient });
    context.subscriptions.push(
      new ScenarioTests(commandContext),
      vscode.tasks.registerTaskProvider(TASK_TYPE, new CamsimTaskProvider(commandContext.cli)),
    );
    startLanguageClient(context, outputs, raceStatus);
    outputs.main.appendLine(`camsim ${context.extension.packageJSON.version} activated in ${Date.now() - started} ms`);
  } catch (err) {
    outputs.main.appendLine(`camsim failed to activate: ${describe(err)}`);
    void showErrorWithOutput(`camsim could not start: ${err instanceof Error ? err.message : String(err)}`, outputs.main);
    throw err;
  }
}

/** The debugger keeps working when the language server cannot start; the user is told why. */
function startLanguageClient(context: vscode.ExtensionContext, outputs: Outputs, raceStatus: RaceStatus): void {
  const languageClient = createLanguageClient(context, outputs.server, (params) => raceStatus.update(params));
  client = languageClient;
  languageClient.start().then(
    () => outputs.main.appendLine('language server started'),
    (err: unknown) => {
      outputs.main.appendLine(`the camsim language server failed to start: ${describe(err)}`);
      void showErrorWithOutput(
        `camsim: the language server failed to start (${err instanceof Error ? err.message : String(err)}). Diagnostics and completion are unavailable.`,
        outputs.main,
      );
    },
  );
}

/** "camsim: Restart Language Server": a fresh server process (after a settings change, or a server in trouble). */
async function restartLanguageClient(): Promise<void> {
  if (!client) throw new Error('the language server is not running');
  await client.restart();
  void vscode.window.setStatusBarMessage('camsim: language server restarted', 5000);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
