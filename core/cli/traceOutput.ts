// Writing a trace (a trace file or a Chrome export) to a file or standard output.

import { writeFileSync } from 'node:fs';
import type { LoadedScenario } from '../engine/scenarioRun';
import type { RunResult } from '../engine/run';
import type { Policy } from '../engine/schedulers';
import { buildTraceFile, serializeTraceFile, type TraceFile } from '../engine/traceFile';
import { FileError, type Output } from './io';

export interface RecordedRun {
  file: string;
  loaded: LoadedScenario;
  run: RunResult;
  policy: Policy;
  /** The schedule line given with --schedule, or null. */
  requested: string | null;
  maxSteps?: number;
}

export function traceOf(r: RecordedRun): TraceFile {
  return buildTraceFile(r.loaded, r.run, { file: r.file, policy: r.policy, requested: r.requested, maxSteps: r.maxSteps ?? null, generator: 'camsim' });
}

/** Writes the run as a trace file to `path` (`camsim run --trace`). */
export function writeRunTrace(path: string, r: RecordedRun, io: Output): void {
  writeOutput(path, serializeTraceFile(traceOf(r)), io);
}

/** Writes `text` to `path`, or to standard output for `-`. */
export function writeOutput(path: string, text: string, io: Output): void {
  if (path === '-') {
    io.out(text.replace(/\n$/, ''));
    return;
  }
  try {
    writeFileSync(path, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : code ?? String(e);
    throw new FileError(`${path}: cannot write: ${why}`);
  }
}
