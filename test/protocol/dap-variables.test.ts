// What the adapter shows: scopes and variables under the kernel's names, the
// marks on values the last step changed, evaluate (watch, hover, console) with
// completions and `why`, and the timeline's custom requests.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { CustomRequests } from '../../core/protocol';
import { parseTraceFile } from '../../core/engine/trace/file';
import { DEVICE_LOSS, FIXED, RACE, evaluate, failure, launchToStop, startClient, stopAfter, variables, type Client } from './dap-client';

describe('dap: variables', () => {
  let dc: Client;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  test('scopes per frame: locals, the process, devices, periphs, locks, the last step', async () => {
    await launchToStop(dc, { program: RACE }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'passclose' }] }));
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const scopes = await dc.scopesRequest({ frameId: st.body.stackFrames[0].id });
    assert.deepEqual(scopes.body.scopes.map((s) => s.name.replace(/\(\d+, \w+\)/, '(N, P)')), [
      'Locals: passclose()', 'Process A', 'Devices (cdev, vnode)', 'Periphs (cam_periph, softc)', 'Locks', 'Last step (N, P)',
    ]);
    const vs = await variables(dc, 1);
    assert.equal(vs.get('Locals/dev')?.value, 'pass0');
    assert.equal(vs.get('Process/state')?.value, 'runnable');
    assert.equal(vs.get('Process/errno')?.value, '0');
    assert.equal(vs.get('Process/f')?.value, 'open (pass0)');
    assert.equal(vs.get('Process/f/errno')?.evaluateName, 'A.f.errno');
    assert.equal(vs.get('Devices/pass0/d_flags')?.value, '0', 'before the fix: no D_TRACKCLOSE');
    assert.match(vs.get('Devices/pass0/si_drv1')?.value ?? '', /^0x[0-9a-f]+ \(periph pass0\)$/);
    assert.equal(vs.get('Periphs/pass0/refcount')?.value, '1');
    assert.equal(vs.get('Periphs/pass0/flags')?.value, '0');
    assert.equal(vs.get('Periphs/pass0/softc->flags')?.value, 'PASS_FLAG_OPEN (0x1)', 'softc flags by name');
    assert.equal(vs.get('Periphs/pass0/softc->open_count')?.value, '0');
    assert.equal(vs.get('Locks/pass0.vnode_lock/holder')?.value, 'none');
    assert.equal(vs.get('Locks/devmtx')?.value, 'free');
    // The bottom frame (the statement) has no locals.
    const bottom = await dc.scopesRequest({ frameId: st.body.stackFrames[st.body.stackFrames.length - 1].id });
    assert.equal(bottom.body.scopes[0].name, 'Process A');
  });

  test('after the fix the cdev shows D_TRACKCLOSE by name; a lost device shows the CAM flags by name', async () => {
    await launchToStop(dc, { program: FIXED, stopOnEntry: true });
    let vs = await variables(dc, 1);
    assert.equal(vs.get('Devices/pass0/d_flags')?.value, 'D_TRACKCLOSE (0x80000)');
    assert.equal(vs.get('Periphs/pass0/refcount')?.value, '1', 'the devfs-node reference at rest');
    assert.equal(vs.get('Periphs/pass0/resting refcount')?.value, '1');
    await dc.stop();
    dc = await startClient();
    await launchToStop(dc, { program: DEVICE_LOSS });
    vs = await variables(dc, 1);
    assert.match(vs.get('Periphs/pass0/flags')?.value ?? '', /CAM_PERIPH_INVALID/);
    assert.equal(vs.get('Periphs/pass0/freed')?.value, 'true');
    assert.equal(vs.get('Process/f/errno')?.value, '6 (ENXIO)');
    assert.equal(vs.get('Devices/pass0/si_drv1')?.value, 'NULL');
  });

  test('a lock shows its holder and who waits for it', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    for (let i = 0; i < 20 && (await evaluate(dc, 'pass0.vnode_lock.holder')) !== 'A'; i++) await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    for (let i = 0; i < 30 && (await evaluate(dc, 'B.blocked')) !== 'true'; i++) await stopAfter(dc, () => dc.stepInRequest({ threadId: 2 }));
    const vs = await variables(dc, 2);
    assert.equal(vs.get('Locks/pass0.vnode_lock')?.value, 'held by A; waiting: B');
    assert.equal(vs.get('Locks/pass0.vnode_lock/waiters')?.value, 'B');
    assert.match(vs.get('Process/state')?.value ?? '', /^blocked: waits for pass0\.vnode_lock held by A$/);
  });

  test('values the last step changed are marked, and only until the next step', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true }, () => dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'pass0.refcount' }] }));
    await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    let vs = await variables(dc, 1);
    const rc = vs.get('Periphs/pass0/refcount')!;
    assert.equal(rc.value, '1', 'the value itself carries no marker');
    assert.match(rc.type ?? '', /changed by the last step \(0 → 1\)/);
    assert.ok(rc.presentationHint?.attributes?.includes('changed'));
    assert.match(vs.get('Periphs/pass0')?.value ?? '', /changed: refcount/);
    const last = [...vs.values()].filter((v) => v.scope.startsWith('Last step'));
    assert.deepEqual(last.map((v) => `${v.name} ${v.value}`), ['pass0.refcount 0 → 1']);
    assert.ok(!vs.get('Devices/pass0/si_usecount')?.presentationHint?.attributes?.includes('changed'));
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    vs = await variables(dc, 1);
    assert.ok(!vs.get('Periphs/pass0/refcount')?.presentationHint?.attributes?.includes('changed'));
  });

  test('variables at a cursor in the past are the values there', async () => {
    await launchToStop(dc, { program: RACE });
    const atPanic = await variables(dc, 2);
    assert.equal(atPanic.get('Periphs/pass0/refcount')?.value, '0');
    await stopAfter(dc, () => dc.customRequest(CustomRequests.gotoStep, { step: 0 }));
    const atStart = await variables(dc, 2);
    assert.equal(atStart.get('Periphs/pass0/refcount')?.value, '0');
    assert.equal(atStart.get('Devices/pass0/si_usecount')?.value, '0');
    assert.equal(atStart.get('Process/f')?.value, 'not opened yet');
  });
});

describe('dap: evaluate, completions, why, custom requests', () => {
  let dc: Client;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  test('evaluate answers expressions of the scenario language', async () => {
    await launchToStop(dc, { program: RACE }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'passopen' }] }));
    assert.equal(await evaluate(dc, 'pass0.refcount'), '0');
    assert.equal(await evaluate(dc, 'pass0.refcount == 0 && A.blocked'), 'false');
    assert.equal(await evaluate(dc, 'pass0.si_usecount + 1'), '2');
    assert.equal(await evaluate(dc, 'B.f.errno'), '0');
    assert.equal(await evaluate(dc, 'pass0.trackclose'), 'false');
    assert.equal(await evaluate(dc, 'pass0.vnode_lock.holder == none'), 'true');
    assert.equal(await evaluate(dc, 'ENXIO'), '6');
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const frameId = st.body.stackFrames[0].id;
    assert.equal(await evaluate(dc, 'f.open', 'watch', frameId), 'false', 'a bare descriptor of the frame\'s process');
    // Hover in the model source: C spellings read through the frame's device, and locals.
    assert.equal(await evaluate(dc, 'dev->si_usecount', 'hover', frameId), '1');
    assert.equal(await evaluate(dc, 'dev', 'hover', frameId), 'pass0');
  });

  test('evaluate rejects bad expressions with a message, and never runs JavaScript', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    assert.match(await failure(dc.evaluateRequest({ expression: 'pass0.refcout', context: 'watch' })), /did you mean 'refcount'/);
    assert.match(await failure(dc.evaluateRequest({ expression: 'pass0.refcout', context: 'hover' })), /did you mean 'refcount'/);
    assert.match(await failure(dc.evaluateRequest({ expression: 'pass0', context: 'watch' })), /is a device, not a value/);
    // In the debug console the message is the answer (an error response would also raise a notification).
    assert.match(await evaluate(dc, 'pass0.refcount ==', 'repl'), /expected|expression/i);
    assert.match(await evaluate(dc, 'process.exit(1)', 'repl'), /unknown name 'process'|expected/);
    // Still serving.
    assert.equal(await evaluate(dc, '1 + 2'), '3');
  });

  test('a typo in the debug console is answered with "did you mean" as the result, not an error', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    const r = await dc.evaluateRequest({ expression: 'pass0.refcnt', context: 'repl' });
    assert.equal(r.success, true);
    assert.match(r.body.result, /no field 'refcnt'; did you mean 'refcount'/);
    assert.equal(r.body.variablesReference, 0);
    // Watches and hovers still get an error (the editor shows it in place).
    assert.match(await failure(dc.evaluateRequest({ expression: 'pass0.refcnt', context: 'watch' })), /did you mean 'refcount'/);
  });

  test('completions in the console', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    const labels = async (text: string, column = text.length + 1) =>
      (await dc.completionsRequest({ text, column })).body.targets.map((t) => t.label);
    const fields = await labels('pass0.');
    for (const f of ['refcount', 'si_usecount', 'open_count', 'sim_mtx', 'vnode_lock']) assert.ok(fields.includes(f), f);
    assert.deepEqual(await labels('pass0.ref'), ['refcount']);
    assert.ok((await labels('pa')).includes('pass0'));
    assert.ok((await labels('wh')).includes('why'));
    assert.ok((await labels('A.')).includes('f'));
    assert.deepEqual(await labels('pass0.sim_mtx.ho'), ['holder']);
    const t = (await dc.completionsRequest({ text: 'A.f.er', column: 7 })).body.targets[0];
    assert.equal(t.label, 'errno');
    assert.equal(t.start, 5, 'replaces the word being typed');
    assert.equal(t.length, 2);
  });

  test('the console command `why` lists the writes of a counter, newest first', async () => {
    await launchToStop(dc, { program: RACE });
    const r = await dc.evaluateRequest({ expression: 'why pass0.refcount', context: 'repl' });
    const lines = r.body.result.split('\n');
    assert.match(lines[0], /^pass0\.refcount: written 4 times before step \d+, newest first:/);
    assert.match(lines[1], /step \d+ {2}A {2}cam_periph_release_locked_buses {2}cam_periph\.c:\d+ {2}1 -> 0/);
    assert.match(lines[4], /A {2}cam_periph_acquire .* 0 -> 1/);
    assert.match(await evaluate(dc, 'why pass0.trackclose', 'repl'), /constant/);
    assert.match((await dc.evaluateRequest({ expression: 'help', context: 'repl' })).body.result, /why PATH/);
  });

  test('camsim/why, camsim/trace and camsim/exportTrace', async () => {
    await launchToStop(dc, { program: RACE });
    const why = await dc.customRequest(CustomRequests.why, { expression: 'pass0.refcount' });
    const writes = why.body.writes as { step: number; process: string; function: string; old: number; new: number }[];
    assert.deepEqual(writes.map((w) => `${w.process} ${w.old}->${w.new}`), ['A 1->0', 'B 2->1', 'B 1->2', 'A 0->1']);
    assert.ok(writes[0].step > writes[1].step);
    assert.equal(writes[0].function, 'cam_periph_release_locked_buses');

    const trace = await dc.customRequest(CustomRequests.trace, {});
    const steps = trace.body.steps as { index: number; process: string; fn: string; outcome?: unknown }[];
    assert.equal(trace.body.cursor, steps.length);
    assert.equal(trace.body.total, steps.length);
    assert.equal(steps[0].index, 0);
    assert.ok(steps[steps.length - 1].outcome, 'the last step carries the panic');
    const page = await dc.customRequest(CustomRequests.trace, { from: 10, count: 5 });
    assert.deepEqual((page.body.steps as { index: number }[]).map((s) => s.index), [10, 11, 12, 13, 14]);

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-trace-')), 'race.trace.json');
    const exported = await dc.customRequest(CustomRequests.exportTrace, { path: file });
    assert.equal(exported.body.steps, steps.length);
    const parsed = parseTraceFile(fs.readFileSync(file, 'utf8'));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
    if (parsed.ok) {
      assert.equal(parsed.trace.result.status, 'panic');
      assert.equal(parsed.trace.steps.length, steps.length);
    }
    assert.match(await failure(dc.customRequest(CustomRequests.why, { expression: 'nothing.here' })), /unknown name/);
  });
});
