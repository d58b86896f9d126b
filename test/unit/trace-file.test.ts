// The trace file: `run --trace` writes it, it parses back, it replays to the
// same final state and the same panic, and a changed scenario is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseTraceFile, replayTraceFile, serializeTraceFile, sha256, TRACE_FORMAT, TRACE_VERSION, type TraceFile } from '../../core/engine/trace/file';
import { formatSchedule } from '../../core/engine/run/schedulers';
import { cli, recordSample, samplePath, sampleText, tempDir } from './trace-helpers';

function devicesOf(t: TraceFile['final']['devices']) {
  return JSON.parse(JSON.stringify(t));
}

for (const name of ['pass-race-before-fix.camsim', 'pass-race-after-fix.camsim', 'pass-device-loss.camsim', 'sg-race-before-fix.camsim']) {
  test(`run --trace ${name}: the trace replays to the same final state and the same outcome`, async () => {
    const out = join(tempDir(), 'trace.json');
    const r = await cli('run', samplePath(name), '--quiet', '--trace', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^trace: .*trace\\.json \\(\\d+ steps\\)$`, 'm'));
    const parsed = parseTraceFile(readFileSync(out, 'utf8'));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
    const trace = parsed.trace;
    assert.equal(trace.format, TRACE_FORMAT);
    assert.equal(trace.version, TRACE_VERSION);
    assert.equal(trace.scenario.sha256, sha256(sampleText(name)));
    assert.equal(trace.schedule.line, r.out.match(/^replay: (.*)$/m)![1]);

    const replay = replayTraceFile(trace, sampleText(name));
    assert.ok(replay.ok, replay.ok ? '' : replay.message);
    const { run } = replay;
    assert.equal(run.steps.length, trace.steps.length);
    assert.equal(run.status, trace.result.status);
    assert.deepEqual(run.outcome ? { ...run.outcome, process: trace.processes[run.outcome.pid].name } : null, trace.result.outcome);
    const final: Record<string, unknown> = {};
    run.final.devs.forEach((d, i) => (final[run.final.config.devices[i].name] = d));
    assert.deepEqual(devicesOf(final as TraceFile['final']['devices']), trace.final.devices);
    // The final state the CLI printed is the one the replay reaches.
    const pass0 = run.final.devs[0];
    assert.match(r.out, new RegExp(`open_count ${pass0.open_count}, si_usecount ${pass0.si_usecount}, si_threadcount ${pass0.si_threadcount}$`, 'm'));
  });
}

test('the pass race trace records the panic on its step and in the result', () => {
  const t = recordSample('pass-race-before-fix.camsim');
  const last = t.steps[t.steps.length - 1];
  assert.equal(last.outcome?.kind, 'panic');
  assert.equal(last.fn, 'cam_periph_release_locked_buses');
  assert.equal(t.result.outcome?.process, 'B');
  assert.match(t.result.outcome!.message, /release of 0x[0-9a-f]+ when refcount is zero/);
  assert.equal(t.kernel.devices[0].variant, 'before-fix');
  assert.equal(t.schedule.line, formatSchedule(t.schedule.slices, ['A', 'B']));
  assert.equal(t.steps[t.steps.length - 1].slice, t.schedule.slices.length - 1);
});

test('errno is recorded on the step whose system call set it', () => {
  const t = recordSample('pass-device-loss.camsim');
  const withErrno = t.steps.filter((s) => s.errno !== undefined);
  assert.equal(withErrno.length, 1);
  assert.equal(withErrno[0].errno, 6); // ENXIO
  assert.ok(withErrno[0].changes.some((c) => c.path === 'A.errno' && c.new === 6));
  assert.ok(t.processes.some((p) => p.kind === 'taskq'));
});

test('a changed scenario is refused, naming both hashes', () => {
  const text = sampleText('pass-race-before-fix.camsim');
  const t = recordSample('pass-race-before-fix.camsim');
  const changed = text.replace(/^schedule .*$/m, (line) => `${line} A`);
  assert.notEqual(changed, text);
  const r = replayTraceFile(t, changed);
  assert.equal(r.ok, false);
  assert.ok(!r.ok);
  assert.match(r.message, /has changed since the trace was recorded/);
  assert.ok(r.message.includes(sha256(text)), r.message);
  assert.ok(r.message.includes(sha256(changed)), r.message);
  // Even a comment is a change: the hash is of the exact text.
  assert.equal(replayTraceFile(t, text + '# note\n').ok, false);
});

test('camsim trace --replay refuses a changed scenario with exit 1 and replays the recorded one', async () => {
  const dir = tempDir();
  const out = join(dir, 't.json');
  assert.equal((await cli('run', samplePath('pass-race-before-fix.camsim'), '-q', '--trace', out)).code, 0);
  const ok = await cli('trace', out, '--replay');
  assert.equal(ok.code, 0, ok.err);
  const steps = recordSample('pass-race-before-fix.camsim').steps.length;
  assert.match(ok.out, new RegExp(`^replay: ${steps} steps match the trace; panic: cam_periph_release_locked_buses: release of`));
  const changed = join(dir, 'changed.camsim');
  writeFileSync(changed, sampleText('pass-race-before-fix.camsim').replace('device pass0: pass before-fix', 'device pass0: pass after-fix'));
  const refused = await cli('trace', out, '--replay', '--scenario', changed);
  assert.equal(refused.code, 1);
  const notATrace = await cli('trace', samplePath('pass-race-before-fix.camsim'), '--replay');
  assert.equal(notATrace.code, 2);
  assert.match(notATrace.err, /--replay takes a trace file/);
  assert.match(refused.err, /replay refused: the scenario has changed since the trace was recorded: .*sha256 [0-9a-f]{64}.*sha256 [0-9a-f]{64}/);
});

test('a trace whose steps no longer match the kernel model is refused at the first differing step', () => {
  const t = recordSample('pass-race-before-fix.camsim');
  const edited: TraceFile = JSON.parse(serializeTraceFile(t));
  edited.steps[40].code = 'something else;';
  const r = replayTraceFile(edited, edited.scenario.text);
  assert.ok(!r.ok);
  assert.match(r.message, /differs from the trace at step 40/);
  const shorter: TraceFile = JSON.parse(serializeTraceFile(t));
  shorter.steps.pop();
  const r2 = replayTraceFile(shorter, shorter.scenario.text);
  assert.ok(!r2.ok);
  assert.match(r2.message, new RegExp(`the replay ran ${t.steps.length} steps, the trace has ${t.steps.length - 1}`));
});

test('serialize then parse gives back the same trace', () => {
  const t = recordSample('pass-device-loss.camsim');
  const text = serializeTraceFile(t);
  const parsed = parseTraceFile(text);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.trace, JSON.parse(JSON.stringify(t)));
  // One step per line keeps the file readable.
  assert.equal(text.split('\n').filter((l) => l.startsWith('    {"index":')).length, t.steps.length);
});

test('parseTraceFile explains what is wrong, and where', () => {
  const good = serializeTraceFile(recordSample('pass-race-before-fix.camsim'));
  const bad = (text: string) => {
    const r = parseTraceFile(text);
    assert.ok(!r.ok, 'expected a refusal');
    return r.message;
  };
  assert.match(bad('{\n  "format": "camsim-trace",\n  "version": 1,\n}'), /^not a trace file: invalid JSON at line 4, column 1/);
  assert.match(bad('[]'), /not a trace file: expected a JSON object, found an array/);
  assert.match(bad('{"traceEvents": []}'), /no "format" field/);
  assert.match(bad('{"format": "other"}'), /format is "other", expected "camsim-trace"/);
  assert.match(bad('{"format": "camsim-trace", "version": 9}'), /version 9 is newer than this camsim reads \(version 1\)/);
  assert.match(bad('{"format": "camsim-trace", "version": 0}'), /version 0 is not supported/);
  assert.match(bad(good.replace('"generator": "camsim",', '')), /^generator: expected a string, found nothing \(the field is missing\)/);
  assert.match(bad(good.replace(/("index":2,.*?"line":)(\d+)/, '$1"$2"')), /^steps\[2\]\.line: expected a whole number, found string "\d+"/);
  assert.match(bad(good.replace('"index":5,', '"index":6,')), /^steps\[5\]\.index: expected 5, found 6/);
  assert.match(bad(good.replace('"process":"B"', '"process":"C"')), /is not the name of pid 1/);
  assert.match(bad(good.replace('"kind": "roundRobin"', '"kind": "fifo"')), /^schedule\.policy: expected/);
  assert.match(bad(good.replace(/(schedule A\*)(\d+)/, (_, a: string, n: string) => a + (Number(n) + 1))), /embedded scenario text hashes to [0-9a-f]{64}: the file was edited by hand/);
});

test('a run cut short at --max-steps and a seeded random run replay exactly', async () => {
  const dir = tempDir();
  for (const args of [['--max-steps', '100'], ['--seed', '7', '--schedule', 'B A']]) {
    const out = join(dir, 't.json');
    await cli('run', samplePath('pass-race-before-fix.camsim'), '-q', '--trace', out, ...args);
    const parsed = parseTraceFile(readFileSync(out, 'utf8'));
    assert.ok(parsed.ok);
    const r = replayTraceFile(parsed.trace, parsed.trace.scenario.text);
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(r.run.truncated, parsed.trace.result.truncated);
    assert.equal(r.run.steps.length, parsed.trace.steps.length);
  }
});

test('property: any seeded random run of the samples records, serializes, parses and replays step for step', () => {
  const names = ['pass-race-before-fix.camsim', 'pass-device-loss.camsim', 'ch-race-before-fix.camsim'];
  fc.assert(
    fc.property(fc.constantFrom(...names), fc.nat({ max: 1_000_000 }), (name, seed) => {
      const t = recordSample(name, { policy: { kind: 'random', seed }, schedule: [] });
      const parsed = parseTraceFile(serializeTraceFile(t));
      if (!parsed.ok) return false;
      const r = replayTraceFile(parsed.trace, sampleText(name));
      return r.ok && r.run.steps.length === t.steps.length && r.run.status === t.result.status;
    }),
    { numRuns: 30 },
  );
});
