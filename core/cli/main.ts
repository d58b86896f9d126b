// The `camsim` command: run | check | lint | trace. Returns the exit code:
// 0 every expectation held, 1 one failed, 2 invalid input or output that cannot
// be written, 3 (check) a bound stopped the search before everything was decided.

import { parseArgs } from 'node:util';
import { runCommand } from './runCommand';
import { lintCommand } from './lintCommand';
import { camsimVersion } from '../version';
import { FileError, OutputError, reportOutputError, UsageError, stdio, type Output } from './io';

const RUN_USAGE = `  camsim run FILE [--seed N] [--schedule "A B*3 A"] [--max-steps N] [--quiet] [--json] [--trace OUT.json]

  run    runs the scenario once (its own schedule, else round-robin; --seed N: seeded random)
         and prints every step, the result (the panic, or "no panic") and each expectation;
         --json prints one JSON document instead (docs/cli-json.schema.json);
         --trace OUT.json also writes the run as a trace file (docs/trace-format.md)`;

const LINT_USAGE = `  camsim lint FILE... [--json]

  lint   prints the diagnostics of each file as file:line:col: severity: message;
         --json prints them as one JSON document instead (docs/cli-json.schema.json)`;

const EXIT_STATUS = `exit status: 0 every expectation held, 1 an expectation failed, 2 invalid input (or the output
could not be written: one line on standard error says why), 3 (check) a bound stopped the search`;

/** The order of the commands in `camsim --help`. */
const ORDER = ['run', 'check', 'lint', 'trace'];

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
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  if (positionals.length === 0) throw new UsageError('lint takes one or more scenario files');
  return lintCommand(positionals, io, values.json ?? false);
}

registerCommand('run', RUN_USAGE, run);
registerCommand('lint', LINT_USAGE, lint);

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
  const names = [...ORDER.filter((n) => commands.has(n)), ...[...commands.keys()].filter((n) => !ORDER.includes(n))];
  return [
    'usage:',
    names.map((n) => commands.get(n)!.usage).join('\n\n'),
    '',
    '  camsim COMMAND --help   describes one command',
    '  camsim --version        prints the version',
    '',
    EXIT_STATUS,
  ].join('\n');
}

function load(name: string): { command: Command; usage: string } | undefined {
  if (!commands.has(name) && Object.prototype.hasOwnProperty.call(LAZY, name)) LAZY[name]();
  return commands.get(name);
}

const isHelp = (a: string): boolean => a === '--help' || a === '-h';

export async function main(argv: string[], io: Output = stdio): Promise<number> {
  const [name, ...rest] = argv;
  // Where an error sends the reader: the command's own help, or the list of commands.
  let see = 'camsim --help';
  try {
    if (name === '--version' || name === '-V') {
      io.out(camsimVersion());
      return 0;
    }
    if (!name || name === 'help' || isHelp(name)) {
      const about = name === 'help' && rest[0] ? load(rest[0]) : undefined;
      if (name === 'help' && rest[0] && !about) throw new UsageError(`unknown command '${rest[0]}'`);
      io.out(about ? `usage:\n${about.usage}\n\n${EXIT_STATUS}` : usageOfAll());
      return name ? 0 : 2;
    }
    const entry = load(name);
    if (!entry) throw new UsageError(`unknown command '${name}'`);
    see = `camsim ${name} --help`;
    if (rest.some(isHelp)) {
      io.out(`usage:\n${entry.usage}\n\n${EXIT_STATUS}`);
      return 0;
    }
    return await entry.command(rest, io);
  } catch (e) {
    if (e instanceof OutputError) return reportOutputError(e, io);
    if (e instanceof FileError) {
      io.err(e.message);
      return 2;
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`camsim: ${(e as Error).message}`);
      // A located error (--schedule:1:5: ...) says all there is to say.
      if (!(e instanceof UsageError) || !/^[^:]+:\d+:\d+:/.test((e as Error).message)) io.err(`see '${see}'`);
      return 2;
    }
    throw e;
  }
}
