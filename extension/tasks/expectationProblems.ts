// What `camsim check --json` found wrong, as the CLI's own `file:line:col:` lines
// (the text report names no places): a failed expectation is an error at its
// `expect` line, an undecided one a warning. The check task prints them for the
// `$camsim` problem matcher. No editor imports.

import type { CheckJson } from '../../core/protocol';
import { cliProblemLine, type CliProblem } from '../cliProblems';
import { expectLines } from '../testing/expectLines';

/** `file` as the task names it; `text` the scenario, for the columns. */
export function expectationProblems(report: CheckJson, file: string, text: string): CliProblem[] {
  const columns = new Map(expectLines(text).map((l) => [l.line, l.start]));
  const out: CliProblem[] = [];
  for (const e of report.expectations) {
    if (e.verdict === 'held') continue;
    const failed = e.verdict === 'failed';
    const schedule = failed && e.counterexample ? `; counterexample: ${e.counterexample.schedule}` : '';
    out.push({
      file,
      line: e.line + 1,
      column: (columns.get(e.line) ?? 0) + 1,
      severity: failed ? 'error' : 'warning',
      message: `${e.text} ${failed ? 'failed' : 'was not decided'}: ${e.detail}${schedule}`,
      code: failed ? 'expectation-failed' : 'expectation-undecided',
    });
  }
  return out;
}

export const expectationProblemLines = (report: CheckJson, file: string, text: string): string[] =>
  expectationProblems(report, file, text).map(cliProblemLine);
