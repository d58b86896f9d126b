// The `camsim` command: run | check | lint | trace. Returns the exit code:
// 0 every expectation held, 1 one failed, 2 invalid input or output that cannot
// be written, 3 (check) a bound stopped the search before everything was decided.

import { parseArgs } from 'node:util';
import { runCommand } from './runCommand';
import { lintCommand } from './lintCommand';
import { FileError, OutputError, reportOutputError, UsageError, stdio, type Output } from './io';

const USAGE = `usage:
  camsim run FILE [--seed N] [--schedule "A B*3 A"] [--max-steps N] [--quiet] [--json] [--trace OUT.json]
  camsim lint FILE...
  camsim help

  run    runs the scenario once (its own schedule, else round-robin; --seed N: seeded random)
         and prints every step, the result (the panic, or "no panic") and each expectation;
         --trace OUT.json also writes the run as a trace file (docs/trace-format.md)
  lint   prints the diagnostics of each file as file:line:col: severity: message

exit status: 0 every expectation held, 1 an expectation failed, 2 invalid input (or the output
could not be written: one line on standard error says why)`;

/** A subcommand: parses its own options and returns an exit code. */
export type Command = (argv: string[], io: Output) => Promise<number> | number;

const commands = new Map<string, { command: Command; usage: string }>();

/** Other modules add subcommands (check, trace) here. */
export function registerCommand(name: string, usage: string, command: Command): void {
  commands.set(name, { command, usage });
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`--${name} needs a whole number, not '${v}'`);
  return Number(v);
}

function run(argv: string[], io: Output): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      schedule: { type: 'string' },
      'max-steps': { type: 'string' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      trace: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('run takes one scenario file');
  return runCommand({
    file: positionals[0],
    seed: int('seed', values.seed),
    schedule: values.schedule,
    maxSteps: int('max-steps', values['max-steps']),
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    trace: values.trace,
  }, io);
}

function lint(argv: string[], io: Output): number {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  if (positionals.length === 0) throw new UsageError('lint takes one or more scenario files');
  return lintCommand(positionals, io);
}

registerCommand('run', '', run);
registerCommand('lint', '', lint);

/**
 * Subcommands in their own modules register themselves when loaded. They are
 * loaded only when used (or for help), so that `camsim check` does not pay for
 * the trace modules, nor `camsim run` for the explorer: start-up time counts.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a plain require loads on demand, and webpack still bundles it */
const LAZY: Record<string, () => unknown> = {
  trace: () => require('./traceCommand'),
  check: () => require('./checkCommand'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

function usageOfAll(): string {
  for (const load of Object.values(LAZY)) load();
  return [USAGE, ...[...commands.values()].map((c) => c.usage).filter(Boolean)].join('\n');
}

export async function main(argv: string[], io: Output = stdio): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (!name || name === 'help' || name === '--help' || name === '-h') {
      io.out(usageOfAll());
      return name ? 0 : 2;
    }
    if (!commands.has(name) && Object.prototype.hasOwnProperty.call(LAZY, name)) LAZY[name]();
    const entry = commands.get(name);
    if (!entry) throw new UsageError(`unknown command '${name}'`);
    return await entry.command(rest, io);
  } catch (e) {
    if (e instanceof OutputError) return reportOutputError(e, io);
    if (e instanceof FileError) {
      io.err(e.message);
      return 2;
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`camsim: ${(e as Error).message}`);
      if (!(e instanceof UsageError) || !/^[^:]+:\d+:\d+:/.test((e as Error).message)) io.err(usageOfAll());
      return 2;
    }
    throw e;
  }
}
