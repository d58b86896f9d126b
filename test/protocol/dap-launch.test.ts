// The debug adapter over stdio: initialize, launch (good and bad), threads,
// stacks and the model sources it serves.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { CAPABILITY_TRACE, CustomRequests } from '../../core/protocol';
import { DEVICE_LOSS, FIXED, RACE, SAMPLES, evaluate, failure, launchToStop, startClient, stopAfter, tempScenario, threadIdOf, topFrame, type Client } from './dap-client';

describe('dap: initialize and launch', () => {
  let dc: Client;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  test('initialize advertises time travel, the breakpoint kinds and the trace capability', async () => {
    const r = await dc.initializeRequest();
    const caps = r.body as Record<string, unknown>;
    for (const c of ['supportsStepBack', 'supportsDataBreakpoints', 'supportsFunctionBreakpoints', 'supportsConditionalBreakpoints', 'supportsHitConditionalBreakpoints', 'supportsLogPoints', 'supportsBreakpointLocationsRequest', 'supportsCompletionsRequest', 'supportsExceptionInfoRequest', 'supportsRestartRequest', CAPABILITY_TRACE]) {
      assert.equal(caps[c], true, c);
    }
    const filters = (caps.exceptionBreakpointFilters as { filter: string; default?: boolean }[]).map((f) => [f.filter, f.default === true]);
    assert.deepEqual(filters, [['panic', true], ['lockdrop', false], ['errno', false], ['deadlock', true]]);
  });

  test('stopOnEntry stops before the first step, one thread per process', async () => {
    const ev = await launchToStop(dc, { program: RACE, stopOnEntry: true });
    assert.equal(ev.body.reason, 'entry');
    const threads = await dc.threadsRequest();
    assert.deepEqual(threads.body.threads.map((t) => t.name), ['A', 'B']);
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames.length, 1, 'between statements only the scenario frame');
    assert.equal(st.body.stackFrames[0].source?.path, RACE);
    assert.equal(st.body.stackFrames[0].line, 11, 'the first statement of A: open pass0 as f');
    assert.match(st.body.stackFrames[0].name, /A: open pass0 as f/);
  });

  test('a scenario with a lost device has the taskqueue thread', async () => {
    await launchToStop(dc, { program: DEVICE_LOSS, stopOnEntry: true });
    const threads = await dc.threadsRequest();
    assert.deepEqual(threads.body.threads.map((t) => t.name.split(' ')[0]), ['A', 'L', 'taskq']);
    const taskq = threads.body.threads[2];
    const st = await dc.stackTraceRequest({ threadId: taskq.id });
    assert.match(st.body.stackFrames[0].name, /taskqueue/);
    assert.match(st.body.stackFrames[0].name, /blocked: waits for work/, 'the idle taskqueue says what it waits for');
  });

  test('kernel frames are lines of model sources the adapter serves, the bottom frame the statement', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    // Step A into the kernel: open enters kern_openat, then vn_open.
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const frames = st.body.stackFrames;
    assert.deepEqual(frames.map((f) => f.name.replace(/\(\).*/, '')), ['vn_open', 'kern_openat', 'A: open pass0 as f']);
    assert.equal(frames[0].source?.name, 'vfs_vnops.c');
    assert.ok((frames[0].source?.sourceReference ?? 0) > 0, 'a model source has a source reference');
    assert.equal(frames[2].source?.path, RACE);
    const src = await dc.sourceRequest({ source: frames[0].source, sourceReference: frames[0].source!.sourceReference! });
    const lines = src.body.content.split('\n');
    assert.match(lines[frames[0].line - 1], /namei/, 'the frame line is the line of the model source shown');
    assert.match(src.body.content, /Read-only/);
    const loaded = await dc.customRequest('loadedSources', {});
    const names = (loaded.body.sources as { name: string }[]).map((s) => s.name);
    assert.ok(names.includes('devfs_vnops.c') && names.includes('scsi_pass.c') && names.includes('cam_periph.c'));
  });

  test('a blocked process shows what it waits for', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    // Step A until it holds the vnode lock (vget's vn_lock), then B's open must wait for it.
    for (let i = 0; i < 20 && (await evaluate(dc, 'pass0.vnode_lock.holder')) !== 'A'; i++) await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    assert.equal(await evaluate(dc, 'pass0.vnode_lock.holder'), 'A');
    let blocked = '';
    for (let i = 0; i < 30 && !blocked; i++) {
      const e = await stopAfter(dc, () => dc.stepInRequest({ threadId: 2 }));
      if (/blocked/.test(e.body.description ?? '')) blocked = e.body.description!;
    }
    assert.match(blocked, /B is now blocked, waiting for pass0\.vnode_lock held by A/);
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads[1].name, 'B (blocked)');
    const top = await topFrame(dc, 2);
    assert.match(top.name, /blocked: waits for pass0\.vnode_lock held by A/);
    // `next` on the blocked B does not hang: it stops at once and says why.
    const again = await stopAfter(dc, () => dc.nextRequest({ threadId: 2 }));
    assert.match(again.body.description ?? '', /B is blocked: it waits for pass0\.vnode_lock held by A/);
    assert.ok(dc.outputs.some((o) => /B is blocked/.test(o.output)));
    assert.equal(await evaluate(dc, 'B.blocked'), 'true');
  });

  test('an invalid scenario fails the launch with the checker errors as file:line:col', async () => {
    await dc.initializeRequest();
    const broken = path.resolve(SAMPLES, '../test/fixtures/broken.camsim');
    const message = await failure(dc.launchRequest({ program: broken } as never));
    assert.match(message, /the scenario has errors/);
    assert.match(message, new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
    // The adapter keeps serving.
    const again = await failure(dc.threadsRequest());
    assert.match(again, /launch/);
  });

  test('bad launch arguments get error responses, then a good launch works', async () => {
    await dc.initializeRequest();
    assert.match(await failure(dc.launchRequest({} as never)), /"program" must be the path/);
    assert.match(await failure(dc.launchRequest({ program: path.join(os.tmpdir(), 'no-such.camsim') } as never)), /cannot read .*no such file/);
    assert.match(await failure(dc.launchRequest({ program: RACE, schedule: 'A C' } as never)), /"schedule":1:3: unknown process 'C'/);
    assert.match(await failure(dc.launchRequest({ program: RACE, schedule: { random: -1 } } as never)), /random/);
    assert.match(await failure(dc.launchRequest({ program: RACE, maxSteps: 0 } as never)), /maxSteps/);
    assert.match(await failure(dc.launchRequest({ program: RACE, stopOnEntry: 'yes' } as never)), /stopOnEntry/);
    assert.match(await failure(dc.launchRequest({ program: RACE, trace: path.join(os.tmpdir(), 'missing.trace.json') } as never)), /"trace": cannot read/);
    const ev = await launchToStop(dc, { program: FIXED, stopOnEntry: true });
    assert.equal(ev.body.reason, 'entry');
  });

  test('schedule options: roundRobin, random and a schedule line', async () => {
    const ev = await launchToStop(dc, { program: RACE, schedule: { random: 7 } });
    assert.ok(['exception', 'end of the run'].includes(ev.body.reason));
    const trace = await dc.customRequest(CustomRequests.trace, {});
    assert.ok((trace.body.total as number) > 10);
  });

  test('maxSteps stops the run there', async () => {
    const ev = await launchToStop(dc, { program: FIXED, maxSteps: 40 });
    assert.equal(ev.body.reason, 'end of the run');
    assert.match(ev.body.description ?? '', /step limit \(maxSteps: 40\)/);
    const trace = await dc.customRequest(CustomRequests.trace, {});
    assert.equal(trace.body.total, 40);
    assert.match(await failure(dc.customRequest(CustomRequests.gotoStep, { step: 41 })), /outside the recording/);
  });

  test('a trace file replays: launch with "trace" follows its schedule to the same end', async () => {
    // Record: run to the panic, export, then debug the export.
    await launchToStop(dc, { program: RACE });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-trace-')), 'race.trace.json');
    await dc.customRequest(CustomRequests.exportTrace, { path: file });
    await dc.stop();
    dc = await startClient();
    const ev = await launchToStop(dc, { program: RACE, trace: file });
    assert.equal(ev.body.reason, 'exception');
    assert.match(ev.body.text ?? '', /cam_periph_release_locked_buses/);
    // A trace of another scenario is refused with the reason.
    await dc.stop();
    dc = await startClient();
    await dc.initializeRequest();
    const other = tempScenario('other.camsim', fs.readFileSync(RACE, 'utf8').replace('two processes', 'two other processes'));
    assert.match(await failure(dc.launchRequest({ program: other, trace: file } as never)), /scenario has changed/);
  });
});

describe('dap: threads of a finished run', () => {
  test('the end of a run stops with reason end and every thread finished', async () => {
    const dc = await startClient();
    try {
      const ev = await launchToStop(dc, { program: FIXED });
      assert.equal(ev.body.reason, 'end of the run');
      assert.match(ev.body.description ?? '', /finished/);
      const threads = await dc.threadsRequest();
      assert.deepEqual(threads.body.threads.map((t) => t.name), ['A (finished)', 'B (finished)']);
      const id = await threadIdOf(dc, 'A');
      const top = await topFrame(dc, id);
      assert.match(top.name, /A: finished/);
      assert.ok(dc.outputs.some((o) => /refcount 1 \(resting 1\)/.test(o.output)), 'the end reports the final counters');
    } finally {
      await dc.stop();
    }
  });
});
