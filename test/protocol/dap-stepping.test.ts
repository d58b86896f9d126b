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

  test('continue from a devfs_close breakpoint to the panic: the top frame is the line that panicked', async () => {
    let ev = await launchToStop(dc, { program: RACE }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'devfs_close' }] }));
    assert.equal(ev.body.reason, 'function breakpoint');
    for (let i = 0; i < 5 && ev.body.reason !== 'exception'; i++) {
      const from = ev.body.threadId!;
      ev = await stopAfter(dc, () => dc.continueRequest({ threadId: from }));
    }
    assert.equal(ev.body.reason, 'exception');
    const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId! });
    const named = /at cam_periph\.c:(\d+)/.exec(info.body.details?.stackTrace ?? '');
    assert.ok(named, 'the exception names the cam_periph.c line');
    const top = await topFrame(dc, ev.body.threadId!);
    assert.equal(top.source?.name, 'cam_periph.c');
    assert.equal(top.line, Number(named[1]), 'the top frame is the line the exception names');
    // The same line as the step that panicked, as the recording describes it.
    const trace = await dc.customRequest(CustomRequests.trace, {});
    const steps = trace.body.steps as { file: string; line: number; outcome?: unknown }[];
    const panicked = steps.find((s) => s.outcome);
    assert.ok(panicked);
    assert.deepEqual([panicked.file, panicked.line], ['cam_periph.c', top.line]);
    const text = (await dc.sourceRequest({ source: top.source, sourceReference: top.source!.sourceReference! })).body.content.split('\n');
    assert.match(text[top.line - 1], /panic\("%s: release of %p when refcount is zero/);
  });

  test('every panic stop is an exception on the panicking thread, all threads stopped, with exceptionInfo for it', async () => {
    /** The stop, checked: reason, the thread of B (the one that panicked), allThreadsStopped, and exceptionInfo on that thread. */
    const checkPanicStop = async (ev: Awaited<ReturnType<typeof stopAfter>>, how: string) => {
      assert.equal(ev.body.reason, 'exception', how);
      assert.equal(ev.body.allThreadsStopped, true, how);
      const threads = await dc.threadsRequest();
      assert.equal(threads.body.threads.find((t) => t.id === ev.body.threadId)?.name, 'B (panicked)', how);
      const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId! });
      assert.equal(info.body.exceptionId, 'panic', how);
      assert.match(info.body.description ?? '', PANIC, how);
    };
    // Replaying a counterexample: a launch with its schedule.
    await checkPanicStop(await launchToStop(dc, { program: RACE, schedule: 'A*27 B*21 A*14 B*14' }), 'launch with a schedule');
    // Stepping the other process at the panic: refused, and the stop is still the panic on B.
    await checkPanicStop(await stopAfter(dc, () => dc.nextRequest({ threadId: 1 })), 'next on A after the panic');
    // Jumping to the end of the recording (the timeline's panic mark).
    const { total } = await cursor(dc);
    await stopAfter(dc, () => dc.customRequest(CustomRequests.gotoStep, { step: 10 }));
    await assert.rejects(dc.exceptionInfoRequest({ threadId: 1 }), /not stopped on an exception/);
    await checkPanicStop(await stopAfter(dc, () => dc.customRequest(CustomRequests.gotoStep, { step: total })), 'a jump to the panic');
    // Forwards again along the recording after stepping back.
    await stopAfter(dc, () => dc.stepBackRequest({ threadId: 2 }));
    await checkPanicStop(await stopAfter(dc, () => dc.continueRequest({ threadId: 1 })), 'continue after a step back');
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
    assert.ok(!dc.outputs.some((o) => /takes another course/.test(o.output)));
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
    assert.ok(!dc.outputs.some((o) => /takes another course/.test(o.output)));
    // Another process: the future is discarded.
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 2 }));
    assert.deepEqual(await cursor(dc), { cursor: 4, total: 4 });
    const told = dc.outputs.find((o) => /B ran at step 3, where the recorded run had A run\. The run now takes another course: the 2 recorded steps that came after this point are dropped/.test(o.output));
    assert.ok(told);
    assert.equal(told.category, 'important');
  });

  test('camsim/gotoStep moves the cursor and the variables follow', async () => {
    await launchToStop(dc, { program: RACE });
    const trace = await dc.customRequest(CustomRequests.trace, {});
    const steps = trace.body.steps as { index: number; changes: { path: string; old: unknown; new: unknown }[] }[];
    const acquire = steps.find((s) => s.changes.some((c) => c.path === 'pass0.refcount' && c.old === 0 && c.new === 1))!;
    const ev = await stopAfter(dc, () => dc.customRequest(CustomRequests.gotoStep, { step: acquire.index }));
    assert.equal(ev.body.reason, 'jump in the recording');
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

describe('dap: words for a person who has not read the code', () => {
  const JARGON = /schedule entry|New timeline|recorded future|\bgoto\b|\bslices?\b|\bpid\b|\bcursor\b|^end$/i;

  test('stop reasons, descriptions and console messages carry no internal jargon', async () => {
    const dc = await startClient();
    const stops: { reason: string; description?: string }[] = [];
    dc.on('stopped', (e: { body: { reason: string; description?: string } }) => stops.push(e.body));
    try {
      // A schedule whose next turn is blocked: the scheduler says why another process runs.
      await launchToStop(dc, { program: RACE, schedule: 'A*3 B B', stopOnEntry: true });
      await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.ok(dc.outputs.some((o) => /note: the schedule's \d+\w\w entry names B, which is blocked \(waiting for .+ held by A\); running others until it can go on/.test(o.output)));
      // A jump in the recording, a step back, another process from the past, the end.
      const jumped = await stopAfter(dc, () => dc.customRequest(CustomRequests.gotoStep, { step: 20 }));
      assert.equal(jumped.body.reason, 'jump in the recording');
      assert.match(jumped.body.description ?? '', /^jumped to step 20 of the \d+ recorded steps$/);
      await stopAfter(dc, () => dc.stepBackRequest({ threadId: 1 }));
      await stopAfter(dc, () => dc.stepInRequest({ threadId: 2 }));
      const end = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.ok(['exception', 'end of the run'].includes(end.body.reason));
    } finally {
      await dc.stop();
    }
    for (const s of stops) {
      assert.doesNotMatch(s.reason, JARGON, s.reason);
      assert.doesNotMatch(s.description ?? '', JARGON, s.description);
    }
    for (const o of dc.outputs) assert.doesNotMatch(o.output, JARGON, o.output);
  });
});
