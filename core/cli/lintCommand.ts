// `camsim lint FILE...`: every diagnostic as `file:line:col: severity: message [code]`.
// Exit 2 when a file has errors (it cannot run), 0 otherwise.

import { analyze } from '../scenario';
import { formatDiagnostic, readText, type Output } from './io';

export function lintCommand(files: string[], io: Output): number {
  let errors = 0;
  for (const file of files) {
    const { diagnostics } = analyze(readText(file));
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
