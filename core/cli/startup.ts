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
 * before-fix sample on Node 20, and a search of seconds runs as fast as before
 * (bench/RESULTS.md, "camsim check start to exit"). Must run before the CLI's
 * modules load.
 *
 * The flag exists only in V8 11 (Node 20). Later V8s (Node 22 and 24) replaced it
 * with invocation counts and a mid tier (Maglev), and V8 prints "unrecognized
 * flag" to stderr for a flag it does not know, so there the tuning is left out.
 */
export function tuneForShortRuns(v8Version: string = process.versions.v8): void {
  const flag = startupFlagFor(v8Version);
  if (flag) setFlagsFromString(flag);
}

/** The tuning flag for a V8 version, or undefined where V8 does not know it. */
export function startupFlagFor(v8Version: string): string | undefined {
  const major = Number(v8Version.split('.')[0]);
  return major === 11 ? '--interrupt-budget=270336' : undefined;
}
