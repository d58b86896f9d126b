// `camsim run FILE [--seed N] [--schedule "A B A"] [--max-steps N] [--json] [--quiet] [--trace OUT.json]`

import { loadScenario, runScenario, scenarioSchedule } from '../engine/scenarioRun';
import { parseScheduleLine } from '../engine/scheduleLine';
import { formatSchedule } from '../engine/schedulers';
import { readText, formatDiagnostic, UsageError, type Output } from './io';
import { formatExpectation, formatFinalState, formatOutcome, formatStep } from './format';
import { runJson } from './jsonOutput';
import type { RunOptions } from '../engine/run';

export interface RunArgs {
  file: string;
  seed?: number;
  schedule?: string;
  maxSteps?: number;
  json: boolean;
  quiet: boolean;
  /** Write the run as a trace file here (docs/trace-format.md). */
  trace?: string;
}

export function runCommand(a: RunArgs, io: Output): number {
  if (a.trace === '' || a.trace === '-') throw new UsageError('--trace needs a file name to write the trace to');
  const text = readText(a.file);
  const loaded = loadScenario(text);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.config) {
    for (const d of errors) io.err(formatDiagnostic(a.file, d));
    return 2;
  }
  const names = loaded.config.processes.map((p) => p.name);
  const opts: RunOptions = { maxSteps: a.maxSteps };
  if (a.seed !== undefined) opts.policy = { kind: 'random', seed: a.seed };
  if (a.schedule !== undefined) {
    const p = parseScheduleLine(a.schedule, names);
    if (!p.ok) throw new UsageError(`--schedule:1:${p.column + 1}: ${p.message}`);
    opts.schedule = p.pids;
  }
  const { run, expectations, ok } = runScenario(loaded, opts);
  const result = run.outcome
    ? formatOutcome(run.outcome, loaded.config)
    : run.truncated
      ? `no panic in ${run.steps.length} steps (cut short at --max-steps)`
      : 'no panic';
  const scheduleLine = formatSchedule(run.slices, names);
  if (a.trace !== undefined) {
    const own = scenarioSchedule(loaded.scenario, loaded.config);
    const requested = a.schedule ?? (own ? formatSchedule(own, names) : null);
    // Loaded only for --trace: every other run starts faster without the trace-file modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { writeRunTrace } = require('./traceOutput') as typeof import('./traceOutput');
    writeRunTrace(a.trace, { file: a.file, loaded, run, policy: opts.policy ?? { kind: 'roundRobin' }, requested, maxSteps: a.maxSteps }, io);
  }
  if (a.json) {
    io.out(JSON.stringify(runJson(a.file, loaded, run, expectations, ok, result, scheduleLine)));
    return ok ? 0 : 1;
  }
  const title = loaded.scenario.title?.text;
  io.out(`${a.file}${title ? `: ${title}` : ''}`);
  if (!a.quiet) for (const s of run.steps) io.out(formatStep(s, a.file));
  for (const n of run.notes) io.out(`note: ${n}`);
  for (const line of formatFinalState(run.final)) io.out(line);
  io.out(`replay: ${scheduleLine}`);
  if (a.trace !== undefined && a.trace !== '-') io.out(`trace: ${a.trace} (${run.steps.length} steps)`);
  io.out(`result: ${result}`);
  for (const e of expectations) io.out(formatExpectation(e));
  return ok ? 0 : 1;
}
