// Start-up tuning of the camsim command (bin/camsim.js and the bundled dist/cli.js).

import { setFlagsFromString } from 'node:v8';

/**
 * A typical `camsim check` or `camsim run` is over within a few tens of
 * milliseconds, while V8 sends a function to its optimising compiler after
 * running about 66 KB of its bytecode. In so short a run, most of those compile
 * jobs finish too late to pay off, some are thrown away when the explorer's
 * tracked machines and the replay's plain ones meet the same code, and on a
 * two-core machine they take CPU from the search; exit then waits for the jobs
 * still running. Four times the budget takes 10-15 ms off a check of a
 * before-fix sample, and a search of seconds runs as fast as before
 * (bench/RESULTS.md, "camsim check start to exit"). Must run before the CLI's
 * modules load.
 */
export function tuneForShortRuns(): void {
  setFlagsFromString('--interrupt-budget=270336');
}
