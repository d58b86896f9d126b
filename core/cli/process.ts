// Entry point of dist/cli.js: the camsim CLI (core/cli) in one file. It is the
// `camsim` command (bin/camsim.js: one file loads faster than the modules of
// out/, bench/RESULTS.md "check start-up"), and the Run and Check commands run it
// in a child process, so that a long check never blocks the editor and can be
// cancelled.
import { tuneForShortRuns } from './startup';

tuneForShortRuns();


/**
 * Ends the process as soon as the command is done when nothing is left to write
 * (output to files, terminals and, on Linux, pipes is written synchronously):
 * waiting for the event loop to wind down costs 10-15 ms of every run. Output
 * still queued (a pipe on macOS or Windows) is let drain first.
 */
function finish(code: number): void {
  process.exitCode = code;
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
}

// Loaded after the tuning, which applies to the code that runs from then on.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('./main') as typeof import('./main');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { guardOutputStreams } = require('./io') as typeof import('./io');

// An output that cannot be written is one line and exit status 2; a reader that
// stops early (`camsim run ... | head`) closes the pipe: stop quietly.
guardOutputStreams(() => Number(process.exitCode ?? 0));

main(process.argv.slice(2)).then(finish, (err: unknown) => {
  process.stderr.write(`camsim: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  finish(2);
});
