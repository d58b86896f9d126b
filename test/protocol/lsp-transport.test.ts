// The server starts the ways clients start it: `--stdio` (any LSP client, and the
// `camsim-language-server` command), `--node-ipc` (vscode-languageclient's IPC
// transport, as the extension uses it) and with no argument (stdio); compiled by
// tsc into out/ and bundled by webpack into dist/server.js.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { PublishDiagnosticsNotification, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { SERVER_MAIN, docUri } from './lsp-client';
import { RaceCheckNotification, type RaceCheckParams } from '../../core/protocol';
import { sample } from './lsp-util';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/camsim-language-server.js');
const BUNDLE = path.join(ROOT, 'dist/server.js');

/**
 * Starts the server, opens the before-fix sample, waits for its race warning and
 * for the background check (run by a worker started from the same script), shuts
 * down; returns the exit code.
 */
async function session(script: string, args: string[], ipc: boolean): Promise<number | null> {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ipc ? ['pipe', 'pipe', 'pipe', 'ipc'] : ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const connection: MessageConnection = ipc
    ? createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc))
    : createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const uri = docUri('transport.camsim');
  const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification(PublishDiagnosticsNotification.type, resolve));
  const raceCheck = new Promise<RaceCheckParams>((resolve) => connection.onNotification(RaceCheckNotification.method, resolve));
  connection.onRequest('workspace/configuration', () => [{ backgroundCheck: { enabled: true } }]);
  connection.listen();
  try {
    const init = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, initializationOptions: { raceCheckDelayMs: 20 } });
    assert.equal((init as { serverInfo?: { name: string } }).serverInfo?.name, 'camsim-language-server');
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'camsim', version: 1, text: sample('pass-race-before-fix.camsim') } });
    const p = await diagnostics;
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['devfs-close-race']);
    assert.equal((await raceCheck).verdict, 'panic');
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } finally {
    setTimeout(() => proc.kill(), 5000).unref();
  }
  const code = await exited;
  connection.dispose();
  assert.equal(stderr, '');
  return code;
}

test('out/server/main.js --stdio', async () => {
  assert.equal(await session(SERVER_MAIN, ['--stdio'], false), 0);
});

test('out/server/main.js --node-ipc (the transport vscode-languageclient uses)', async () => {
  assert.equal(await session(SERVER_MAIN, ['--node-ipc'], true), 0);
});

test('out/server/main.js without a transport argument speaks over stdio', async () => {
  assert.equal(await session(SERVER_MAIN, [], false), 0);
});

test('the camsim-language-server command (bin/) with --stdio', async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.equal(path.resolve(ROOT, pkg.bin['camsim-language-server']), BIN);
  assert.equal(await session(BIN, ['--stdio'], false), 0);
});

test('the webpack bundle dist/server.js with --stdio and --node-ipc', async (t) => {
  if (!fs.existsSync(BUNDLE)) {
    t.skip('dist/server.js is not built (npm run bundle builds it; npm test does so before the tests)');
    return;
  }
  assert.equal(await session(BUNDLE, ['--stdio'], false), 0);
  assert.equal(await session(BUNDLE, ['--node-ipc'], true), 0);
});
