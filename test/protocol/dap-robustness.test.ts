// The adapter never crashes or exits on bad input: malformed messages, unknown
// or malformed requests, requests before launch and bad arguments all get an
// error response (or are reported), and the adapter keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { CUSTOM_REQUEST_NAMES, CustomRequests } from '../../core/protocol';
import { RACE, RawConnection, failure, launchToStop, startClient, stopAfter, type Client } from './dap-client';

const COMMANDS = [
  'initialize', 'launch', 'attach', 'restart', 'disconnect', 'terminate', 'setBreakpoints', 'setFunctionBreakpoints', 'setExceptionBreakpoints',
  'configurationDone', 'continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'pause', 'stackTrace', 'scopes', 'variables',
  'setVariable', 'source', 'threads', 'evaluate', 'completions', 'exceptionInfo', 'loadedSources', 'dataBreakpointInfo', 'setDataBreakpoints',
  'breakpointLocations', 'goto', 'gotoTargets', 'restartFrame', 'readMemory', CustomRequests.trace, CustomRequests.gotoStep, CustomRequests.why,
  CustomRequests.exportTrace, 'camsim/nothing', '',
];

/** Requests that would end or reset the session: left out of the random ones. */
const ENDING = new Set(['disconnect', 'terminate', 'restart', 'launch']);

describe('dap: robustness (raw messages)', () => {
  let raw: RawConnection;
  let seq = 1;
  before(() => {
    raw = new RawConnection();
  });
  after(() => raw.close());

  async function request(command: unknown, args?: unknown): Promise<Record<string, unknown>> {
    const s = seq++;
    raw.send({ type: 'request', seq: s, command, ...(args !== undefined ? { arguments: args } : {}) });
    return raw.response(s);
  }

  test('malformed messages are reported and the adapter keeps serving', async () => {
    raw.sendRaw('{ this is not json');
    raw.sendRaw('42');
    raw.sendRaw('null');
    raw.sendRaw('[]');
    raw.sendRaw('');
    const init = await request('initialize', { adapterID: 'camsim', pathFormat: 'path' });
    assert.equal(init.success, true);
    assert.equal(raw.exited, false);
    const noCommand = await request(undefined);
    assert.equal(noCommand.success, false);
    const unknown = await request('flyToTheMoon', {});
    assert.equal(unknown.success, false);
    assert.match(String(unknown.message), /unrecognized request 'flyToTheMoon'/);
    // The custom requests' handler table answers its own names only, not what every object has.
    for (const inherited of ['toString', 'constructor', 'hasOwnProperty']) {
      const r = await request(inherited, {});
      assert.equal(r.success, false, inherited);
      assert.match(String(r.message), new RegExp(`unrecognized request '${inherited}'`));
    }
  });

  test('requests before launch get error responses', async () => {
    for (const command of ['threads', 'stackTrace', 'scopes', 'variables', 'next', 'continue', 'stepBack', 'evaluate', 'setBreakpoints', 'setDataBreakpoints', ...CUSTOM_REQUEST_NAMES]) {
      const r = await request(command, { threadId: 1, frameId: 1, variablesReference: 1, expression: 'pass0.refcount', source: { path: RACE }, breakpoints: [] });
      assert.equal(r.success, false, command);
      assert.match(String(r.message), /send a launch request first/, command);
    }
  });

  test('any request with any arguments gets a response, and the adapter lives (property)', async () => {
    // A launched session, so that the requests reach the runtime.
    const s = seq++;
    raw.send({ type: 'request', seq: s, command: 'launch', arguments: { program: RACE, stopOnEntry: true } });
    await raw.waitFor((m) => m.type === 'event' && m.event === 'initialized');
    await request('configurationDone');
    assert.equal((await raw.response(s)).success, true);
    const args = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.jsonValue(),
      fc.record({ threadId: fc.oneof(fc.integer({ min: -2, max: 4 }), fc.string()), frameId: fc.integer({ min: -1, max: 9000 }), variablesReference: fc.integer({ min: -1, max: 2000 }) }, { requiredKeys: [] }),
      fc.record({ expression: fc.oneof(fc.string(), fc.constantFrom('pass0.refcount', 'why pass0.refcount', 'A.f.errno ==', '((((')), context: fc.constantFrom('watch', 'repl', 'hover') }, { requiredKeys: [] }),
      fc.record({ source: fc.record({ path: fc.constantFrom(RACE, '/x/devfs_vnops.c', 'nope'), sourceReference: fc.integer({ min: -1, max: 40 }) }, { requiredKeys: [] }), breakpoints: fc.array(fc.record({ line: fc.integer({ min: -5, max: 500 }), condition: fc.string() }, { requiredKeys: [] })) }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMANDS.filter((c) => !ENDING.has(c))), args, async (command, a) => {
        const r = await request(command, a);
        assert.equal(typeof r.success, 'boolean');
        // After anything running may have started, pause so the next request finds it stopped.
        if (r.success && ['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue'].includes(command)) await request('pause', { threadId: 1 });
      }),
      { numRuns: 150 },
    );
    assert.equal(raw.exited, false);
    const threads = await request('threads');
    assert.equal(threads.success, true);
    const internal = raw.messages.filter((m) => m.type === 'response' && /internal error/.test(String(m.message)));
    assert.deepEqual(internal.map((m) => m.message), [], 'no handler failed unexpectedly');
    assert.equal(raw.stderr, '', 'no stray exception was logged');
  });
});

describe('dap: robustness (after launch)', () => {
  let dc: Client;
  before(async () => {
    dc = await startClient();
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
  });
  after(async () => {
    await dc.stop();
  });

  test('bad arguments get error responses that say what is wrong', async () => {
    assert.match(await failure(dc.nextRequest({ threadId: 99 })), /unknown thread 99: the threads are 1\.\.2 \(A, B\)/);
    assert.match(await failure(dc.stackTraceRequest({ threadId: 'A' as never })), /unknown thread "A"/);
    assert.match(await failure(dc.scopesRequest({ frameId: 123456 })), /unknown or expired frame/);
    assert.match(await failure(dc.variablesRequest({ variablesReference: 999999 })), /unknown or expired variablesReference/);
    assert.match(await failure(dc.sourceRequest({ sourceReference: 999 })), /unknown source reference/);
    assert.match(await failure(dc.customRequest(CustomRequests.gotoStep, { step: -1 })), /outside the recording/);
    assert.match(await failure(dc.customRequest(CustomRequests.gotoStep, { step: 'x' })), /"step" must be a whole number/);
    assert.match(await failure(dc.evaluateRequest({} as never)), /"expression" is missing: it must be a string/);
    assert.match(await failure(dc.setBreakpointsRequest({ source: { path: RACE }, breakpoints: 'x' } as never)), /must be an array/);
    assert.match(await failure(dc.dataBreakpointInfoRequest({} as never)), /"name" is missing/);
    assert.match(await failure(dc.completionsRequest({} as never)), /"text" and "column"/);
    assert.match(await failure(dc.exceptionInfoRequest({ threadId: 1 })), /not stopped on an exception/);
    assert.match(await failure(dc.setVariableRequest({ variablesReference: 1, name: 'x', value: '1' })), /read-only/);
    assert.match(await failure(dc.launchRequest({ program: RACE } as never)), /already debugging/);
    assert.match(await failure(dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'pass0.refcount', accessType: 'read' }] })), /only "write"/);
    const other = await dc.setBreakpointsRequest({ source: { path: '/tmp/other.camsim' }, breakpoints: [{ line: 3 }] });
    assert.equal(other.body.breakpoints[0].verified, false);
    assert.match(other.body.breakpoints[0].message ?? '', /not the scenario being debugged/);
    // Still serving: a step works.
    const ev = await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    assert.equal(ev.body.reason, 'step');
  });
});
