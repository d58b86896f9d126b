// Who runs next. A scheduler picks one of the runnable processes for the next
// slice (a run to the next scheduling point). An explicit schedule is followed
// first; when it runs out, the default policy takes over.

import { seededRandom } from './random';

export type Policy = { kind: 'roundRobin' } | { kind: 'random'; seed: number };

export interface Scheduler {
  /** The pid for the next slice, from the runnable ones (never empty); `note` explains a skipped entry. */
  next(runnable: number[]): { pid: number; note?: string };
}

export function roundRobin(): Scheduler {
  let last = -1;
  return {
    next(runnable) {
      const pid = runnable.find((p) => p > last) ?? runnable[0];
      last = pid;
      return { pid };
    },
  };
}

export function randomScheduler(seed: number): Scheduler {
  const rnd = seededRandom(seed);
  return { next: (runnable) => ({ pid: runnable[Math.floor(rnd() * runnable.length)] }) };
}

export function policyScheduler(policy: Policy): Scheduler {
  return policy.kind === 'random' ? randomScheduler(policy.seed) : roundRobin();
}

/**
 * Follows `entries` (one pid per slice) while it lasts. While the named process
 * is blocked (it waits for a lock another holds), the fallback runs the others
 * and the entry waits; an entry naming a finished process is dropped.
 */
export function explicitSchedule(entries: readonly number[], names: readonly string[], fallback: Scheduler, isDone: (pid: number) => boolean = () => false): Scheduler {
  let i = 0;
  let noted = -1;
  return {
    next(runnable) {
      while (i < entries.length && isDone(entries[i])) i++;
      if (i >= entries.length) return fallback.next(runnable);
      const pid = entries[i];
      if (runnable.includes(pid)) {
        i++;
        return { pid };
      }
      const pick = fallback.next(runnable);
      if (noted === i) return pick;
      noted = i;
      return { ...pick, note: `schedule entry ${i + 1} (${names[pid]}) is blocked; ${names[pick.pid]} runs until it can go on` };
    },
  };
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
