// Breakpoints through the adapter: function, scenario-line and model-line
// breakpoints, conditions, hit counts, logpoints, exception filters and data
// breakpoints (forwards and backwards).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DEVICE_LOSS, FIXED, RACE, evaluate, failure, launchToStop, startClient, stopAfter, tempScenario, topFrame, variables, type Client } from './dap-client';

/** The source of a kernel model file, and the 1-based line of the first line matching `pattern` at or after `from`. */
async function modelLine(dc: Client, file: string, pattern: RegExp, from = 1): Promise<{ source: DebugProtocol.Source; line: number }> {
  const loaded = await dc.customRequest('loadedSources', {});
  const source = (loaded.body.sources as DebugProtocol.Source[]).find((s) => s.name === file);
  assert.ok(source, `no model source ${file}`);
  const text = (await dc.sourceRequest({ source, sourceReference: source.sourceReference! })).body.content;
  const lines = text.split('\n');
  const i = lines.findIndex((l, k) => k + 1 >= from && pattern.test(l));
  assert.ok(i >= 0, `no line matching ${pattern} in ${file}`);
  return { source, line: i + 1 };
}

describe('dap: breakpoints', () => {
  let dc: Client;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  test('a function breakpoint in devfs_close is hit by the first closer, and variables show the refcount', async () => {
    let bp: DebugProtocol.SetFunctionBreakpointsResponse | undefined;
    const ev = await launchToStop(dc, { program: RACE }, async () => {
      bp = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'devfs_close' }] });
    });
    assert.equal(bp!.body.breakpoints[0].verified, true);
    assert.equal(ev.body.reason, 'function breakpoint');
    assert.equal(ev.body.threadId, 1, 'A closes first under the scenario schedule');
    assert.deepEqual(ev.body.hitBreakpointIds, [bp!.body.breakpoints[0].id]);
    const top = await topFrame(dc, 1);
    assert.match(top.name, /^devfs_close\(\)/);
    assert.equal(top.source?.name, 'devfs_vnops.c');
    const vs = await variables(dc, 1);
    assert.equal(vs.get('Periphs/pass0/refcount')?.value, '1', 'A holds the one reference of its open');
    assert.equal(vs.get('Periphs/pass0/refcount')?.evaluateName, 'pass0.refcount');
    assert.equal(vs.get('Devices/pass0/si_usecount')?.value, '1');
  });

  test('an unknown function name is not verified and says what is close', async () => {
    let r: DebugProtocol.SetFunctionBreakpointsResponse | undefined;
    await launchToStop(dc, { program: RACE, stopOnEntry: true }, async () => {
      r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'devfs_clos' }, { name: 'passclose' }] });
    });
    assert.equal(r!.body.breakpoints[0].verified, false);
    assert.match(r!.body.breakpoints[0].message ?? '', /no modelled kernel function named 'devfs_clos'; did you mean 'devfs_close'/);
    assert.equal(r!.body.breakpoints[1].verified, true);
  });

  test('a breakpoint on a scenario line stops the process about to run that statement', async () => {
    let r: DebugProtocol.SetBreakpointsResponse | undefined;
    const ev = await launchToStop(dc, { program: RACE }, async () => {
      // Line 16 is B's `open pass0 as f`; line 15 (`process B {`) moves to it.
      r = await dc.setBreakpointsRequest({ source: { path: RACE }, breakpoints: [{ line: 15 }] });
    });
    assert.equal(r!.body.breakpoints[0].verified, true);
    assert.equal(r!.body.breakpoints[0].line, 16, 'moved to the next statement');
    assert.equal(ev.body.reason, 'breakpoint');
    assert.equal(ev.body.threadId, 2);
    const top = await topFrame(dc, 2);
    assert.equal(top.line, 16);
    assert.equal(top.source?.path, RACE);
    const loc = await dc.customRequest('breakpointLocations', { source: { path: RACE }, line: 1, endLine: 30 });
    assert.deepEqual((loc.body.breakpoints as { line: number }[]).map((b) => b.line), [11, 12, 16, 17]);
  });

  test('a breakpoint on a model source line moves to the nearest kernel line and stops there', async () => {
    await dc.initializeRequest();
    // Find the line numbers first (sources need no launch).
    const { source, line } = await modelLine(dc, 'devfs_vnops.c', /^devfs_close\(/);
    await dc.stop();
    dc = await startClient();
    let r: DebugProtocol.SetBreakpointsResponse | undefined;
    const ev = await launchToStop(dc, { program: RACE }, async () => {
      r = await dc.setBreakpointsRequest({ source: { name: source.name, sourceReference: source.sourceReference! }, breakpoints: [{ line }] });
    });
    const moved = r!.body.breakpoints[0];
    assert.equal(moved.verified, true);
    assert.ok(moved.line! > line, 'the signature line moves down to the first statement');
    assert.equal(ev.body.reason, 'breakpoint');
    const top = await topFrame(dc, ev.body.threadId!);
    assert.equal(top.line, moved.line);
    assert.match(top.name, /^devfs_close/);
    const loc = await dc.customRequest('breakpointLocations', { source: { name: 'devfs_vnops.c', sourceReference: source.sourceReference! }, line, endLine: line + 5 });
    const lines = (loc.body.breakpoints as { line: number }[]).map((b) => b.line);
    assert.ok(lines.includes(moved.line!) && lines.every((l) => l > line));
    // By the model source's own path (no source reference), as a later session may send it back.
    const byPath = await dc.setBreakpointsRequest({ source: { path: source.path }, breakpoints: [{ line: moved.line! }] });
    assert.equal(byPath.body.breakpoints[0].verified, true);
  });

  test('a conditional breakpoint stops only where its condition holds', async () => {
    await dc.initializeRequest();
    const acquire = await modelLine(dc, 'cam_periph.c', /^cam_periph_release_locked_buses\(/);
    const { source, line } = await modelLine(dc, 'cam_periph.c', /periph->refcount--;/, acquire.line);
    let r: DebugProtocol.SetBreakpointsResponse | undefined;
    await dc.stop();
    dc = await startClient();
    const ev = await launchToStop(dc, { program: RACE }, async () => {
      // B releases first (2 -> 1), then A releases the last reference (1 -> 0).
      r = await dc.setBreakpointsRequest({ source: { name: 'cam_periph.c', sourceReference: source.sourceReference! }, breakpoints: [{ line, condition: 'pass0.refcount == 1' }] });
    });
    assert.equal(r!.body.breakpoints[0].verified, true);
    assert.equal(ev.body.reason, 'breakpoint');
    assert.equal(ev.body.threadId, 1, 'A: the release at refcount 1');
    assert.equal(await evaluate(dc, 'pass0.refcount'), '1');
    // A condition that does not parse is refused with the reason.
    const bad = await dc.setBreakpointsRequest({ source: { name: 'cam_periph.c', sourceReference: source.sourceReference! }, breakpoints: [{ line, condition: 'pass0.refcont == 1' }] });
    assert.equal(bad.body.breakpoints[0].verified, false);
    assert.match(bad.body.breakpoints[0].message ?? '', /did you mean 'refcount'/);
  });

  test('a hit count skips the first hits', async () => {
    const ev = await launchToStop(dc, { program: RACE }, () =>
      dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'cam_periph_acquire', hitCondition: '2' }] }),
    );
    assert.equal(ev.body.reason, 'function breakpoint');
    assert.equal(ev.body.threadId, 2, 'the second acquire is B\'s');
    const bad = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'cam_periph_acquire', hitCondition: 'twice' }] });
    assert.equal(bad.body.breakpoints[0].verified, false);
    assert.match(bad.body.breakpoints[0].message ?? '', /hit condition 'twice'/);
  });

  test('a logpoint prints with {expressions} filled in and does not stop', async () => {
    await dc.initializeRequest();
    const { source, line } = await modelLine(dc, 'cam_periph.c', /periph->refcount\+\+;/);
    await dc.stop();
    dc = await startClient();
    const ev = await launchToStop(dc, { program: RACE }, () =>
      dc.setBreakpointsRequest({ source: { name: 'cam_periph.c', sourceReference: source.sourceReference! }, breakpoints: [{ line, logMessage: 'acquire: refcount {pass0.refcount}, {{braces}}, errno {f.errno}' }] }),
    );
    assert.equal(ev.body.reason, 'exception', 'the logpoint did not stop the run: it reached the panic');
    const logged = dc.outputs.filter((o) => o.output.startsWith('acquire:')).map((o) => o.output.trim());
    assert.deepEqual(logged, ['acquire: refcount 0, {braces}, errno 0', 'acquire: refcount 1, {braces}, errno 0']);
    const withLine = dc.outputs.find((o) => o.output.startsWith('acquire:'))!;
    assert.equal(withLine.line, line);
    assert.equal(withLine.source?.name, 'cam_periph.c');
  });

  test('exception filters: lockdrop stops after every release, errno when a call fails', async () => {
    const ev = await launchToStop(dc, { program: RACE }, () => dc.setExceptionBreakpointsRequest({ filters: ['panic', 'lockdrop'] }));
    assert.equal(ev.body.reason, 'exception');
    assert.match(ev.body.description ?? '', /^A released devmtx at vfs_subr\.c:\d+/);
    const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId! });
    assert.equal(info.body.exceptionId, 'lockdrop');
    const next = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.match(next.body.description ?? '', /released/);
    await dc.stop();

    // errno: a close of a descriptor that was never opened returns EBADF.
    const file = tempScenario('ebadf.camsim', 'device pass0: pass after-fix\nprocess A {\n  open pass0 as f\n  close f\n  close f\n}\n');
    dc = await startClient();
    const e = await launchToStop(dc, { program: file }, () => dc.setExceptionBreakpointsRequest({ filters: ['errno'] }));
    assert.equal(e.body.reason, 'exception');
    assert.match(e.body.description ?? '', /A: close f returned 9 \(EBADF\)/);
    const info2 = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info2.body.exceptionId, 'errno');
    assert.match(await failure(dc.setExceptionBreakpointsRequest({ filters: 'panic' as never })), /filters/);
  });

  test('a deadlock stops as an exception (the deadlock filter), or as the end with the filter off', async () => {
    // ch before the fix, with a failing chgetparams: the second open sleeps on "caplck" forever.
    const file = tempScenario('deadlock.camsim', 'device ch0: ch before-fix with io-error\nprocess A {\n  open ch0 as f\n  open ch0 as g\n}\n');
    const ev = await launchToStop(dc, { program: file });
    assert.equal(ev.body.reason, 'exception');
    assert.match(ev.body.description ?? '', /^deadlock: A waits for a wakeup on "caplck"/);
    const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId! });
    assert.equal(info.body.exceptionId, 'deadlock');
    assert.match(info.body.details?.stackTrace ?? '', /replay: schedule A\*\d+/);
    assert.match((await topFrame(dc, 1)).name, /blocked: waits for a wakeup on "caplck"/);
    await dc.stop();
    dc = await startClient();
    const off = await launchToStop(dc, { program: file }, () => dc.setExceptionBreakpointsRequest({ filters: ['panic'] }));
    assert.equal(off.body.reason, 'end of the run');
    assert.match(off.body.description ?? '', /deadlock/);
  });

  test('the panic filter off: the run still stops at the panic, as its end', async () => {
    const ev = await launchToStop(dc, { program: RACE }, () => dc.setExceptionBreakpointsRequest({ filters: [] }));
    assert.equal(ev.body.reason, 'end of the run');
    assert.match(ev.body.description ?? '', /cam_periph_release_locked_buses/);
  });

  test('a data breakpoint on the refcount stops on each write, forwards and backwards', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    // From the Variables view: the periph's refcount.
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const scopes = await dc.scopesRequest({ frameId: st.body.stackFrames[0].id });
    const periphs = scopes.body.scopes.find((s) => s.name.startsWith('Periphs'))!;
    const pass0 = (await dc.variablesRequest({ variablesReference: periphs.variablesReference })).body.variables.find((v) => v.name === 'pass0')!;
    const info = await dc.dataBreakpointInfoRequest({ variablesReference: pass0.variablesReference, name: 'refcount' });
    assert.equal(info.body.dataId, 'pass0.refcount');
    assert.deepEqual(info.body.accessTypes, ['write']);
    const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId! }] });
    assert.equal(set.body.breakpoints[0].verified, true);

    const w1 = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(w1.body.reason, 'data breakpoint');
    assert.equal(w1.body.threadId, 1);
    assert.match(w1.body.description ?? '', /pass0\.refcount: 0 → 1 \(written by A at cam_periph\.c:\d+\)/);
    assert.equal(await evaluate(dc, 'pass0.refcount'), '1');
    const step1 = (await dc.customRequest('camsim/trace', {})).body.cursor as number;

    const w2 = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(w2.body.threadId, 2);
    assert.match(w2.body.description ?? '', /1 → 2 \(written by B/);

    // Backwards: the same write, at the same point of the recording.
    const back = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 2 }));
    assert.equal(back.body.reason, 'data breakpoint');
    assert.match(back.body.description ?? '', /0 → 1 \(written by A/);
    assert.equal((await dc.customRequest('camsim/trace', {})).body.cursor, step1);
    assert.equal(await evaluate(dc, 'pass0.refcount'), '1');
    const start = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(start.body.reason, 'entry');
    assert.match(start.body.description ?? '', /start of the recording/);

    // A data breakpoint with a condition: only the write that leaves it at 0.
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'pass0.refcount', condition: 'pass0.refcount == 0' }] });
    const zero = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(zero.body.reason, 'data breakpoint');
    assert.match(zero.body.description ?? '', /1 → 0 \(written by A/);

    // By expression (no variablesReference), and what cannot be watched.
    const byName = await dc.dataBreakpointInfoRequest({ name: 'pass0.sim_mtx.holder' });
    assert.equal(byName.body.dataId, 'pass0.sim_mtx.holder');
    const computed = await dc.dataBreakpointInfoRequest({ name: 'pass0.trackclose' });
    assert.equal(computed.body.dataId, null);
    assert.match(computed.body.description, /constant/);
    const unknown = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'pass9.refcount' }] });
    assert.equal(unknown.body.breakpoints[0].verified, false);
  });
});

describe('dap: breakpoints on the taskqueue thread', () => {
  test('a data breakpoint on freed stops the taskqueue thread in camperiphfree', async () => {
    const dc = await startClient();
    try {
      const ev = await launchToStop(dc, { program: DEVICE_LOSS }, () => dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'pass0.freed' }] }));
      assert.equal(ev.body.reason, 'data breakpoint');
      const threads = await dc.threadsRequest();
      assert.equal(threads.body.threads.find((t) => t.id === ev.body.threadId)?.name.split(' ')[0], 'taskq');
      const st = await dc.stackTraceRequest({ threadId: ev.body.threadId! });
      assert.ok(st.body.stackFrames.some((f) => /^camperiphfree/.test(f.name)), st.body.stackFrames.map((f) => f.name).join(', '));
      assert.equal(await evaluate(dc, 'pass0.freed'), 'true');
    } finally {
      await dc.stop();
    }
  });
});

describe('dap: breakpoints after the fix', () => {
  test('the fixed driver runs to its end without a panic; a lock holder data breakpoint fires', async () => {
    const dc = await startClient();
    try {
      const ev = await launchToStop(dc, { program: FIXED }, () => dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'pass0.sim_mtx.holder' }] }));
      assert.equal(ev.body.reason, 'data breakpoint');
      assert.match(ev.body.description ?? '', /pass0\.sim_mtx\.holder: none → A/);
      await dc.setDataBreakpointsRequest({ breakpoints: [] });
      const end = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.equal(end.body.reason, 'end of the run');
      assert.equal(await evaluate(dc, 'pass0.refcount'), '1');
    } finally {
      await dc.stop();
    }
  });
});

describe('dap: the files breakpoints map to', () => {
  let dc: Client;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  test('a file of a real source tree is not the model: /usr/src/.../devfs_vnops.c stays unverified and says why', async () => {
    let r: DebugProtocol.SetBreakpointsResponse | undefined;
    const ev = await launchToStop(dc, { program: RACE }, async () => {
      r = await dc.setBreakpointsRequest({ source: { path: '/usr/src/sys/fs/devfs/devfs_vnops.c' }, breakpoints: [{ line: 37 }] });
    });
    const bp = r!.body.breakpoints[0];
    assert.equal(bp.verified, false);
    assert.match(
      bp.message ?? '',
      /\/usr\/src\/sys\/fs\/devfs\/devfs_vnops\.c is a file on disk, not camsim's model of devfs_vnops\.c: camsim only maps breakpoints in its own kernel model sources \(open devfs_vnops\.c from the Call Stack while debugging\) and in the scenario being debugged \(pass-race-before-fix\.camsim\)/,
    );
    assert.equal(ev.body.reason, 'exception', 'nothing stopped the run before its panic');
  });

  test('the scenario reached through a symlinked folder is the scenario being debugged', { skip: process.platform === 'win32' ? 'symbolic links need privileges on Windows' : false }, async () => {
    const real = path.dirname(tempScenario('race.camsim', fs.readFileSync(RACE, 'utf8')));
    const link = `${real}-link`;
    fs.symlinkSync(real, link, 'dir');
    let r: DebugProtocol.SetBreakpointsResponse | undefined;
    const ev = await launchToStop(dc, { program: path.join(real, 'race.camsim') }, async () => {
      r = await dc.setBreakpointsRequest({ source: { path: path.join(link, 'race.camsim') }, breakpoints: [{ line: 16 }] });
    });
    assert.equal(r!.body.breakpoints[0].verified, true, r!.body.breakpoints[0].message);
    assert.equal(ev.body.reason, 'breakpoint');
    assert.equal((await topFrame(dc, ev.body.threadId!)).line, 16);
  });

  test('model sources have a name and a path to show, and breakpoints set by the source the stack gives map', async () => {
    const ev = await launchToStop(dc, { program: RACE }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'devfs_close' }] }));
    const top = await topFrame(dc, ev.body.threadId!);
    assert.equal(top.source?.name, 'devfs_vnops.c');
    assert.equal(top.source?.path, '<camsim-model>/devfs_vnops.c', 'a path plainly not on disk, under a folder the editor shows');
    assert.ok((top.source?.sourceReference ?? 0) > 0, 'the text comes by the source reference');
    // As the editor sends it back: the source of the frame.
    const r = await dc.setBreakpointsRequest({ source: top.source!, breakpoints: [{ line: top.line + 3 }] });
    const bp = r.body.breakpoints[0];
    assert.equal(bp.verified, true, bp.message);
    assert.equal(bp.source?.name, 'devfs_vnops.c');
    assert.equal(bp.source?.path, '<camsim-model>/devfs_vnops.c');
    // By the path alone (an editor that lost the reference), and its text by the path too.
    const byPath = await dc.setBreakpointsRequest({ source: { name: 'devfs_vnops.c', path: top.source!.path }, breakpoints: [{ line: top.line + 3 }] });
    assert.equal(byPath.body.breakpoints[0].verified, true);
    const text = await dc.sourceRequest({ source: { path: top.source!.path }, sourceReference: 0 });
    assert.match(text.body.content, /devfs_close\(/);
    // The breakpoint is hit.
    const hit = await stopAfter(dc, () => dc.continueRequest({ threadId: ev.body.threadId! }));
    assert.equal(hit.body.reason, 'breakpoint');
    assert.equal((await topFrame(dc, hit.body.threadId!)).line, bp.line);
  });
});
