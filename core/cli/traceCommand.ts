// `camsim trace INPUT ...`: a recorded run (a `.camsim` scenario run now, or a
// trace file written by `run --trace`) exported for Perfetto / chrome://tracing,
// written as a trace file, asked "why" a counter has its value, or replayed.

import { parseArgs } from 'node:util';
import { checkChromeTrace } from '../engine/trace/chromeCheck';
import { chromeTrace } from '../engine/trace/chrome';
import type { RunOptions } from '../engine/run/run';
import { loadScenario, runScenario, scenarioSchedule } from '../engine/scenarioRun';
import { parseScheduleLine } from '../engine/run/scheduleLine';
import { formatSchedule } from '../engine/run/schedulers';
import { parseTraceFile, replayTraceFile, serializeTraceFile, type TraceFile } from '../engine/trace/file';
import { whyPath, whyWrites } from '../engine/trace/why';
import { formatBytes, MAX_SCENARIO_BYTES, MAX_TRACE_BYTES } from '../files';
import { FileError, formatDiagnostic, readText, UsageError, type Output } from './io';
import { intOption, type CliCommand } from './command';
import { openOutput, traceOf, traceStream, writeOutput, type RecordedRun } from './traceOutput';

const USAGE = `  camsim trace INPUT [--format chrome|camsim] [-o OUT.json] [--seed N] [--schedule "A B*3"] [--max-steps N]
  camsim trace INPUT --why PATH [--upto STEP]
  camsim trace TRACE.json --replay [--scenario FILE.camsim]

  trace  INPUT is a scenario (.camsim, run now like 'run') or a trace file (written by run --trace).
         --format chrome (default): Chrome Trace Event JSON for Perfetto and chrome://tracing;
         --format camsim: the trace file. Output goes to -o OUT.json, or standard output.
         --why PATH lists the steps that wrote PATH (e.g. pass0.refcount), newest first.
         --replay re-runs a trace file against the scenario (the embedded text, or --scenario FILE)
         and checks that every step matches; a changed scenario is refused (exit 1).`;

/**
 * The longest run of a scenario that `trace` records whole (a Chrome export and
 * --why need every step at once: about a kilobyte each). A trace file
 * (--format camsim) is written as the run goes, at any length.
 */
const MAX_WHOLE_TRACE_STEPS = 2_000_000;

/** A recorded trace, or a scenario and how to run it (run when its output is known). */
type Input = { trace: TraceFile } | { recipe: Omit<RecordedRun, 'run'> & { opts: RunOptions } };

function looksLikeTrace(file: string, text: string): boolean {
  return file.endsWith('.json') || text.trimStart().startsWith('{');
}

/** Reads INPUT as a trace file, or runs it as a scenario; returns null after printing why it cannot. */
function readInput(file: string, v: { seed?: string; schedule?: string; 'max-steps'?: string; replay?: boolean }, io: Output): Input | null {
  // A trace file may be far larger than a scenario.
  const text = readText(file, MAX_TRACE_BYTES);
  const isTrace = looksLikeTrace(file, text);
  if (v.replay && !isTrace) throw new UsageError('--replay takes a trace file (written by run --trace), not a scenario');
  if (isTrace) {
    for (const opt of ['seed', 'schedule', 'max-steps'] as const) {
      if (v[opt] !== undefined) throw new UsageError(`--${opt} applies to a scenario; ${file} is a recorded trace (its schedule is fixed)`);
    }
    const parsed = parseTraceFile(text);
    if (!parsed.ok) {
      io.err(`${file}: ${parsed.message}`);
      return null;
    }
    return { trace: parsed.trace };
  }
  if (Buffer.byteLength(text) > MAX_SCENARIO_BYTES) throw new FileError(`${file}: cannot read: it is more than the ${formatBytes(MAX_SCENARIO_BYTES)} camsim reads from a scenario`);
  const loaded = loadScenario(text);
  if (!loaded.config) {
    for (const d of loaded.diagnostics) if (d.severity === 'error') io.err(formatDiagnostic(file, d));
    return null;
  }
  const names = loaded.config.processes.map((p) => p.name);
  const seed = intOption('seed', v.seed);
  const maxSteps = intOption('max-steps', v['max-steps']);
  const opts: RunOptions = { maxSteps };
  if (seed !== undefined) opts.policy = { kind: 'random', seed };
  if (v.schedule !== undefined) {
    const p = parseScheduleLine(v.schedule, names);
    if (!p.ok) throw new UsageError(`--schedule:1:${p.column + 1}: ${p.message}`);
    opts.schedule = p.pids;
  }
  const own = scenarioSchedule(loaded.scenario, loaded.config);
  const requested = v.schedule ?? (own ? formatSchedule(own, names) : null);
  return { recipe: { file, loaded, opts, policy: opts.policy ?? { kind: 'roundRobin' }, requested, maxSteps } };
}

/** The trace of the input: read, or recorded now by running the scenario. */
function traceOfInput(input: Input, what: string): TraceFile {
  if ('trace' in input) return input.trace;
  const r = input.recipe;
  // Counted first, unrecorded: a run too long to hold is refused before it is recorded.
  const steps = runScenario(r.loaded, { ...r.opts, record: false, keepSlices: false }).run.stepCount;
  if (steps > MAX_WHOLE_TRACE_STEPS) {
    throw new FileError(
      `${r.file}: the run has ${steps} steps, more than the ${MAX_WHOLE_TRACE_STEPS} that ${what} holds in memory: ` +
        'limit it with --max-steps, or write a trace file with --format camsim (written as the run goes)',
    );
  }
  return traceOf({ ...r, run: runScenario(r.loaded, r.opts).run });
}

/**
 * Runs the scenario and writes its trace file to `out` as it runs (twice: once
 * for the head, once for the steps; see runCommand.ts), in constant memory.
 */
function streamScenarioTrace(recipe: Omit<RecordedRun, 'run'> & { opts: RunOptions }, out: string, io: Output): number {
  const head = runScenario(recipe.loaded, { ...recipe.opts, record: false, keepSlices: false }).run;
  const stream = traceStream({ ...recipe, run: head }, openOutput(out, io));
  const again = runScenario(recipe.loaded, { ...recipe.opts, keepSlices: false, onStep: (s) => stream.step(s) }).run;
  if (again.stepCount !== head.stepCount) throw new Error(`internal error: the run repeated ${again.stepCount} steps, not ${head.stepCount}`);
  stream.end();
  return head.stepCount;
}

function why(t: TraceFile, expression: string, upTo: number | undefined, io: Output): number {
  const { scenario } = loadScenario(t.scenario.text);
  const p = whyPath(expression, scenario);
  if (!p.ok) {
    io.err(`camsim: --why ${expression}: ${p.message}`);
    return 2;
  }
  const writes = whyWrites(t.steps, p.path, upTo);
  const range = upTo === undefined ? '' : ` up to step ${upTo}`;
  if (writes.length === 0) {
    const [dev, field] = p.path.split('.');
    const initial = t.initial.devices[dev]?.[field as keyof (typeof t.initial.devices)[string]];
    io.out(`${p.path}: no step wrote it${range}${initial === undefined ? '' : ` (it is ${String(initial)} from the start)`}`);
    return 0;
  }
  io.out(`${p.path}: ${writes.length} write${writes.length === 1 ? '' : 's'}${range}, newest first`);
  const w = (n: number) => (s: string) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
  for (const x of writes) {
    const where = x.file ? `${x.file}:${x.line}` : `${t.scenario.file ?? 'scenario'}:${x.line}`;
    io.out(`  step ${w(6)(String(x.step))} ${w(6)(x.process)} ${w(32)(x.fn || '(statement)')} ${w(22)(where)} ${String(x.old)} -> ${String(x.new)}    ${x.code}`);
  }
  return 0;
}

function replay(t: TraceFile, scenarioFile: string | undefined, io: Output): number {
  const text = scenarioFile === undefined ? t.scenario.text : readText(scenarioFile);
  const r = replayTraceFile(t, text);
  if (!r.ok) {
    io.err(`camsim: replay refused: ${r.message}`);
    return 1;
  }
  const o = r.run.outcome;
  const end = o ? `${o.kind}: ${o.message}` : r.run.truncated ? 'no panic, cut short as recorded' : 'no panic';
  io.out(`replay: ${r.run.steps.length} steps match the trace; ${end}`);
  return 0;
}

function trace(argv: string[], io: Output): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'chrome' },
      output: { type: 'string', short: 'o', default: '-' },
      seed: { type: 'string' },
      schedule: { type: 'string' },
      'max-steps': { type: 'string' },
      why: { type: 'string' },
      upto: { type: 'string' },
      replay: { type: 'boolean', default: false },
      scenario: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('trace takes one input: a .camsim scenario or a trace file');
  const format = values.format ?? 'chrome';
  if (format !== 'chrome' && format !== 'camsim') throw new UsageError(`--format must be chrome or camsim, not '${format}'`);
  if (values.scenario !== undefined && !values.replay) throw new UsageError('--scenario goes with --replay');
  if (values.upto !== undefined && values.why === undefined) throw new UsageError('--upto goes with --why');
  const input = readInput(positionals[0], values, io);
  if (!input) return 2;
  if (values.replay) return replay(traceOfInput(input, 'a replay'), values.scenario, io);
  if (values.why !== undefined) return why(traceOfInput(input, '--why'), values.why, intOption('upto', values.upto), io);
  const out = values.output ?? '-';
  if (format === 'camsim') {
    let steps: number;
    if ('recipe' in input) steps = streamScenarioTrace(input.recipe, out, io);
    else {
      writeOutput(out, serializeTraceFile(input.trace), io);
      steps = input.trace.steps.length;
    }
    if (out !== '-') io.out(`trace: ${out} (${steps} steps)`);
    return 0;
  }
  const chrome = chromeTrace(traceOfInput(input, 'a Chrome export'));
  const problems = checkChromeTrace(chrome);
  if (problems.length) throw new Error(`internal error: the Chrome trace is not valid: ${problems.slice(0, 3).join('; ')}`);
  writeOutput(out, JSON.stringify(chrome) + '\n', io);
  if (out !== '-') io.out(`chrome trace: ${out} (${chrome.traceEvents.length} events; open it in Perfetto or chrome://tracing)`);
  return 0;
}

export const traceCli: CliCommand = { usage: USAGE, run: trace };
