// Every name that crosses a process boundary between the extension, the language
// server, the debug adapter and the CLI, declared once and imported by both sides.
// Plain data and types only: no editor library is imported here. The CLI's JSON
// output is in cliJson.ts (and its run-time check in cliJsonShape.ts).

import type { CheckVerdict } from '../engine/explore/summary';

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
  openSample: 'camsim.openSample',
  restartServer: 'camsim.restartLanguageServer',
} as const;

/**
 * Commands the language server runs itself (workspace/executeCommand), for
 * editors without the camsim extension: their code lenses name these. Each takes
 * `ScenarioCommandArgs` (an open document's URI).
 */
export const ServerCommands = {
  /** Every interleaving, as `camsim check -q` prints it. */
  check: 'camsim.server.check',
  /** The same, with each counterexample's steps, as `camsim check` prints them. */
  counterexample: 'camsim.server.counterexample',
} as const;

/** What a server command answers; the server also shows `headline` to the user. */
export interface ServerCommandResult {
  verdict: CheckVerdict | 'invalid';
  headline: string;
  /** The lines `camsim check` prints, joined with newlines. */
  text: string;
}

/** initializationOptions the camsim extension sends: its own commands exist, so code lenses name them. */
export interface ServerInitializationOptions {
  extensionCommands?: boolean;
  diagnosticsDelayMs?: number;
  raceCheckDelayMs?: number;
}

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

/** Capability the adapter advertises when it serves the custom requests above. */
export const CAPABILITY_TRACE = 'supportsCamsimTrace';

/**
 * Custom LSP notifications, each a method name with its parameters' type (the
 * server and the extension build the library's NotificationType from it; core/
 * imports no editor library).
 */
export interface NotificationDecl<P> {
  readonly method: string;
  /** Never set: carries the parameters' type. */
  readonly params?: P;
}

export interface RaceCheckParams {
  uri: string;
  version: number;
  verdict: CheckVerdict;
  states: number;
  /** A `schedule` line that replays the counterexample, when there is one. */
  schedule?: string;
}

/** Server -> client: the result of the background race check for a document. */
export const RaceCheckNotification: NotificationDecl<RaceCheckParams> = { method: 'camsim/raceCheck' };

/** Settings keys under the `camsim` section. */
export const Settings = {
  adapterMode: 'camsim.debugAdapter.mode', // 'inline' | 'external'
  backgroundCheck: 'camsim.backgroundCheck.enabled',
  backgroundCheckMaxStates: 'camsim.backgroundCheck.maxStates',
  backgroundCheckTimeoutMs: 'camsim.backgroundCheck.timeoutMs',
  serverTrace: 'camsim.trace.server',
  /** Bounds of the Check command, the Testing view and the check task (the CLI's check options). */
  checkMaxStates: 'camsim.check.maxStates',
  checkMaxDepth: 'camsim.check.maxDepth',
  checkPreemptionBound: 'camsim.check.preemptionBound',
  checkTimeoutSeconds: 'camsim.check.timeoutSeconds',
  /** Whether the Run / Debug / Check code lenses show above a scenario. */
  codeLensEnabled: 'camsim.codeLens.enabled',
} as const;

/** The task type of the check and lint tasks (tasks.json "type"), and its problem matcher's name. */
export const TASK_TYPE = 'camsim';
export const PROBLEM_MATCHER = 'camsim';

export * from './cliJson';
export * from './customRequests';
export { checkJsonProblems, readCheckJson, runJsonProblems, type ReadResult } from './cliJsonShape';
