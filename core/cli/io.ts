// Reading scenario files and reporting invalid input as `file:line:col: message`.

import type { Diagnostic } from '../scenario/ast';
import { MAX_SCENARIO_BYTES, readTextFile } from '../files';

/** Wrong arguments: the message is printed with the usage; exit status 2. */
export class UsageError extends Error {}

/** A file that cannot be read or written: `file: message`, printed alone; exit status 2. */
export class FileError extends UsageError {}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Output = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
};

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
