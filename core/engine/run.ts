// Runs a machine to its end under a scheduler, recording every step.

import type { Machine, MachineConfig, Outcome } from '../kernel/state';
import { deadlockOutcome, initialMachine, runnable, slice, status, type Status } from './machine';
import { explicitSchedule, policyScheduler, type Policy } from './schedulers';
import { describeStep, type TraceStep } from './trace';

export interface RunOptions {
  /** One pid per slice, followed first. */
  schedule?: readonly number[];
  /** What decides once the schedule runs out (round-robin by default). */
  policy?: Policy;
  /** Stop after this many steps (the run is then reported as cut short). */
  maxSteps?: number;
  /** Record a TraceStep per step (on by default). */
  record?: boolean;
}

export interface RunResult {
  final: Machine;
  steps: TraceStep[];
  /** The pid of every slice that ran, in order: a schedule that replays this run. */
  slices: number[];
  status: Status;
  /** The panic, use after free or deadlock that ended the run. */
  outcome: Outcome | null;
  notes: string[];
  /** The run stopped at maxSteps before reaching an end. */
  truncated: boolean;
}

export const DEFAULT_MAX_STEPS = 10_000_000;

export function runMachine(config: MachineConfig, opts: RunOptions = {}): RunResult {
  const names = config.processes.map((p) => p.name);
  const fallback = policyScheduler(opts.policy ?? { kind: 'roundRobin' });
  let m = initialMachine(config);
  const sched = opts.schedule ? explicitSchedule(opts.schedule, names, fallback, (pid) => m.procs[pid].done) : fallback;
  const record = opts.record !== false;
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  const steps: TraceStep[] = [];
  const slices: number[] = [];
  const notes: string[] = [];
  let count = 0;
  while (status(m) === 'running' && count < maxSteps) {
    const { pid, note } = sched.next(runnable(m));
    if (note) notes.push(note);
    const sliceIndex = slices.push(pid) - 1;
    if (record) {
      m = slice(m, pid, (before, after) => {
        steps.push(describeStep(before, after, pid, count, sliceIndex));
        count++;
      });
    } else {
      // Nobody sees the steps: the slice copies the machine once instead of once per step.
      m = slice(m, pid);
      count = m.clock;
    }
  }
  const st = status(m);
  const outcome = st === 'deadlock' ? deadlockOutcome(m) : m.outcome;
  return { final: m, steps, slices, status: st, outcome, notes, truncated: st === 'running' };
}
