// How a run ends through the adapter: Run Without Debugging (noDebug) runs to the
// end past every breakpoint and ends the session with the result and the exit
// code `camsim run` gives; a debug session stops at the end and ends when
// continued; the end says which expectations held; stepping by hand away from the
// scenario's schedule is said once, in plain words.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DEBUG_TYPE } from '../../core/protocol';
import { FIXED, RACE, launchToStop, startClient, stopAfter, tempScenario, type Client } from './dap-client';

const CLI = path.resolve(__dirname, '../../../bin/camsim.js');

/** `camsim run FILE -q`: its exit status. */
function cliStatus(file: string): number | null {
  return spawnSync(process.execPath, [CLI, 'run', file, '-q'], { encoding: 'utf8' }).status;
}

/** Everything the adapter printed, one string. */
function printed(dc: Client): string {
  return dc.outputs.map((o) => o.output).join('');
}

/** A noDebug launch (breakpoints set as an editor would): the stops seen, the exit code and the end. */
async function runWithoutDebugging(dc: Client, program: string): Promise<{ stops: string[]; exitCode: number }> {
  const stops: string[] = [];
  dc.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e.body.reason));
  await dc.initializeRequest({ adapterID: DEBUG_TYPE, linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized');
  const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
  const terminated = dc.waitForEvent('terminated');
  const launched = dc.launchRequest({ program, noDebug: true } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'devfs_close' }] });
  await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 11 }, { line: 16 }] });
  await dc.configurationDoneRequest();
  await launched;
  const { body } = await exited;
  await terminated;
  return { stops, exitCode: body.exitCode };
}

describe('dap: the end of a run', () => {
  let dc: Client;
  beforeEach(async () => {
    dc = await startClient();
  });
  afterEach(async () => {
    await dc.stop();
  });

  test('noDebug with breakpoints set never stops: it prints the result and terminates with the CLI\'s exit code', async () => {
    const { stops, exitCode } = await runWithoutDebugging(dc, RACE);
    assert.deepEqual(stops, [], 'no stop: breakpoints and exception filters are ignored');
    const out = printed(dc);
    assert.match(out, /result: panic in process B, in cam_periph_release_locked_buses \(cam_periph\.c:72\): cam_periph_release_locked_buses: release of 0x[0-9a-f]+ when refcount is zero/);
    assert.match(out, / {2}expect panic: held/);
    assert.equal(exitCode, 0);
    assert.equal(exitCode, cliStatus(RACE));
  });

  test('noDebug of a run whose expectation fails exits 1, as camsim run does', async () => {
    const file = tempScenario('expects-no-panic.camsim', fs.readFileSync(RACE, 'utf8').replace(/^expect panic$/m, 'expect no panic'));
    const { stops, exitCode } = await runWithoutDebugging(dc, file);
    assert.deepEqual(stops, []);
    assert.match(printed(dc), / {2}expect no panic: FAILED \(cam_periph_release_locked_buses: release/);
    assert.equal(exitCode, 1);
    assert.equal(exitCode, cliStatus(file));
  });

  test('a debug session stops at the end of the run, says which expectations held, and continue then terminates', async () => {
    const ev = await launchToStop(dc, { program: FIXED });
    assert.equal(ev.body.reason, 'end of the run');
    assert.match(printed(dc), /The expectations of the scenario on this run:\n {2}expect no panic: held/);
    const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
    const terminated = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    assert.equal((await exited).body.exitCode, 0);
    await terminated;
    assert.match(printed(dc), /result: no panic\n {2}expect no panic: held/);
  });

  test('continue at the panic ends the session too', async () => {
    const ev = await launchToStop(dc, { program: RACE });
    assert.equal(ev.body.reason, 'exception');
    const terminated = dc.waitForEvent('terminated');
    const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
    await dc.continueRequest({ threadId: ev.body.threadId! });
    await terminated;
    assert.equal((await exited).body.exitCode, 0, 'expect panic held');
  });

  test('stepping by hand away from the schedule is said once, and the end names the failed expectation', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    // The schedule runs A first: stepping B leaves it.
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 2 }));
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 2 }));
    const told = dc.outputs.filter((o) => /You ran \w+ by hand/.test(o.output));
    assert.equal(told.length, 1, 'said once');
    assert.equal(told[0].category, 'console', 'in the console (the end of the run is loud when an expectation fails)');
    assert.match(told[0].output, /You ran B by hand at step 0, where the schedule \(the scenario's schedule line, then round-robin\) runs A next\. From here on this is not the run the schedule describes, so it may end otherwise than the scenario expects \(expect panic\)/);
    // B runs alone to its end, then the scheduler finishes A: no race, no panic.
    await stopAfter(dc, () => dc.continueRequest({ threadId: 2, singleThread: true }));
    const end = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(end.body.reason, 'end of the run');
    const report = dc.outputs.find((o) => /The expectations of the scenario on this run/.test(o.output));
    assert.ok(report);
    assert.equal(report.category, 'important', 'a failed expectation is not silent');
    assert.match(report.output, / {2}expect panic: FAILED \(no panic \(finished\)\)/);
    assert.match(report.output, /this run left its schedule \(the scenario's schedule line, then round-robin\) at step 0/);
    assert.equal(dc.outputs.filter((o) => /You ran \w+ by hand/.test(o.output)).length, 1, 'still said only once');
  });

  test('following the schedule by hand is not a departure', async () => {
    await launchToStop(dc, { program: RACE, stopOnEntry: true });
    for (let i = 0; i < 5; i++) await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    const end = await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(end.body.reason, 'exception');
    assert.ok(!dc.outputs.some((o) => /by hand|left its schedule/.test(o.output)));
  });
});
