// "camsim: Debug Counterexample": replays in the debugger the interleaving that the
// explorer found, from the background check when it has one, else from a full check.
import * as vscode from 'vscode';
import { launchConfigFor } from '../debugConfiguration';
import { targetScenario } from '../scenarioTarget';
import { checkWithProgress } from './check';
import type { CommandContext } from './context';

async function counterexampleOf(ctx: CommandContext, uri: vscode.Uri): Promise<string | undefined> {
  const known = ctx.raceStatus.get(uri);
  if (known?.schedule) return known.schedule;
  return (await checkWithProgress(ctx, uri)).schedule;
}

export async function debugCounterexample(ctx: CommandContext, arg: unknown): Promise<void> {
  const uri = await targetScenario(arg);
  if (!uri) return;
  const schedule = await counterexampleOf(ctx, uri);
  if (!schedule) {
    void vscode.window.showInformationMessage('camsim: no counterexample: every interleaving meets the expectations.');
    return;
  }
  const config = { ...launchConfigFor(uri, { schedule, stopOnEntry: false }), name: 'Debug counterexample' };
  await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), config);
}
