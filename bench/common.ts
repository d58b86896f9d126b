// What several benchmarks share: order statistics, the long-run scenario, and
// starting the debug adapter stopped after a given number of recorded steps.

import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

/** The q-quantile (0.5: median, 0.99: p99) of a sample, nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** `node --expose-gc`: each timing then starts with no garbage of the one before (a no-op otherwise). */
export const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** Wall time of one call of `f`, and what it returned. */
export function once<T>(f: () => T): { ms: number; value: T } {
  collect();
  const t0 = process.hrtime.bigint();
  const value = f();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

/** How many timed runs `pair` makes of each side, unless told. */
export const PAIR_RUNS = 7;

/**
 * Median wall times of `ours` and `base`, run alternately (after one warm-up
 * each) so that both see the same load on a shared machine.
 */
export function pair<A, B>(ours: () => A, base: () => B, runs = PAIR_RUNS): { ours: number; base: number; value: A; baseValue: B } {
  let value = ours();
  let baseValue = base();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    const x = once(ours);
    value = x.value;
    a.push(x.ms);
    const y = once(base);
    baseValue = y.value;
    b.push(y.ms);
  }
  return { ours: median(a), base: median(b), value, baseValue };
}

/** Two processes opening and closing one after-fix pass device `repeats` times each (about 50 steps a cycle). */
export function repeatedOpenClose(repeats: number): string {
  const proc = (name: string, fd: string) => `process ${name} {
  repeat ${repeats} {
    open pass0 as ${fd}
    close ${fd}
  }
}
`;
  return `scenario "two processes open and close pass0 over and over"
device pass0: pass after-fix
${proc('A', 'f')}${proc('B', 'g')}`;
}

/** Sends a request and waits for the stopped event it causes. */
export async function untilStopped(dc: DebugClient, send: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped', 600_000) as Promise<DebugProtocol.StoppedEvent>;
  await send();
  return stopped;
}

/**
 * Starts the adapter on `program` (round-robin) and, when `steps` is given, runs
 * it until the recording holds at least that many steps (a conditional function
 * breakpoint on kern_close), then clears the breakpoint. Returns the client and
 * the stopped event of that run.
 */
export async function adapterStoppedAfter(adapter: string, program: string, steps: number): Promise<{ dc: DebugClient; stopped: DebugProtocol.StoppedEvent; ms: number }> {
  const dc = new DebugClient(process.execPath, adapter, 'camsim');
  dc.defaultTimeout = 600_000;
  await dc.start();
  await dc.initializeRequest({ adapterID: 'camsim', pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized');
  const entry = dc.waitForEvent('stopped');
  const launched = dc.launchRequest({ program, stopOnEntry: true, schedule: 'roundRobin' } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'kern_close', condition: `A.steps + B.steps >= ${steps}` }] });
  await dc.configurationDoneRequest();
  await launched;
  await entry;
  const t0 = process.hrtime.bigint();
  const stopped = await untilStopped(dc, () => dc.continueRequest({ threadId: 1 }));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
  return { dc, stopped, ms };
}
