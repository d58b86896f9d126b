// Every name that crosses a process boundary between the extension, the language
// server, the debug adapter and the CLI, declared once and imported by both sides.
// Plain data and types only: no editor library is imported here. The CLI's JSON
// output is in cliJson.ts (and its run-time check in cliJsonShape.ts).

/** The debug type of the camsim debugger (launch.json "type"). */
export const DEBUG_TYPE = 'camsim';
/** The language id of `.camsim` files. */
export const LANGUAGE_ID = 'camsim';

/** Commands the extension implements (the server's code lenses invoke them). */
export const Commands = {
  run: 'camsim.runScenario',
  debug: 'camsim.debugScenario',
  check: 'camsim.checkScenario',
  debugCounterexample: 'camsim.debugCounterexample',
  openTimeline: 'camsim.openTimeline',
  exportTrace: 'camsim.exportTrace',
  why: 'camsim.whyValue',
} as const;

/** Arguments of the code-lens and code-action commands: the scenario's URI. */
export interface ScenarioCommandArgs {
  uri: string;
  /** Debug Counterexample: the `schedule` line to replay, when the caller already has it. */
  schedule?: string;
}

/** Launch attributes of the camsim debugger (mirrored in package.json's schema). */
export interface CamsimLaunchArguments {
  /** Absolute path of the `.camsim` file. */
  program: string;
  stopOnEntry?: boolean;
  /** 'roundRobin', { random: seed }, 'scenario' (its own schedule line, the default), or a schedule line. */
  schedule?: 'roundRobin' | 'scenario' | { random: number } | string;
  maxSteps?: number;
  /** Replay a trace file written by `camsim run --trace` or "Export trace". */
  trace?: string;
  /** Run Without Debugging (set by the editor): run to the end, print the result, end the session. */
  noDebug?: boolean;
}

/** Custom DAP requests (the timeline and "why") and their bodies. */
export const CustomRequests = {
  /** The recorded trace: every step so far and the cursor. */
  trace: 'camsim/trace',
  /** Move the cursor to step N (time travel); answered before the stopped event. */
  gotoStep: 'camsim/gotoStep',
  /** The steps that wrote a counter, newest first. */
  why: 'camsim/why',
  /** Writes the current recording as a trace file to a path (ExportTraceArguments). */
  exportTrace: 'camsim/exportTrace',
} as const;

export interface GotoStepArguments {
  step: number;
}

export interface WhyArguments {
  /** An expression naming a counter, e.g. `pass0.refcount`. */
  expression: string;
}

export interface ExportTraceArguments {
  /** Absolute path of the trace file to write (replaced when it exists). */
  path: string;
}

/** The answer once the whole file is written (the adapter answers other requests meanwhile). */
export interface ExportTraceResponse {
  path: string;
  steps: number;
  bytes: number;
  /** Something the user should know about the file (its steps ordered by slice, its size). */
  note?: string;
}

/** Capability the adapter advertises when it serves the custom requests above. */
export const CAPABILITY_TRACE = 'supportsCamsimTrace';

/** Custom LSP notifications and requests. */
export const LspMethods = {
  /** Server -> client: the result of the background race check for a document. */
  raceCheck: 'camsim/raceCheck',
} as const;

export interface RaceCheckParams {
  uri: string;
  version: number;
  verdict: 'panic' | 'deadlock' | 'expectation-failed' | 'ok' | 'incomplete';
  states: number;
  /** A `schedule` line that replays the counterexample, when there is one. */
  schedule?: string;
}

/** Settings keys under the `camsim` section. */
export const Settings = {
  adapterMode: 'camsim.debugAdapter.mode', // 'inline' | 'external'
  backgroundCheck: 'camsim.backgroundCheck.enabled',
  backgroundCheckMaxStates: 'camsim.backgroundCheck.maxStates',
  backgroundCheckTimeoutMs: 'camsim.backgroundCheck.timeoutMs',
  serverTrace: 'camsim.trace.server',
} as const;

export * from './cliJson';
export { checkJsonProblems, readCheckJson, runJsonProblems, type ReadResult } from './cliJsonShape';
