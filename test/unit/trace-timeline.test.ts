// The timeline's data model: a lane per process with nested calls and lock
// spans, the counters as series, the panic marked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timelineModel } from '../../core/engine/trace/timeline';
import { counterValues } from '../../core/engine/trace/spans';
import { recordSample } from './trace-helpers';

test('timelineModel of the pass race: two lanes, nested calls, lock spans, refcount series and the panic on B', () => {
  const t = recordSample('pass-race-before-fix.camsim');
  const m = timelineModel(t.steps, t.processes.map((p) => p.name), { initial: counterValues(t.initial.devices) });
  assert.equal(m.steps, t.steps.length);
  assert.deepEqual(m.lanes.map((l) => l.process), ['A', 'B']);
  assert.deepEqual(m.panic && { step: m.panic.step, process: m.panic.process, kind: m.panic.kind }, { step: t.steps.length - 1, process: 'B', kind: 'panic' });
  assert.match(m.panic!.message, /release of 0x[0-9a-f]+ when refcount is zero/);

  for (const lane of m.lanes) {
    // Statements at depth 0, then the calls they make; each step of the lane lies in exactly one call per depth.
    assert.deepEqual(lane.calls.filter((c) => c.depth === 0).map((c) => c.name), ['open pass0 as f', 'close f']);
    for (const s of t.steps.filter((x) => x.pid === lane.pid)) {
      for (let d = 1; d <= s.depth; d++) {
        assert.equal(lane.calls.filter((c) => c.depth === d && c.start <= s.index && s.index < c.end).length, 1, `step ${s.index} at depth ${d}`);
      }
      const own = lane.calls.find((c) => c.depth === s.depth && c.start <= s.index && s.index < c.end)!;
      assert.equal(own.name, s.depth === 0 ? s.code : s.fn);
    }
    // A lock is held by one span at a time.
    const byLock = new Map<string, { start: number; end: number }[]>();
    for (const l of m.lanes.flatMap((x) => x.locks)) byLock.set(l.lock, [...(byLock.get(l.lock) ?? []), l]);
    for (const [lock, spans] of byLock) {
      spans.sort((a, b) => a.start - b.start);
      for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1].end <= spans[i].start, `${lock} held twice at once`);
    }
  }
  const b = m.lanes[1];
  const last = t.steps.length - 1;
  assert.ok(b.calls.some((c) => c.name === 'cam_periph_release_locked_buses' && c.start <= last && last < c.end));
  assert.ok(b.locks.some((l) => l.lock === 'pass0.sim_mtx' && l.held), 'B still holds the SIM mutex when it panics');

  const refcount = m.counters.find((c) => c.path === 'pass0.refcount')!;
  assert.equal(refcount.initial, 0);
  assert.deepEqual(refcount.points.map((p) => p.value), [1, 2, 1, 0]);
  assert.ok(m.counters.some((c) => c.path === 'pass0.si_usecount'));
  assert.ok(m.handoffs.some((h) => h.lock === 'pass0.sim_mtx' && h.from === 0 && h.to === 1));
});

test('timelineModel without a panic, and with a process that never ran, still has its lane', () => {
  const t = recordSample('pass-race-after-fix.camsim');
  const m = timelineModel(t.steps, [...t.processes.map((p) => p.name), 'idle']);
  assert.equal(m.panic, undefined);
  assert.deepEqual(m.lanes[2], { pid: 2, process: 'idle', calls: [], locks: [], maxDepth: 0 });
  assert.ok(m.lanes[0].maxDepth >= 5);
  // Without initial values the series start from the first write's old value.
  assert.equal(m.counters.find((c) => c.path === 'pass0.refcount')!.initial, 1);
  assert.deepEqual(timelineModel([], ['A']).lanes, [{ pid: 0, process: 'A', calls: [], locks: [], maxDepth: 0 }]);
});
