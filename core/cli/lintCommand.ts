// `camsim lint FILE...`: every diagnostic as `file:line:col: severity: message [code]`.
// Exit 2 when a file has errors (it cannot run) or cannot be read, 0 otherwise.

import { analyze } from '../scenario';
import { FileError, formatDiagnostic, readText, type Output } from './io';

export function lintCommand(files: string[], io: Output): number {
  let errors = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readText(file);
    } catch (e) {
      // One unreadable file does not keep the others from being linted.
      if (!(e instanceof FileError)) throw e;
      errors++;
      io.err(e.message);
      continue;
    }
    const { diagnostics } = analyze(text);
    for (const d of diagnostics) {
      const line = formatDiagnostic(file, d);
      if (d.severity === 'error') {
        errors++;
        io.err(line);
      } else io.out(line);
    }
    if (diagnostics.length === 0) io.out(`${file}: ok`);
  }
  return errors > 0 ? 2 : 0;
}
