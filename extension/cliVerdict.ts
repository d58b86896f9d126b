// Reads what the CLI's `run` and `check` reported: the exit code decides the verdict
// (0 expectations hold, 1 one failed, 2 invalid scenario, as the CLI documents), the
// last line of output is its summary, and a `schedule ...` line is a counterexample
// that replays in the debugger. No editor imports: unit-tested directly.

export type Verdict = 'holds' | 'failed' | 'invalid' | 'crashed' | 'cancelled';

export interface CliOutcome {
  verdict: Verdict;
  /** The CLI's own last line, e.g. its verdict sentence. */
  summary: string;
  /** A `schedule` line printed by the CLI, when it found a counterexample. */
  schedule?: string;
}

export function verdictOf(code: number | null, cancelled: boolean): Verdict {
  if (cancelled) return 'cancelled';
  if (code === 0) return 'holds';
  if (code === 1) return 'failed';
  if (code === 2) return 'invalid';
  return 'crashed';
}

export function readCliOutcome(code: number | null, cancelled: boolean, stdout: string, stderr = ''): CliOutcome {
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const errLines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const schedules = lines.filter((l) => /^schedule\s+\S/.test(l));
  const verdict = verdictOf(code, cancelled);
  // On a failure to run at all (bad arguments, a crash) the reason is on stderr.
  const preferErr = verdict === 'invalid' || verdict === 'crashed';
  const summary =
    verdict === 'cancelled'
      ? 'cancelled'
      : ((preferErr ? errLines[0] : undefined) ??
        lines[lines.length - 1] ??
        errLines[errLines.length - 1] ??
        `exited with code ${code ?? 'none'}`);
  return { verdict, summary, schedule: schedules[schedules.length - 1] };
}
