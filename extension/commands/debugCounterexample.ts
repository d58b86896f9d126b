// "camsim: Debug Counterexample": replays in the debugger the interleaving that the
// explorer found: the one the caller passes (the Check notification, a code lens,
// a quick fix on a problem), else the background check's for this version of the
// file, else the one a full check finds.
import * as vscode from 'vscode';
import type { ScenarioCommandArgs } from '../../core/protocol';
import { launchConfigFor } from '../debugConfiguration';
import { targetScenario } from '../scenarioTarget';
import { checkWithProgress } from './check';
import type { CommandContext } from './context';

function scheduleArgument(arg: unknown): string | undefined {
  const schedule = (arg as ScenarioCommandArgs | undefined)?.schedule;
  return typeof schedule === 'string' && schedule.trim() ? schedule : undefined;
}

/** The background check's counterexample, when it checked the file as it is now. */
function backgroundSchedule(ctx: CommandContext, uri: vscode.Uri): string | undefined {
  const known = ctx.raceStatus.get(uri);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return known?.schedule && (!doc || doc.version === known.version) ? known.schedule : undefined;
}

export async function debugCounterexample(ctx: CommandContext, arg: unknown): Promise<void> {
  const uri = await targetScenario(arg);
  if (!uri) return;
  let schedule = scheduleArgument(arg) ?? backgroundSchedule(ctx, uri);
  if (!schedule) {
    const outcome = await checkWithProgress(ctx, uri);
    schedule = outcome.counterexample?.schedule;
    if (!schedule) {
      switch (outcome.verdict) {
        case 'cancelled':
          return;
        case 'holds':
          void vscode.window.showInformationMessage(`camsim: no counterexample to debug: ${outcome.summary}.`);
          return;
        case 'incomplete':
          void vscode.window.showWarningMessage(`camsim: no counterexample found yet: ${outcome.summary}.`);
          return;
        default:
          void vscode.window.showErrorMessage(`camsim: no counterexample: ${outcome.summary}`);
          return;
      }
    }
  }
  const config = { ...launchConfigFor(uri, { schedule, stopOnEntry: false }), name: 'Debug counterexample' };
  await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), config);
}
