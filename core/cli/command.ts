// What a subcommand of `camsim` is, and the option parsing they share. The
// subcommands and main.ts import this; nothing here imports them.

import { UsageError, type Output } from './io';

/** A subcommand: its usage text and what it does with its own arguments; returns an exit code. */
export interface CliCommand {
  usage: string;
  run(argv: string[], io: Output): Promise<number> | number;
}

/** A whole-number option (`--seed 7`), or a usage error naming it. */
export function intOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`--${name} needs a whole number, not '${v}'`);
  return Number(v);
}
