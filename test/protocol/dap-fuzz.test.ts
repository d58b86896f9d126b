// Fuzzing the debug adapter through DebugClient: generated request sequences on
// the samples (breakpoints of every kind with random lines, conditions, hit
// conditions and log messages; stepping both ways with random or invalid
// threads; evaluate in every context; the custom requests with malformed
// numbers) and malformed arguments for every request. For every request: an
// answer within 5 s that is never an internal error nor a JavaScript stack; at
// the end of every sequence the adapter is alive and answers `threads`.
// Fixed seeds: a failure names its seed and the shrunk sequence to replay.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CustomRequests, DEBUG_TYPE } from '../../core/protocol';
import { SAMPLES, startClient, type Client } from './dap-client';

const ANSWER_WITHIN_MS = 5000;
const SAMPLE_FILES = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.camsim')).map((f) => path.join(SAMPLES, f));
/** Export Trace may only write here (a generated absolute path must not land anywhere else). */
const EXPORT_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-fuzz-'));

// ---- values: plausible, invalid and hostile ----

const hostileNumber = fc.constantFrom<unknown>(NaN, Infinity, -Infinity, 1e308, -1e308, 2 ** 53, -0, 1e10, 'NaN', 'Infinity', '1e309', '-1', '', null, true, [], {});
const threadId = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: -2, max: 8 }), hostileNumber);
const lineNo = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: -5, max: 400 }), hostileNumber);
const expression = fc.oneof(
  fc.constantFrom('pass0.refcount', 'pass0.si_usecount', 'A.f', 'A.f.errno', 'B', 'why pass0.refcount', 'help', 'pass0.refcount > 0 &&', '((((', '{', '', 'pass0.refcnt', 'constructor', '__proto__', 'this', 'process.exit(1)'),
  fc.string({ maxLength: 30 }),
);
const condition = fc.oneof(fc.constantFrom('pass0.refcount > 0', 'A.f.errno == 9', 'pass0.refcount ==', '((', '1', 'true'), fc.string({ maxLength: 20 }));
const hitCondition = fc.oneof(fc.constantFrom('2', '>3', '>=2', '%2', '== 1', 'x', '-1', '1e309', '0'), fc.string({ maxLength: 10 }));
const logMessage = fc.oneof(fc.constantFrom('refcount {pass0.refcount}', '{', '}', '{{}}', '{nothing.here}', 'plain'), fc.string({ maxLength: 20 }));
const functionName = fc.oneof(fc.constantFrom('devfs_close', 'cam_periph_release_locked_buses', 'passclose', 'devfs_open', 'vget', 'nope', ''), fc.string({ maxLength: 15 }));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** Any JSON value, or a hostile number: what a broken client might send for any field. */
const junk = fc.oneof(hostileNumber, fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 12 }));

interface Req {
  command: string;
  args: unknown;
}
const req = (command: string, args: fc.Arbitrary<unknown>): fc.Arbitrary<Req> => args.map((a) => ({ command, args: a }));

/** Requests with plausible arguments (often wrong in one field). */
const plausible = (program: string): fc.Arbitrary<Req> =>
  fc.oneof(
    req('setBreakpoints', fc.record({
      source: fc.oneof(fc.constant({ path: program }), fc.record({ path: fc.constantFrom(program, '<camsim-model>/devfs_vnops.c', '/x/devfs_vnops.c', 'relative') }), fc.record({ sourceReference: fc.integer({ min: -1, max: 30 }) }), junk),
      breakpoints: fc.oneof(fc.array(fc.oneof(fc.record({ line: lineNo, condition: maybe(condition), hitCondition: maybe(hitCondition), logMessage: maybe(logMessage), column: maybe(lineNo) }, { requiredKeys: ['line'] }), junk), { maxLength: 4 }), junk),
    }, { requiredKeys: [] })),
    req('setFunctionBreakpoints', fc.record({ breakpoints: fc.oneof(fc.array(fc.oneof(fc.record({ name: functionName, condition: maybe(condition), hitCondition: maybe(hitCondition) }, { requiredKeys: ['name'] }), junk), { maxLength: 3 }), junk) }, { requiredKeys: [] })),
    req('setExceptionBreakpoints', fc.record({
      filters: fc.oneof(fc.subarray(['panic', 'deadlock', 'lockdrop', 'errno', 'uaf', 'nope']), junk),
      filterOptions: maybe(fc.oneof(fc.array(fc.oneof(fc.record({ filterId: fc.oneof(fc.constantFrom('panic', 'errno', 'lockdrop'), junk), condition: maybe(fc.oneof(condition, junk)) }, { requiredKeys: [] }), junk), { maxLength: 3 }), junk)),
    }, { requiredKeys: [] })),
    req('dataBreakpointInfo', fc.record({ name: fc.oneof(fc.constantFrom('refcount', 'pass0.refcount', 'si_usecount', 'errno'), junk), variablesReference: maybe(fc.oneof(fc.integer({ min: -1, max: 60 }), junk)), frameId: maybe(junk) }, { requiredKeys: [] })),
    req('setDataBreakpoints', fc.record({ breakpoints: fc.oneof(fc.array(fc.oneof(fc.record({ dataId: fc.oneof(fc.constantFrom('pass0.refcount', 'pass0.si_usecount', 'A.f.errno', 'nope'), junk), accessType: maybe(fc.oneof(fc.constantFrom('write', 'read', 'readWrite'), junk)), condition: maybe(condition), hitCondition: maybe(hitCondition) }, { requiredKeys: [] }), junk), { maxLength: 3 }), junk) }, { requiredKeys: [] })),
    ...['next', 'stepIn', 'stepOut', 'stepBack', 'continue', 'reverseContinue', 'pause'].map((c) => req(c, fc.record({ threadId, singleThread: maybe(fc.oneof(fc.boolean(), junk)), granularity: maybe(junk) }, { requiredKeys: [] }))),
    req('threads', fc.constant(undefined)),
    req('stackTrace', fc.record({ threadId, startFrame: maybe(fc.oneof(fc.integer({ min: -1, max: 10 }), hostileNumber)), levels: maybe(fc.oneof(fc.integer({ min: -1, max: 10 }), hostileNumber)) }, { requiredKeys: [] })),
    req('scopes', fc.record({ frameId: fc.oneof(fc.integer({ min: 0, max: 2000 }), hostileNumber) })),
    req('variables', fc.record({ variablesReference: fc.oneof(fc.integer({ min: 0, max: 2000 }), hostileNumber), start: maybe(hostileNumber), count: maybe(hostileNumber), filter: maybe(junk) }, { requiredKeys: ['variablesReference'] })),
    req('evaluate', fc.record({ expression: fc.oneof(expression, junk), context: maybe(fc.oneof(fc.constantFrom('repl', 'watch', 'hover', 'clipboard', 'variables', 'x'), junk)), frameId: maybe(fc.oneof(fc.integer({ min: 0, max: 2000 }), hostileNumber)) }, { requiredKeys: [] })),
    req('completions', fc.record({ text: fc.oneof(expression, junk), column: fc.oneof(fc.integer({ min: -2, max: 40 }), hostileNumber), frameId: maybe(junk) }, { requiredKeys: [] })),
    req('exceptionInfo', fc.record({ threadId }, { requiredKeys: [] })),
    req('source', fc.record({ sourceReference: fc.oneof(fc.integer({ min: -1, max: 30 }), hostileNumber), source: maybe(junk) }, { requiredKeys: [] })),
    req('loadedSources', fc.constant({})),
    req('gotoTargets', fc.record({ source: maybe(junk), line: lineNo }, { requiredKeys: [] })),
    req('breakpointLocations', fc.record({ source: fc.oneof(fc.constant({ path: program }), junk), line: lineNo, endLine: maybe(lineNo) }, { requiredKeys: [] })),
    req(CustomRequests.trace, fc.record({ from: maybe(fc.oneof(fc.integer({ min: -10, max: 500 }), hostileNumber)), count: maybe(fc.oneof(fc.integer({ min: -10, max: 500 }), hostileNumber)) }, { requiredKeys: [] })),
    req(CustomRequests.gotoStep, fc.record({ step: fc.oneof(fc.integer({ min: -5, max: 300 }), hostileNumber) }, { requiredKeys: [] })),
    req(CustomRequests.why, fc.record({ expression: fc.oneof(expression, junk), limit: maybe(fc.oneof(fc.integer({ min: -5, max: 20 }), hostileNumber)), threadId: maybe(threadId) }, { requiredKeys: [] })),
    req(CustomRequests.exportTrace, fc.record({ path: maybe(fc.oneof(fc.constantFrom(path.join(EXPORT_DIR, 'out.json'), EXPORT_DIR, path.join(EXPORT_DIR, 'no', 'dir.json'), 'relative.json', ''), hostileNumber)) }, { requiredKeys: [] })),
  );

/** Every request the adapter knows, with arguments of any shape. */
const COMMANDS = [
  'setBreakpoints', 'setFunctionBreakpoints', 'setExceptionBreakpoints', 'configurationDone', 'continue', 'next', 'stepIn', 'stepOut', 'stepBack',
  'reverseContinue', 'pause', 'stackTrace', 'scopes', 'variables', 'setVariable', 'source', 'threads', 'evaluate', 'completions', 'exceptionInfo',
  'loadedSources', 'dataBreakpointInfo', 'setDataBreakpoints', 'breakpointLocations', 'goto', 'gotoTargets', 'restartFrame', 'readMemory',
  CustomRequests.trace, CustomRequests.gotoStep, CustomRequests.why, 'camsim/nothing',
];
// Export Trace with arbitrary arguments could name any absolute path: it only gets shapes that are not strings.
const malformed: fc.Arbitrary<Req> = fc.oneof(
  fc.record({ command: fc.constantFrom(...COMMANDS), args: fc.oneof(junk, fc.dictionary(fc.constantFrom('threadId', 'frameId', 'variablesReference', 'expression', 'source', 'breakpoints', 'filters', 'filterOptions', 'name', 'dataId', 'from', 'count', 'step', 'limit', 'context', 'lines'), junk, { maxKeys: 4 })) }),
  req(CustomRequests.exportTrace, fc.oneof(hostileNumber, fc.record({ path: hostileNumber }))),
);

const launchArgs = fc.record({
  program: fc.constantFrom(...SAMPLE_FILES),
  stopOnEntry: fc.boolean(),
  schedule: maybe(fc.oneof(fc.constantFrom<unknown>('roundRobin', 'scenario', { random: 7 }, 'schedule A B A', 'schedule Z*9', 'A*1e9'), junk)),
  maxSteps: maybe(fc.oneof(fc.integer({ min: 1, max: 3000 }), hostileNumber)),
}, { requiredKeys: ['program', 'stopOnEntry'] });

// ---- the checks ----

const STACK = /\n\s+at .+[(:]\d+/;

/** A request's answer (or error) within the bound; the error message must be for a person. */
async function ask(dc: Client, r: Req): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ANSWER_WITHIN_MS)));
  const answer = dc.send(r.command, r.args).then(
    (res: DebugProtocol.Response) => JSON.stringify(res.body ?? null),
    (e: Error) => e.message,
  );
  const got = await Promise.race([answer, timeout]);
  clearTimeout(timer);
  const what = `${r.command} ${JSON.stringify(r.args) ?? 'undefined'}`;
  assert.notEqual(got, 'timeout', `no answer within ${ANSWER_WITHIN_MS} ms: ${what}`);
  assert.doesNotMatch(got as string, /internal error/i, what);
  assert.doesNotMatch(got as string, STACK, what);
}

async function session(launch: Record<string, unknown>, requests: Req[]): Promise<void> {
  const dc = await startClient();
  try {
    await ask(dc, { command: 'initialize', args: { adapterID: DEBUG_TYPE, linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' } });
    const launched = ask(dc, { command: 'launch', args: launch });
    await ask(dc, { command: 'configurationDone', args: {} });
    await launched;
    for (const r of requests) await ask(dc, r);
    // Alive: threads is answered (with the threads, or before a launch that failed, with why not).
    await ask(dc, { command: 'threads', args: {} });
    for (const o of dc.outputs) assert.doesNotMatch(o.output, STACK, `output event: ${o.output}`);
  } finally {
    await dc.stop().catch(() => undefined);
  }
}

describe('dap: fuzzing (fixed seeds)', () => {
  test('generated request sequences on the samples', async () => {
    await fc.assert(
      fc.asyncProperty(launchArgs, fc.constantFrom(...SAMPLE_FILES).chain((p) => fc.array(plausible(p), { minLength: 5, maxLength: 25 })), (launch, requests) => session(launch, requests)),
      { seed: 0x5eed0012, numRuns: 24, endOnFailure: true, includeErrorInReport: true },
    );
  });

  test('malformed arguments for every request', async () => {
    await fc.assert(
      fc.asyncProperty(launchArgs, fc.array(fc.oneof(malformed, plausible(SAMPLE_FILES[0])), { minLength: 10, maxLength: 40 }), (launch, requests) => session(launch, requests)),
      { seed: 0x5eed0013, numRuns: 12, endOnFailure: true, includeErrorInReport: true },
    );
  });
});
