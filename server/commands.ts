// The commands the server runs itself (workspace/executeCommand), for editors
// without the camsim extension (Neovim, Helix, Emacs...): a check of an open
// document, answered with the text `camsim check` prints. The search runs here,
// as `camsim check` runs it, bounded by the background check's settings.

import * as path from 'node:path';
import { checkText, type CheckArgs } from '../core/cli/checkCommand';
import { ServerCommands, type ServerCommandResult } from '../core/protocol';
import type { RaceCheckSettings } from './raceCheck/raceChecker';

export const SERVER_COMMAND_IDS: string[] = Object.values(ServerCommands);

/** Runs `command` on `text` (the document `uri`); a scenario with errors answers `invalid` with them. */
export async function runServerCommand(command: string, uri: string, text: string, bounds: Pick<RaceCheckSettings, 'maxStates' | 'timeoutMs'>): Promise<ServerCommandResult> {
  const name = path.basename(decodeURIComponent(new URL(uri).pathname)) || uri;
  const args: CheckArgs = {
    file: name,
    maxStates: bounds.maxStates,
    timeoutMs: bounds.timeoutMs,
    por: true,
    symmetry: true,
    exhaustive: false,
    coverage: false,
    quiet: command !== ServerCommands.counterexample,
    json: false,
  };
  const lines: string[] = [];
  let summary: Omit<ServerCommandResult, 'text'> | undefined;
  const exit = await checkText(args, text, { out: (l) => lines.push(l), err: (l) => lines.push(l) }, {
    summary: (s) => (summary = { verdict: s.verdict, headline: s.headline }),
  });
  if (exit === 2 || !summary) {
    return { verdict: 'invalid', headline: `${name} has errors: fix them to check it`, text: lines.join('\n') };
  }
  return { ...summary, text: lines.join('\n') };
}
