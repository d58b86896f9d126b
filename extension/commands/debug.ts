// "camsim: Debug Scenario" (the editor title's debug button).
import * as vscode from 'vscode';
import { launchConfigFor } from '../debugConfiguration';
import { targetScenario } from '../scenarioTarget';

export async function debugScenario(arg: unknown): Promise<void> {
  const uri = await targetScenario(arg);
  if (!uri) return;
  await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), launchConfigFor(uri));
}
