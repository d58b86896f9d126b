// A small LSP client for the tests: starts the real server process
// (`node out/server/main.js --stdio`) and speaks JSON-RPC to it over stdio with
// vscode-jsonrpc, keeping every diagnostics and race-check notification.

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type ClientCapabilities,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { RaceCheckNotification, type RaceCheckParams } from '../../core/protocol';

export const SERVER_MAIN = path.resolve(__dirname, '../../server/main.js');
export const SAMPLES = path.resolve(__dirname, '../../../samples');

export interface ClientOptions {
  /** The `camsim` settings section answered to workspace/configuration. */
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  /** Whether to announce workspace/configuration support (true by default). */
  configuration?: boolean;
}

const CAPABILITIES = (configuration: boolean): ClientCapabilities => ({
  workspace: { configuration, didChangeConfiguration: { dynamicRegistration: false }, codeLens: { refreshSupport: true } },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    completion: { completionItem: { snippetSupport: false, documentationFormat: ['markdown', 'plaintext'] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    rename: { prepareSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } }, dataSupport: true },
    semanticTokens: {
      requests: { full: true },
      tokenTypes: [],
      tokenModifiers: [],
      formats: ['relative'],
    },
  },
});

type Waiter<T> = { pred: (v: T) => boolean; resolve: (v: T) => void };

export class LspClient {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly raceChecks: RaceCheckParams[] = [];
  readonly logs: string[] = [];
  /** How many times the server asked to refresh the code lenses. */
  codeLensRefreshes = 0;
  stderr = '';
  initializeResult!: InitializeResult;
  private readonly diagnosticWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private readonly raceWaiters: Waiter<RaceCheckParams>[] = [];
  private readonly versions = new Map<string, number>();
  private exited: Promise<number | null>;

  private constructor(
    readonly proc: ChildProcess,
    readonly connection: MessageConnection,
    public settings: Record<string, unknown>,
  ) {
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.push(p);
      settle(this.diagnosticWaiters, p);
    });
    connection.onNotification(RaceCheckNotification.method, (p: RaceCheckParams) => {
      this.raceChecks.push(p);
      settle(this.raceWaiters, p);
    });
    connection.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
    });
    connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((item) => (item.section === 'camsim' ? this.settings : null)));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/codeLens/refresh', () => {
      this.codeLensRefreshes++;
      return null;
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
  }

  static async start(opts: ClientOptions = {}): Promise<LspClient> {
    const proc = spawn(process.execPath, [SERVER_MAIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, connection, opts.settings ?? {});
    connection.listen();
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: CAPABILITIES(opts.configuration !== false),
      // It speaks for the camsim extension, whose commands the code lenses name, unless told otherwise.
      initializationOptions: { extensionCommands: true, ...opts.initializationOptions },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'camsim', version: 1, text } });
  }

  /** Sends changes; returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** The first diagnostics notification (already received or still to come) that satisfies `pred`. */
  waitForDiagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000, since = 0): Promise<PublishDiagnosticsParams> {
    const match = (p: PublishDiagnosticsParams): boolean => p.uri === uri && pred(p);
    const seen = this.diagnostics.slice(since).find(match);
    if (seen) return Promise.resolve(seen);
    return wait(this.diagnosticWaiters, match, timeoutMs, `diagnostics for ${uri}`);
  }

  /** Diagnostics published for this exact version. */
  diagnosticsFor(uri: string, version: number, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return this.waitForDiagnostics(uri, (p) => p.version === version, timeoutMs);
  }

  waitForRaceCheck(uri: string, pred: (p: RaceCheckParams) => boolean = () => true, timeoutMs = 20_000): Promise<RaceCheckParams> {
    const match = (p: RaceCheckParams): boolean => p.uri === uri && pred(p);
    const seen = this.raceChecks.find(match);
    if (seen) return Promise.resolve(seen);
    return wait(this.raceWaiters, match, timeoutMs, `a race check of ${uri}`);
  }

  /** Shuts the server down politely; resolves with its exit code. */
  async stop(): Promise<number | null> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // the process may already be gone; its exit code tells
    }
    const timer = setTimeout(() => this.proc.kill(), 5000);
    const code = await this.exited;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }
}

function settle<T>(waiters: Waiter<T>[], v: T): void {
  for (let i = waiters.length - 1; i >= 0; i--) {
    if (waiters[i].pred(v)) {
      waiters[i].resolve(v);
      waiters.splice(i, 1);
    }
  }
}

function wait<T>(waiters: Waiter<T>[], pred: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const w: Waiter<T> = {
      pred,
      resolve: (v) => {
        clearTimeout(timer);
        resolve(v);
      },
    };
    const timer = setTimeout(() => {
      const i = waiters.indexOf(w);
      if (i >= 0) waiters.splice(i, 1);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    waiters.push(w);
  });
}

/** A file URI for a name under a fake folder (the server never reads the disk). */
export function docUri(name: string): string {
  return `file:///camsim-test/${encodeURIComponent(name)}`;
}

/** A server with the background check off, and `text` open at `uri` and analysed once. */
export async function startWithDocument(uri: string, text: string): Promise<LspClient> {
  const client = await LspClient.start({ settings: { backgroundCheck: { enabled: false } } });
  await client.open(uri, text);
  await client.diagnosticsFor(uri, 1);
  return client;
}
