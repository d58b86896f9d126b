// Debugging a driver written in C in the scenario itself: its routines' frames
// point at their lines in the `.camsim` file, breakpoints there (conditional
// ones too) are verified and stop, Step Over goes statement by statement, and
// Variables show the driver's own softc flag names and the routine's locals.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { SAMPLES, launchToStop, startClient, stopAfter, topFrame, variables, type Client } from './dap-client';

const OWN = path.join(SAMPLES, 'own-driver-pass-before-fix.camsim');
const LINES = fs.readFileSync(OWN, 'utf8').split('\n');

/** The 1-based line of the first line matching `pattern` after the line matching `after`. */
function lineOf(pattern: RegExp, after: RegExp): number {
  const start = LINES.findIndex((l) => after.test(l));
  const i = LINES.findIndex((l, k) => k > start && pattern.test(l));
  assert.ok(start >= 0 && i >= 0, `no line ${pattern} after ${after}`);
  return i + 1;
}

const CLOSE_CLEAR = lineOf(/softc->flags &= ~MYPASS_FLAG_OPEN;/, /^\s*d_close \{/);
const CLOSE_UNLOCK = lineOf(/cam_periph_unlock\(periph\);/, /^\s*d_close \{/);
const CLOSE_RELEASE = lineOf(/cam_periph_release\(periph\);/, /^\s*d_close \{/);
const CLOSE_RETURN = lineOf(/return \(0\);/, /^\s*d_close \{/);
const OPEN_ACQUIRE = lineOf(/if \(cam_periph_acquire\(periph\) != CAM_REQ_CMP\)/, /^\s*d_open \{/);
const OPEN_LOCK = lineOf(/cam_periph_lock\(periph\);/, /^\s*d_open \{/);

describe('dap: a driver written in the scenario', () => {
  let dc: Client;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  test('a breakpoint inside d_close is verified and stops there; the frame is the scenario line; Variables name the flags', async () => {
    let r: DebugProtocol.SetBreakpointsResponse | undefined;
    const ev = await launchToStop(dc, { program: OWN }, async () => {
      r = await dc.setBreakpointsRequest({ source: { path: OWN }, breakpoints: [{ line: CLOSE_CLEAR }] });
    });
    assert.equal(r!.body.breakpoints[0].verified, true);
    assert.equal(r!.body.breakpoints[0].line, CLOSE_CLEAR);
    assert.equal(ev.body.reason, 'breakpoint');
    assert.equal(ev.body.threadId, 1, 'A closes first under the scenario schedule');
    const top = await topFrame(dc, 1);
    assert.match(top.name, /^mypassclose\(\)/);
    assert.equal(top.source?.path, OWN);
    assert.equal(top.line, CLOSE_CLEAR);
    const callers = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.ok(callers.some((f) => /^devfs_close\(\)/.test(f.name) && f.source?.name === 'devfs_vnops.c'), 'devfs_close calls it, in its model source');
    const vs = await variables(dc, 1);
    assert.match(vs.get('Periphs/pass0/softc->flags')?.value ?? '', /MYPASS_FLAG_OPEN/, 'A\'s open set the driver\'s own flag');
    assert.match(vs.get('Locals/periph')?.value ?? '', /pass0/, 'the routine\'s periph');
  });

  test('a conditional breakpoint in d_close stops only where its condition holds', async () => {
    let r: DebugProtocol.SetBreakpointsResponse | undefined;
    const ev = await launchToStop(dc, { program: OWN }, async () => {
      r = await dc.setBreakpointsRequest({ source: { path: OWN }, breakpoints: [{ line: CLOSE_RELEASE, condition: 'pass0.refcount == 0' }] });
    });
    assert.equal(r!.body.breakpoints[0].verified, true);
    assert.equal(ev.body.reason, 'breakpoint');
    assert.equal(ev.body.threadId, 2, 'A releases at refcount 1; B is the one about to release at 0');
    const top = await topFrame(dc, 2);
    assert.equal(top.line, CLOSE_RELEASE);
    assert.equal((await variables(dc, 2)).get('Periphs/pass0/refcount')?.value, '0');
  });

  test('Step Over goes statement by statement through d_close and over a call in a condition', async () => {
    await launchToStop(dc, { program: OWN }, async () => {
      await dc.setBreakpointsRequest({ source: { path: OWN }, breakpoints: [{ line: OPEN_ACQUIRE }, { line: CLOSE_CLEAR }] });
    });
    let top = await topFrame(dc, 1);
    assert.equal(top.line, OPEN_ACQUIRE);
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    top = await topFrame(dc, 1);
    assert.equal(top.line, OPEN_LOCK, 'the acquire and the test of its result are one statement');
    assert.match(top.name, /^mypassopen\(\)/);
    // B's open would stop on the acquire line too: keep only the breakpoint in d_close.
    await dc.setBreakpointsRequest({ source: { path: OWN }, breakpoints: [{ line: CLOSE_CLEAR }] });
    const ev = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(ev.body.reason, 'breakpoint');
    assert.equal(ev.body.threadId, 1);
    assert.equal((await topFrame(dc, 1)).line, CLOSE_CLEAR);
    for (const expected of [CLOSE_UNLOCK, CLOSE_RELEASE, CLOSE_RETURN]) {
      await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
      top = await topFrame(dc, 1);
      assert.equal(top.line, expected);
      assert.equal(top.source?.path, OWN);
    }
  });
});
