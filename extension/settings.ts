// Typed access to the camsim settings (keys from core/protocol).
import * as vscode from 'vscode';
import { Settings } from '../core/protocol';
import { checkBoundArgs } from './checkBounds';

export type AdapterMode = 'inline' | 'external';

function get<T>(key: string, fallback: T): T {
  // Keys are declared as full ids ("camsim.x.y"); getConfiguration() reads them whole.
  return vscode.workspace.getConfiguration().get<T>(key, fallback);
}

export function adapterMode(): AdapterMode {
  return get<string>(Settings.adapterMode, 'inline') === 'external' ? 'external' : 'inline';
}

/** The Check bounds the user set (camsim.check.*), as CLI options. */
export function checkBoundArgsFromSettings(): string[] {
  return checkBoundArgs({
    maxStates: get<number | null>(Settings.checkMaxStates, null),
    maxDepth: get<number | null>(Settings.checkMaxDepth, null),
    preemptionBound: get<number | null>(Settings.checkPreemptionBound, null),
    timeoutSeconds: get<number | null>(Settings.checkTimeoutSeconds, null),
  });
}

export function codeLensEnabled(): boolean {
  return get<boolean>(Settings.codeLensEnabled, true);
}
