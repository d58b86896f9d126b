// The commands the server runs itself, for editors without the camsim extension:
// its code lenses name them, workspace/executeCommand runs them, and the answer
// is the text `camsim check` prints.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { ServerCommands, type ServerCommandResult } from '../../core/protocol';
import { LspClient, docUri } from './lsp-client';
import { sample } from './lsp-util';

describe('server commands (workspace/executeCommand)', () => {
  let client: LspClient;
  const messages: string[] = [];
  before(async () => {
    // Another editor: no extensionCommands in the initialization options.
    client = await LspClient.start({ settings: { backgroundCheck: { enabled: false } }, initializationOptions: { extensionCommands: false } });
    client.connection.onNotification('window/showMessage', (p: { message: string }) => {
      messages.push(p.message);
    });
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('the server announces its commands and its version', () => {
    assert.deepEqual(client.initializeResult.capabilities.executeCommandProvider?.commands, Object.values(ServerCommands));
    assert.match(client.initializeResult.serverInfo?.version ?? '', /^\d+\.\d+\.\d+/);
  });

  test('code lenses name the server\'s own commands', async () => {
    const uri = docUri('lens-before.camsim');
    await client.open(uri, sample('pass-race-before-fix.camsim'));
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.map((l) => l.command?.command), [ServerCommands.check]);
    assert.deepEqual(lenses[0].command?.arguments, [{ uri }]);
  });

  test('check: the verdict, the headline shown to the user, and the text of camsim check -q', async () => {
    const uri = docUri('pass-race-before-fix.camsim');
    await client.open(uri, sample('pass-race-before-fix.camsim'));
    const r = await client.request<ServerCommandResult>('workspace/executeCommand', { command: ServerCommands.check, arguments: [{ uri }] });
    assert.equal(r.verdict, 'panic');
    assert.match(r.text, /^pass-race-before-fix\.camsim: two processes race close on pass0$/m);
    assert.match(r.text, /^result: panic reachable: .*release of .* when refcount is zero/m);
    assert.match(r.text, /^counterexample \(\d+ slices, shortest\): schedule /m);
    assert.doesNotMatch(r.text, /^ {2}\[/m, 'check -q prints no steps');
    // the message is sent with the answer; it may arrive just after it
    for (let i = 0; i < 100 && !messages.includes(r.headline); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(messages.includes(r.headline), `shown: ${JSON.stringify(messages)}`);
  });

  test('counterexample: the same, with every step of the interleaving', async () => {
    const uri = docUri('pass-race-before-fix.camsim');
    const r = await client.request<ServerCommandResult>('workspace/executeCommand', { command: ServerCommands.counterexample, arguments: [{ uri }] });
    assert.equal(r.verdict, 'panic');
    assert.match(r.text, /cam_periph_release_locked_buses/);
    assert.ok(r.text.split('\n').length > 100, 'the steps are listed');
  });

  test('after the fix the check holds', async () => {
    const uri = docUri('pass-race-after-fix.camsim');
    await client.open(uri, sample('pass-race-after-fix.camsim'));
    const r = await client.request<ServerCommandResult>('workspace/executeCommand', { command: ServerCommands.check, arguments: [{ uri }] });
    assert.equal(r.verdict, 'ok');
    assert.match(r.text, /: held/);
  });

  test('a scenario with errors answers invalid, with each error located', async () => {
    const uri = docUri('broken.camsim');
    await client.open(uri, 'device pass0: pas\nprocess A {\n  open pass0 as f\n}\n');
    const r = await client.request<ServerCommandResult>('workspace/executeCommand', { command: ServerCommands.check, arguments: [{ uri }] });
    assert.equal(r.verdict, 'invalid');
    assert.match(r.text, /^broken\.camsim:1:15: /m);
  });

  test('an unknown command, bad arguments or a document not open are errors, and the server stays up', async () => {
    await assert.rejects(client.request('workspace/executeCommand', { command: 'camsim.nope', arguments: [] }), /unknown command 'camsim.nope'/);
    await assert.rejects(client.request('workspace/executeCommand', { command: ServerCommands.check, arguments: [] }), /arguments must be one object/);
    await assert.rejects(client.request('workspace/executeCommand', { command: ServerCommands.check, arguments: [{ uri: docUri('never-opened.camsim') }] }), /is not open/);
    const uri = docUri('pass-race-after-fix.camsim');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.length, 1);
  });
});
