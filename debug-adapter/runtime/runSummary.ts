// What a run came to, in the words and with the verdicts of `camsim run`: the
// result line (the panic, or no panic), each expectation held or FAILED, and the
// exit status the CLI would give (0: every expectation held, 1: one failed).
// The debugger prints it at the end of a run and when a session ends there.

import type { Machine } from '../../core/kernel/state';
import type { Scenario } from '../../core/scenario/ast';
import type { RunResult } from '../../core/engine/run/run';
import { deadlockOutcome, status } from '../../core/engine/run/machine';
import { SliceRuns } from '../../core/engine/run/schedulers';
import { checkExpectations, type ExpectationResult } from '../../core/engine/expr/expectations';
import { formatExpectation, formatOutcome } from '../../core/cli/format';
import { plural } from './format';

export interface RunSummary {
  /** `result: panic in process B, ...` or `result: no panic`. */
  result: string;
  expectations: ExpectationResult[];
  ok: boolean;
  exitCode: 0 | 1;
  /** The result, then one line per expectation (as `camsim run` prints them). */
  lines: string[];
}

/**
 * The summary of a run that stopped in `m` after `steps` steps; `cutShort` when it
 * stopped at its step limit rather than at an end.
 */
export function summarize(scenario: Scenario, text: string, m: Machine, steps: number, cutShort: boolean): RunSummary {
  const st = cutShort && !m.outcome ? 'running' : status(m);
  const outcome = st === 'deadlock' ? deadlockOutcome(m) : m.outcome;
  const run: RunResult = { final: m, steps: [], slices: [], sliceRuns: new SliceRuns(), stepCount: steps, status: st, outcome, notes: [], truncated: st === 'running' };
  const expectations = checkExpectations(scenario, text, run);
  const ok = expectations.every((e) => e.held);
  const result = outcome
    ? `result: ${formatOutcome(outcome, m.config)}`
    : st === 'running'
      ? `result: no panic in ${plural(steps, 'step')} (the run stopped at its step limit, maxSteps)`
      : 'result: no panic';
  const verdicts = expectations.length === 0 ? ['  (the scenario has no expect lines)'] : expectations.map(formatExpectation);
  return { result, expectations, ok, exitCode: ok ? 0 : 1, lines: [result, ...verdicts] };
}
