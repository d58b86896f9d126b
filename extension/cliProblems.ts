// The CLI's `file:line:col: severity: message [code]` lines (lint, and check/run on
// invalid input): the pattern of the `$camsim` problem matcher (package.json
// declares the same regexp; a unit test holds them equal) and a reader for them.
// No editor imports.

/** file, line, column (1-based), severity, message, code. */
export const CLI_PROBLEM_REGEXP = '^(.+?):(\\d+):(\\d+):\\s+(error|warning|info|hint):\\s+(.*?)(?:\\s+\\[([\\w-]+)\\])?$';

export interface CliProblem {
  file: string;
  /** 1-based, as printed. */
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  code?: string;
}

export function readCliProblems(output: string): CliProblem[] {
  const re = new RegExp(CLI_PROBLEM_REGEXP);
  const out: CliProblem[] = [];
  for (const text of output.split(/\r?\n/)) {
    const m = re.exec(text);
    if (!m) continue;
    const p: CliProblem = { file: m[1], line: Number(m[2]), column: Number(m[3]), severity: m[4] as CliProblem['severity'], message: m[5] };
    if (m[6]) p.code = m[6];
    out.push(p);
  }
  return out;
}

/** A line in the same form, for what the CLI reports without one (a failed expectation). */
export function cliProblemLine(p: CliProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}${p.code ? ` [${p.code}]` : ''}`;
}
