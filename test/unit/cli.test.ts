// The camsim command: results, exit codes and error format.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { main } from '../../core/cli/main';
import type { Output } from '../../core/cli/io';
import { RACY_DRIVERS } from '../helpers/drivers';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'camsim.js');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Output = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const sample = (n: string) => join(ROOT, 'samples', n);

for (const driver of RACY_DRIVERS) {
  test(`run ${driver}-race-before-fix: exit 0, the result names the panicking process and cam_periph_release_locked_buses`, async () => {
    const r = await cli('run', sample(`${driver}-race-before-fix.camsim`));
    assert.equal(r.code, 0, r.err);
    const result = r.out.split('\n').find((l) => l.startsWith('result: '));
    assert.match(result!, /^result: panic in process B, in cam_periph_release_locked_buses .*release of 0x[0-9a-f]+ when refcount is zero$/);
    assert.match(r.out, /expect panic: held/);
  });

  test(`run ${driver}-race-after-fix: exit 0, no panic, refcount back at its resting value`, async () => {
    const r = await cli('run', sample(`${driver}-race-after-fix.camsim`));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^result: no panic$/m);
    assert.match(r.out, new RegExp(`final: ${driver}0 \\(${driver} after-fix\\): refcount 1 \\(resting 1\\)`));
    assert.match(r.out, /expect no leak: held/);
  });
}

test('run with a failing expectation exits 1 and says which', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'camsim-'));
  const f = join(dir, 'x.camsim');
  writeFileSync(f, 'device pass0: pass after-fix\nprocess A {\n  open pass0 as f\n  close f\n}\nexpect panic\nexpect pass0.refcount == 7\n');
  const r = await cli('run', f);
  assert.equal(r.code, 1);
  assert.match(r.out, /expect panic: FAILED/);
  assert.match(r.out, /expect pass0.refcount == 7: FAILED/);
});

test('run --schedule replays a given interleaving; a bad schedule is invalid input', async () => {
  const good = await cli('run', '-q', sample('pass-race-after-fix.camsim'), '--schedule', 'A*27 B*21 A*14 B*14');
  assert.equal(good.code, 0);
  const bad = await cli('run', sample('pass-race-after-fix.camsim'), '--schedule', 'A Z');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--schedule:1:3: unknown process 'Z'/);
});

test('run --json gives one object with the same result', async () => {
  const r = await cli('run', '--json', sample('pass-race-before-fix.camsim'));
  const j = JSON.parse(r.out);
  assert.equal(j.status, 'panic');
  assert.equal(j.outcome.fn, 'cam_periph_release_locked_buses');
  assert.equal(j.outcome.process, 'B');
  assert.equal(j.schedule, 'schedule A*27 B*21 A*14 B*14');
  assert.ok(j.steps.length > 100);
  assert.deepEqual(j.expectations.map((e: { held: boolean }) => e.held), [true]);
});

test('the same --seed prints the same run', async () => {
  const a = await cli('run', '--seed', '9', sample('pass-race-after-fix.camsim'), '--schedule', 'A');
  const b = await cli('run', '--seed', '9', sample('pass-race-after-fix.camsim'), '--schedule', 'A');
  assert.equal(a.out, b.out);
});

test('lint on a broken file exits 2 with file:line:col: message lines for each error', () => {
  const file = join(ROOT, 'test', 'fixtures', 'broken.camsim');
  const r = spawnSync(process.execPath, [BIN, 'lint', file], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  const lines = r.stderr.trim().split('\n');
  assert.ok(lines.length >= 2, r.stderr);
  for (const l of lines) assert.match(l, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: error: .+`));
});

test('run on a broken file exits 2 with file:line:col on stderr and prints no run', () => {
  const file = join(ROOT, 'test', 'fixtures', 'broken.camsim');
  const r = spawnSync(process.execPath, [BIN, 'run', file], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /broken\.camsim:\d+:\d+: error: /);
  assert.equal(r.stdout, '');
});

test('a missing file, an unknown command and a bad option are usage errors (exit 2)', async () => {
  assert.equal((await cli('run', '/nonexistent.camsim')).code, 2);
  assert.equal((await cli('frobnicate')).code, 2);
  assert.equal((await cli('run', sample('pass-race-before-fix.camsim'), '--seed', 'x')).code, 2);
  assert.equal((await cli('run', sample('pass-race-before-fix.camsim'), '--bogus')).code, 2);
});

test('lint on the samples reports no errors (the before-fix race is a warning)', async () => {
  const r = await cli('lint', sample('pass-race-before-fix.camsim'), sample('pass-race-after-fix.camsim'));
  assert.equal(r.code, 0);
  assert.match(r.out, /pass-race-before-fix\.camsim:\d+:\d+: warning: .*D_TRACKCLOSE.* \[devfs-close-race\]/);
});

test('a reader that closes the pipe early does not make the command crash', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [BIN, 'run', sample('pass-race-before-fix.camsim')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve) => child.stdout.once('data', () => { child.stdout.destroy(); resolve(); }));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|Error/);
});
