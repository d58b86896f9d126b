// `camsim run FILE [--seed N] [--schedule "A B A"] [--max-steps N] [--json] [--quiet] [--trace OUT.json]`
//
// Steps are written as they run, never kept: a run of ten million steps prints,
// writes its JSON document or its trace file in constant memory. The JSON document
// and the trace file start with what is known only at the end of the run (its
// result, its schedule), so for them the scenario is run twice: first without
// recording, for that head, then again, writing each step (the engine is
// deterministic, so the second run is the first one again).

import { parseArgs } from 'node:util';
import { loadScenario, runScenario, scenarioSchedule, type ScenarioRun } from '../engine/scenarioRun';
import { parseScheduleLine } from '../engine/run/scheduleLine';
import { formatSchedule } from '../engine/run/schedulers';
import type { TraceStep } from '../engine/run/traceStep';
import { readText, formatDiagnostic, rawWriter, UsageError, type Output } from './io';
import { formatExpectation, formatFinalState, formatOutcome, formatStep } from './format';
import { invalidInputJson, runJson, runJsonStep } from './jsonOutput';
import type { RunOptions } from '../engine/run/run';
import { intOption, type CliCommand } from './command';

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

/**
 * The steps of run --json, empty, as JSON.stringify writes them: only the key can
 * look like this (a string value escapes its quotes), and it comes before the
 * final state (the only object keyed by user names).
 */
const STEPS = ',"steps":[]';

export function runCommand(a: RunArgs, io: Output): number {
  if (a.trace === '' || a.trace === '-') throw new UsageError('--trace needs a file name to write the trace to');
  const text = readText(a.file);
  const loaded = loadScenario(text);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.config) {
    // --json: the errors as JSON on standard output too; standard error says them to a person either way.
    if (a.json) io.out(JSON.stringify(invalidInputJson('run', a.file, errors)));
    for (const d of errors) io.err(formatDiagnostic(a.file, d));
    return 2;
  }
  const config = loaded.config;
  const names = config.processes.map((p) => p.name);
  const opts: RunOptions = { maxSteps: a.maxSteps, keepSlices: false };
  if (a.seed !== undefined) opts.policy = { kind: 'random', seed: a.seed };
  if (a.schedule !== undefined) {
    const p = parseScheduleLine(a.schedule, names);
    if (!p.ok) throw new UsageError(`--schedule:1:${p.column + 1}: ${p.message}`);
    opts.schedule = p.pids;
  }
  const title = loaded.scenario.title?.text;
  const printSteps = !a.json && !a.quiet;
  const twice = a.json || a.trace !== undefined;
  // Where each step goes while the scenario runs (recorded only when some step goes somewhere).
  const sinks: ((s: TraceStep) => void)[] = [];
  let r: ScenarioRun;
  let finishTrace: (() => void) | undefined;
  let finishJson: (() => void) | undefined;
  if (twice) r = runScenario(loaded, { ...opts, record: false });
  const resultLine = (x: ScenarioRun): string =>
    x.run.outcome
      ? formatOutcome(x.run.outcome, config)
      : x.run.truncated
        ? `no panic in ${x.run.stepCount} steps (cut short at --max-steps)`
        : 'no panic';
  if (a.trace !== undefined) {
    const own = scenarioSchedule(loaded.scenario, config);
    const requested = a.schedule ?? (own ? formatSchedule(own, names) : null);
    // Loaded only for --trace: every other run starts faster without the trace-file modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { openOutput, traceStream } = require('./traceOutput') as typeof import('./traceOutput');
    const stream = traceStream({ file: a.file, loaded, run: r!.run, policy: opts.policy ?? { kind: 'roundRobin' }, requested, maxSteps: a.maxSteps }, openOutput(a.trace, io));
    sinks.push((s) => stream.step(s));
    finishTrace = () => stream.end();
  }
  if (a.json) {
    const out = rawWriter(io);
    // The document with no steps, written around the steps as they come.
    const doc = JSON.stringify(runJson(a.file, loaded, r!.run, r!.expectations, r!.ok, resultLine(r!), r!.run.sliceRuns.format(names)));
    const at = doc.indexOf(STEPS);
    if (at < 0) throw new Error('internal error: run --json has no steps list');
    out.write(doc.slice(0, at + STEPS.length - 1));
    let n = 0;
    sinks.push((s) => out.write((n++ === 0 ? '' : ',') + JSON.stringify(runJsonStep(s))));
    finishJson = () => {
      out.write(doc.slice(at + STEPS.length - 1) + '\n');
      out.end();
    };
  } else io.out(`${a.file}${title ? `: ${title}` : ''}`);
  let finishSteps: (() => void) | undefined;
  if (printSteps) {
    const out = rawWriter(io);
    sinks.push((s) => out.write(formatStep(s, a.file) + '\n'));
    finishSteps = () => out.end();
  }
  if (!twice || sinks.length > 0) {
    const onStep = sinks.length === 0 ? undefined : sinks.length === 1 ? sinks[0] : (s: TraceStep) => sinks.forEach((k) => k(s));
    const again = runScenario(loaded, { ...opts, record: onStep !== undefined, onStep });
    if (twice && again.run.stepCount !== r!.run.stepCount) throw new Error(`internal error: the run repeated ${again.run.stepCount} steps, not ${r!.run.stepCount}`);
    r = again;
  }
  finishSteps?.();
  finishTrace?.();
  if (finishJson) {
    finishJson();
    return r!.ok ? 0 : 1;
  }
  const { run, expectations, ok } = r!;
  for (const n of run.notes) io.out(`note: ${n}`);
  for (const line of formatFinalState(run.final)) io.out(line);
  io.out(`replay: ${run.sliceRuns.format(names)}`);
  if (a.trace !== undefined) io.out(`trace: ${a.trace} (${run.stepCount} steps)`);
  io.out(`result: ${resultLine(r!)}`);
  for (const e of expectations) io.out(formatExpectation(e));
  return ok ? 0 : 1;
}

const USAGE = `  camsim run FILE [--seed N] [--schedule "A B*3 A"] [--max-steps N] [--quiet] [--json] [--trace OUT.json]

  run    runs the scenario once (its own schedule, else round-robin; --seed N: seeded random)
         and prints every step, the result (the panic, or "no panic") and each expectation;
         --json prints one JSON document instead (docs/cli-json.schema.json);
         --trace OUT.json also writes the run as a trace file (docs/trace-format.md)`;

function run(argv: string[], io: Output): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      schedule: { type: 'string' },
      'max-steps': { type: 'string' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      trace: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('run takes one scenario file');
  return runCommand({
    file: positionals[0],
    seed: intOption('seed', values.seed),
    schedule: values.schedule,
    maxSteps: intOption('max-steps', values['max-steps']),
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    trace: values.trace,
  }, io);
}

export const runCli: CliCommand = { usage: USAGE, run };
