// Reading scenario files and reporting invalid input as `file:line:col: message`.

import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../scenario/ast';

export class UsageError extends Error {}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Output = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
};

/** Reads a file, or throws a UsageError that says why it could not. */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? String(e);
    throw new UsageError(`${file}: cannot read: ${why}`);
  }
}

/** `file:line:col: severity: message [code]`, 1-based as compilers print it. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}
