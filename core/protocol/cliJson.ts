// What `camsim check --json` and `camsim run --json` print: one object each,
// declared here once. core/cli writes these types, and the extension reads them
// (checked at run time by cliJsonShape.ts before it trusts them).
// Plain data types only.

import type { CheckExit, CheckVerdict } from '../engine/explore/summary';

/**
 * The version of these objects, printed as `schemaVersion`. It goes up when a
 * field changes meaning or goes away; a new field does not raise it.
 */
export const CLI_JSON_SCHEMA_VERSION = 1;

export type OutcomeKindJson = 'panic' | 'use-after-free' | 'deadlock';

/** How a run ended badly: which process, in which kernel function, with which text. */
export interface OutcomeJson {
  kind: OutcomeKindJson;
  /** The process (index into `processes`) that panicked or used the freed periph; for a deadlock the first stuck one. */
  pid: number;
  fn: string;
  message: string;
  /** The kernel model source line, when there is one. */
  file?: string;
  line?: number;
}

/** An interleaving that shows a failure. */
export interface CounterexampleJson {
  /** One process index per slice (a run to the next scheduling point) from the start. */
  pids: number[];
  /** The same as a scenario `schedule` line, e.g. `schedule A*27 B*21 A*14 B*14`. */
  schedule: string;
  slices: number;
  /** How it ends: 'finished' when the run ends normally but an expectation fails on it. */
  end: OutcomeKindJson | 'finished';
  /** The panic or deadlock text, or why the expectation failed on it. */
  message: string;
  outcome: OutcomeJson | null;
  /** Shortened to the fewest slices. */
  shortest: boolean;
}

/** Whether a panic, a use after free or a deadlock can happen. */
export interface CheckOutcomeJson {
  kind: OutcomeKindJson;
  /** null: not found, and the search stopped before it could rule it out. */
  reachable: boolean | null;
  message?: string;
  outcome?: OutcomeJson;
  counterexample?: CounterexampleJson;
  /** Every distinct panic text reached. */
  messages?: string[];
}

export type ExpectationKindJson = 'panic' | 'no panic' | 'deadlock' | 'no deadlock' | 'no use-after-free' | 'no leak' | 'expr';

export interface CheckExpectationJson {
  /** As written, e.g. `expect no panic`. */
  text: string;
  what: ExpectationKindJson;
  /** 0-based line of the `expect` in the scenario. */
  line: number;
  verdict: 'held' | 'failed' | 'undecided';
  detail: string;
  /** The interleaving that decided it: that broke it, or (expect panic / deadlock) that ends that way. */
  counterexample?: CounterexampleJson;
}

export type CheckStopJson = 'complete' | 'decided' | 'max-states' | 'max-depth' | 'preemption-bound' | 'timeout' | 'cancelled' | 'long-slice' | 'max-memory';

export interface CoverageJson {
  lines: number;
  reached: number;
  files: { file: string; lines: number; reached: number; never: { line: number; fn: string; code: string }[] }[];
}

/** `camsim check FILE --json`. */
export interface CheckJson {
  schemaVersion: typeof CLI_JSON_SCHEMA_VERSION;
  command: 'check';
  file: string;
  title: string | null;
  /** Process names; `pid` and `pids` index into it. */
  processes: string[];
  /** The exit status: 0 every expectation holds, 1 one fails, 3 a bound stopped the search before every expectation was decided. */
  exit: CheckExit;
  /** What the check comes to: a panic or a deadlock is reachable, another expectation fails, all is well, or the search is incomplete. */
  verdict: CheckVerdict;
  /** The result in one sentence. */
  headline: string;
  /** true every expectation held, false one failed, null some undecided. */
  ok: boolean | null;
  /** Every reachable state was explored. */
  complete: boolean;
  /** Why the search stopped ('decided': every expectation was decided before the end). */
  stop: CheckStopJson;
  states: number;
  transitions: number;
  slices: number;
  steps: number;
  endStates: number;
  finished: number;
  /** Interleavings the explored graph represents, when complete. */
  interleavings?: number;
  /** The longest interleaving explored, in slices. */
  depth: number;
  ms: number;
  restarts: number;
  reductions: { por: boolean; symmetry: boolean; interchangeable: string[][]; unprotected: string[] };
  bounds: { maxStates: number; maxDepth?: number; preemptionBound?: number; timeoutMs?: number };
  outcomes: CheckOutcomeJson[];
  expectations: CheckExpectationJson[];
  /** With --coverage. */
  coverage?: CoverageJson;
}

export type JsonValue = number | boolean | string;

/** One kernel line (or scenario statement) of a run. */
export interface RunStepJson {
  index: number;
  slice: number;
  pid: number;
  process: string;
  /** Kernel function, or '' for entering a scenario statement. */
  fn: string;
  /** Model source file, or '' for a scenario statement. */
  file: string;
  line: number;
  code: string;
  depth: number;
  locksTaken: string[];
  locksDropped: string[];
  changes: { path: string; old: JsonValue; new: JsonValue }[];
  outcome?: OutcomeJson;
}

/** A device at the end of a run, under the names expressions use. */
export interface DeviceStateJson {
  si_usecount: number;
  si_threadcount: number;
  si_drv1: boolean;
  si_devsw: boolean;
  sched_dtr: boolean;
  named: boolean;
  v_usecount: number;
  v_holdcnt: number;
  refcount: number;
  flags: number;
  freed: boolean;
  softc_flags: number;
  open_count: number;
}

/** `camsim run FILE --json`. */
export interface RunJson {
  schemaVersion: typeof CLI_JSON_SCHEMA_VERSION;
  command: 'run';
  file: string;
  title: string | null;
  /** 'running': cut short at --max-steps. */
  status: 'running' | 'finished' | OutcomeKindJson;
  outcome: (OutcomeJson & { process: string }) | null;
  /** The result line as `camsim run` prints it. */
  result: string;
  /** The interleaving that ran, as a `schedule` line. */
  schedule: string;
  steps: RunStepJson[];
  /** By device name. */
  final: Record<string, DeviceStateJson>;
  expectations: { text: string; held: boolean; detail: string }[];
  notes: string[];
  ok: boolean;
}

/** Where and what: 1-based line and column, as `file:line:col: message` prints them. */
export interface CliErrorLocationJson {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** `camsim run|check FILE --json` on a scenario that cannot run: exit status 2. */
export interface CliErrorJson {
  schemaVersion: typeof CLI_JSON_SCHEMA_VERSION;
  command: 'run' | 'check';
  file: string;
  exit: 2;
  /** The first error. */
  error: CliErrorLocationJson;
  /** Every error. */
  errors: CliErrorLocationJson[];
}

/** One diagnostic of `camsim lint --json`, 1-based as the text output. */
export interface LintDiagnosticJson {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
}

/** `camsim lint FILE... --json`. */
export interface LintJson {
  schemaVersion: typeof CLI_JSON_SCHEMA_VERSION;
  command: 'lint';
  /** 2: some file has errors or cannot be read. */
  exit: 0 | 2;
  files: { file: string; diagnostics: LintDiagnosticJson[]; error?: string }[];
}
