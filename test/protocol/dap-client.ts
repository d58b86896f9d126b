// Helpers for the debug adapter's protocol tests: a DebugClient
// (@vscode/debugadapter-testsupport) on the standalone adapter
// (`node out/debug-adapter/main.js`), launch-and-stop in one call, the Variables
// view as a flat map, and a raw connection for sending malformed bytes.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DEBUG_TYPE, type CamsimLaunchArguments } from '../../core/protocol';

export const ADAPTER = path.resolve(__dirname, '../../debug-adapter/main.js');
export const SAMPLES = path.resolve(__dirname, '../../../samples');
export const RACE = path.join(SAMPLES, 'pass-race-before-fix.camsim');
export const FIXED = path.join(SAMPLES, 'pass-race-after-fix.camsim');
export const DEVICE_LOSS = path.join(SAMPLES, 'pass-device-loss.camsim');

/** A client with every output event it received. */
export interface Client extends DebugClient {
  outputs: DebugProtocol.OutputEvent['body'][];
}

export async function startClient(): Promise<Client> {
  const dc = new DebugClient(process.execPath, ADAPTER, DEBUG_TYPE) as Client;
  dc.defaultTimeout = 10_000;
  dc.outputs = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => dc.outputs.push(e.body));
  await dc.start();
  return dc;
}

/** Waits for the stopped event that `action` causes (listening before it is sent). */
export async function stopAfter(dc: DebugClient, action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await action();
  return stopped;
}

/**
 * initialize, launch, configure (breakpoints in `setup`), configurationDone, and
 * the first stop.
 */
export async function launchToStop(
  dc: DebugClient,
  args: Partial<CamsimLaunchArguments>,
  setup?: () => Promise<unknown>,
): Promise<DebugProtocol.StoppedEvent> {
  await dc.initializeRequest({ adapterID: DEBUG_TYPE, linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized');
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  const launched = dc.launchRequest(args as DebugProtocol.LaunchRequestArguments);
  await initialized;
  if (setup) await setup();
  await dc.configurationDoneRequest();
  await launched;
  return stopped;
}

/** A scenario written to a temporary file. */
export function tempScenario(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-dap-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

export async function topFrame(dc: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId });
  return st.body.stackFrames[0];
}

export async function threadIdOf(dc: DebugClient, name: string): Promise<number> {
  const t = await dc.threadsRequest();
  const found = t.body.threads.find((x) => x.name === name || x.name.startsWith(`${name} (`));
  if (!found) throw new Error(`no thread ${name} in ${t.body.threads.map((x) => x.name).join(', ')}`);
  return found.id;
}

export interface FlatVariable extends DebugProtocol.Variable {
  scope: string;
}

/**
 * Every variable of the top frame of `threadId`, expanded, keyed by
 * `Scope/parent/name` with the scope's first word (`Periphs/pass0/refcount`).
 */
export async function variables(dc: DebugClient, threadId: number, level = 0): Promise<Map<string, FlatVariable>> {
  const st = await dc.stackTraceRequest({ threadId });
  const frame = st.body.stackFrames[level];
  const scopes = await dc.scopesRequest({ frameId: frame.id });
  const out = new Map<string, FlatVariable>();
  const walk = async (ref: number, prefix: string, scope: string) => {
    const vs = await dc.variablesRequest({ variablesReference: ref });
    for (const v of vs.body.variables) {
      const key = `${prefix}/${v.name}`;
      out.set(key, { ...v, scope });
      if (v.variablesReference > 0) await walk(v.variablesReference, key, scope);
    }
  };
  for (const s of scopes.body.scopes) {
    const word = s.name.split(/[\s:]/)[0];
    await walk(s.variablesReference, word, s.name);
  }
  return out;
}

export async function variable(dc: DebugClient, threadId: number, key: string): Promise<string> {
  const vs = await variables(dc, threadId);
  const v = vs.get(key);
  if (!v) throw new Error(`no variable ${key}; have ${[...vs.keys()].join(', ')}`);
  return v.value;
}

export async function evaluate(dc: DebugClient, expression: string, context = 'watch', frameId?: number): Promise<string> {
  const r = await dc.evaluateRequest({ expression, context, ...(frameId !== undefined ? { frameId } : {}) });
  return r.body.result;
}

/** The error message of a request that must fail. */
export async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the request succeeded but should have failed');
}

// ---- a raw connection, for bytes no client would send ----

export class RawConnection {
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  readonly messages: Record<string, unknown>[] = [];
  /** What the adapter wrote to stderr (it logs stray exceptions there). */
  stderr = '';
  private waiters: (() => void)[] = [];
  exited = false;

  constructor() {
    this.child = spawn(process.execPath, [ADAPTER], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => this.onData(d));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.on('exit', () => {
      this.exited = true;
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private onData(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const sep = this.buffer.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const header = this.buffer.subarray(0, sep).toString();
      const len = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
      if (this.buffer.length < sep + 4 + len) return;
      this.messages.push(JSON.parse(this.buffer.subarray(sep + 4, sep + 4 + len).toString()));
      this.buffer = this.buffer.subarray(sep + 4 + len);
      this.wake();
    }
  }

  /** Sends a body as is (it may be anything, even invalid JSON). */
  sendRaw(body: string): void {
    this.child.stdin!.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  send(message: unknown): void {
    this.sendRaw(JSON.stringify(message));
  }

  /** The first message matching `pred`, waiting up to `ms`. */
  async waitFor(pred: (m: Record<string, unknown>) => boolean, ms = 5000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.find(pred);
      if (found) return found;
      if (this.exited) throw new Error('the adapter exited');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a message');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  response(seq: number, ms?: number): Promise<Record<string, unknown>> {
    return this.waitFor((m) => m.type === 'response' && m.request_seq === seq, ms);
  }

  close(): void {
    this.child.kill();
  }
}
