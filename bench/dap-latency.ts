// Latency of the debug adapter as a client sees it, through the real adapter
// process over stdio (`node out/debug-adapter/main.js`): from sending a request
// to receiving its `stopped` event, for `next` and `stepBack`, at recordings of
// 1,000, 100,000 and 1,000,000 steps; beside each figure, the target (10 ms) and
// the figure as a ratio of it. Also: `next` followed by what an editor asks at
// every stop (threads, stack, scopes, every scope's variables), a jump to a random step (camsim/gotoStep),
// which rebuilds the state from the nearest checkpoint, the first step back from
// the end of the recording, the time to record the run, and the adapter's memory.
//
// Baseline for stepBack: time travel without checkpoints, i.e. re-running the
// recording from its first step to the step before (measured in this process,
// with the engine alone: a lower bound of what that design would cost).
//
// The scenario: two processes opening and closing pass0 (after the fix) in a
// `repeat`, round-robin; the run is stopped at N steps by a conditional
// function breakpoint.
//
// Run: npx tsc -p tsconfig.json && node out/bench/dap-latency.js [--quick]

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { loadScenario } from '../core/engine/scenarioRun';
import { runMachine } from '../core/engine/run/run';
import { adapterStoppedAfter, quantile, repeatedOpenClose } from './common';

const ADAPTER = path.resolve(__dirname, '../debug-adapter/main.js');
const TARGET_MS = 10;
const QUICK = process.argv.includes('--quick');
const LENGTHS = QUICK ? [1_000, 100_000] : [1_000, 100_000, 1_000_000];
const SAMPLES = QUICK ? 50 : 200;

const SCENARIO = repeatedOpenClose(20000);

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}


async function timed(dc: DebugClient, send: () => Promise<unknown>): Promise<{ ms: number; ev: DebugProtocol.StoppedEvent }> {
  const stopped = dc.waitForEvent('stopped', 600_000) as Promise<DebugProtocol.StoppedEvent>;
  const t0 = now();
  await send();
  const ev = await stopped;
  return { ms: now() - t0, ev };
}

function rssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
  } catch {
    return NaN;
  }
}

interface Row {
  length: number;
  recordMs: number;
  next: number[];
  /** next, then what an editor asks at a stop: threads, stack, scopes, every scope's variables. */
  nextViews: number[];
  back: number[];
  firstBack: number;
  goto: number[];
  rss: number;
  /** Re-running the whole recording from the start (the baseline of a step back). */
  rerunMs: number;
}

function rerunFromStart(text: string, steps: number): number {
  const loaded = loadScenario(text);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = now();
    runMachine(loaded.config!, { maxSteps: steps, record: false });
    times.push(now() - t0);
  }
  return quantile(times, 0.5);
}

async function measure(file: string, n: number): Promise<Row> {
  const { dc, stopped, ms } = await adapterStoppedAfter(ADAPTER, file, n);
  try {
    const rec = { ms, ev: stopped };
    if (rec.ev.body.reason !== 'function breakpoint') throw new Error(`expected the breakpoint at ${n} steps, got ${rec.ev.body.reason}`);
    const length = (await dc.customRequest('camsim/trace', { from: 0, count: 0 })).body.total as number;

    // next: the stopped thread, switching to the other when it blocks.
    let thread = rec.ev.body.threadId ?? 1;
    const next: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const r = await timed(dc, () => dc.nextRequest({ threadId: thread }));
      next.push(r.ms);
      if (/blocked|finished/.test(r.ev.body.description ?? '')) thread = thread === 1 ? 2 : 1;
    }
    const nextViews: number[] = [];
    for (let i = 0; i < Math.min(SAMPLES, 50); i++) {
      const t0 = now();
      const r = await timed(dc, () => dc.nextRequest({ threadId: thread }));
      await dc.threadsRequest();
      const st = await dc.stackTraceRequest({ threadId: thread });
      const scopes = await dc.scopesRequest({ frameId: st.body.stackFrames[0].id });
      for (const sc of scopes.body.scopes) await dc.variablesRequest({ variablesReference: sc.variablesReference });
      nextViews.push(now() - t0);
      if (/blocked|finished/.test(r.ev.body.description ?? '')) thread = thread === 1 ? 2 : 1;
    }
    // Back to the end of the recording, so that the first step back starts at the head.
    const total = (await dc.customRequest('camsim/trace', { from: 0, count: 0 })).body.total as number;
    await timed(dc, () => dc.customRequest('camsim/gotoStep', { step: total }));
    const back: number[] = [];
    let firstBack = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const r = await timed(dc, () => dc.stepBackRequest({ threadId: thread }));
      if (i === 0) firstBack = r.ms;
      back.push(r.ms);
    }
    // Random jumps: each rebuilds a state from its checkpoint.
    const goto: number[] = [];
    let seed = 12345;
    for (let i = 0; i < Math.min(SAMPLES, 100); i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const step = seed % (total + 1);
      goto.push((await timed(dc, () => dc.customRequest('camsim/gotoStep', { step }))).ms);
    }
    const rss = rssMb((dc as unknown as { _adapterProcess?: { pid?: number } })._adapterProcess?.pid);
    return { length, recordMs: rec.ms, next, nextViews, back, firstBack, goto, rss, rerunMs: rerunFromStart(SCENARIO, length - 1) };
  } finally {
    await dc.stop();
  }
}

function cell(ms: number): string {
  return `${ms.toFixed(3)} ms (${(ms / TARGET_MS).toFixed(3)}x)`;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-bench-'));
  const file = path.join(dir, 'open-close.camsim');
  fs.writeFileSync(file, SCENARIO);
  console.log(`camsim debug adapter latency, through node ${path.relative(process.cwd(), ADAPTER)} over stdio`);
  console.log(`request -> stopped event, ${SAMPLES} samples each; target ${TARGET_MS} ms median; (ratio to the target in parentheses)\n`);
  const rows: Row[] = [];
  for (const n of LENGTHS) rows.push(await measure(file, n));
  const header = ['trace length', 'next median', 'next p99', 'next+views median', 'stepBack median', 'stepBack p99', 'first stepBack', 'baseline: re-run to step back', 'gotoStep median', 'gotoStep p99', 'record run', 'adapter RSS'];
  const lines = rows.map((r) => [
    r.length.toLocaleString('en-US'),
    cell(quantile(r.next, 0.5)),
    cell(quantile(r.next, 0.99)),
    cell(quantile(r.nextViews, 0.5)),
    cell(quantile(r.back, 0.5)),
    cell(quantile(r.back, 0.99)),
    cell(r.firstBack),
    cell(r.rerunMs),
    cell(quantile(r.goto, 0.5)),
    cell(quantile(r.goto, 0.99)),
    `${(r.recordMs / 1000).toFixed(2)} s`,
    `${r.rss.toFixed(0)} MB`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cols: string[]) => cols.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const l of lines) console.log(fmt(l));
  const worst = Math.max(...rows.flatMap((r) => [quantile(r.next, 0.5), quantile(r.back, 0.5)]));
  console.log(`\nworst median of next/stepBack: ${worst.toFixed(3)} ms against the ${TARGET_MS} ms target: ${worst < TARGET_MS ? 'met' : 'NOT met'}`);
  const b0 = quantile(rows[0].back, 0.5);
  const bN = quantile(rows[rows.length - 1].back, 0.5);
  const last = rows[rows.length - 1];
  console.log(`stepBack median at ${last.length.toLocaleString('en-US')} steps: ${quantile(last.back, 0.5).toFixed(3)} ms; the re-run baseline: ${last.rerunMs.toFixed(1)} ms (ratio baseline / camsim ${(last.rerunMs / quantile(last.back, 0.5)).toFixed(0)}x)`);
  console.log(`stepBack median at ${rows[rows.length - 1].length.toLocaleString('en-US')} steps / at ${rows[0].length.toLocaleString('en-US')} steps: ${(bN / b0).toFixed(2)}x (the trace grew ${(rows[rows.length - 1].length / rows[0].length).toFixed(0)}x)`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
