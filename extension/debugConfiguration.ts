// Debug configurations for camsim: F5 on a .camsim file with no launch.json debugs
// that file, and the Run and Debug view lists each open scenario.
import * as path from 'path';
import * as vscode from 'vscode';
import { DEBUG_TYPE, LANGUAGE_ID, type CamsimLaunchArguments } from '../core/protocol';

export type CamsimDebugConfiguration = vscode.DebugConfiguration & Partial<CamsimLaunchArguments>;

/** A launch configuration that debugs one scenario file. */
export function launchConfigFor(uri: vscode.Uri, extra: Partial<CamsimLaunchArguments> = {}): CamsimDebugConfiguration {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Debug ${path.basename(uri.fsPath)}`,
    program: uri.fsPath,
    ...extra,
  };
}

function activeScenario(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === LANGUAGE_ID ? doc.uri : undefined;
}

/** Fills in a missing launch.json entry or program. */
export class CamsimConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.ProviderResult<vscode.DebugConfiguration> {
    // No launch.json (F5 straight from the editor): VS Code passes an empty object.
    if (!config.type && !config.request && !config.name) {
      const uri = activeScenario();
      if (!uri) {
        void vscode.window.showErrorMessage('camsim: open a .camsim scenario to debug it, or add a launch configuration.');
        return undefined; // aborts the launch
      }
      return launchConfigFor(uri, { stopOnEntry: false });
    }
    if (!config.program) {
      const uri = activeScenario();
      if (!uri) {
        void vscode.window.showErrorMessage(
          `camsim: the launch configuration "${config.name ?? ''}" has no "program" and no scenario is open.`,
        );
        return undefined;
      }
      return { ...config, program: uri.fsPath };
    }
    return config;
  }
}

/** Dynamic configurations: one per open scenario, offered in the Run and Debug view. */
export class CamsimDynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.ProviderResult<vscode.DebugConfiguration[]> {
    return vscode.workspace.textDocuments
      .filter((doc) => doc.languageId === LANGUAGE_ID && doc.uri.scheme === 'file')
      .map((doc) => launchConfigFor(doc.uri));
  }
}
