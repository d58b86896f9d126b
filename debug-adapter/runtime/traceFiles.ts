// Trace files (core/engine/trace/file.ts) in the debugger: a launch with `trace`
// replays one (its slices become the schedule, after checking that the scenario
// and the kernel model still produce exactly the recorded steps), and "Export
// trace" writes the recording as one.

import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatBytes, MAX_TRACE_BYTES, readTextFile } from '../../core/files';
import type { LoadedScenario } from '../../core/engine/scenarioRun';
import { startRun } from '../../core/engine/run/run';
import { parseTraceFile, replayTraceFile, traceFileHead } from '../../core/engine/trace/file';
import { streamTraceFile } from '../../core/engine/trace/fileStream';
import type { Policy } from '../../core/engine/run/schedulers';

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
  steps: number;
  /** Bytes written. */
  bytes: number;
  /** Set when the file's steps are ordered by slice rather than as the debugger ran them. */
  note?: string;
}

/** The recording to export, as the runtime hands it over (copied: the debugger may go on meanwhile). */
export interface RecordingToExport {
  loaded: LoadedScenario;
  program: string;
  slices: number[];
  length: number;
  policy: Policy;
  requested: string | null;
  maxSteps: number | null;
}

/** Steps run between two pauses (about 10 ms of work), so that the adapter answers other requests meanwhile. */
const STEPS_PER_SLICE_OF_WORK = 10_000;
/** A file written must leave this much room on its disk. */
const SPARE_BYTES = 64 * 1024 * 1024;

/** Why an export stopped early; the message is for the user. */
export class ExportError extends Error {}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes the recording as a trace file to `path`, in constant memory and a slice
 * of work at a time: the file is written to `path.partial` and renamed when
 * complete, so a failed export leaves no half file. The file replays by whole
 * slices, so the run is re-executed from the recording's slices: the same kernel
 * states in slice order (the debugger may have switched processes inside a
 * slice). Two runs, as `camsim run --trace`: one unrecorded for the head of the
 * file (the result, the final state), one that writes each step.
 */
export async function writeRecording(r: RecordingToExport, path: string, cancelled: () => boolean = () => false): Promise<ExportedTrace> {
  const config = r.loaded.config!;
  const opts = { schedule: r.slices, policy: r.policy, maxSteps: Math.max(1, r.length), keepSlices: false };
  const first = startRun(config, { ...opts, record: false });
  while (!first.advance(STEPS_PER_SLICE_OF_WORK * 5)) {
    await pause();
    if (cancelled()) throw new ExportError('the export was cancelled');
  }
  const head = first.result();
  const temp = `${path}.partial`;
  let file: fs.FileHandle;
  try {
    file = await fs.open(temp, 'w');
  } catch (e) {
    throw new ExportError(`cannot write ${path}: ${describeFsError(e)}`);
  }
  let bytes = 0;
  try {
    let pending: string[] = [];
    const flush = async () => {
      const b = Buffer.from(pending.join(''), 'utf8');
      pending = [];
      for (let at = 0; at < b.length; ) at += (await file.write(b, at)).bytesWritten;
      bytes += b.length;
    };
    const meta = { file: r.program, policy: r.policy, requested: r.requested, maxSteps: r.maxSteps, generator: 'camsim debugger' };
    const stream = streamTraceFile(traceFileHead(r.loaded, head, meta), head.sliceRuns, (t) => pending.push(t));
    const second = startRun(config, { ...opts, onStep: (s) => stream.step(s) });
    let checked = false;
    for (;;) {
      const done = second.advance(STEPS_PER_SLICE_OF_WORK);
      if (done) stream.end();
      await flush();
      if (done) break;
      if (!checked) {
        // The first piece tells the size of a step: refuse at once what the disk cannot hold.
        checked = true;
        await checkRoom(path, (bytes / second.stepCount) * head.stepCount, head.stepCount);
      }
      await pause();
      if (cancelled()) throw new ExportError('the export was cancelled');
    }
    await file.close();
    await fs.rename(temp, path);
    const notes = [
      ...(head.stepCount !== r.length ? [`the recording has ${r.length} steps; the file has ${head.stepCount}, each slice run to its end`] : []),
      ...(bytes > MAX_TRACE_BYTES ? [`the file is larger than the ${formatBytes(MAX_TRACE_BYTES)} camsim reads back from a trace file`] : []),
    ];
    const note = notes.length ? notes.join('; ') : undefined;
    return { steps: head.stepCount, bytes, ...(note ? { note } : {}) };
  } catch (e) {
    await file.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    if (e instanceof ExportError) throw e;
    throw new ExportError(`cannot write ${path}: ${describeFsError(e)}`);
  }
}

/** Refuses an export whose estimated size does not fit on the destination's disk. */
async function checkRoom(path: string, estimate: number, steps: number): Promise<void> {
  let free: number;
  try {
    const st = await fs.statfs(dirname(path));
    free = st.bavail * st.bsize;
  } catch {
    return; // The writes themselves will say so.
  }
  if (estimate + SPARE_BYTES > free) {
    throw new ExportError(
      `the trace file of ${steps} steps would take about ${formatBytes(estimate)} and ${dirname(path)} has ${formatBytes(free)} free: ` +
        'free some space, choose another place, or debug a shorter run (launch with a smaller "maxSteps")',
    );
  }
}

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the disk';
    default:
      return err.code ?? String(err.message ?? e);
  }
}
