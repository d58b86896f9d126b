// The bundles in dist/ run on their own, as the packaged extension starts them:
// the CLI as a child process, the language server over Node IPC (the client's
// transport), the debug adapter over stdio (the "external" adapter mode).
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { CAPABILITY_TRACE, DEBUG_TYPE } from '../../core/protocol';
import { ROOT } from './paths';
import { bundlePrerequisites } from './prerequisites';

const pre = bundlePrerequisites();
const skip = pre.status === 'skip' ? pre.reason : false;
const dist = (file: string): string => path.join(ROOT, 'dist', file);
const SAMPLE = path.join(ROOT, 'samples', 'pass-race-before-fix.camsim');

describe('bundled programs', { skip, timeout: 60_000 }, () => {
  before(() => {
    if (pre.status === 'fail') throw new Error(pre.reason);
  });

  test('dist/cli.js runs a scenario to its panic', () => {
    const run = spawnSync(process.execPath, [dist('cli.js'), 'run', SAMPLE, '--quiet'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, `exit ${run.status}: ${run.stderr}`); // the sample expects the panic
    assert.match(run.stdout, /cam_periph_release_locked_buses/);
  });

  describe('dist/server.js over Node IPC', () => {
    let connection: MessageConnection;
    let server: ReturnType<typeof fork>;
    before(() => {
      server = fork(dist('server.js'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      connection = createMessageConnection(new IPCMessageReader(server), new IPCMessageWriter(server));
      connection.listen();
    });
    after(() => {
      connection.dispose();
      server.kill();
    });

    test('answers initialize with its capabilities', async () => {
      const result = (await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
      })) as { capabilities: Record<string, unknown> };
      assert.ok(result.capabilities.textDocumentSync !== undefined, JSON.stringify(result.capabilities));
    });
  });

  describe('dist/debugAdapter.js over stdio', () => {
    const client = new DebugClient(process.execPath, dist('debugAdapter.js'), DEBUG_TYPE);
    before(() => client.start());
    after(() => client.stop());

    test('answers initialize with step back and the camsim trace requests', async () => {
      const response = await client.initializeRequest({ adapterID: DEBUG_TYPE, linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      assert.equal(response.success, true);
      assert.equal(response.body?.supportsStepBack, true);
      assert.equal((response.body as Record<string, unknown> | undefined)?.[CAPABILITY_TRACE], true);
    });
  });
});
