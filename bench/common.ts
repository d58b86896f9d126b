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
