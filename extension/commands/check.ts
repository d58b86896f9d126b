// "camsim: Check All Interleavings": `camsim check FILE` with a cancellable progress
// notification, then the verdict as a notification.
import * as vscode from 'vscode';
import { Commands } from '../../core/protocol';
import { readCliOutcome, type CliOutcome } from '../cliVerdict';
import { targetScenario } from '../scenarioTarget';
import type { CommandContext } from './context';

/** Runs the explorer on a scenario; shared with "Debug Counterexample". */
export async function checkWithProgress(ctx: CommandContext, uri: vscode.Uri): Promise<CliOutcome> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'camsim: checking all interleavings…', cancellable: true },
    (_progress, token) => ctx.cli.run(['check', uri.fsPath], uri, token),
  );
  return readCliOutcome(result.code, result.cancelled, result.stdout, result.stderr);
}

export async function checkScenario(ctx: CommandContext, arg: unknown): Promise<void> {
  const uri = await targetScenario(arg);
  if (!uri) return;
  const outcome = await checkWithProgress(ctx, uri);
  const message = `camsim check: ${outcome.summary}`;
  const actions = outcome.schedule ? ['Debug Counterexample', 'Show Output'] : ['Show Output'];
  let choice: string | undefined;
  switch (outcome.verdict) {
    case 'holds':
      choice = await vscode.window.showInformationMessage(message, ...actions);
      break;
    case 'failed':
      choice = await vscode.window.showWarningMessage(message, ...actions);
      break;
    case 'cancelled':
      return;
    default:
      choice = await vscode.window.showErrorMessage(message, ...actions);
  }
  if (choice === 'Show Output') ctx.outputs.main.show(true);
  if (choice === 'Debug Counterexample') {
    await vscode.commands.executeCommand(Commands.debugCounterexample, { uri: uri.toString() });
  }
}
