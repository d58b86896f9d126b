// Writing a trace (a trace file or a Chrome export) to a file or standard output,
// whole or piece by piece.

import { closeSync, openSync, writeSync } from 'node:fs';
import type { LoadedScenario } from '../engine/scenarioRun';
import type { RunResult } from '../engine/run/run';
import type { Policy } from '../engine/run/schedulers';
import { buildTraceFile, traceFileHead, type TraceFile } from '../engine/trace/file';
import { streamTraceFile, type TraceFileStream } from '../engine/trace/fileStream';
import { describeWriteError, FileError, rawWriter, type Output, type RawWriter } from './io';

export interface RecordedRun {
  file: string;
  loaded: LoadedScenario;
  run: RunResult;
  policy: Policy;
  /** The schedule line given with --schedule, or null. */
  requested: string | null;
  maxSteps?: number;
}

function meta(r: RecordedRun): Parameters<typeof buildTraceFile>[2] {
  return { file: r.file, policy: r.policy, requested: r.requested, maxSteps: r.maxSteps ?? null, generator: 'camsim' };
}

export function traceOf(r: RecordedRun): TraceFile {
  return buildTraceFile(r.loaded, r.run, meta(r));
}

/**
 * Starts writing the run as a trace file to `out` (a writer from `openOutput`):
 * `r.run` is the run without its steps (they come to `step` as the run is
 * repeated with onStep); `end` finishes the file.
 */
export function traceStream(r: RecordedRun, out: RawWriter): TraceFileStream {
  const s = streamTraceFile(traceFileHead(r.loaded, r.run, meta(r)), r.run.sliceRuns, (t) => out.write(t));
  return {
    step: (x) => s.step(x),
    end() {
      s.end();
      out.end();
    },
  };
}

function cannotWrite(path: string, e: unknown): FileError {
  const err = e as NodeJS.ErrnoException;
  const code = err.code;
  const why = code === 'ENOENT' ? 'no such directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : describeWriteError(err);
  return new FileError(`${path}: cannot write: ${why}`);
}

/** A writer to the file `path` (created or emptied now), or to standard output for `-`. */
export function openOutput(path: string, io: Output): RawWriter {
  if (path === '-') return rawWriter(io);
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw cannotWrite(path, e);
  }
  const file: Output = {
    out: () => undefined,
    err: () => undefined,
    write(text) {
      try {
        const b = Buffer.from(text, 'utf8');
        for (let at = 0; at < b.length; ) at += writeSync(fd, b, at);
      } catch (e) {
        closeSync(fd);
        throw cannotWrite(path, e);
      }
    },
  };
  const w = rawWriter(file);
  return {
    write: (t) => w.write(t),
    end() {
      w.end();
      closeSync(fd);
    },
  };
}

/** Writes `text` to `path`, or to standard output for `-`. */
export function writeOutput(path: string, text: string, io: Output): void {
  const w = openOutput(path, io);
  w.write(text);
  w.end();
}
