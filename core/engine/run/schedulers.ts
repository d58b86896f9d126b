// Who runs next. The scheduler picks one of the runnable processes for each slice
// (a run to the next scheduling point): the plan's explicit entries first, while
// they last, then the policy (round-robin or seeded random). Its memory (how far
// the entries have got, the round-robin position, the generator's state) is
// plain data, so the debugger records it with each state and a run continued
// from any point in the past picks the same processes as the first time.
// runMachine drives it a slice at a time; the debugger a step at a time
// (RunState, advance), with the same decisions.

import type { Machine, MachineConfig } from '../../kernel/state';
import { atSchedulingPoint, enabled, initialMachine, runnable, step, waitingFor } from './machine';
import { mulberry32 } from './random';

export type Policy = { kind: 'roundRobin' } | { kind: 'random'; seed: number };

/** A run's schedule: explicit entries (one pid per slice) first, then the policy. */
export interface SchedulePlan {
  entries: readonly number[];
  policy: Policy;
}

/** What the scheduler remembers between slices. */
export interface SchedulerMemory {
  /** Index of the next explicit entry. */
  entry: number;
  /** Round-robin: the pid of the last slice the policy ran (-1 before any). */
  rrLast: number;
  /** Random: the generator's state (mulberry32). */
  rng: number;
}

/** The scheduler's memory in a run that goes a step at a time. */
export interface SchedState extends SchedulerMemory {
  /** Per process: it is inside a slice (ran, and its next step is not a scheduling point). */
  mid: readonly boolean[];
}

/** A machine and the scheduler's memory: what the debugger's recording checkpoints. */
export interface RunState {
  m: Machine;
  s: SchedState;
}

const ORDINAL_SUFFIX = ['th', 'st', 'nd', 'rd'];

/** 1st, 2nd, 3rd, 4th, 11th, 21st, ... */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (ORDINAL_SUFFIX[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export class Scheduler<P extends SchedulePlan = SchedulePlan> {
  constructor(readonly plan: P) {}

  initialMemory(): SchedulerMemory {
    return { entry: 0, rrLast: -1, rng: this.plan.policy.kind === 'random' ? this.plan.policy.seed >>> 0 : 0 };
  }

  /** The process for the next slice of `m`, or undefined when none can run. */
  choose(m: Machine, mem: SchedulerMemory): number | undefined {
    const ready = runnable(m);
    if (ready.length === 0) return undefined;
    const i = this.skipDone(m, mem.entry);
    const entries = this.plan.entries;
    if (i < entries.length && ready.includes(entries[i])) return entries[i];
    if (this.plan.policy.kind === 'random') return ready[Math.floor(mulberry32(mem.rng).value * ready.length)];
    return ready.find((p) => p > mem.rrLast) ?? ready[0];
  }

  /** The memory once a slice of `pid` starts (whether the scheduler chose it or someone by hand). */
  started(m: Machine, mem: SchedulerMemory, pid: number): SchedulerMemory {
    const i = this.skipDone(m, mem.entry);
    if (i < this.plan.entries.length && this.plan.entries[i] === pid) return { ...mem, entry: i + 1 };
    if (this.plan.policy.kind === 'random') return { ...mem, entry: i, rng: mulberry32(mem.rng).state };
    return { ...mem, entry: i, rrLast: pid };
  }

  /**
   * When the schedule's next entry names a blocked process and `chosen` runs
   * instead: which entry, and a sentence that says so. A person reads it.
   */
  waiting(m: Machine, mem: SchedulerMemory, chosen: number): { entry: number; note: string } | undefined {
    const i = this.skipDone(m, mem.entry);
    const entries = this.plan.entries;
    if (i >= entries.length || entries[i] === chosen) return undefined;
    const pid = entries[i];
    const name = m.config.processes[pid]?.name ?? '?';
    const why = waitingFor(m, pid);
    return {
      entry: i,
      note: `the schedule's ${ordinal(i + 1)} entry names ${name}, which is blocked${why ? ` (waiting for ${why})` : ''}; running others until it can go on`,
    };
  }

  // ---- a step at a time (the debugger) ----

  initial(config: MachineConfig): RunState {
    return { m: initialMachine(config), s: { ...this.initialMemory(), mid: config.processes.map(() => false) } };
  }

  /** Whether a step of `pid` from `rs` starts a new slice. */
  startsSlice(rs: RunState, pid: number): boolean {
    return !rs.s.mid[pid];
  }

  /** The process to step next, or undefined when none can run: one inside a slice finishes it first. */
  chooseStep(rs: RunState): number | undefined {
    const midReady = runnable(rs.m).filter((p) => rs.s.mid[p]);
    return midReady.length > 0 ? midReady[0] : this.choose(rs.m, rs.s);
  }

  /** Why the scheduler does not follow the explicit schedule with this step, if it does not. */
  waitingStep(rs: RunState, chosen: number): { entry: number; note: string } | undefined {
    return rs.s.mid[chosen] ? undefined : this.waiting(rs.m, rs.s, chosen);
  }

  /**
   * Runs one step of `pid` (which must be enabled) and updates the scheduler's
   * memory: a step that starts a slice counts as that slice's decision.
   */
  advance(rs: RunState, pid: number): RunState {
    const m = step(rs.m, pid);
    let s = rs.s;
    if (!s.mid[pid]) s = { ...s, ...this.started(rs.m, s, pid) };
    const mid = !m.outcome && !m.procs[pid].done && enabled(m, pid) && !atSchedulingPoint(m, pid);
    if (mid !== s.mid[pid]) {
      const copy = s.mid.slice();
      copy[pid] = mid;
      s = { ...s, mid: copy };
    }
    return { m, s };
  }

  private skipDone(m: Machine, i: number): number {
    const entries = this.plan.entries;
    while (i < entries.length && m.procs[entries[i]].done) i++;
    return i;
  }
}

/** Expands `A B*3` (as pids) into one pid per slice. */
export function expandSchedule(entries: readonly { pid: number; times: number }[]): number[] {
  const out: number[] = [];
  for (const e of entries) for (let k = 0; k < e.times; k++) out.push(e.pid);
  return out;
}

/**
 * The slices of a run as runs of one process (`A*3 B A*2`): as small as the
 * schedule line, however long the run, for runs whose steps are streamed.
 */
export class SliceRuns {
  readonly pids: number[] = [];
  readonly counts: number[] = [];
  /** Slices in all. */
  length = 0;

  push(pid: number): void {
    const last = this.pids.length - 1;
    if (last >= 0 && this.pids[last] === pid) this.counts[last]++;
    else {
      this.pids.push(pid);
      this.counts.push(1);
    }
    this.length++;
  }

  /** One pid per slice. */
  toArray(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.pids.length; i++) for (let k = 0; k < this.counts[i]; k++) out.push(this.pids[i]);
    return out;
  }

  /** The schedule line, as formatSchedule writes it. */
  format(names: readonly string[]): string {
    const parts = this.pids.map((pid, i) => (this.counts[i] > 1 ? `${names[pid]}*${this.counts[i]}` : names[pid]));
    return parts.length ? `schedule ${parts.join(' ')}` : 'schedule';
  }
}

/** Writes one pid per slice back as a schedule line: `A*3 B A*2`. */
export function formatSchedule(pids: readonly number[], names: readonly string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < pids.length; ) {
    let j = i;
    while (j < pids.length && pids[j] === pids[i]) j++;
    const n = j - i;
    parts.push(n > 1 ? `${names[pids[i]]}*${n}` : names[pids[i]]);
    i = j;
  }
  return parts.length ? `schedule ${parts.join(' ')}` : 'schedule';
}
