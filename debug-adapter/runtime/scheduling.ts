// Who runs next when the debugger hands control to the scheduler, as a pure
// function of the run so far. The scheduler's memory (how far the explicit
// schedule has got, the round-robin position, the random generator) is part of
// the recorded state, so a run continued from any point in the past picks the
// same processes as the first time, and `camsim run` picks the same ones too:
// with no intervention this follows core/engine/schedulers.ts decision for decision.

import type { Machine, MachineConfig } from '../../core/kernel/state';
import { atSchedulingPoint, enabled, initialMachine, runnable, step } from '../../core/engine/machine';
import type { Policy } from '../../core/engine/schedulers';
import { mulberry32 } from '../../core/engine/random';

export { mulberry32 };

/** The launch's schedule: explicit entries (one pid per slice) first, then the policy. */
export interface SchedulePlan {
  entries: readonly number[];
  policy: Policy;
  /** How the plan was described, for messages. */
  label: string;
}

export interface SchedState {
  /** Index of the next explicit entry. */
  entry: number;
  /** Round-robin: the pid of the last slice the fallback ran (-1 before any). */
  rrLast: number;
  /** Random: the generator's state (mulberry32, as core/engine/random.ts). */
  rng: number;
  /** Per process: it is inside a slice (ran, and its next step is not a scheduling point). */
  mid: readonly boolean[];
}

/** A machine and the scheduler's memory: what the recording checkpoints. */
export interface RunState {
  m: Machine;
  s: SchedState;
}

export class Scheduling {
  constructor(readonly plan: SchedulePlan) {}

  initial(config: MachineConfig): RunState {
    const m = initialMachine(config);
    const seed = this.plan.policy.kind === 'random' ? this.plan.policy.seed >>> 0 : 0;
    return { m, s: { entry: 0, rrLast: -1, rng: seed, mid: config.processes.map(() => false) } };
  }

  /** Whether a step of `pid` from `rs` starts a new slice. */
  startsSlice(rs: RunState, pid: number): boolean {
    return !rs.s.mid[pid];
  }

  /**
   * Runs one step of `pid` (which must be enabled) and updates the scheduler's
   * memory: a step that starts a slice counts as that slice's decision.
   */
  advance(rs: RunState, pid: number): RunState {
    const m = step(rs.m, pid);
    let s = rs.s;
    if (!s.mid[pid]) s = this.observeSliceStart(rs.m, s, pid);
    const mid = !m.outcome && !m.procs[pid].done && enabled(m, pid) && !atSchedulingPoint(m, pid);
    if (mid !== s.mid[pid]) {
      const copy = s.mid.slice();
      copy[pid] = mid;
      s = { ...s, mid: copy };
    }
    return { m, s };
  }

  /** The process the scheduler runs next, or undefined when none can run. */
  choose(rs: RunState): number | undefined {
    const { m, s } = rs;
    const ready = runnable(m);
    if (ready.length === 0) return undefined;
    // A process in the middle of a slice finishes it first (the scheduler only decides between slices).
    const midReady = ready.filter((p) => s.mid[p]);
    if (midReady.length > 0) return midReady[0];
    const i = this.skipDone(m, s.entry);
    const entries = this.plan.entries;
    if (i < entries.length && ready.includes(entries[i])) return entries[i];
    if (this.plan.policy.kind === 'random') return ready[Math.floor(mulberry32(s.rng).value * ready.length)];
    return ready.find((p) => p > s.rrLast) ?? ready[0];
  }

  /** Why the scheduler did not follow the explicit schedule here, if it did not. */
  deviation(rs: RunState, chosen: number, names: readonly string[]): string | undefined {
    const i = this.skipDone(rs.m, rs.s.entry);
    const entries = this.plan.entries;
    if (i >= entries.length || entries[i] === chosen || rs.s.mid[chosen]) return undefined;
    return `the schedule gives the next turn to ${names[entries[i]]}, but ${names[entries[i]]} is blocked, so ${names[chosen]} runs until ${names[entries[i]]} can go on`;
  }

  private skipDone(m: Machine, i: number): number {
    const entries = this.plan.entries;
    while (i < entries.length && m.procs[entries[i]].done) i++;
    return i;
  }

  private observeSliceStart(m: Machine, s: SchedState, pid: number): SchedState {
    const i = this.skipDone(m, s.entry);
    if (i < this.plan.entries.length && this.plan.entries[i] === pid) return { ...s, entry: i + 1 };
    if (this.plan.policy.kind === 'random') return { ...s, entry: i, rng: mulberry32(s.rng).state };
    return { ...s, entry: i, rrLast: pid };
  }
}
