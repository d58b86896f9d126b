// The debug adapter as nvim-dap runs it with the configuration in
// debug-adapter/README.md: the adapter's command and arguments and the launch
// configuration are read from that README's Lua, nvim-dap's initialize
// arguments are sent, the launch gets the configuration table as nvim-dap sends
// it (type, request and name included, `${file}` replaced by the buffer's path),
// breakpoints come between `initialized` and `configurationDone`.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { RACE } from './dap-client';

const ROOT = path.resolve(__dirname, '../../..');
const README = fs.readFileSync(path.join(ROOT, 'debug-adapter/README.md'), 'utf8');

/** The nvim-dap Lua block of the README. */
function lua(): string {
  const m = /## Neovim \(nvim-dap\)[\s\S]*?```lua\n([\s\S]*?)```/.exec(README);
  assert.ok(m, 'debug-adapter/README.md has no nvim-dap lua block');
  return m[1];
}

/** A Lua table literal of strings, booleans and numbers, as a JS object. */
function table(text: string): Record<string, string | boolean | number> {
  const out: Record<string, string | boolean | number> = {};
  for (const m of text.matchAll(/(\w+)\s*=\s*('([^']*)'|true|false|\d+)/g)) {
    out[m[1]] = m[3] !== undefined ? m[3] : m[2] === 'true' ? true : m[2] === 'false' ? false : Number(m[2]);
  }
  return out;
}

/** What nvim-dap sends in `initialize` (nvim-dap's session.lua). */
const NVIM_DAP_INITIALIZE: DebugProtocol.InitializeRequestArguments = {
  clientID: 'neovim',
  clientName: 'neovim',
  adapterID: 'nvim-dap',
  pathFormat: 'path',
  linesStartAt1: true,
  columnsStartAt1: true,
  supportsRunInTerminalRequest: true,
  supportsVariableType: true,
  supportsProgressReporting: true,
  supportsStartDebuggingRequest: true,
  locale: 'en_US',
};

test('nvim-dap with the README configuration: launch, a breakpoint on a process line, threads, stack, variables, step back', async () => {
  const block = lua();
  const adapter = /dap\.adapters\.camsim\s*=\s*\{([^\n]*)\}/.exec(block);
  assert.ok(adapter, 'no dap.adapters.camsim line');
  assert.equal(table(adapter[1]).command, 'node');
  const args = /args\s*=\s*\{\s*camsim\s*\.\.\s*'([^']+)'\s*\}/.exec(adapter[1]);
  assert.ok(args, 'the adapter args are not { camsim .. \'/path\' }');
  const program = path.join(ROOT, args[1]);
  assert.ok(fs.existsSync(program), `${args[1]} is missing: run 'npm run build' first`);
  const configs = [...block.matchAll(/^\s*\{ (type = 'camsim'[^\n]*)\},?$/gm)].map((m) => table(m[1]));
  assert.equal(configs.length, 2);
  const launch = { ...configs[0], program: RACE } as DebugProtocol.LaunchRequestArguments; // nvim-dap expands ${file}
  assert.equal(configs[0].program, '${file}');

  const dc = new DebugClient(process.execPath, program, 'camsim');
  dc.defaultTimeout = 10_000;
  await dc.start();
  try {
    const init = await dc.initializeRequest(NVIM_DAP_INITIALIZE);
    assert.equal(init.body?.supportsStepBack, true);
    const initialized = dc.waitForEvent('initialized');
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const launched = dc.launchRequest(launch);
    await initialized;
    const lines = fs.readFileSync(RACE, 'utf8').split('\n');
    const closeB = lines.findIndex((l, i) => i > lines.findIndex((x) => x.startsWith('process B')) && l.trim() === 'close f') + 1;
    const bps = await dc.setBreakpointsRequest({ source: { path: RACE }, breakpoints: [{ line: closeB }] });
    assert.equal(bps.body.breakpoints[0].verified, true);
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    await dc.configurationDoneRequest();
    await launched;
    // stopOnEntry = true: the first stop is the entry
    const entry = await stopped;
    assert.equal(entry.body.reason, 'entry');

    const atBreakpoint = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.continueRequest({ threadId: entry.body.threadId ?? 1 });
    const hit = await atBreakpoint;
    assert.equal(hit.body.reason, 'breakpoint');
    const threads = await dc.threadsRequest();
    assert.deepEqual(threads.body.threads.map((t) => t.name).sort(), ['A', 'B']);
    const stack = await dc.stackTraceRequest({ threadId: hit.body.threadId!, startFrame: 0, levels: 20 });
    assert.equal(stack.body.stackFrames[0].source?.path, RACE);
    assert.equal(stack.body.stackFrames[0].line, closeB);
    const scopes = await dc.scopesRequest({ frameId: stack.body.stackFrames[0].id });
    assert.ok(scopes.body.scopes.length > 0);
    const vars = await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
    assert.ok(vars.body.variables.length > 0);

    const back = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.stepBackRequest({ threadId: hit.body.threadId! });
    assert.equal((await back).body.reason, 'step');
  } finally {
    await dc.stop();
  }
});
