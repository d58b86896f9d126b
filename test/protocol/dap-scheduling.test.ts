// `continue` hands control to the scheduler of the launch configuration, and
// with no intervention the debugger runs exactly what `camsim run` runs: the
// same steps, for the scenario's schedule, round-robin and seeded random orders.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { CustomRequests } from '../../core/protocol';
import { loadScenario, runScenario } from '../../core/engine/scenarioRun';
import { seededRandom } from '../../core/engine/random';
import type { RunOptions } from '../../core/engine/run';
import type { TraceStep } from '../../core/engine/trace';
import { mulberry32 } from '../../debug-adapter/runtime/scheduling';
import { SAMPLES, launchToStop, startClient, stopAfter } from './dap-client';

function summary(s: TraceStep): string {
  return `${s.index} ${s.process} ${s.fn} ${s.file}:${s.line}`;
}

/** Runs `program` once per schedule in one adapter (a restart with new arguments runs it again). */
async function debuggerRuns(program: string, schedules: unknown[]): Promise<TraceStep[][]> {
  const dc = await startClient();
  try {
    const out: TraceStep[][] = [];
    for (const [i, schedule] of schedules.entries()) {
      if (i === 0) await launchToStop(dc, { program, schedule: schedule as never });
      else await stopAfter(dc, () => dc.restartRequest({ arguments: { program, schedule } } as never));
      const trace = await dc.customRequest(CustomRequests.trace, { from: 0, count: 100_000 });
      out.push(trace.body.steps as TraceStep[]);
    }
    return out;
  } finally {
    await dc.stop();
  }
}

function cliRun(program: string, opts: RunOptions): TraceStep[] {
  const loaded = loadScenario(fs.readFileSync(program, 'utf8'));
  return runScenario(loaded, opts).run.steps;
}

describe('dap: the scheduler matches camsim run', () => {
  test('the random generator is the engine\'s, draw for draw', () => {
    for (const seed of [0, 1, 42, 0xdeadbeef]) {
      const r = seededRandom(seed);
      let state = seed >>> 0;
      for (let i = 0; i < 100; i++) {
        const d = mulberry32(state);
        state = d.state;
        assert.equal(d.value, r());
      }
    }
  });

  const samples = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.camsim')).sort();
  for (const sample of samples) {
    test(`${sample}: the scenario's schedule, round-robin and two seeds give the steps camsim run gives`, async () => {
      const program = path.join(SAMPLES, sample);
      const loaded = loadScenario(fs.readFileSync(program, 'utf8'));
      const cases: [unknown, RunOptions][] = [
        ['scenario', {}],
        ['roundRobin', { schedule: [] }],
        [{ random: 1 }, { schedule: [], policy: { kind: 'random', seed: 1 } }],
        [{ random: 99 }, { schedule: [], policy: { kind: 'random', seed: 99 } }],
      ];
      assert.ok(loaded.config, `${sample} loads`);
      const runs = await debuggerRuns(program, cases.map((c) => c[0]));
      cases.forEach(([schedule, opts], i) => {
        assert.deepEqual(runs[i].map(summary), cliRun(program, opts).map(summary), `${sample} with ${JSON.stringify(schedule)}`);
      });
    });
  }
});
