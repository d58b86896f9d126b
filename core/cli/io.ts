// Reading scenario files, writing output, and reporting what goes wrong in one
// line: invalid input as `file:line:col: message`, an unreadable file as
// `file: message`, an output that cannot be written as `camsim: cannot write output: ...`.

import { writeSync } from 'node:fs';
import type { Diagnostic } from '../scenario/ast';
import { MAX_SCENARIO_BYTES, readTextFile } from '../files';

/** Wrong arguments: the message is printed with the usage; exit status 2. */
export class UsageError extends Error {}

/** A file that cannot be read or written: `file: message`, printed alone; exit status 2. */
export class FileError extends UsageError {}

/** Standard output cannot be written (a full disk, a closed pipe): the command stops. */
export class OutputError extends Error {
  constructor(readonly cause: NodeJS.ErrnoException) {
    super(`cannot write output: ${describeWriteError(cause)}`);
  }

  /** The reader went away (`camsim run ... | head`): nothing is wrong, nothing is said. */
  get readerClosed(): boolean {
    return this.cause.code === 'EPIPE';
  }
}

/** `ENOSPC (no space left on device)`, from Node's `ENOSPC: no space left on device, write`. */
export function describeWriteError(e: NodeJS.ErrnoException): string {
  const words = /^[A-Z0-9]+: ([^,]+)/.exec(e.message)?.[1];
  return e.code ? `${e.code}${words ? ` (${words})` : ''}` : e.message;
}

export interface Output {
  /** One line. */
  out(text: string): void;
  err(text: string): void;
  /**
   * Text as it is (no newline added), for documents written piece by piece. An
   * Output without it gets the pieces joined into one `out` at the end (`rawWriter`).
   */
  write?(text: string): void;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes to standard output at once, straight to its file descriptor: a pipe's
 * reader sets the pace (Node's stream would queue what a slow reader has not
 * taken yet, without bound), and a failed write stops the command there.
 */
function toStdout(text: string): void {
  const b = Buffer.from(text, 'utf8');
  for (let at = 0; at < b.length; ) {
    try {
      at += writeSync(1, b, at);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // A non-blocking pipe that is full: wait a moment for its reader.
      if (err.code === 'EAGAIN') Atomics.wait(pause, 0, 0, 2);
      else throw new OutputError(err);
    }
  }
}

export const stdio: Output = {
  out: (t) => toStdout(t + '\n'),
  write: toStdout,
  // Standard error that cannot be written has no one to tell: the exit status still says it.
  err: (t) => void process.stderr.write(t + '\n'),
};

/** A writer of one long document in pieces of about `chunk` characters. */
export interface RawWriter {
  write(text: string): void;
  /** Writes what is left (the document must end with a newline). */
  end(): void;
}

export function rawWriter(io: Output, chunk = 1 << 16): RawWriter {
  const parts: string[] = [];
  let size = 0;
  const sink = io.write?.bind(io);
  const flush = (): void => {
    if (parts.length && sink) sink(parts.join(''));
    if (sink) parts.length = 0;
    size = 0;
  };
  return {
    write(text) {
      parts.push(text);
      size += text.length;
      if (size >= chunk) flush();
    },
    end() {
      if (sink) flush();
      else if (parts.length) io.out(parts.join('').replace(/\n$/, ''));
    },
  };
}

/**
 * Makes a failed write to standard output or error, noticed after the fact (the
 * stream's 'error' event), end the process with one line instead of a stack
 * trace. `status()` is the exit status when the reader went away (EPIPE).
 */
export function guardOutputStreams(status: () => number): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (reported) return;
    reported = true;
    if (e.code === 'EPIPE') process.exit(status());
    process.stderr.write(`camsim: ${new OutputError(e).message}\n`);
    process.exit(2);
  });
  // Nothing can be said about standard error failing; the exit status stands.
  process.stderr.on('error', () => undefined);
}

/** An OutputError was reported already (the stream's later 'error' event says nothing more). */
let reported = false;

export function reportOutputError(e: OutputError, io: Output): number {
  reported = true;
  if (e.readerClosed) return 0;
  io.err(`camsim: ${e.message}`);
  return 2;
}

/**
 * Reads a regular file of at most `limit` bytes (a device such as /dev/zero or a
 * FIFO would never end), or throws a FileError that says why it cannot.
 */
export function readText(file: string, limit = MAX_SCENARIO_BYTES): string {
  const r = readTextFile(file, limit);
  if (!r.ok) throw new FileError(`${file}: cannot read: ${r.message}`);
  return r.text;
}

/** `file:line:col: severity: message [code]`, 1-based as compilers print it. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}
