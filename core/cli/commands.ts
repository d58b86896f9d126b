// The subcommands of `camsim`, in the order `camsim --help` lists them. Each is
// loaded only when used (or for help), so that `camsim check` does not pay for
// the trace modules, nor `camsim run` for the explorer: start-up time counts.

import type { CliCommand } from './command';

/* eslint-disable @typescript-eslint/no-require-imports -- a plain require loads on demand, and webpack still bundles it */
export const COMMANDS: readonly { name: string; load: () => CliCommand }[] = [
  { name: 'run', load: () => (require('./runCommand') as typeof import('./runCommand')).runCli },
  { name: 'check', load: () => (require('./checkCommand') as typeof import('./checkCommand')).checkCli },
  { name: 'lint', load: () => (require('./lintCommand') as typeof import('./lintCommand')).lintCli },
  { name: 'trace', load: () => (require('./traceCommand') as typeof import('./traceCommand')).traceCli },
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** The subcommand called `name`, loaded. */
export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name)?.load();
}
