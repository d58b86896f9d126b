// Bad arguments at the adapter's door: every malformed field gets an error
// response that names it (never "internal error"), numeric arguments of the
// custom requests are clamped to what exists, and launch reads only regular files
// of a bounded size. Each reproducer of a reported failure is a named test.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CustomRequests } from '../../core/protocol';
import { MAX_SCENARIO_BYTES } from '../../core/files';
import { RACE, failure, launchToStop, startClient, type Client } from './dap-client';

/** The error message of a request that must fail, checked not to be an internal error. */
async function refused(p: Promise<unknown>): Promise<string> {
  const message = await failure(p);
  assert.doesNotMatch(message, /internal error|cannot read propert|undefined|is not a function/i, message);
  return message;
}

describe('dap: malformed arguments after launch', () => {
  let dc: Client;
  before(async () => {
    dc = await startClient();
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
  });
  after(async () => {
    await dc.stop();
  });

  test('regression: setBreakpoints with breakpoints [null] names the bad entry', async () => {
    const m = await refused(dc.setBreakpointsRequest({ source: { path: RACE }, breakpoints: [null] } as never));
    assert.match(m, /setBreakpoints: "breakpoints\[0\]" must be a breakpoint \(an object with a "line"\), not null/);
  });

  test('regression: setExceptionBreakpoints with filterOptions [null] or "x"', async () => {
    assert.match(await refused(dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [null] } as never)), /"filterOptions\[0\]" must be an object with a "filterId", not null/);
    assert.match(await refused(dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: 'x' } as never)), /"filterOptions" must be an array, not the text "x"/);
    assert.match(await refused(dc.setExceptionBreakpointsRequest({ filters: [null] } as never)), /"filters\[0\]" must be a filter id/);
    // Well-formed filter options still work.
    const ok = await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'panic' }] });
    assert.deepEqual(ok.body?.breakpoints?.map((b) => b.verified), [true]);
  });

  test('null and wrong-typed fields of the other requests get errors that name the field', async () => {
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => dc.setBreakpointsRequest({ source: null, breakpoints: [] } as never), /"source" must be an object naming a file/],
      [() => dc.setBreakpointsRequest({ source: { path: 7 }, breakpoints: [] } as never), /"source\.path" must be a string, not the number 7/],
      [() => dc.setBreakpointsRequest({ source: { path: RACE }, breakpoints: [{ line: 'x' }] } as never), /"breakpoints\[0\]\.line" must be a whole number, not the text "x"/],
      [() => dc.setBreakpointsRequest({ source: { path: RACE }, breakpoints: [{ line: 3, condition: 5 }] } as never), /"breakpoints\[0\]\.condition" must be a string/],
      [() => dc.setBreakpointsRequest({ source: { path: RACE }, lines: [null] } as never), /"lines\[0\]" must be a whole number, not null/],
      [() => dc.setBreakpointsRequest({ breakpoints: [] } as never), /"source" is missing/],
      [() => dc.setFunctionBreakpointsRequest({ breakpoints: [null] } as never), /"breakpoints\[0\]" must be a function breakpoint/],
      [() => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 5 }] } as never), /"breakpoints\[0\]\.name" must be the name of a kernel function, not the number 5/],
      [() => dc.setDataBreakpointsRequest({ breakpoints: [null] } as never), /"breakpoints\[0\]" must be a data breakpoint/],
      [() => dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: null }] } as never), /"breakpoints\[0\]\.dataId" must be the id dataBreakpointInfo gave/],
      [() => dc.dataBreakpointInfoRequest({ name: 'pass0.refcount', frameId: 'x' } as never), /"frameId" must be a whole number/],
      [() => dc.customRequest('breakpointLocations', { source: { path: RACE }, line: null }), /"line" must be a whole number, not null/],
      [() => dc.evaluateRequest({ expression: 'pass0.refcount', frameId: 'a' } as never), /"frameId" must be a whole number, not the text "a"/],
      [() => dc.evaluateRequest({ expression: 'pass0.refcount', context: 3 } as never), /"context" must be a string/],
      [() => dc.stackTraceRequest({ threadId: 1, levels: 'all' } as never), /"levels" must be a number/],
      [() => dc.variablesRequest({ variablesReference: null } as never), /"variablesReference" must be a whole number, not null/],
      [() => dc.sourceRequest({ source: { path: 7 }, sourceReference: 0 } as never), /"source\.path" must be a string/],
      [() => dc.continueRequest({ threadId: 1, singleThread: 'yes' } as never), /"singleThread" must be true or false/],
      [() => dc.completionsRequest({ text: 'pass0.', column: 7, frameId: [] } as never), /"frameId" must be a whole number, not an array/],
      [() => dc.customRequest('restart', { arguments: 5 }), /"arguments" must be the launch configuration \(an object\), not the number 5/],
      [() => dc.customRequest(CustomRequests.trace, 'x'), /the arguments must be an object, not the text "x"/],
      [() => dc.customRequest(CustomRequests.trace, { from: 'x' }), /"from" must be a number, not the text "x"/],
      [() => dc.customRequest(CustomRequests.why, { expression: 'pass0.refcount', limit: '5' }), /"limit" must be a number/],
    ];
    for (const [send, pattern] of cases) assert.match(await refused(send()), pattern);
    // Still serving.
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads.length, 2);
  });

  test('regression: camsim/trace with from 1e10 answers at once, clamped to the recording', async () => {
    const r = await dc.customRequest(CustomRequests.trace, { from: 1e10 });
    assert.equal(r.body.from, r.body.total, 'from is clamped to the end of the recording');
    assert.deepEqual(r.body.steps, []);
    const huge = await dc.customRequest(CustomRequests.trace, { from: 0, count: 1e12 });
    assert.equal((huge.body.steps as unknown[]).length, r.body.total);
    const negative = await dc.customRequest(CustomRequests.trace, { from: -5, count: -1 });
    assert.equal(negative.body.from, 0);
    assert.deepEqual(negative.body.steps, []);
    const why = await dc.customRequest(CustomRequests.why, { expression: 'pass0.refcount', limit: 1e12 });
    assert.equal(why.body.total, 0, 'nothing written before the first step');
  });
});

describe('dap: launch reads only regular files of a bounded size', () => {
  let dc: Client;
  let dir: string;
  before(async () => {
    dc = await startClient();
    await dc.initializeRequest();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-files-'));
  });
  after(async () => {
    await dc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('regression: "program" at /dev/zero is refused at once', { skip: fs.existsSync('/dev/zero') ? false : 'no /dev/zero on this system' }, async () => {
    assert.match(await refused(dc.launchRequest({ program: '/dev/zero' } as never)), /cannot read \/dev\/zero: it is a character device: camsim reads only regular files/);
  });

  test('regression: "trace" at /dev/zero is refused at once', { skip: fs.existsSync('/dev/zero') ? false : 'no /dev/zero on this system' }, async () => {
    assert.match(await refused(dc.launchRequest({ program: RACE, trace: '/dev/zero' } as never)), /"trace": cannot read \/dev\/zero: it is a character device/);
  });

  test('regression: "program" and "trace" at a FIFO are refused instead of waiting for a writer', { skip: process.platform === 'win32' ? 'no FIFOs on Windows' : false }, async () => {
    const fifo = path.join(dir, 'scenario.camsim');
    execFileSync('mkfifo', [fifo]);
    assert.match(await refused(dc.launchRequest({ program: fifo } as never)), /it is a FIFO \(named pipe\): camsim reads only regular files/);
    assert.match(await refused(dc.launchRequest({ program: RACE, trace: fifo } as never)), /"trace": cannot read .*it is a FIFO/);
  });

  test('a scenario larger than the limit is refused with the limit in the message', async () => {
    const big = path.join(dir, 'big.camsim');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_SCENARIO_BYTES + 1); // sparse: no disk space used
    assert.match(await refused(dc.launchRequest({ program: big } as never)), /it has 4194305 bytes, more than the 4 MiB camsim reads from such a file/);
  });

  test('a directory is refused as a directory', async () => {
    assert.match(await refused(dc.launchRequest({ program: dir } as never)), /it is a directory/);
  });
});
