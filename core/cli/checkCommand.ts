// `camsim check FILE`: every interleaving of the scenario's processes, a verdict
// for each expectation, and for what fails the shortest interleaving that shows
// it, printed as a schedule line and as `camsim run`'s step list.

import { parseArgs } from 'node:util';
import { loadScenario } from '../engine/scenarioRun';
import { exploreAsync, type Counterexample, type ExploreProgress, type ExploreReport, type ExpectationReport } from '../engine/explore/explore';
import { lineRanges, type CoverageReport } from '../engine/explore/coverage';
import { MAX_SLICE_STEPS } from '../engine/explore/movers';
import { formatMemory, parseMemory } from '../engine/explore/memory';
import { summarize, type CheckSummary } from '../engine/explore/summary';
import { runMachine } from '../engine/run/run';
import type { MachineConfig } from '../kernel/state';
import { formatDiagnostic, readText, UsageError, type Output } from './io';
import { formatFinalState, formatOutcome, formatStep } from './format';
import { checkJson, invalidInputJson } from './jsonOutput';
import type { CliCommand } from './command';

const USAGE = `  camsim check FILE [--max-states N] [--max-memory SIZE] [--max-depth N] [--preemption-bound N] [--timeout SECONDS]
                    [--no-por] [--no-symmetry] [--exhaustive] [--coverage] [--quiet] [--json]

  check  explores every interleaving of the processes at their scheduling points (lock operations
         and sleeps): 'expect panic' / 'expect deadlock' hold when some interleaving ends that way,
         every other expectation must hold on every interleaving. Prints the verdicts and, for a
         failure (or the panic 'expect panic' asks for), the shortest interleaving that shows it,
         as a schedule line that 'camsim run --schedule' and the debugger replay exactly.
         Stops once every expectation is decided (--exhaustive: explore everything anyway).
         --max-states, --max-memory (what the search holds, e.g. 2G or 500M; by default half of
         the heap node may use), --max-depth (slices), --preemption-bound (context switches away
         from a process that could go on) and --timeout bound the search: a search that hits one
         says so.
         --no-por / --no-symmetry turn the partial-order / process-symmetry reductions off.
         --coverage lists the kernel model lines the search reached and those it never did.
         Ctrl-C (or SIGTERM) stops the search and prints what it covered.
         exit status 3: the search stopped at a bound before every expectation was decided`;

export interface CheckArgs {
  file: string;
  maxStates?: number;
  /** Bytes. */
  maxMemory?: number;
  maxDepth?: number;
  preemptionBound?: number;
  timeoutMs?: number;
  por: boolean;
  symmetry: boolean;
  exhaustive: boolean;
  coverage: boolean;
  quiet: boolean;
  json: boolean;
}

function count(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`--${name} needs a whole number of at least ${min}, not '${v}'`);
  return Number(v);
}

/** `--max-memory 2G`, `500M`, `1.5GB`, in bytes. */
function memory(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const bytes = parseMemory(v);
  if (bytes === undefined) throw new UsageError(`--max-memory needs a size such as 2G, 500M or 64M, not '${v}'`);
  return bytes;
}

/** `--timeout 10`, `10s`, `1.5s` or `500ms`, in milliseconds. */
function duration(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(v);
  if (!m || Number(m[1]) <= 0) throw new UsageError(`--timeout needs a duration such as 10 (seconds), 2.5s or 500ms, not '${v}'`);
  return m[2] === 'ms' ? Number(m[1]) : Number(m[1]) * 1000;
}

export function parseCheckArgs(argv: string[]): CheckArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'max-states': { type: 'string' },
      'max-memory': { type: 'string' },
      'max-depth': { type: 'string' },
      'preemption-bound': { type: 'string' },
      timeout: { type: 'string' },
      'no-por': { type: 'boolean', default: false },
      'no-symmetry': { type: 'boolean', default: false },
      exhaustive: { type: 'boolean', default: false },
      coverage: { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('check takes one scenario file');
  return {
    file: positionals[0],
    maxStates: count('max-states', values['max-states'], 1),
    maxMemory: memory(values['max-memory']),
    maxDepth: count('max-depth', values['max-depth'], 0),
    preemptionBound: count('preemption-bound', values['preemption-bound'], 0),
    timeoutMs: duration(values.timeout),
    por: !values['no-por'],
    symmetry: !values['no-symmetry'],
    exhaustive: values.exhaustive ?? false,
    coverage: values.coverage ?? false,
    quiet: values.quiet ?? false,
    json: values.json ?? false,
  };
}

/** 1,234,567 (toLocaleString would load the locale data: slow for a command that should start fast). */
function n(x: number): string {
  const s = String(Math.round(x));
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Why an incomplete search stopped, in words. */
function stopWords(r: ExploreReport, a: CheckArgs): string {
  switch (r.stop) {
    case 'max-states':
      return `stopped at ${a.maxStates === undefined ? 'the default ' : ''}--max-states ${n(r.bounds.maxStates)}`;
    case 'max-depth':
      return `interleavings longer than --max-depth ${r.bounds.maxDepth} slices were cut`;
    case 'preemption-bound':
      return `interleavings with more than --preemption-bound ${r.bounds.preemptionBound} preemptions were cut`;
    case 'timeout':
      return `stopped at --timeout ${seconds(a.timeoutMs ?? 0)}`;
    case 'cancelled':
      return 'interrupted';
    case 'max-memory':
      return `stopped at ${a.maxMemory === undefined ? 'the default ' : ''}--max-memory ${formatMemory(r.bounds.maxBytes)}: the search holds that much`;
    case 'long-slice':
      return `a process ran ${n(MAX_SLICE_STEPS)} kernel steps without taking or dropping a lock`;
    default:
      return r.stop;
  }
}

function coveredLine(r: ExploreReport, a: CheckArgs): string {
  const what = `${plural(r.states, 'state')}, ${plural(r.transitions, 'transition')}, ${plural(r.endStates, 'end state')}, longest interleaving ${plural(r.depth, 'slice')}`;
  const red = [r.reductions.por ? 'partial-order' : '', r.reductions.symmetry && r.reductions.interchangeable.length ? 'symmetry' : ''].filter(Boolean);
  const how = red.length ? `; reductions: ${red.join(', ')}` : '; no reductions';
  if (r.complete) {
    const count = (x: number) => (x < 1e15 ? n(x) : Number.isFinite(x) ? x.toExponential(2) : 'more than 1e308');
    const il = r.interleavings !== undefined ? `, ${count(r.interleavings)} ${r.interleavings === 1 ? 'interleaving' : 'interleavings'}` : '';
    return `checked: every interleaving: ${what}${il} in ${seconds(r.ms)}${how}`;
  }
  if (r.stop === 'decided') return `checked: ${what} in ${seconds(r.ms)}${how}; stopped once every expectation was decided`;
  return `checked: INCOMPLETE (${stopWords(r, a)}): ${what} in ${seconds(r.ms)}${how}`;
}

/** The result line, as `camsim run` prints it, but about every interleaving. */
function resultLine(r: ExploreReport, config: MachineConfig): string {
  const found = r.outcomes.filter((o) => o.reachable);
  if (found.length) {
    return found
      .map((o) => {
        const text = o.outcome ? formatOutcome(o.outcome, config) : (o.message ?? o.kind);
        return `${o.kind === 'panic' ? 'panic' : o.kind === 'deadlock' ? 'deadlock' : 'use after free'} reachable: ${text}`;
      })
      .join('\n        ');
  }
  if (r.complete) return `no panic, no deadlock, no use after free in any interleaving (${plural(r.states, 'state')}, ${plural(r.finished, 'normal end')})`;
  return `no panic found in the ${plural(r.states, 'state')} explored (the search is incomplete: this is not a proof)`;
}

function expectationLine(e: ExpectationReport): string {
  const word = e.verdict === 'held' ? 'held' : e.verdict === 'failed' ? 'FAILED' : 'not decided';
  const cx = e.counterexample && e.verdict === 'failed' ? `; ${e.counterexample.schedule}` : '';
  return `  ${e.text}: ${word} (${e.detail}${cx})`;
}

function coverageLines(c: CoverageReport): string[] {
  const out = [`coverage: ${n(c.reached)} of ${n(c.lines)} kernel model lines reached`];
  for (const f of c.files) {
    const byFn = new Map<string, number[]>();
    for (const l of f.never) byFn.set(l.fn, [...(byFn.get(l.fn) ?? []), l.line]);
    const never = [...byFn].map(([fn, lines]) => `${fn} ${lineRanges(lines)}`).join('; ');
    out.push(`  ${f.file}: ${f.reached} of ${f.lines}${never ? `; never: ${never}` : ''}`);
  }
  return out;
}

/** The counterexamples worth showing: what broke an expectation, what `expect panic` asked for, else every bad end. */
function shown(r: ExploreReport): Counterexample[] {
  const out = new Map<string, Counterexample>();
  for (const e of r.expectations) if (e.counterexample) out.set(e.counterexample.schedule, e.counterexample);
  if (r.expectations.length === 0) for (const o of r.outcomes) if (o.counterexample) out.set(o.counterexample.schedule, o.counterexample);
  return [...out.values()];
}

export interface CheckHooks {
  signal?: AbortSignal;
  progress?: (line: string | undefined) => void;
  /** Receives the summary of a search that ran (not of invalid input). */
  summary?: (s: CheckSummary) => void;
}

export async function checkCommand(a: CheckArgs, io: Output, hooks: CheckHooks = {}): Promise<number> {
  return checkText(a, readText(a.file), io, hooks);
}

/** `camsim check` of a text already read (`a.file` names it in what is printed). */
export async function checkText(a: CheckArgs, text: string, io: Output, hooks: CheckHooks = {}): Promise<number> {
  const loaded = loadScenario(text);
  if (!loaded.config) {
    const errors = loaded.diagnostics.filter((x) => x.severity === 'error');
    // --json: the errors as JSON on standard output too; standard error says them to a person either way.
    if (a.json) io.out(JSON.stringify(invalidInputJson('check', a.file, errors)));
    for (const d of errors) io.err(formatDiagnostic(a.file, d));
    return 2;
  }
  const config = loaded.config;
  const started = performance.now();
  const report = await exploreAsync(config, loaded.scenario, text, {
    por: a.por,
    symmetry: a.symmetry,
    maxStates: a.maxStates,
    maxBytes: a.maxMemory,
    maxDepth: a.maxDepth,
    preemptionBound: a.preemptionBound,
    timeoutMs: a.timeoutMs,
    coverage: a.coverage,
    stopWhenDecided: !a.exhaustive,
    signal: hooks.signal,
    progressEveryMs: 250,
    onProgress: hooks.progress
      ? (p: ExploreProgress) => {
          if (performance.now() - started < 1000) return;
          const rate = p.ms > 0 ? Math.round((p.states * 1000) / p.ms) : 0;
          hooks.progress!(`${p.phase === 'shorten' ? 'shortening' : 'searching'}: ${n(p.states)} states (${n(rate)}/s), depth ${n(p.depth)}, ${seconds(p.ms)}`);
        }
      : undefined,
  });
  hooks.progress?.(undefined);
  const examples = shown(report);
  const summary = summarize(report);
  hooks.summary?.(summary);
  const status = summary.exit;
  if (a.json) {
    io.out(JSON.stringify(checkJson(a.file, loaded, report, summary)));
    return status;
  }
  const title = loaded.scenario.title?.text;
  io.out(`${a.file}${title ? `: ${title}` : ''}`);
  io.out(coveredLine(report, a));
  io.out(`result: ${resultLine(report, config)}`);
  for (const c of examples) {
    const why = c.end === 'finished' ? `ends normally: ${c.message}` : c.message;
    io.out(`counterexample (${plural(c.slices, 'slice')}${c.shortest ? ', shortest' : ''}): ${c.schedule}`);
    io.out(`  ${why}`);
    if (!a.quiet) {
      // The explorer replayed the counterexample to check it; this replay, exactly as
      // `camsim run --schedule` does it, records the steps to print.
      const run = runMachine(config, { schedule: c.pids });
      for (const s of run.steps) io.out(formatStep(s, a.file));
      for (const line of formatFinalState(run.final)) io.out(line);
    }
    io.out(`replay: camsim run ${a.file} --schedule "${c.schedule.replace(/^schedule /, '')}"`);
  }
  for (const e of report.expectations) io.out(expectationLine(e));
  if (report.coverage) for (const line of coverageLines(report.coverage)) io.out(line);
  return status;
}

async function check(argv: string[], io: Output): Promise<number> {
  const args = parseCheckArgs(argv);
  const controller = new AbortController();
  const onInt = () => controller.abort();
  // SIGTERM (what a parent that cancels sends by default) ends the search as Ctrl-C does: with the partial report.
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onInt);
  const tty = process.stderr.isTTY === true && !args.json;
  let shownProgress = false;
  try {
    return await checkCommand(args, io, {
      signal: controller.signal,
      progress: tty
        ? (line) => {
            if (line === undefined) {
              if (shownProgress) process.stderr.write('\r\x1b[K');
              return;
            }
            shownProgress = true;
            process.stderr.write(`\r\x1b[K${line}`);
          }
        : undefined,
    });
  } finally {
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onInt);
  }
}

export const checkCli: CliCommand = { usage: USAGE, run: check };
