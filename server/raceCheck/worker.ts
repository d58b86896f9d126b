// The background check runs in a worker thread, so that a search of any size
// never holds up the server's event loop; cancelling it terminates the worker.
// The worker is the server's own entry script (main.ts) started again, which
// finds itself in a race-check worker and runs the one job it was given: the
// same file works compiled into out/ and bundled into dist/server.js.

import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { search, type SearchJob, type SearchResult } from './explorerSearch';

const WORKER_KIND = 'camsim-race-check';
/** A worker that overruns its search's own time limit by this much is stopped. */
const GRACE_MS = 5_000;
/** Heap limit of a worker (a bounded search stays far below it). */
const MAX_HEAP_MB = 1024;
/** The nice value of a search thread (0 is the server's; 19 the lowest priority). */
const SEARCH_NICENESS = 10;

interface WorkerMessage {
  result?: SearchResult;
  error?: string;
}

/** Whether this thread is a race-check worker (then it must run `serveRaceCheck` and nothing else). */
export function isRaceCheckWorker(): boolean {
  return !isMainThread && (workerData as { kind?: string } | null)?.kind === WORKER_KIND;
}

/**
 * Lowers this thread's scheduling priority (Linux: a thread is a task of its own,
 * found through /proc/thread-self): a search that takes a whole core must leave
 * the server's own thread the time to answer requests at once. Elsewhere the
 * search keeps the priority it has.
 */
function yieldToTheServer(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, SEARCH_NICENESS);
  } catch {
    // no /proc/thread-self, or not allowed: run at the same priority
  }
}

/** Worker side: runs the job it was started with and posts the result. */
export function serveRaceCheck(): void {
  yieldToTheServer();
  const { job } = workerData as { job: SearchJob };
  let message: WorkerMessage;
  try {
    message = { result: search(job) };
  } catch (err) {
    message = { error: err instanceof Error ? err.stack ?? err.message : String(err) };
  }
  parentPort!.postMessage(message);
}

export interface RunningSearch {
  cancel(): void;
}

/**
 * Host side: runs `job` in a worker started from `script`; `done` is called once,
 * unless cancelled. `exited` is called once the worker's thread has ended (after
 * its result, its failure or its cancellation): only then is it gone.
 */
export function searchInWorker(script: string, job: SearchJob, done: (result: SearchResult | undefined, error?: string) => void, exited: () => void = () => undefined): RunningSearch {
  let settled = false;
  let stderr = '';
  const worker = new Worker(script, {
    workerData: { kind: WORKER_KIND, job },
    // not the server's own flags (--inspect would clash); its output must never reach the protocol's stdout
    execArgv: [],
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: MAX_HEAP_MB },
  });
  worker.stdout.resume();
  worker.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const finish = (result: SearchResult | undefined, error?: string): void => {
    if (settled) return;
    settled = true;
    clearTimeout(killer);
    void worker.terminate();
    done(result, error);
  };
  const killer = setTimeout(() => finish(undefined, `the search overran its ${job.timeoutMs} ms limit`), job.timeoutMs + GRACE_MS);
  worker.on('message', (m: WorkerMessage) => finish(m.result, m.error));
  worker.on('error', (err) => finish(undefined, err.stack ?? err.message));
  worker.on('exit', (code) => {
    finish(undefined, `the worker exited (${code})${stderr ? `: ${stderr}` : ''}`);
    exited();
  });
  return {
    cancel() {
      settled = true;
      clearTimeout(killer);
      void worker.terminate();
    },
  };
}
