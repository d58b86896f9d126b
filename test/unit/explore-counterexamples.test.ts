// Counterexamples: every one the explorer prints replays, through
// `camsim run --schedule`, to exactly the failure it was printed for; and it is
// a shortest one (compared with a plain breadth-first search).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadScenario } from '../../core/engine/scenarioRun';
import { status } from '../../core/engine/run/machine';
import { checkExpectations } from '../../core/engine/expr/expectations';
import type { Counterexample, ExploreReport } from '../../core/engine/explore/explore';
import type { Machine } from '../../core/kernel/state';
import { bfsShortest, cli, explored, load, loadFile, sampleFiles, smallScenario } from './explore-helpers';
import { RACY_DRIVERS } from '../helpers/drivers';

interface RunJson {
  status: string;
  outcome: { message: string } | null;
  expectations: { text: string; held: boolean }[];
  notes: string[];
  schedule: string;
}

/** Every counterexample in a report, with what it must show. */
function counterexamples(r: ExploreReport): { c: Counterexample; expectation?: string }[] {
  const out: { c: Counterexample; expectation?: string }[] = [];
  for (const o of r.outcomes) if (o.counterexample) out.push({ c: o.counterexample });
  for (const e of r.expectations) {
    if (e.counterexample) out.push({ c: e.counterexample, expectation: e.verdict === 'failed' ? e.text : undefined });
  }
  return out;
}

async function replaysExactly(file: string, c: Counterexample, expectation?: string): Promise<void> {
  const line = c.schedule.replace(/^schedule /, '');
  const { out } = await cli(['run', file, '--schedule', line, '--json']);
  const run = JSON.parse(out) as RunJson;
  assert.deepEqual(run.notes, [], `the schedule is followed as written: ${c.schedule}`);
  assert.equal(run.schedule, c.schedule, 'the run took exactly these slices');
  assert.equal(run.status, c.end, c.schedule);
  if (c.end !== 'finished') assert.equal(run.outcome?.message, c.message);
  if (expectation) {
    const e = run.expectations.find((x) => x.text === expectation);
    assert.ok(e, expectation);
    assert.equal(e.held, false, `${expectation} fails on ${c.schedule}`);
  }
}

for (const file of sampleFiles()) {
  const name = file.split('/').pop()!;
  test(`${name}: every counterexample of camsim check replays with camsim run --schedule to its failure`, async () => {
    const { out } = await cli(['check', file, '--json']);
    const report = JSON.parse(out) as ExploreReport;
    const all = counterexamples(report);
    if (name.includes('before-fix')) assert.ok(all.length > 0, 'a before-fix race has a counterexample');
    for (const { c, expectation } of all) await replaysExactly(file, c, expectation);
  });
}

test('the before-fix samples: exit 0 (expect panic holds), the panic is reported, its counterexample panics when replayed', async () => {
  for (const driver of RACY_DRIVERS) {
    const file = sampleFiles().find((f) => f.endsWith(`${driver}-race-before-fix.camsim`))!;
    const r = await cli(['check', file]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^result: panic reachable: panic in process \w+, in cam_periph_release_locked_buses .*release of 0x[0-9a-f]+ when refcount is zero$/m);
    const m = /^counterexample \((\d+) slices, shortest\): (schedule .*)$/m.exec(r.out);
    assert.ok(m, r.out);
    const replay = await cli(['run', file, '--schedule', m[2]]);
    assert.equal(replay.code, 0);
    assert.match(replay.out, /^result: panic in process/m);
    assert.match(r.out, /^ {2}expect panic: held/m);
  }
});

test('the after-fix samples: exit 0, "no panic" in every interleaving, with the state count', async () => {
  for (const driver of RACY_DRIVERS) {
    const file = sampleFiles().find((f) => f.endsWith(`${driver}-race-after-fix.camsim`))!;
    const r = await cli(['check', file]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^checked: every interleaving: [\d,]+ states/m);
    assert.match(r.out, /^result: no panic, no deadlock, no use after free in any interleaving \([\d,]+ states/m);
    assert.doesNotMatch(r.out, /FAILED|counterexample/);
  }
});

test('pt and sa: no panic in any interleaving', async () => {
  for (const s of ['pt-exclusive', 'sa-exclusive']) {
    const file = sampleFiles().find((f) => f.endsWith(`${s}.camsim`))!;
    const { out } = await cli(['check', file, '--json']);
    const report = JSON.parse(out) as ExploreReport;
    assert.equal(report.complete, true);
    assert.equal(report.outcomes.find((o) => o.kind === 'panic')!.reachable, false);
    assert.equal(report.expectations.find((e) => e.text === 'expect no panic')!.verdict, 'held');
  }
});

/** Whether `m` shows the counterexample's failure: its kind of end, or the expectation failing. */
function shows(l: ReturnType<typeof load>, c: Counterexample, expectation?: string): (m: Machine) => boolean {
  return (m) => {
    const st = status(m);
    if (!expectation || c.end !== 'finished') return st === c.end;
    if (st !== 'finished') return false;
    const results = checkExpectations(l.scenario, l.text, { final: m, status: st, outcome: null });
    return results.find((r) => r.text === expectation)?.held === false;
  };
}

test('counterexamples of the samples are shortest: a plain breadth-first search finds none shorter', () => {
  for (const file of sampleFiles()) {
    const l = loadFile(file);
    const { report } = explored(l);
    for (const { c, expectation } of counterexamples(report)) {
      if (!c.shortest) continue;
      const used = new Set(c.pids);
      const best = bfsShortest(l.config, shows(l, c, expectation), c.end === 'panic' || c.end === 'use-after-free' ? used : undefined);
      assert.equal(c.slices, best, `${file}: ${c.schedule}`);
    }
  }
});

test('random scenarios: counterexamples replay exactly and none is longer than a plain breadth-first search finds', () => {
  let compared = 0;
  fc.assert(
    fc.property(smallScenario, (text) => {
      fc.pre(loadScenario(text).config !== undefined);
      const l = load(text);
      const { report } = explored(l, { maxStates: 50_000 });
      for (const { c, expectation } of counterexamples(report)) {
        // The explorer replays every counterexample itself before it reports it; check the
        // length against a search that shares none of its code.
        const allowed = c.end === 'panic' || c.end === 'use-after-free' ? new Set(c.pids) : undefined;
        let best: number | undefined;
        try {
          best = bfsShortest(l.config, shows(l, c, expectation), allowed, 40_000);
        } catch {
          continue; // too big for the plain search
        }
        assert.ok(best !== undefined, `${c.schedule}\n${text}`);
        if (c.shortest) assert.equal(c.slices, best, `${c.schedule}\n${text}`);
        else assert.ok(c.slices >= best);
        compared++;
      }
    }),
    { numRuns: 20, seed: 4242 },
  );
  assert.ok(compared >= 10, `compared ${compared}`);
});
