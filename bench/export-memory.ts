// Peak memory of the debug adapter's Export Trace against the number of steps:
// the adapter (`node -r out/bench/peakRss.js out/debug-adapter/main.js`, driven
// through DebugClient) records a run of N steps, then either ends (the baseline:
// the recording alone) or first writes the recording as a trace file. Streaming
// works when the export adds about the same, small amount whatever N is.
//
// Run: npm run build && node out/bench/export-memory.js [STEPS...]

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CustomRequests, DEBUG_TYPE } from '../core/protocol';
import { repeatedOpenClose } from './common';

const ADAPTER = path.resolve(__dirname, '../debug-adapter/main.js');
const PRELOAD = path.resolve(__dirname, 'peakRss.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-export-memory-'));

/** Peak RSS (MB) of an adapter that records `steps` steps and, with `exportTo`, writes them there; with the export's time. */
async function peak(steps: number, exportTo?: string): Promise<{ mb: number; ms: number; bytes: number }> {
  const program = path.join(dir, 'openclose.camsim');
  fs.writeFileSync(program, repeatedOpenClose(Math.ceil(steps / 20)));
  const dc = new DebugClient(process.execPath, ADAPTER, DEBUG_TYPE, { env: { ...process.env, NODE_OPTIONS: `-r ${PRELOAD}` } });
  dc.defaultTimeout = 1_800_000;
  await dc.start();
  const child = (dc as unknown as { _adapterProcess: ChildProcess })._adapterProcess;
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await dc.initializeRequest({ adapterID: DEBUG_TYPE, pathFormat: 'path' });
  const stopped = dc.waitForEvent('stopped', 1_800_000) as Promise<DebugProtocol.StoppedEvent>;
  const launched = dc.launchRequest({ program, maxSteps: steps } as DebugProtocol.LaunchRequestArguments);
  await dc.configurationDoneRequest();
  await launched;
  await stopped;
  let ms = 0;
  let bytes = 0;
  if (exportTo) {
    const t = performance.now();
    const r = await dc.customRequest(CustomRequests.exportTrace, { path: exportTo });
    ms = performance.now() - t;
    bytes = (r.body as { bytes: number }).bytes;
    fs.rmSync(exportTo);
  }
  await dc.disconnectRequest();
  // The adapter ends itself after disconnect; peakRss.js reports as it exits.
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  child.kill();
  const kb = Number(/peak-rss-kb (\d+)/.exec(stderr)?.[1]);
  if (!kb) throw new Error(`the adapter did not report its peak RSS: ${stderr}`);
  return { mb: kb / 1024, ms, bytes };
}

async function main(): Promise<void> {
  const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log('Export Trace: peak RSS of the adapter (recording alone vs recording + export), by steps');
  for (const steps of counts.length ? counts : [100_000, 1_000_000]) {
    const base = await peak(steps);
    const ex = await peak(steps, path.join(dir, 'out.trace.json'));
    console.log(
      `  ${steps.toLocaleString('en-US').padStart(10)} steps: recording ${base.mb.toFixed(0).padStart(5)} MB, with export ${ex.mb.toFixed(0).padStart(5)} MB ` +
        `(+${(ex.mb - base.mb).toFixed(0)} MB, ratio ${(ex.mb / base.mb).toFixed(2)}x); file ${(ex.bytes / 1e6).toFixed(0)} MB written in ${(ex.ms / 1000).toFixed(1)} s`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
