// The trace file: a recorded run in a lasting, versioned JSON form (see
// docs/trace-format.md). It carries the scenario text and its SHA-256, the
// kernel options, the schedule that was followed and every step, so that a run
// can be replayed exactly later, and refused when the scenario has changed.

import { createHash } from 'node:crypto';
import type { DevState, Outcome } from '../../kernel/state';
import { initialMachine, type Status } from '../run/machine';
import { runMachine, type RunResult } from '../run/run';
import { loadScenario, type LoadedScenario } from '../scenarioRun';
import type { Policy } from '../run/schedulers';
import { stepFields, type TraceStep } from '../run/traceStep';
import { validateTraceFile } from './fileShape';

export const TRACE_FORMAT = 'camsim-trace';
export const TRACE_VERSION = 1;

/** A step as the file stores it: the engine's TraceStep plus the errno its system call set. */
export interface TraceFileStep extends TraceStep {
  /** The process's errno after this step, present only on the step that changed it. */
  errno?: number;
}

export interface TraceFileDevice {
  name: string;
  driver: string;
  variant: string;
  /** Device options of the scenario (`io-error`). */
  options: string[];
}

export interface TraceFileOutcome extends Outcome {
  /** Name of the process `pid`. */
  process: string;
}

export interface TraceFile {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  /** What wrote the file, e.g. `camsim 0.1.0`. */
  generator: string;
  scenario: {
    /** The scenario file as it was named when recording, or null. */
    file: string | null;
    title: string | null;
    /** Lower-case hex SHA-256 of `text` (UTF-8). */
    sha256: string;
    text: string;
  };
  kernel: {
    invariants: boolean;
    devices: TraceFileDevice[];
  };
  /** Index = pid. */
  processes: { pid: number; name: string; kind: 'user' | 'taskq' }[];
  schedule: {
    /** One pid per slice (run to the next scheduling point), in the order they ran. */
    slices: number[];
    /** The same as a scenario `schedule` line. */
    line: string;
    /** What decided when no explicit schedule entry applied. */
    policy: Policy;
    /** The schedule that was asked for (`--schedule`, launch config, or the scenario's own line), or null. */
    requested: string | null;
    /** The step limit the run had, or null for the default. */
    maxSteps: number | null;
  };
  steps: TraceFileStep[];
  result: {
    status: Status;
    outcome: TraceFileOutcome | null;
    /** The run was cut short at maxSteps. */
    truncated: boolean;
  };
  /** Device state before the first step and after the last, by device name. */
  initial: { devices: Record<string, DevState> };
  final: { devices: Record<string, DevState> };
  notes: string[];
}

export interface TraceMeta {
  file?: string | null;
  policy?: Policy;
  requested?: string | null;
  maxSteps?: number | null;
  generator?: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The step as the file stores it: its own fixed-shape copy (fields in a stable
 * order), with errno added when the step set the process's errno.
 */
export function toFileStep(s: TraceStep): TraceFileStep {
  const out: TraceFileStep = stepFields(s);
  if (s.outcome) out.outcome = s.outcome;
  const errno = errnoSet(s);
  if (errno !== undefined) out.errno = errno;
  return out;
}

/** The errno the step's system call set on its process, if it set one. */
function errnoSet(s: TraceStep): number | undefined {
  if (s.changes.length === 0) return undefined;
  const key = `${s.process}.errno`;
  for (const c of s.changes) if (c.path === key && typeof c.new === 'number') return c.new;
  return undefined;
}

function devicesByName(devs: readonly DevState[], names: readonly string[]): Record<string, DevState> {
  const out: Record<string, DevState> = {};
  devs.forEach((d, i) => (out[names[i]] = { ...d }));
  return out;
}

/** Builds the trace file of one run of a loaded scenario. */
export function buildTraceFile(loaded: LoadedScenario, run: RunResult, meta: TraceMeta = {}): TraceFile {
  const t = traceFileHead(loaded, run, meta);
  t.schedule.slices = run.slices.length === run.sliceRuns.length ? [...run.slices] : run.sliceRuns.toArray();
  t.steps = run.steps.map(toFileStep);
  return t;
}

/**
 * The trace file of a run without its slices and steps (empty lists): what
 * fileStream.ts writes around them, for a run whose steps were not kept.
 */
export function traceFileHead(loaded: LoadedScenario, run: RunResult, meta: TraceMeta = {}): TraceFile {
  const config = loaded.config;
  if (!config) throw new Error('the scenario has errors and cannot be recorded');
  const names = config.processes.map((p) => p.name);
  const devNames = config.devices.map((d) => d.name);
  const options = new Map(loaded.scenario.devices.map((d) => [d.name.name, d.options.map((o) => o.name)]));
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    generator: meta.generator ?? 'camsim',
    scenario: { file: meta.file ?? null, title: loaded.scenario.title?.text ?? null, sha256: sha256(loaded.text), text: loaded.text },
    kernel: {
      invariants: config.invariants,
      devices: config.devices.map((d) => ({ name: d.name, driver: d.driver, variant: d.variant, options: options.get(d.name) ?? [] })),
    },
    processes: config.processes.map((p, pid) => ({ pid, name: p.name, kind: p.kind })),
    schedule: {
      slices: [],
      line: run.sliceRuns.format(names),
      policy: meta.policy ?? { kind: 'roundRobin' },
      requested: meta.requested ?? null,
      maxSteps: meta.maxSteps ?? null,
    },
    steps: [],
    result: {
      status: run.status,
      outcome: run.outcome ? { ...run.outcome, process: names[run.outcome.pid] ?? '?' } : null,
      truncated: run.truncated,
    },
    initial: { devices: devicesByName(initialMachine(config).devs, devNames) },
    final: { devices: devicesByName(run.final.devs, devNames) },
    notes: [...run.notes],
  };
}

/** JSON laid out for reading: the head indented, lists of numbers on one line, one step (or process, device) per line. */
function layout(v: unknown, indent: string, depth: number): string {
  if (typeof v !== 'object' || v === null || depth >= 3) return JSON.stringify(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0 || v.every((x) => typeof x !== 'object' || x === null)) return JSON.stringify(v);
    return `[\n${v.map((x) => inner + JSON.stringify(x)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${layout(x, inner, depth + 1)}`).join(',\n')}\n${indent}}`;
}

/** The file's text: one JSON document (see docs/trace-format.md). */
export function serializeTraceFile(t: TraceFile): string {
  return layout(t, '', 0) + '\n';
}

export type ParsedTrace = { ok: true; trace: TraceFile } | { ok: false; message: string };

/** `line L, column C` of a character offset. */
function positionOf(text: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `line ${line}, column ${col}`;
}

/** Reads a trace file's text: valid JSON, this format, a version this camsim reads, the expected shape. */
export function parseTraceFile(text: string): ParsedTrace {
  // A byte order mark (some editors write one) is no part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const at = /position (\d+)/.exec(msg);
    const where = at ? ` at ${positionOf(text, Number(at[1]))}` : '';
    const why = msg.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    return { ok: false, message: `not a trace file: invalid JSON${where}: ${why}` };
  }
  const problem = validateTraceFile(value);
  if (problem) return { ok: false, message: problem };
  const trace = value as TraceFile;
  const actual = sha256(trace.scenario.text);
  if (actual !== trace.scenario.sha256) {
    return { ok: false, message: `scenario.sha256 is ${trace.scenario.sha256} but the embedded scenario text hashes to ${actual}: the file was edited by hand` };
  }
  return { ok: true, trace };
}

export type ReplayResult =
  | { ok: true; run: RunResult; loaded: LoadedScenario; schedule: number[] }
  | { ok: false; message: string };

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Field by field: a recorded step and a replayed one. */
function sameStep(a: TraceFileStep, b: TraceStep): boolean {
  if (a.index !== b.index || a.slice !== b.slice || a.pid !== b.pid || a.process !== b.process || a.fn !== b.fn || a.file !== b.file) return false;
  if (a.line !== b.line || a.code !== b.code || a.depth !== b.depth || a.errno !== errnoSet(b)) return false;
  if (!sameList(a.locksTaken, b.locksTaken) || !sameList(a.locksDropped, b.locksDropped) || a.changes.length !== b.changes.length) return false;
  for (let i = 0; i < a.changes.length; i++) {
    const x = a.changes[i];
    const y = b.changes[i];
    if (x.path !== y.path || x.old !== y.old || x.new !== y.new) return false;
  }
  const o = a.outcome;
  const p = b.outcome;
  if (!o || !p) return o === p;
  return o.kind === p.kind && o.pid === p.pid && o.fn === p.fn && o.message === p.message && o.file === p.file && o.line === p.line;
}

function stepSummary(s: TraceStep): string {
  return `${s.process} ${s.fn || '(statement)'} ${s.file || 'scenario'}:${s.line} ${s.code}`;
}

/**
 * Re-runs a trace against the scenario as it is now. Refuses when the scenario
 * text no longer hashes to the recorded SHA-256; otherwise follows the recorded
 * slices (the engine is deterministic) and checks that every step matches.
 */
export function replayTraceFile(trace: TraceFile, currentScenarioText: string): ReplayResult {
  const now = sha256(currentScenarioText);
  if (now !== trace.scenario.sha256) {
    const from = trace.scenario.file ? trace.scenario.file : 'its scenario';
    return {
      ok: false,
      message: `the scenario has changed since the trace was recorded: the trace was recorded from ${from} with sha256 ${trace.scenario.sha256}, the scenario now has sha256 ${now}; record the trace again`,
    };
  }
  const loaded = loadScenario(currentScenarioText);
  if (!loaded.config) {
    const first = loaded.diagnostics.find((d) => d.severity === 'error');
    return { ok: false, message: `the recorded scenario no longer loads: ${first ? `${first.range.start.line + 1}:${first.range.start.character + 1}: ${first.message}` : 'it has errors'}` };
  }
  const names = loaded.config.processes.map((p) => p.name);
  const recordedNames = trace.processes.map((p) => p.name);
  if (names.join('\0') !== recordedNames.join('\0')) {
    return { ok: false, message: `the trace's processes (${recordedNames.join(', ')}) differ from the scenario's (${names.join(', ')}): this camsim compiles the scenario differently` };
  }
  const schedule = [...trace.schedule.slices];
  // A run cut short is replayed to the same step; one that ended, one step further, to see it end there.
  const maxSteps = trace.result.truncated ? trace.steps.length : trace.steps.length + 1;
  const run = runMachine(loaded.config, { schedule, policy: trace.schedule.policy, maxSteps, record: true });
  const n = Math.min(run.steps.length, trace.steps.length);
  for (let i = 0; i < n; i++) {
    if (!sameStep(trace.steps[i], run.steps[i])) {
      return {
        ok: false,
        message: `the replay differs from the trace at step ${i}: recorded "${stepSummary(trace.steps[i])}", replayed "${stepSummary(run.steps[i])}" (the kernel model has changed since the trace was recorded)`,
      };
    }
  }
  if (run.steps.length !== trace.steps.length) {
    return { ok: false, message: `the replay ran ${run.steps.length} steps, the trace has ${trace.steps.length} (the kernel model has changed since the trace was recorded)` };
  }
  if (run.status !== trace.result.status) {
    return { ok: false, message: `the replay ended as ${run.status}, the trace as ${trace.result.status}` };
  }
  return { ok: true, run, loaded, schedule };
}
