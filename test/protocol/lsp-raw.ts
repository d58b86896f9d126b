// Raw JSON-RPC to the language server: one message sent exactly as given (a client
// library would reshape `params: null` or an array), and the answer to it read off
// the server's stdout. For tests of malformed input.
import type { LspClient } from './lsp-client';

export interface RawAnswer {
  result?: unknown;
  error?: { code: number; message: string };
}

export class Raw {
  private buffer = Buffer.alloc(0);
  private readonly answers = new Map<string, (m: RawAnswer) => void>();
  private next = 0;

  constructor(private readonly client: LspClient) {
    client.proc.stdout!.on('data', (d: Buffer) => this.take(d));
  }

  private take(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const head = this.buffer.indexOf('\r\n\r\n');
      if (head < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, head).toString())?.[1]);
      if (this.buffer.length < head + 4 + length) return;
      const msg = JSON.parse(this.buffer.subarray(head + 4, head + 4 + length).toString());
      this.buffer = this.buffer.subarray(head + 4 + length);
      if (typeof msg.id === 'string' && this.answers.has(msg.id)) {
        this.answers.get(msg.id)!(msg);
        this.answers.delete(msg.id);
      }
    }
  }

  send(message: Record<string, unknown>): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    this.client.proc.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.client.proc.stdin!.write(body);
  }

  /** The answer to a request; with `ms`, undefined when none came within that time. */
  request(method: string, params: unknown): Promise<RawAnswer>;
  request(method: string, params: unknown, ms: number): Promise<RawAnswer | undefined>;
  request(method: string, params: unknown, ms?: number): Promise<RawAnswer | undefined> {
    const id = `raw-${++this.next}`;
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => {
        this.answers.delete(id);
        resolve(undefined);
      }, ms);
      this.answers.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.send(params === undefined ? { id, method } : { id, method, params });
    });
  }
}
