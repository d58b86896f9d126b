// What one `camsim check --json` says about each `expect` line of the file: the
// Testing view's verdict per item. Expectations are matched by line (the JSON
// numbers them as the file does). No editor imports: unit-tested directly.

import type { CheckExpectationJson } from '../../core/protocol';
import type { CheckOutcome } from '../cliVerdict';
import { readCliProblems } from '../cliProblems';
import type { ExpectLine } from './expectLines';

export interface ExpectResult {
  /** passed: held; failed: broken; errored: not decided, or the check could not decide anything. */
  state: 'passed' | 'failed' | 'errored';
  /** Why, in words (not for passed). */
  message?: string;
  /** Where the message points: 0-based line and column in the scenario. */
  line: number;
  column: number;
  /** The `schedule` line of the interleaving that decided it, for Debug. */
  schedule?: string;
}

function fromExpectation(e: CheckExpectationJson, at: ExpectLine): ExpectResult {
  const where = { line: at.line, column: at.start };
  const schedule = e.counterexample?.schedule;
  const withSchedule = (r: ExpectResult): ExpectResult => (schedule ? { ...r, schedule } : r);
  switch (e.verdict) {
    case 'held':
      return withSchedule({ state: 'passed', ...where });
    case 'failed':
      return withSchedule({
        state: 'failed',
        message: `${e.text} failed: ${e.detail}${schedule ? `\ncounterexample: ${schedule}` : ''}`,
        ...where,
      });
    default:
      return { state: 'errored', message: `${e.text} was not decided: ${e.detail}`, ...where };
  }
}

/**
 * One result per expect line (same order). A check that did not get to decide
 * anything (invalid scenario, crash, cancelled) gives every line its reason, at
 * the first error's place when the CLI named one.
 */
export function expectResults(outcome: CheckOutcome, lines: ExpectLine[], stderr = ''): ExpectResult[] {
  const report = outcome.report;
  if (!report) {
    const [first] = readCliProblems(stderr);
    const message = first ? `the scenario cannot be checked: ${first.message}` : `the check did not finish: ${outcome.summary}`;
    return lines.map((at) => ({
      state: 'errored',
      message,
      line: first ? first.line - 1 : at.line,
      column: first ? first.column - 1 : at.start,
    }));
  }
  const byLine = new Map(report.expectations.map((e) => [e.line, e]));
  return lines.map((at) => {
    const e = byLine.get(at.line);
    if (e) return fromExpectation(e, at);
    return { state: 'errored', message: `the check reported nothing for line ${at.line + 1}: save the file and run again`, line: at.line, column: at.start };
  });
}
