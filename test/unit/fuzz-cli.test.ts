// Fuzzing the command (fixed seeds): mutated samples, generated nested repeats
// and garbage bytes through lint, run, check and trace. For every case: an
// answer within a time bound, one of the documented exit statuses, no stack
// trace and no "internal error" in what it printed, and a message on standard
// error whenever it refused the input. Most cases run in this process (the
// command's own code); a share runs the real `camsim` executable with a 512 MB
// heap, so that memory is bounded too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { main } from '../../core/cli/main';
import type { Output } from '../../core/cli/io';
import { brokenOutput, hostileFile } from '../helpers/fuzzScenarios';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'camsim.js');
const DIR = mkdtempSync(join(tmpdir(), 'camsim-fuzz-'));

/** Each command with the bounds that keep a case short; and the statuses it documents. */
const COMMANDS: { args: (f: string) => string[]; statuses: number[]; boundMs: number }[] = [
  { args: (f) => ['lint', f], statuses: [0, 2], boundMs: 2_000 },
  { args: (f) => ['run', '-q', '--max-steps', '20000', f], statuses: [0, 1, 2], boundMs: 5_000 },
  { args: (f) => ['run', '--json', '--max-steps', '3000', f], statuses: [0, 1, 2], boundMs: 5_000 },
  { args: (f) => ['check', '-q', '--timeout', '0.4', '--max-memory', '128M', f], statuses: [0, 1, 2, 3], boundMs: 5_000 },
  { args: (f) => ['trace', f, '--format', 'camsim', '--max-steps', '3000'], statuses: [0, 2], boundMs: 5_000 },
  { args: (f) => ['trace', f, '--max-steps', '3000'], statuses: [0, 2], boundMs: 5_000 },
];

let files = 0;
function write(bytes: Uint8Array): string {
  const f = join(DIR, `case-${++files}.camsim`);
  writeFileSync(f, bytes);
  return f;
}

function judge(what: string, status: number | null, out: string, err: string, ms: number, c: (typeof COMMANDS)[number]): void {
  assert.ok(ms < c.boundMs, `${what}: answered after ${ms.toFixed(0)} ms (bound ${c.boundMs} ms)`);
  assert.ok(status !== null && c.statuses.includes(status), `${what}: exit status ${status}, documented ${c.statuses.join(', ')}\n${err.slice(0, 1000)}`);
  const broken = brokenOutput(out + '\n' + err);
  assert.equal(broken, undefined, `${what}: ${broken}`);
  if (status === 2) assert.match(err, /\S/, `${what}: refused without a word on standard error`);
}

test('fuzz: lint, run, check and trace in process answer every hostile file in time, with a documented status and no stack trace', { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(hostileFile, fc.nat({ max: COMMANDS.length - 1 }), async (bytes, which) => {
      const f = write(bytes);
      const c = COMMANDS[which];
      const args = c.args(f);
      let out = '';
      let err = '';
      const io: Output = { out: (t) => (out += t + '\n'), write: (t) => (out += t), err: (t) => (err += t + '\n') };
      const t0 = performance.now();
      const status = await main(args, io);
      judge(`camsim ${args.join(' ')}`, status, out, err, performance.now() - t0, c);
    }),
    { seed: 12012, numRuns: 1000, endOnFailure: true },
  );
});

test('fuzz: the camsim executable (512 MB heap) answers hostile files in time, with a documented status and one line per problem, never a stack trace', { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(hostileFile, fc.nat({ max: COMMANDS.length - 1 }), async (bytes, which) => {
      const f = write(bytes);
      const c = COMMANDS[which];
      const args = c.args(f);
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ['--max-old-space-size=512', BIN, ...args], { encoding: 'utf8', timeout: c.boundMs * 3, maxBuffer: 1 << 28 });
      judge(`camsim ${args.join(' ')}`, r.status, r.stdout, r.stderr, performance.now() - t0 - 300, { ...c, boundMs: c.boundMs + 2_000 });
    }),
    { seed: 12013, numRuns: 60, endOnFailure: true },
  );
});
