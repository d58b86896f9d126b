// The background check's search: the explorer of core/engine/explore/explore.ts (partial
// order and symmetry reductions, shortest counterexamples, the same verdicts as
// `camsim check`), bounded in states and time, its report reduced to what the
// editor shows. Runs in the race-check worker (worker.ts), so it may take its time.

import type { MachineConfig } from '../../core/kernel/state';
import type { Scenario } from '../../core/scenario';
import { explore, type ExploreReport } from '../../core/engine/explore/explore';
import { summarize, type CheckVerdict } from '../../core/engine/explore/summary';

export interface Witness {
  /** One pid per slice from the initial state. */
  pids: number[];
  status: 'panic' | 'use-after-free' | 'deadlock' | 'finished';
  /** The panic, use after free or deadlock message; for an expectation, why it failed. */
  message: string;
}

/** Plain data (it crosses from the worker). */
export interface SearchResult {
  states: number;
  /** What the check comes to (summarize's verdict, as `camsim check` gives it). */
  verdict: CheckVerdict;
  /** Every reachable state was visited, or every expectation was decided. */
  complete: boolean;
  /** A shortest interleaving found that panics (or uses a freed periph), if any. */
  panic?: Witness;
  deadlock?: Witness;
  /** [index into scenario.expectations, a finished interleaving on which it fails] (no leak, conditions). */
  failed: [number, Witness][];
}

export interface SearchJob {
  config: MachineConfig;
  scenario: Scenario;
  text: string;
  maxStates: number;
  timeoutMs: number;
}

export function search(job: SearchJob): SearchResult {
  return fromReport(explore(job.config, job.scenario, job.text, { maxStates: job.maxStates, timeoutMs: job.timeoutMs }));
}

export function fromReport(r: ExploreReport): SearchResult {
  const result: SearchResult = { states: r.states, verdict: summarize(r).verdict, complete: r.complete || r.stop === 'decided', failed: [] };
  const outcome = (kind: 'panic' | 'use-after-free' | 'deadlock'): Witness | undefined => {
    const o = r.outcomes.find((x) => x.kind === kind && x.reachable && x.counterexample);
    return o?.counterexample ? { pids: o.counterexample.pids, status: kind, message: o.counterexample.message } : undefined;
  };
  const panic = outcome('panic') ?? outcome('use-after-free');
  if (panic) result.panic = panic;
  const deadlock = outcome('deadlock');
  if (deadlock) result.deadlock = deadlock;
  r.expectations.forEach((e, i) => {
    if ((e.what === 'no leak' || e.what === 'expr') && e.verdict === 'failed' && e.counterexample) {
      result.failed.push([i, { pids: e.counterexample.pids, status: 'finished', message: e.detail }]);
    }
  });
  return result;
}
