// The `camsim` command: run | check | lint | trace. Returns the exit code:
// 0 every expectation held, 1 one failed, 2 invalid input or output that cannot
// be written, 3 (check) a bound stopped the search before everything was decided.

import { camsimVersion } from '../version';
import { FileError, OutputError, reportOutputError, UsageError, stdio, type Output } from './io';
import { COMMANDS, findCommand } from './commands';

const EXIT_STATUS = `exit status: 0 every expectation held, 1 an expectation failed, 2 invalid input (or the output
could not be written: one line on standard error says why), 3 (check) a bound stopped the search`;

function usageOfAll(): string {
  return [
    'usage:',
    COMMANDS.map((c) => c.load().usage).join('\n\n'),
    '',
    '  camsim COMMAND --help   describes one command',
    '  camsim --version        prints the version',
    '',
    EXIT_STATUS,
  ].join('\n');
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
      const about = name === 'help' && rest[0] ? findCommand(rest[0]) : undefined;
      if (name === 'help' && rest[0] && !about) throw new UsageError(`unknown command '${rest[0]}'`);
      io.out(about ? `usage:\n${about.usage}\n\n${EXIT_STATUS}` : usageOfAll());
      return name ? 0 : 2;
    }
    const entry = findCommand(name);
    if (!entry) throw new UsageError(`unknown command '${name}'`);
    see = `camsim ${name} --help`;
    if (rest.some(isHelp)) {
      io.out(`usage:\n${entry.usage}\n\n${EXIT_STATUS}`);
      return 0;
    }
    return await entry.run(rest, io);
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
