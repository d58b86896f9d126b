// The language server as the latency benchmark drives it: the real process
// (`node out/server/main.js --stdio`) over JSON-RPC, with only what a timing
// needs: open, change, the diagnostics of a version, requests.

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  ConfigurationRequest, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
  InitializeRequest, InitializedNotification, PublishDiagnosticsNotification, ShutdownRequest,
  type PublishDiagnosticsParams, type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

const SERVER_MAIN = path.resolve(__dirname, '../server/main.js');

export async function startServer(settings: Record<string, unknown>) {
  const proc = spawn(process.execPath, [SERVER_MAIN, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const published: PublishDiagnosticsParams[] = [];
  let waiting: { uri: string; version: number; resolve: () => void } | undefined;
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    if (waiting && p.uri === waiting.uri && p.version === waiting.version) waiting.resolve();
  });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'camsim' ? settings : null)));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: null,
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  let version = 1;

  return {
    /** Every diagnostics notification so far, oldest first. */
    published,
    async open(uri: string, text: string): Promise<void> {
      version = 1;
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'camsim', version, text } });
    },
    /** Sends the changes; returns the document's new version. */
    async change(uri: string, contentChanges: TextDocumentContentChangeEvent[]): Promise<number> {
      version++;
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
      return version;
    },
    /** Resolves once the diagnostics of `v` are published (or at once if they were). */
    diagnosticsFor(uri: string, v: number, timeoutMs = 10_000): Promise<void> {
      if (published.some((p) => p.uri === uri && p.version === v)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${v} within ${timeoutMs} ms`)), timeoutMs);
        waiting = { uri, version: v, resolve: () => { clearTimeout(timer); resolve(); } };
      });
    },
    request<R>(method: string, params: unknown): Promise<R> {
      return connection.sendRequest(method, params) as Promise<R>;
    },
    async stop(): Promise<void> {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      await new Promise((resolve) => proc.once('exit', resolve));
      connection.dispose();
    },
  };
}

export type LspServer = Awaited<ReturnType<typeof startServer>>;
