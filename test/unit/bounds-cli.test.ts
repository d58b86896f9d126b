// The command's bounds on what it reads and writes: only regular files of a
// bounded size are read; a failed write is one line and exit status 2; long runs
// are written as they run, in the same bytes as the documents built whole, and
// in flat memory; a trace file that contradicts itself is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../core/cli/main';
import type { Output } from '../../core/cli/io';
import { MAX_SCENARIO_BYTES } from '../../core/files';
import { loadScenario, runScenario, scenarioSchedule } from '../../core/engine/scenarioRun';
import { formatSchedule } from '../../core/engine/run/schedulers';
import { buildTraceFile, serializeTraceFile, type TraceFile } from '../../core/engine/trace/file';
import { formatOutcome } from '../../core/cli/format';
import { runJson } from '../../core/cli/jsonOutput';
import { recordSample, ROOT, samplePath, sampleText, tempDir } from './trace-helpers';

const BIN = join(ROOT, 'bin', 'camsim.js');
const SAMPLES = ['pass-race-before-fix.camsim', 'pass-race-after-fix.camsim', 'sg-race-before-fix.camsim', 'ch-race-after-fix.camsim', 'pass-device-loss.camsim', 'pt-exclusive.camsim'];

/** The real command, with stdout going to `stdout` (a file descriptor) or captured. */
function camsim(args: string[], opts: { stdout?: number; node?: string[]; timeoutMs?: number } = {}): { status: number | null; stdout: string; stderr: string; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...(opts.node ?? []), BIN, ...args], {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 30_000,
    stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr, ms: performance.now() - t0 };
}

/** The command in process, with raw writes kept as written (as standard output receives them). */
async function captured(...argv: string[]): Promise<{ code: number; raw: string; err: string }> {
  let raw = '';
  const err: string[] = [];
  const io: Output = { out: (t) => (raw += t + '\n'), write: (t) => (raw += t), err: (t) => err.push(t) };
  const code = await main(argv, io);
  return { code, raw, err: err.join('\n') };
}

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at |\.js:\d+/, 'no stack trace');
  return lines[0];
}

// ---- reading ----

test('regression: camsim lint /dev/zero exits 2 at once with one line, file: message', () => {
  const r = camsim(['lint', '/dev/zero'], { timeoutMs: 10_000 });
  assert.equal(r.status, 2);
  assert.equal(oneLine(r.stderr), '/dev/zero: cannot read: it is a character device: camsim reads only regular files');
  assert.ok(r.ms < 5_000, `took ${r.ms} ms`);
});

test('regression: run, check and trace refuse /dev/zero and a FIFO at once (a FIFO without a writer used to block forever)', () => {
  const fifo = join(tempDir(), 'scenario.camsim');
  const made = spawnSync('mkfifo', [fifo]);
  const inputs = ['/dev/zero', ...(made.status === 0 && existsSync(fifo) ? [fifo] : [])];
  for (const input of inputs) {
    for (const args of [['run', input], ['check', input], ['trace', input], ['trace', input, '--replay'], ['lint', input]]) {
      const r = camsim(args, { timeoutMs: 10_000 });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(oneLine(r.stderr), new RegExp(`^${input.replace(/[/.]/g, '\\$&')}: cannot read: it is a (character device|FIFO \\(named pipe\\)): camsim reads only regular files$`));
    }
  }
});

test('a scenario larger than the limit is refused with its size; a directory is refused; lint goes on with the other files', async () => {
  const dir = tempDir();
  const big = join(dir, 'big.camsim');
  writeFileSync(big, '# ' + 'x'.repeat(MAX_SCENARIO_BYTES) + '\n');
  const r = await captured('lint', big, dir, samplePath('pass-race-after-fix.camsim'));
  assert.equal(r.code, 2);
  assert.match(r.err, /big\.camsim: cannot read: it has \d+ bytes, more than the 4 MiB camsim reads from such a file/);
  assert.match(r.err, /: cannot read: it is a directory/);
  assert.match(r.raw, /pass-race-after-fix\.camsim: ok/);
  const run = await captured('run', big);
  assert.equal(run.code, 2);
  assert.doesNotMatch(run.err, /usage:/, 'a file that cannot be read is no usage error');
});

// ---- writing ----

test('regression: camsim run SAMPLE > /dev/full prints one line and exits 2, not a stack trace and 1', { skip: !existsSync('/dev/full') && 'no /dev/full here' }, () => {
  for (const args of [['run', samplePath('pass-race-before-fix.camsim')], ['run', '--json', samplePath('pass-race-before-fix.camsim')], ['check', samplePath('pass-race-before-fix.camsim')], ['trace', samplePath('pass-race-before-fix.camsim')], ['lint', samplePath('pass-race-before-fix.camsim')], ['help']]) {
    const full = openSync('/dev/full', 'w');
    const r = camsim(args, { stdout: full });
    closeSync(full);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(oneLine(r.stderr), 'camsim: cannot write output: ENOSPC (no space left on device)');
  }
});

test('a trace file that cannot be written is one line, file: cannot write: why, and exit 2', async () => {
  const r = await captured('run', samplePath('pass-race-before-fix.camsim'), '--trace', join(tempDir(), 'no', 'such', 'dir', 't.json'));
  assert.equal(r.code, 2);
  assert.match(oneLine(r.err), /t\.json: cannot write: no such directory$/);
});

test('a reader that stops early (camsim run ... | head -1) ends the command quietly with status 0', async () => {
  const file = join(tempDir(), 'loop.camsim');
  writeFileSync(file, 'device pass0: pass after-fix\nprocess A {\n  repeat 100000 {\n    open pass0 as f\n    close f\n  }\n}\n');
  const c = spawn(process.execPath, [BIN, 'run', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  c.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  c.stdout.once('data', () => c.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => c.on('close', resolve));
  assert.equal(code, 0, err);
  assert.equal(err, '');
});

// ---- streamed documents ----

/** The sample's own schedule line, as the command records it as the schedule asked for. */
function ownSchedule(name: string): string | null {
  const loaded = loadScenario(sampleText(name));
  const own = scenarioSchedule(loaded.scenario, loaded.config!);
  return own ? formatSchedule(own, loaded.config!.processes.map((p) => p.name)) : null;
}

/** `camsim run --json` as it was written before it streamed: the whole document, stringified at once. */
function jsonBuiltWhole(name: string, file: string, opts: { seed?: number; maxSteps?: number }): string {
  const loaded = loadScenario(sampleText(name));
  const config = loaded.config!;
  const names = config.processes.map((p) => p.name);
  const { run, expectations, ok } = runScenario(loaded, { maxSteps: opts.maxSteps, policy: opts.seed === undefined ? undefined : { kind: 'random', seed: opts.seed } });
  const result = run.outcome ? formatOutcome(run.outcome, config) : run.truncated ? `no panic in ${run.steps.length} steps (cut short at --max-steps)` : 'no panic';
  return JSON.stringify(runJson(file, loaded, run, expectations, ok, result, formatSchedule(run.slices, names))) + '\n';
}

test('run --json and run --trace write, piece by piece, exactly the bytes of the documents built whole', async () => {
  for (const name of SAMPLES) {
    for (const o of [{}, { seed: 5 }, { maxSteps: 40 }]) {
      const file = samplePath(name);
      const trace = join(tempDir(), 't.json');
      const args = ['run', file, '--json', '--trace', trace];
      if ('seed' in o) args.push('--seed', String(o.seed));
      if ('maxSteps' in o) args.push('--max-steps', String(o.maxSteps));
      const r = await captured(...args);
      assert.equal(r.raw, jsonBuiltWhole(name, file, o), `${name} ${JSON.stringify(o)}`);
      const whole: TraceFile = recordSample(name, { maxSteps: o.maxSteps, policy: o.seed === undefined ? undefined : { kind: 'random', seed: o.seed } });
      whole.scenario.file = file;
      whole.schedule.maxSteps = o.maxSteps ?? null;
      whole.schedule.requested = ownSchedule(name);
      assert.equal(readFileSync(trace, 'utf8'), serializeTraceFile(whole), `${name} ${JSON.stringify(o)}: trace file`);
    }
  }
});

test('trace --format camsim from a scenario streams the same bytes as the trace built whole', async () => {
  const name = 'pass-race-before-fix.camsim';
  const r = await captured('trace', samplePath(name), '--format', 'camsim');
  const loaded = loadScenario(sampleText(name));
  const expected = serializeTraceFile(buildTraceFile(loaded, runScenario(loaded).run, { file: samplePath(name), generator: 'camsim', requested: ownSchedule(name) }));
  assert.equal(r.raw, expected);
});

test('regression: run --json of a long run does not build the document whole (it fits a 64 MB heap)', () => {
  const file = join(tempDir(), 'long.camsim');
  writeFileSync(file, 'device pass0: pass after-fix\nprocess A {\n  repeat 1000000 {\n    open pass0 as f\n    close f\n  }\n}\n');
  // 300,000 steps: about 200 MB as one JSON string, never held at once when streamed.
  const out = join(tempDir(), 'out.json');
  const fd = openSync(out, 'w');
  const r = camsim(['run', '--json', '--max-steps', '300000', file, '--trace', join(tempDir(), 't.json')], { stdout: fd, node: ['--max-old-space-size=64'], timeoutMs: 120_000 });
  closeSync(fd);
  assert.equal(r.status, 0, r.stderr.slice(0, 2000));
  const tail = readFileSync(out, 'utf8').slice(-2000);
  assert.match(tail, /"ok":true}\n$/);
});

// ---- trace files that contradict themselves ----

test('regression: trace --replay refuses an outcome naming a process that does not exist, and more steps than maxSteps', async () => {
  const dir = tempDir();
  const t = recordSample('pass-race-before-fix.camsim');
  const bad1: TraceFile = JSON.parse(serializeTraceFile(t));
  bad1.result.outcome!.pid = 99;
  writeFileSync(join(dir, 'pid.json'), JSON.stringify(bad1));
  const r1 = await captured('trace', join(dir, 'pid.json'), '--replay');
  assert.equal(r1.code, 2);
  assert.match(r1.err, /pid\.json: result\.outcome\.pid: pid 99 is not one of the 2 processes/);

  const bad2: TraceFile = JSON.parse(serializeTraceFile(t));
  bad2.result.outcome!.process = 'Z';
  writeFileSync(join(dir, 'name.json'), JSON.stringify(bad2));
  const r2 = await captured('trace', join(dir, 'name.json'), '--replay');
  assert.equal(r2.code, 2);
  assert.match(r2.err, /result\.outcome\.process: 'Z' is not the name of pid 1 \('B'\)/);

  const bad3: TraceFile = JSON.parse(serializeTraceFile(t));
  bad3.schedule.maxSteps = 1;
  writeFileSync(join(dir, 'max.json'), JSON.stringify(bad3));
  const r3 = await captured('trace', join(dir, 'max.json'), '--replay');
  assert.equal(r3.code, 2);
  assert.match(r3.err, new RegExp(`schedule\\.maxSteps: the run was limited to 1 steps, but the trace holds ${t.steps.length}`));
});

test('regression: a trace file that starts with a UTF-8 byte order mark is read and replays', async () => {
  const dir = tempDir();
  const t = recordSample('pass-race-before-fix.camsim');
  writeFileSync(join(dir, 'bom.json'), '\ufeff' + serializeTraceFile(t));
  const r = await captured('trace', join(dir, 'bom.json'), '--replay');
  assert.equal(r.code, 0, r.err);
  assert.match(r.raw, new RegExp(`^replay: ${t.steps.length} steps match the trace; panic: `));
});

test('a trace cut short at --max-steps holds exactly maxSteps steps and replays', async () => {
  const dir = tempDir();
  const out = join(dir, 't.json');
  const r = await captured('run', '-q', samplePath('pass-race-before-fix.camsim'), '--max-steps', '51', '--trace', out);
  assert.equal(r.code, 1);
  const rep = await captured('trace', out, '--replay');
  assert.equal(rep.code, 0, rep.err);
  assert.match(rep.raw, /^replay: 51 steps match the trace; no panic, cut short as recorded/);
});

test('trace refuses a Chrome export of a run too long to hold in memory, and says what to do instead', async () => {
  const file = join(tempDir(), 'long.camsim');
  writeFileSync(file, 'device pass0: pass after-fix\nprocess A {\n  repeat 1000000 {\n    open pass0 as f\n    close f\n  }\n}\n');
  const r = await captured('trace', file, '--max-steps', '2000001');
  assert.equal(r.code, 2);
  assert.match(oneLine(r.err), /long\.camsim: the run has 2000001 steps, more than the 2000000 that a Chrome export holds in memory: limit it with --max-steps, or write a trace file with --format camsim/);
});
