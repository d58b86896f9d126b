// The debug adapter's custom requests, called with the arguments and answered with
// the body core/protocol declares for each.
import type * as vscode from 'vscode';
import type { CustomRequestArgs, CustomRequestBody, CustomRequestName } from '../core/protocol';

export async function customRequest<K extends CustomRequestName>(session: vscode.DebugSession, name: K, args: CustomRequestArgs<K>): Promise<CustomRequestBody<K>> {
  return (await session.customRequest(name, args)) as CustomRequestBody<K>;
}
