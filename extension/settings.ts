// Typed access to the camsim settings (keys from core/protocol).
import * as vscode from 'vscode';
import { Settings } from '../core/protocol';

export type AdapterMode = 'inline' | 'external';

function get<T>(key: string, fallback: T): T {
  // Keys are declared as full ids ("camsim.x.y"); getConfiguration() reads them whole.
  return vscode.workspace.getConfiguration().get<T>(key, fallback);
}

export function adapterMode(): AdapterMode {
  return get<string>(Settings.adapterMode, 'inline') === 'external' ? 'external' : 'inline';
}
