// The extension's copy of a session's recording: each stop fetches only what may
// have changed, and after any sequence of steps, step backs, jumps, new timelines
// and restarts the copy equals the adapter's recording.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TraceStep } from '../../core/engine/run/traceStep';
import { TraceCache, isTraceWindow, type TraceWindow } from '../../extension/timeline/traceCache';

function makeStep(index: number, pid: number, line: number): TraceStep {
  return { index, slice: 0, pid, process: 'AB'[pid], fn: 'devfs_close', file: 'devfs_vnops.c', line, code: `line ${line}`, depth: 1, locksTaken: [], locksDropped: [], changes: [] };
}

/** The adapter's side: a recording, a cursor, and the steps it sent. */
class FakeAdapter {
  recording: TraceStep[] = [];
  cursor = 0;
  sent = 0;
  requests = 0;
  private line = 0;

  /** Runs `n` steps forward from the cursor, keeping the recording where it agrees (process `pid`). */
  forward(n: number, pid: number): void {
    for (let i = 0; i < n; i++) {
      const at = this.cursor;
      if (at < this.recording.length && this.recording[at].pid === pid) {
        this.cursor++;
        continue;
      }
      this.recording.length = at; // a new timeline: the recorded future is discarded
      this.recording.push(makeStep(at, pid, ++this.line));
      this.cursor++;
    }
  }

  goto(step: number): void {
    this.cursor = Math.max(0, Math.min(step, this.recording.length));
  }

  restart(steps: number): void {
    this.recording = [];
    this.cursor = 0;
    this.line += 1000;
    this.forward(steps, 0);
  }

  fetch = async (from: number, count: number): Promise<TraceWindow> => {
    this.requests++;
    const steps = this.recording.slice(from, from + count);
    this.sent += steps.length;
    return { steps, cursor: this.cursor, total: this.recording.length, from };
  };

  /** What the panel does at each stop: a count-0 request for the cursor and length. */
  async stop(cache: TraceCache): Promise<void> {
    const w = await this.fetch(0, 0);
    cache.observe(w.cursor, w.total);
  }
}

test('a stop at the end of a growing recording fetches only the new steps', async () => {
  const adapter = new FakeAdapter();
  const cache = new TraceCache();
  adapter.forward(500, 0);
  await adapter.stop(cache);
  assert.equal(await cache.sync(adapter.fetch), true);
  assert.equal(adapter.sent, 500);
  assert.deepEqual(cache.steps, adapter.recording);
  assert.equal(cache.cursor, 500);

  adapter.sent = 0;
  adapter.forward(40, 1);
  await adapter.stop(cache);
  assert.equal(await cache.sync(adapter.fetch), true);
  assert.equal(adapter.sent, 41, 'the 40 new steps and the last known one, as a check');
  assert.deepEqual(cache.steps, adapter.recording);
});

test('moving inside the recording (step back, goto) changes only the cursor and fetches no steps', async () => {
  const adapter = new FakeAdapter();
  const cache = new TraceCache();
  adapter.forward(300, 0);
  await adapter.stop(cache);
  await cache.sync(adapter.fetch);
  adapter.sent = 0;
  for (const at of [299, 120, 7]) {
    adapter.goto(at);
    await adapter.stop(cache);
    assert.equal(await cache.sync(adapter.fetch), false);
    assert.equal(cache.cursor, at);
  }
  // Forward again along the recording, still inside it.
  adapter.forward(50, 0);
  await adapter.stop(cache);
  assert.equal(await cache.sync(adapter.fetch), false);
  assert.equal(cache.cursor, 57);
  assert.equal(adapter.sent, 0);
});

test('a new timeline from the past replaces the future, even when stops were not synced one by one', async () => {
  const adapter = new FakeAdapter();
  const cache = new TraceCache();
  adapter.forward(200, 0);
  await adapter.stop(cache);
  await cache.sync(adapter.fetch);
  adapter.goto(50);
  await adapter.stop(cache);
  adapter.forward(3, 1); // another process runs here: steps 50.. are new
  await adapter.stop(cache);
  adapter.goto(52);
  await adapter.stop(cache);
  adapter.sent = 0;
  assert.equal(await cache.sync(adapter.fetch), true);
  assert.deepEqual(cache.steps, adapter.recording);
  assert.equal(cache.steps.length, 53);
  assert.ok(adapter.sent <= 4, `${adapter.sent} steps fetched`);
  assert.equal(cache.cursor, 52);
});

test('a restart resets the copy; a change before the kept steps is caught by the check and fetched again', async () => {
  const adapter = new FakeAdapter();
  const cache = new TraceCache();
  adapter.forward(100, 0);
  await adapter.stop(cache);
  await cache.sync(adapter.fetch);
  adapter.restart(80);
  cache.reset();
  await adapter.stop(cache);
  assert.equal(await cache.sync(adapter.fetch), true);
  assert.deepEqual(cache.steps, adapter.recording);
  // The same without the reset: the step before the kept prefix differs.
  adapter.restart(120);
  await adapter.stop(cache);
  assert.equal(await cache.sync(adapter.fetch), true);
  assert.deepEqual(cache.steps, adapter.recording);
});

test('a recording longer than one request is fetched in chunks', async () => {
  const adapter = new FakeAdapter();
  const cache = new TraceCache();
  adapter.forward(95, 0);
  await adapter.stop(cache);
  await cache.sync(adapter.fetch, 10);
  assert.equal(adapter.requests, 1 + 10);
  assert.deepEqual(cache.steps, adapter.recording);
});

test('property: after any commands, with a stop after each and syncs now and then, the copy equals the recording', async () => {
  const command = fc.oneof(
    fc.record({ kind: fc.constant('forward' as const), n: fc.integer({ min: 1, max: 30 }), pid: fc.integer({ min: 0, max: 1 }) }),
    fc.record({ kind: fc.constant('goto' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant('restart' as const), n: fc.integer({ min: 0, max: 40 }) }),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(command, fc.boolean()), { maxLength: 25 }), async (commands) => {
      const adapter = new FakeAdapter();
      const cache = new TraceCache();
      for (const [c, sync] of commands) {
        if (c.kind === 'forward') adapter.forward(c.n, c.pid);
        else if (c.kind === 'goto') adapter.goto(Math.floor(c.at * adapter.recording.length));
        else {
          adapter.restart(c.n);
          cache.reset();
        }
        await adapter.stop(cache);
        if (sync) await cache.sync(adapter.fetch, 16);
      }
      await cache.sync(adapter.fetch, 16);
      assert.deepEqual(cache.steps, adapter.recording);
      assert.equal(cache.cursor, adapter.cursor);
    }),
    { numRuns: 300 },
  );
});

test('a camsim/trace body is recognised', () => {
  assert.equal(isTraceWindow({ steps: [], cursor: 0, total: 0, from: 0 }), true);
  assert.equal(isTraceWindow({ steps: [], cursor: 0, total: 0 }), false);
  assert.equal(isTraceWindow(undefined), false);
});
