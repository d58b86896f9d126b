// Binds the command ids of core/protocol to their handlers; a failure is one error
// notification, with the details in the camsim output.
import * as vscode from 'vscode';
import { Commands } from '../../core/protocol';
import { checkScenario } from './check';
import type { CommandContext } from './context';
import { debugScenario } from './debug';
import { debugCounterexample } from './debugCounterexample';
import { openSample } from '../samples';
import { exportTrace } from './exportTrace';
import { runScenario } from './run';
import { whyValue } from './why';

type Handler = (arg?: unknown) => unknown;

/** `more`: the handlers that need what only activation has (the language client). */
export function registerCommands(ctx: CommandContext, more: Record<string, Handler> = {}): void {
  const handlers: Record<string, Handler> = {
    ...more,
    [Commands.run]: (arg) => runScenario(ctx, arg),
    [Commands.debug]: (arg) => debugScenario(arg),
    [Commands.check]: (arg) => checkScenario(ctx, arg),
    [Commands.debugCounterexample]: (arg) => debugCounterexample(ctx, arg),
    [Commands.openTimeline]: () => ctx.timeline.show(),
    [Commands.exportTrace]: () => exportTrace(),
    [Commands.why]: (arg) => whyValue(arg),
    [Commands.openSample]: (arg) => openSample(ctx.extension, arg),
  };
  for (const [id, handler] of Object.entries(handlers)) {
    ctx.extension.subscriptions.push(
      vscode.commands.registerCommand(id, async (arg?: unknown) => {
        try {
          await handler(arg);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          ctx.outputs.main.appendLine(`${id} failed: ${err instanceof Error ? (err.stack ?? message) : message}`);
          void vscode.window.showErrorMessage(`camsim: ${message}`);
        }
      }),
    );
  }
}
