// "camsim: Run Scenario": `camsim run FILE` in the camsim output channel.
import * as vscode from 'vscode';
import { readRunOutcome } from '../cliVerdict';
import { targetScenario } from '../scenarioTarget';
import type { CommandContext } from './context';

export async function runScenario(ctx: CommandContext, arg: unknown): Promise<void> {
  const uri = await targetScenario(arg);
  if (!uri) return;
  ctx.outputs.main.show(true);
  const result = await ctx.cli.run(['run', uri.fsPath], uri);
  const outcome = readRunOutcome(result.code, result.cancelled, result.stdout, result.stderr);
  vscode.window.setStatusBarMessage(`camsim run: ${outcome.summary}`, 10_000);
}
