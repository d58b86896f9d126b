// The Chrome Trace Event export: valid JSON whose events carry the fields the
// format requires, a counter event for every refcount and usecount change, a
// flow for every lock handoff, kernel calls nested per process. The expected
// counts are computed here from the TraceSteps, independently of the exporter.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { chromeTrace, type TraceEvent } from '../../core/engine/trace/chrome';
import { checkChromeTrace } from '../../core/engine/trace/chromeCheck';
import type { TraceFile } from '../../core/engine/trace/file';
import { cli, recordSample, samplePath, tempDir } from './trace-helpers';

/** The fields every event needs, and those of its phase (Trace Event Format document). */
function assertRequiredFields(e: TraceEvent, i: number): void {
  const at = `event ${i} ${JSON.stringify(e).slice(0, 120)}`;
  assert.equal(typeof e.name, 'string', at);
  assert.equal(typeof e.ph, 'string', at);
  for (const k of ['ts', 'pid', 'tid'] as const) assert.ok(Number.isFinite(e[k]), `${at}: ${k}`);
  switch (e.ph) {
    case 'X':
      assert.ok(Number.isFinite(e.dur) && e.dur! >= 0, `${at}: dur`);
      break;
    case 'C':
      assert.ok(e.args && Object.values(e.args).every((v) => typeof v === 'number'), `${at}: numeric args`);
      break;
    case 'i':
      assert.ok(['g', 'p', 't'].includes(e.s!), `${at}: scope`);
      break;
    case 's':
    case 'f':
      assert.ok(e.id !== undefined && typeof e.cat === 'string', `${at}: id and cat`);
      break;
    case 'M':
      assert.ok(e.args && (typeof e.args.name === 'string' || typeof e.args.sort_index === 'number'), `${at}: args`);
      break;
    default:
      assert.fail(`${at}: unexpected phase`);
  }
}

/** Holder changes read from each step's changes (not from locksTaken/locksDropped). */
function holderChanges(t: TraceFile): { lock: string; step: number; pid: number; from: string; to: string }[] {
  const out: { lock: string; step: number; pid: number; from: string; to: string }[] = [];
  for (const s of t.steps) {
    for (const c of s.changes) {
      if (c.path.endsWith('.holder')) out.push({ lock: c.path.replace(/\.holder$/, ''), step: s.index, pid: s.pid, from: String(c.old), to: String(c.new) });
    }
  }
  return out;
}

/** Expected flows: a drop (holder -> none) followed by the next take (none -> holder) by another process. */
function expectedHandoffs(t: TraceFile): string[] {
  const lastDrop = new Map<string, { step: number; pid: number }>();
  const out: string[] = [];
  for (const h of holderChanges(t)) {
    if (h.to === 'none') lastDrop.set(h.lock, { step: h.step, pid: h.pid });
    else if (h.from === 'none') {
      const d = lastDrop.get(h.lock);
      if (d && d.pid !== h.pid) out.push(`${h.lock} ${d.step}@${d.pid + 1} -> ${h.step}@${h.pid + 1}`);
      lastDrop.delete(h.lock);
    }
  }
  return out.sort();
}

function exportedHandoffs(events: TraceEvent[]): string[] {
  const starts = new Map<number, TraceEvent>();
  for (const e of events) if (e.ph === 's') starts.set(e.id!, e);
  return events
    .filter((e) => e.ph === 'f')
    .map((f) => {
      const s = starts.get(f.id!)!;
      assert.ok(s, `flow ${f.id} has no start`);
      assert.equal(f.bp, 'e');
      return `${String(s.args!.lock)} ${s.ts}@${s.tid} -> ${f.ts}@${f.tid}`;
    })
    .sort();
}

function checkExport(t: TraceFile): void {
  const chrome = JSON.parse(JSON.stringify(chromeTrace(t)));
  const events: TraceEvent[] = chrome.traceEvents;
  // Viewers disagree on displayTimeUnit: none is written.
  assert.equal('displayTimeUnit' in chrome, false);
  for (const m of events.filter((e) => e.ph === 'M')) assert.equal(m.cat, '__metadata', m.name);
  events.forEach(assertRequiredFields);
  assert.deepEqual(checkChromeTrace(chrome), []);

  // A counter event for every refcount and si_usecount change, with the new value, plus the initial one.
  for (const dev of Object.keys(t.initial.devices)) {
    for (const field of ['refcount', 'si_usecount']) {
      const path = `${dev}.${field}`;
      const changes = t.steps.flatMap((s) => s.changes.filter((c) => c.path === path).map((c) => ({ ts: s.index, value: c.new })));
      const counters = events.filter((e) => e.ph === 'C' && e.name === path).map((e) => ({ ts: e.ts, value: e.args!.value }));
      assert.deepEqual(counters, [{ ts: 0, value: (t.initial.devices[dev] as unknown as Record<string, number>)[field] }, ...changes], path);
    }
  }

  // A flow for every lock handoff.
  assert.deepEqual(exportedHandoffs(events), expectedHandoffs(t));

  // An instant for every lock drop, on the dropping process's track.
  const drops = holderChanges(t).filter((h) => h.to === 'none').map((h) => `${h.lock}@${h.step}/${h.pid + 1}`).sort();
  const instants = events.filter((e) => e.ph === 'i' && e.cat === 'lock').map((e) => `${String(e.args!.lock)}@${e.ts}/${e.tid}`).sort();
  assert.deepEqual(instants, drops);

  // Every kernel step lies inside a slice of its function on its process's track, at its depth.
  const calls = events.filter((e) => e.ph === 'X' && e.cat === 'kernel');
  for (const s of t.steps) {
    if (!s.fn) continue;
    const inside = calls.some((e) => e.tid === s.pid + 1 && e.name === s.fn && e.args!.depth === s.depth && e.ts <= s.index && s.index < e.ts + e.dur!);
    assert.ok(inside, `step ${s.index} (${s.fn}) has no enclosing slice`);
  }

  // The panic (or use after free) as an instant on its process's track.
  const bad = t.steps.filter((s) => s.outcome);
  const outcomes = events.filter((e) => e.ph === 'i' && e.cat === 'outcome');
  assert.deepEqual(outcomes.map((e) => `${e.ts}/${e.tid}`), bad.map((s) => `${s.index}/${s.pid + 1}`));
}

for (const name of ['pass-race-before-fix.camsim', 'pass-race-after-fix.camsim', 'pass-device-loss.camsim', 'enc-race-before-fix.camsim', 'sa-exclusive.camsim']) {
  test(`Chrome export of ${name}: required fields, a counter per change, a flow per handoff, nested calls`, () => {
    checkExport(recordSample(name));
  });
}

test('the pass race export has the panic on B, refcount counters down to 0 and handoffs both ways', () => {
  const t = recordSample('pass-race-before-fix.camsim');
  const events = chromeTrace(t).traceEvents;
  const panic = events.find((e) => e.cat === 'outcome')!;
  assert.match(panic.name, /^panic: cam_periph_release_locked_buses: release of 0x[0-9a-f]+ when refcount is zero$/);
  assert.equal(panic.tid, 2);
  const names = events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args!.name);
  assert.ok(names.includes('process A') && names.includes('process B') && names.includes('lock pass0.sim_mtx'));
  const refcount = events.filter((e) => e.ph === 'C' && e.name === 'pass0.refcount').map((e) => e.args!.value);
  assert.deepEqual(refcount, [0, 1, 2, 1, 0]);
  const flows = events.filter((e) => e.ph === 's').map((e) => e.name);
  assert.ok(flows.includes('pass0.sim_mtx: A -> B') && flows.includes('pass0.sim_mtx: B -> A'));
});

test('property: random runs of the samples export valid traces with one flow per handoff', () => {
  fc.assert(
    fc.property(fc.constantFrom('pass-race-before-fix.camsim', 'sg-race-after-fix.camsim', 'pass-device-loss.camsim'), fc.nat({ max: 1_000_000 }), (name, seed) => {
      checkExport(recordSample(name, { policy: { kind: 'random', seed }, schedule: [] }));
    }),
    { numRuns: 25 },
  );
});

test('camsim trace --format chrome -o writes the export, from a scenario and from a trace file alike', async () => {
  const dir = tempDir();
  const fromScenario = join(dir, 'a.json');
  const r = await cli('trace', samplePath('pass-race-before-fix.camsim'), '--format', 'chrome', '-o', fromScenario);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^chrome trace: .*a\.json \(\d+ events; open it in Perfetto or chrome:\/\/tracing\)$/);
  const traceFile = join(dir, 't.json');
  await cli('run', samplePath('pass-race-before-fix.camsim'), '-q', '--trace', traceFile);
  const fromTrace = join(dir, 'b.json');
  assert.equal((await cli('trace', traceFile, '-o', fromTrace)).code, 0);
  const a = JSON.parse(readFileSync(fromScenario, 'utf8'));
  const b = JSON.parse(readFileSync(fromTrace, 'utf8'));
  assert.deepEqual(checkChromeTrace(a), []);
  // Same run, same events (only the recorded file name may differ).
  assert.deepEqual(b.traceEvents, a.traceEvents);
  // --seed and --schedule choose the run for a scenario, and are refused for a recorded trace.
  const seeded = await cli('trace', samplePath('pass-race-before-fix.camsim'), '--seed', '3', '--schedule', 'B', '-o', join(dir, 'c.json'));
  assert.equal(seeded.code, 0, seeded.err);
  const refused = await cli('trace', traceFile, '--seed', '3');
  assert.equal(refused.code, 2);
  assert.match(refused.err, /--seed applies to a scenario; .* is a recorded trace/);
  const badFormat = await cli('trace', traceFile, '--format', 'svg');
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.err, /--format must be chrome or camsim, not 'svg'/);
});

test('checkChromeTrace finds missing fields, bad phases, overlapping slices and unpaired flows', () => {
  const base = { name: 'x', ts: 0, pid: 1, tid: 1 };
  const problems = (traceEvents: unknown[]) => checkChromeTrace({ traceEvents });
  assert.deepEqual(problems([{ ...base, ph: 'X', dur: 3 }, { ...base, ph: 'X', ts: 1, dur: 1 }]), []);
  assert.match(problems([{ name: 'x', ph: 'X', ts: 0, pid: 1, dur: 1 }]).join(), /tid must be a number/);
  assert.match(problems([{ ...base, ph: 'X' }]).join(), /needs dur/);
  assert.match(problems([{ ...base, ph: 'Q' }]).join(), /unknown phase "Q"/);
  assert.match(problems([{ ...base, ph: 'X', dur: 3 }, { ...base, ph: 'X', ts: 2, dur: 3 }]).join(), /overlaps traceEvents\[0\]/);
  assert.match(problems([{ ...base, ph: 's', id: 1, cat: 'c' }]).join(), /flow c\/1: 1 start\(s\) and 0 end\(s\)/);
  assert.match(problems([{ ...base, ph: 'C', args: { value: 'a' } }]).join(), /numeric args/);
  assert.match(problems([{ ...base, ph: 'E' }]).join(), /E without a B/);
  assert.match(problems([{ ...base, ph: 'i', s: 'x' }]).join(), /scope s must be g, p or t/);
  assert.match(problems([{ ...base, name: 'thread_name', ph: 'M', args: { name: 'A' } }]).join(), /needs cat '__metadata'/);
  assert.deepEqual(problems([{ ...base, name: 'thread_name', ph: 'M', cat: '__metadata', args: { name: 'A' } }]), []);
  assert.deepEqual(checkChromeTrace([]), ['expected a JSON object with traceEvents']);
});
