// pass(4) as a driver written in C (the `driver` blocks of the two own-driver
// samples) and as the built-in model, in scenarios of N processes each doing K
// open/close cycles: the equivalence test and the benchmark compare the two.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SAMPLES = join(__dirname, '..', '..', '..', 'samples');

/** The `driver NAME { ... }` block of a sample (from `driver` to the `}` that closes it at column 0). */
export function driverBlock(sample: string): string {
  const text = readFileSync(join(SAMPLES, sample), 'utf8');
  const m = /^driver [\s\S]*?^}$/m.exec(text);
  if (!m) throw new Error(`${sample} has no driver block`);
  return m[0];
}

/**
 * pass before (`fixed` false) or after the fix, `n` processes, `k` cycles each:
 * the built-in model (`own` false) or the C transcription of the samples.
 * Before the fix it expects the panic; after, no panic and no deadlock.
 */
export function passRaceScenario(n: number, k: number, fixed: boolean, own: boolean): string {
  const lines: string[] = [];
  if (own) lines.push(driverBlock(fixed ? 'own-driver-pass-after-fix.camsim' : 'own-driver-pass-before-fix.camsim'), 'device pass0: mypass');
  else lines.push(`device pass0: pass ${fixed ? 'after-fix' : 'before-fix'}`);
  for (let i = 1; i <= n; i++) lines.push(`process P${i} {`, `  repeat ${k} {`, '    open pass0 as f', '    close f', '  }', '}');
  lines.push(...(fixed ? ['expect no panic', 'expect no deadlock'] : ['expect panic']));
  return lines.join('\n') + '\n';
}
