// Trace files (core/engine/traceFile.ts) in the debugger: a launch with `trace`
// replays one (its slices become the schedule, after checking that the scenario
// and the kernel model still produce exactly the recorded steps), and "Export
// trace" writes the recording as one.

import { MAX_TRACE_BYTES, readTextFile } from '../../core/files';
import type { LoadedScenario } from '../../core/engine/scenarioRun';
import { runMachine } from '../../core/engine/run';
import { buildTraceFile, parseTraceFile, replayTraceFile, serializeTraceFile } from '../../core/engine/traceFile';
import type { Policy } from '../../core/engine/schedulers';

/** A schedule taken from a trace file. */
export interface TraceReplay {
  slices: number[];
  policy: Policy;
  /** The recorded run's length when it was cut short (the debugger stops there too). */
  maxSteps?: number;
  label: string;
}

/** Reads a trace file for a launch and checks that it replays on `programText`. */
export function traceReplay(traceFile: string, programText: string): TraceReplay | { error: string } {
  const read = readTextFile(traceFile, MAX_TRACE_BYTES);
  if (!read.ok) return { error: `launch: "trace": cannot read ${traceFile}: ${read.message}` };
  const parsed = parseTraceFile(read.text);
  if (!parsed.ok) return { error: `launch: "trace": ${traceFile}: ${parsed.message}` };
  const replay = replayTraceFile(parsed.trace, programText);
  if (!replay.ok) return { error: `launch: "trace": ${traceFile}: ${replay.message}` };
  const t = parsed.trace;
  return {
    slices: t.schedule.slices,
    policy: t.schedule.policy,
    ...(t.result.truncated ? { maxSteps: Math.max(1, t.steps.length) } : {}),
    label: `the trace file ${traceFile} (${t.steps.length} steps, ${t.schedule.line})`,
  };
}

export interface ExportedTrace {
  /** The trace file's text (JSON). */
  text: string;
  steps: number;
  /** Set when the file's steps are ordered by slice rather than as the debugger ran them. */
  note?: string;
}

/**
 * The recording as a trace file. The file replays by whole slices, so the run is
 * re-executed from the recording's slices: the same kernel states in slice order
 * (the debugger may have switched processes inside a slice).
 */
export function exportRecording(loaded: LoadedScenario, program: string, slices: number[], length: number, policy: Policy, requested: string | null, maxSteps: number | null): ExportedTrace {
  const run = runMachine(loaded.config!, { schedule: slices, policy, maxSteps: Math.max(1, length), record: true });
  const file = buildTraceFile(loaded, run, { file: program, policy, requested, maxSteps, generator: 'camsim debugger' });
  const text = serializeTraceFile(file);
  const note = run.steps.length !== length ? `the recording has ${length} steps; the file has ${run.steps.length}, each slice run to its end` : undefined;
  return { text, steps: run.steps.length, ...(note ? { note } : {}) };
}
