// The objects `camsim check --json` and `camsim run --json` print, built from the
// engine's reports field by field so that they are exactly the types declared in
// core/protocol/cliJson.ts (which the extension reads).

import { CLI_JSON_SCHEMA_VERSION, type CheckJson, type CliErrorJson, type CliErrorLocationJson, type LintDiagnosticJson, type CounterexampleJson, type OutcomeJson, type RunJson } from '../protocol/cliJson';
import type { Counterexample, ExploreReport } from '../engine/explore/explore';
import type { CheckSummary } from '../engine/explore/summary';
import type { LoadedScenario } from '../engine/scenarioRun';
import type { RunResult } from '../engine/run/run';
import type { ExpectationResult } from '../engine/expr/expectations';
import type { Outcome } from '../kernel/state';
import { stepFields, type TraceStep } from '../engine/run/traceStep';
import type { Diagnostic } from '../scenario/ast';

function outcomeJson(o: Outcome): OutcomeJson {
  const out: OutcomeJson = { kind: o.kind, pid: o.pid, fn: o.fn, message: o.message };
  if (o.file !== undefined) out.file = o.file;
  if (o.line !== undefined) out.line = o.line;
  return out;
}

function counterexampleJson(c: Counterexample): CounterexampleJson {
  return {
    pids: c.pids,
    schedule: c.schedule,
    slices: c.slices,
    end: c.end,
    message: c.message,
    outcome: c.outcome ? outcomeJson(c.outcome) : null,
    shortest: c.shortest,
  };
}

/** Sets `key` on `o` only when `v` is defined (JSON has no undefined). */
function maybe<T extends object, K extends keyof T>(o: T, key: K, v: T[K] | undefined): void {
  if (v !== undefined) o[key] = v;
}

export function checkJson(file: string, loaded: LoadedScenario, r: ExploreReport, summary: CheckSummary): CheckJson {
  const json: CheckJson = {
    schemaVersion: CLI_JSON_SCHEMA_VERSION,
    command: 'check',
    file,
    title: loaded.scenario.title?.text ?? null,
    processes: loaded.config!.processes.map((p) => p.name),
    exit: summary.exit,
    verdict: summary.verdict,
    headline: summary.headline,
    ok: r.ok ?? null,
    complete: r.complete,
    stop: r.stop,
    states: r.states,
    transitions: r.transitions,
    slices: r.slices,
    steps: r.steps,
    endStates: r.endStates,
    finished: r.finished,
    depth: r.depth,
    ms: r.ms,
    restarts: r.restarts,
    reductions: r.reductions,
    bounds: { maxStates: r.bounds.maxStates },
    outcomes: r.outcomes.map((o) => {
      const out: CheckJson['outcomes'][number] = { kind: o.kind, reachable: o.reachable ?? null };
      maybe(out, 'message', o.message);
      if (o.outcome) out.outcome = outcomeJson(o.outcome);
      if (o.counterexample) out.counterexample = counterexampleJson(o.counterexample);
      maybe(out, 'messages', o.messages);
      return out;
    }),
    expectations: r.expectations.map((e) => {
      const out: CheckJson['expectations'][number] = { text: e.text, what: e.what, line: e.line, verdict: e.verdict, detail: e.detail };
      if (e.counterexample) out.counterexample = counterexampleJson(e.counterexample);
      return out;
    }),
  };
  maybe(json, 'interleavings', r.interleavings);
  maybe(json.bounds, 'maxDepth', r.bounds.maxDepth);
  maybe(json.bounds, 'preemptionBound', r.bounds.preemptionBound);
  maybe(json.bounds, 'timeoutMs', r.bounds.timeoutMs);
  maybe(json, 'coverage', r.coverage);
  return json;
}

export function runJson(file: string, loaded: LoadedScenario, run: RunResult, expectations: readonly ExpectationResult[], ok: boolean, result: string, schedule: string): RunJson {
  const config = loaded.config!;
  const names = config.processes.map((p) => p.name);
  return {
    schemaVersion: CLI_JSON_SCHEMA_VERSION,
    command: 'run',
    file,
    title: loaded.scenario.title?.text ?? null,
    status: run.status,
    outcome: run.outcome ? { ...outcomeJson(run.outcome), process: names[run.outcome.pid] } : null,
    result,
    schedule,
    steps: run.steps.map(runJsonStep),
    final: Object.fromEntries(run.final.devs.map((d, i) => [config.devices[i].name, { ...d }])),
    expectations: expectations.map((e) => ({ text: e.text, held: e.held, detail: e.detail })),
    notes: run.notes,
    ok,
  };
}

/** One step of `run --json` (also written alone, as a streamed run writes its steps). */
export function runJsonStep(s: TraceStep): RunJson['steps'][number] {
  const step: RunJson['steps'][number] = stepFields(s);
  if (s.outcome) step.outcome = outcomeJson(s.outcome);
  return step;
}

/** A diagnostic, 1-based as `file:line:col` prints it. */
export function lintDiagnosticJson(d: Diagnostic): LintDiagnosticJson {
  return {
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: d.severity,
    code: String(d.code),
    message: d.message,
  };
}

/** What `run --json` and `check --json` print for a scenario that cannot run. */
export function invalidInputJson(command: 'run' | 'check', file: string, errors: readonly Diagnostic[]): CliErrorJson {
  const located = errors.map((d): CliErrorLocationJson => ({ file, line: d.range.start.line + 1, column: d.range.start.character + 1, message: d.message }));
  return { schemaVersion: CLI_JSON_SCHEMA_VERSION, command, file, exit: 2, error: located[0], errors: located };
}
