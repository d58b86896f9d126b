// "camsim: Check All Interleavings": `camsim check --json FILE`, within the bounds
// of the camsim.check.* settings, with a cancellable progress notification, its
// result written out in the camsim output channel, then the verdict as a
// notification that offers to debug the counterexample.
import * as vscode from 'vscode';
import { Commands, type ScenarioCommandArgs } from '../../core/protocol';
import { checkReportLines, readCheckOutcome, type CheckOutcome } from '../cliVerdict';
import { targetScenario } from '../scenarioTarget';
import { checkBoundArgsFromSettings } from '../settings';
import type { CommandContext } from './context';

const DEBUG_COUNTEREXAMPLE = 'Debug Counterexample';
const SHOW_OUTPUT = 'Show Output';

/** Runs the explorer on a scenario; shared with "Debug Counterexample". */
export async function checkWithProgress(ctx: CommandContext, uri: vscode.Uri): Promise<CheckOutcome> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'camsim: checking all interleavings…', cancellable: true },
    (_progress, token) => ctx.cli.run(['check', '--json', ...checkBoundArgsFromSettings(), uri.fsPath], uri, token, { echoStdout: false }),
  );
  const outcome = readCheckOutcome(result.code, result.cancelled, result.stdout, result.stderr);
  if (outcome.report) for (const line of checkReportLines(outcome.report)) ctx.outputs.main.appendLine(line);
  else if (outcome.verdict === 'crashed') ctx.outputs.main.appendLine(`camsim check: ${outcome.summary}`);
  return outcome;
}

export async function checkScenario(ctx: CommandContext, arg: unknown): Promise<void> {
  const uri = await targetScenario(arg);
  if (!uri) return;
  const outcome = await checkWithProgress(ctx, uri);
  const message = `camsim check: ${outcome.summary}`;
  const actions = outcome.counterexample ? [DEBUG_COUNTEREXAMPLE, SHOW_OUTPUT] : [SHOW_OUTPUT];
  let choice: string | undefined;
  switch (outcome.verdict) {
    case 'holds':
      choice = await vscode.window.showInformationMessage(message, ...actions);
      break;
    case 'failed':
    case 'incomplete':
      choice = await vscode.window.showWarningMessage(message, ...actions);
      break;
    case 'cancelled':
      return;
    default:
      choice = await vscode.window.showErrorMessage(message, ...actions);
  }
  if (choice === SHOW_OUTPUT) ctx.outputs.main.show(true);
  if (choice === DEBUG_COUNTEREXAMPLE && outcome.counterexample) {
    const args: ScenarioCommandArgs = { uri: uri.toString(), schedule: outcome.counterexample.schedule };
    await vscode.commands.executeCommand(Commands.debugCounterexample, args);
  }
}
