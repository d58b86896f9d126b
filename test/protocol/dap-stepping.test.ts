// Stepping and time travel through the adapter: one process at a time, over,
// into and out of calls, continue to the panic and its replay line, step back,
// reverse-continue, forking a timeline, goto, restart and pause.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { CustomRequests } from '../../core/protocol';
import { RACE, evaluate, launchToStop, startClient, stopAfter, tempScenario, topFrame, variable, type Client } from './dap-client';

const CLI = path.resolve(__dirname, '../../../bin/camsim.js');
const PANIC = /cam_periph_release_locked_buses: release of 0x[0-9a-f]+ when refcount is zero/;

async function stack(dc: Client, threadId: number): Promise<string[]> {
  const st = await dc.stackTraceRequest({ threadId });
  return st.body.stackFrames.map((f) => `${f.name} @${f.source?.name}:${f.line}`);
}

async function cursor(dc: Client): Promise<{ cursor: number; total: number }> {
  const r = await dc.customRequest(CustomRequests.trace, { from: 0, count: 0 });
  return { cursor: r.body.cursor as number, total: r.body.total as number };
}

/** `camsim run FILE --schedule LINE --quiet`: its output (the exit code is 1 when an expectation fails). */
function cliRun(file: string, scheduleLine: string): string {
  const args = [CLI, 'run', file, '--schedule', scheduleLine.replace(/^schedule\s+/, ''), '--quiet'];
  try {
    return execFileSync(process.execPath, args, { encoding: 'utf8' });
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

describe('dap: stepping and time travel', () => {
  let dc: Client;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  test('stepping B moves only B: A stays frozen', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    const aBefore = await stack(dc, 1);
    const bBefore = await stack(dc, 2);
    for (let i = 0; i < 8; i++) {
      const ev = await stopAfter(dc, () => dc.stepInRequest({ threadId: 2 }));
      assert.equal(ev.body.reason, 'step');
      assert.equal(ev.body.threadId, 2);
    }
    assert.deepEqual(await stack(dc, 1), aBefore, 'A has not moved');
    assert.notDeepEqual(await stack(dc, 2), bBefore, 'B has moved');
    assert.equal(await evaluate(dc, 'A.steps'), '0');
    assert.equal(await evaluate(dc, 'B.steps'), '8');
    // `next` on B steps over the call it is at and stays in the same frame.
    const depth = (await stack(dc, 2)).length;
    await stopAfter(dc, () => dc.nextRequest({ threadId: 2 }));
    assert.ok((await stack(dc, 2)).length <= depth);
    assert.equal(await evaluate(dc, 'A.steps'), '0');
  });

  test('next runs a whole statement; stepIn enters the kernel; stepOut leaves a frame', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    // At the statement: next runs the open system call to its end.
    const ev = await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    assert.equal(ev.body.reason, 'step');
    const top = await topFrame(dc, 1);
    assert.equal(top.line, 12, 'A is at its next statement, close f');
    assert.equal(await evaluate(dc, 'A.f.open'), 'true');
    assert.equal(await evaluate(dc, 'B.steps'), '0', 'B did not move');
    // stepIn: into kern_close, then vn_close.
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    assert.match((await stack(dc, 1))[0], /^kern_close\(\)/);
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    assert.match((await stack(dc, 1))[0], /^vn_close\(\)/);
    // stepOut: back in kern_close, vn_close has returned.
    await stopAfter(dc, () => dc.stepOutRequest({ threadId: 1 }));
    const after = await stack(dc, 1);
    assert.match(after[0], /^kern_close\(\)/);
    assert.equal(after.length, 2);
  });

  test('continue with singleThread runs one process until it blocks or finishes', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    const ev = await stopAfter(dc, () => dc.continueRequest({ threadId: 2, singleThread: true }));
    assert.equal(ev.body.threadId, 2);
    assert.match(ev.body.description ?? '', /B has finished/);
    assert.equal(await evaluate(dc, 'A.steps'), '0', 'A stayed frozen');
    assert.equal(await evaluate(dc, 'pass0.refcount'), '0', 'B opened and closed alone: no race');
  });

  test('continue reaches the panic: an exception naming cam_periph_release_locked_buses, with the schedule that replays it', async () => {
    const ev = await launchToStop(dc, { program: RACE });
    assert.equal(ev.body.reason, 'exception');
    assert.equal(ev.body.threadId, 2, 'B panics');
    assert.match(ev.body.text ?? '', PANIC);
    const top = await topFrame(dc, 2);
    assert.match(top.name, /^cam_periph_release_locked_buses\(\)/);
    const info = await dc.exceptionInfoRequest({ threadId: 2 });
    assert.equal(info.body.exceptionId, 'panic');
    assert.equal(info.body.breakMode, 'always');
    assert.match(info.body.description ?? '', PANIC);
    const line = /replay: (schedule [^\n(]+)/.exec(info.body.details?.stackTrace ?? '')?.[1]?.trim();
    assert.ok(line, 'the details carry the schedule line');
    assert.match(cliRun(RACE, line), PANIC, 'the line replays the panic under camsim run --schedule');
    assert.ok(dc.outputs.some((o) => PANIC.test(o.output)), 'the console shows the panic too');
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads[1].name, 'B (panicked)');
  });

  test('when the debugger switches processes inside slices, the replay line still reproduces the panic', async () => {
    // B's first slice (plain steps up to its first lock) moved before A's: the same race.
    await launchToStop(dc, { program: RACE, stopOnEntry: true, schedule: 'A B A*26 B*20 A*14 B*14' });
    const stepIn = (t: number, n: number) => (async () => {
      for (let i = 0; i < n; i++) await stopAfter(dc, () => dc.stepInRequest({ threadId: t }));
    })();
    await stepIn(1, 1);
    await stepIn(2, 1);
    await stepIn(1, 5);
    await stepIn(2, 5);
    const ev = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(ev.body.reason, 'exception');
    const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId! });
    const line = /replay: (schedule [^\n(]+)/.exec(info.body.details?.stackTrace ?? '')?.[1]?.trim();
    assert.equal(line, 'schedule A B A*26 B*20 A*14 B*14');
    assert.doesNotMatch(info.body.details?.stackTrace ?? '', /approximate/);
    assert.match(cliRun(RACE, line!), PANIC);
  });

  test('stepBack after the panic restores the earlier refcount in variables', async () => {
    await launchToStop(dc, { program: RACE });
    assert.equal(await variable(dc, 2, 'Periphs/pass0/refcount'), '0');
    const first = await stopAfter(dc, () => dc.stepBackRequest({ threadId: 2 }));
    assert.equal(first.body.reason, 'step');
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads[1].name, 'B', 'one step back, the panic has not happened');
    let refcount = '0';
    for (let i = 0; i < 60 && refcount === '0'; i++) {
      await stopAfter(dc, () => dc.stepBackRequest({ threadId: 2 }));
      refcount = await variable(dc, 2, 'Periphs/pass0/refcount');
    }
    assert.equal(refcount, '1', 'before A released the last reference');
    assert.equal(await evaluate(dc, 'pass0.refcount'), '1', 'evaluate sees the past too');
    // Forward again along the recording: the same panic, and no new timeline.
    const again = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(again.body.reason, 'exception');
    assert.ok(!dc.outputs.some((o) => /New timeline/.test(o.output)));
  });

  test('reverseContinue stops at breakpoints going backwards, then at the start', async () => {
    await launchToStop(dc, { program: RACE });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'passclose' }] });
    const b = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 2 }));
    assert.equal(b.body.reason, 'function breakpoint');
    assert.equal(b.body.threadId, 2, 'the last passclose before the panic is B\'s');
    assert.match((await topFrame(dc, 2)).name, /^passclose/);
    const a = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 2 }));
    assert.equal(a.body.threadId, 1, 'then A\'s');
    assert.match((await topFrame(dc, 1)).name, /^passclose/);
    const start = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(start.body.reason, 'entry');
    assert.equal((await cursor(dc)).cursor, 0);
    // Forwards from the start, the same breakpoint fires first for A.
    const fwd = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(fwd.body.threadId, 1);
  });

  test('stepping another process from the past forks a new timeline and says so', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    for (let i = 0; i < 5; i++) await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    for (let i = 0; i < 3; i++) await stopAfter(dc, () => dc.stepBackRequest({ threadId: 1 }));
    assert.deepEqual(await cursor(dc), { cursor: 2, total: 5 });
    // The same choice as recorded: the cursor moves along the recording.
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    assert.deepEqual(await cursor(dc), { cursor: 3, total: 5 });
    assert.ok(!dc.outputs.some((o) => /New timeline/.test(o.output)));
    // Another process: the future is discarded.
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 2 }));
    assert.deepEqual(await cursor(dc), { cursor: 4, total: 4 });
    const told = dc.outputs.find((o) => /New timeline from step 3: B runs here where the recording had A; the recorded future \(2 steps\) is discarded/.test(o.output));
    assert.ok(told);
    assert.equal(told.category, 'important');
  });

  test('camsim/gotoStep moves the cursor and the variables follow', async () => {
    await launchToStop(dc, { program: RACE });
    const trace = await dc.customRequest(CustomRequests.trace, {});
    const steps = trace.body.steps as { index: number; changes: { path: string; old: unknown; new: unknown }[] }[];
    const acquire = steps.find((s) => s.changes.some((c) => c.path === 'pass0.refcount' && c.old === 0 && c.new === 1))!;
    const ev = await stopAfter(dc, () => dc.customRequest(CustomRequests.gotoStep, { step: acquire.index }));
    assert.equal(ev.body.reason, 'goto');
    assert.equal(await variable(dc, 1, 'Periphs/pass0/refcount'), '0', 'before the step: not yet written');
    await stopAfter(dc, () => dc.customRequest(CustomRequests.gotoStep, { step: acquire.index + 1 }));
    assert.equal(await variable(dc, 1, 'Periphs/pass0/refcount'), '1');
  });

  test('restart goes back to the start and runs again', async () => {
    await launchToStop(dc, { program: RACE });
    const ev = await stopAfter(dc, () => dc.restartRequest({ arguments: { program: RACE, stopOnEntry: true } } as never));
    assert.equal(ev.body.reason, 'entry');
    assert.equal((await cursor(dc)).cursor, 0);
    assert.equal(await evaluate(dc, 'pass0.refcount'), '0');
    const again = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(again.body.reason, 'exception');
  });

  test('pause stops a long run; the adapter answers while it runs', async () => {
    const file = tempScenario('long.camsim', 'device pass0: pass after-fix\nprocess A {\n  repeat 100000 {\n    open pass0 as f\n    close f\n  }\n}\nprocess B {\n  repeat 100000 {\n    open pass0 as g\n    close g\n  }\n}\n');
    await launchToStop(dc, { program: file, stopOnEntry: true });
    const stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 150));
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads.length, 2, 'threads answer while running');
    await assert.rejects(dc.nextRequest({ threadId: 1 }), /running: pause it first/);
    await dc.pauseRequest({ threadId: 1 });
    const ev = (await stopped) as { body: { reason: string } };
    assert.equal(ev.body.reason, 'pause');
    const { cursor: at } = await cursor(dc);
    assert.ok(at > 1000, `ran ${at} steps before the pause`);
    // Restart while running: the run is stopped, and the only stop reported is the entry.
    const reasons: string[] = [];
    dc.on('stopped', (e: { body: { reason: string } }) => reasons.push(e.body.reason));
    await dc.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 100));
    await stopAfter(dc, () => dc.restartRequest({ arguments: { program: file, stopOnEntry: true } } as never));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(reasons, ['entry']);
    assert.equal((await cursor(dc)).cursor, 0);
  });
});
