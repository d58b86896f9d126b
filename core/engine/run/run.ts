// Runs a machine to its end under a scheduler, recording every step.

import type { Machine, MachineConfig, Outcome } from '../../kernel/state';
import { deadlockOutcome, initialMachine, slice, status, type Status } from './machine';
import { Scheduler, SliceRuns, type Policy } from './schedulers';
import { describeStep, type TraceStep } from './traceStep';

export interface RunOptions {
  /** One pid per slice, followed first. */
  schedule?: readonly number[];
  /** What decides once the schedule runs out (round-robin by default). */
  policy?: Policy;
  /** Stop after this many steps (the run is then reported as cut short). */
  maxSteps?: number;
  /** Record a TraceStep per step (on by default). */
  record?: boolean;
  /**
   * Hands each recorded step over as it runs instead of keeping it in `steps`,
   * so that a run of millions of steps can be written out in constant memory.
   */
  onStep?: (s: TraceStep) => void;
  /** Keep one pid per slice in `slices` (on by default); `sliceRuns` has them either way. */
  keepSlices?: boolean;
}

export interface RunResult {
  final: Machine;
  /** Every step, when recorded and not handed to `onStep`. */
  steps: TraceStep[];
  /** The pid of every slice that ran, in order: a schedule that replays this run (empty with keepSlices: false). */
  slices: number[];
  /** The same slices as runs of one process. */
  sliceRuns: SliceRuns;
  /** Steps run, whether kept, streamed or not recorded. */
  stepCount: number;
  status: Status;
  /** The panic, use after free or deadlock that ended the run. */
  outcome: Outcome | null;
  notes: string[];
  /** The run stopped at maxSteps before reaching an end. */
  truncated: boolean;
}

export const DEFAULT_MAX_STEPS = 10_000_000;

export function runMachine(config: MachineConfig, opts: RunOptions = {}): RunResult {
  const run = startRun(config, opts);
  run.advance(Infinity);
  return run.result();
}

/** A run that goes on a number of steps at a time, so that a caller can pause between them. */
export interface RunInProgress {
  /** Runs whole slices until at least `steps` more steps ran or the run ended; true when it ended. */
  advance(steps: number): boolean;
  /** Steps run so far. */
  readonly stepCount: number;
  /** The run as far as it went (runMachine's result once `advance` said it ended). */
  result(): RunResult;
}

export function startRun(config: MachineConfig, opts: RunOptions = {}): RunInProgress {
  const scheduler = new Scheduler({ entries: opts.schedule ?? [], policy: opts.policy ?? { kind: 'roundRobin' } });
  let memory = scheduler.initialMemory();
  let m = initialMachine(config);
  /** The entry last noted as waiting: one note per entry. */
  let noted = -1;
  const record = opts.record !== false;
  const keepSlices = opts.keepSlices !== false;
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  const steps: TraceStep[] = [];
  const emit = opts.onStep ?? ((s: TraceStep) => void steps.push(s));
  const slices: number[] = [];
  const runs = new SliceRuns();
  const notes: string[] = [];
  let count = 0;
  const advance = (budget: number): boolean => {
    const until = count + budget;
    while (status(m) === 'running' && count < maxSteps) {
      if (count >= until) return false;
      const pid = scheduler.choose(m, memory)!;
      const waiting = scheduler.waiting(m, memory, pid);
      if (waiting && waiting.entry !== noted) {
        noted = waiting.entry;
        notes.push(waiting.note);
      }
      memory = scheduler.started(m, memory, pid);
      const sliceIndex = runs.length;
      runs.push(pid);
      if (keepSlices) slices.push(pid);
      // The slice stops at the step budget too: a run never goes past maxSteps.
      if (record) {
        m = slice(m, pid, (before, after) => {
          emit(describeStep(before, after, pid, count, sliceIndex));
          count++;
        }, maxSteps - count);
      } else {
        // Nobody sees the steps: the slice copies the machine once instead of once per step.
        m = slice(m, pid, undefined, maxSteps - count);
        count = m.clock;
      }
    }
    return true;
  };
  const result = (): RunResult => {
    const st = status(m);
    const outcome = st === 'deadlock' ? deadlockOutcome(m) : m.outcome;
    return { final: m, steps, slices, sliceRuns: runs, stepCount: count, status: st, outcome, notes, truncated: st === 'running' };
  };
  return {
    advance,
    get stepCount() {
      return count;
    },
    result,
  };
}
