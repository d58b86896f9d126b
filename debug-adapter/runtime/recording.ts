// The recording of a debug run: the pid of every step, which steps began a
// slice, and a checkpoint (machine + scheduler memory) every `interval` steps.
// The state after any step is rebuilt from the checkpoint before it, so reaching
// step N costs at most `interval` re-executed steps whatever the length of the
// run, and memory stays a few bytes per step (one million steps: about 3 MB of
// step records and a thousand checkpoints). Machines are immutable values, so a
// checkpoint is just a reference.

import type { RunState } from '../../core/engine/run/schedulers';
import { grown } from '../../core/growable';

/** A growable typed array of small unsigned integers. */
class Column {
  private data: Uint16Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Uint16Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.data.length) this.data = grown(this.data);
    this.data[this.length++] = v;
  }

  get(i: number): number {
    return this.data[i];
  }

  truncate(n: number): void {
    if (n < this.length) this.length = n;
  }
}

export const CHECKPOINT_INTERVAL = 1024;

export class Recording {
  private readonly pids = new Column();
  /** 1 where the step began a slice (a scheduling decision). */
  private readonly starts = new Column();
  private readonly checkpoints: RunState[];
  /** Per checkpoint: the slices begun before it, so that counting them never walks the whole run. */
  private readonly slicesBefore: number[] = [0];
  private slices = 0;
  /** Re-executed states of one interval, from its checkpoint: repeated step-backs reuse them. */
  private window: { base: number; states: RunState[] } | undefined;

  constructor(
    readonly initial: RunState,
    private readonly advance: (rs: RunState, pid: number) => RunState,
    readonly interval = CHECKPOINT_INTERVAL,
  ) {
    this.checkpoints = [initial];
  }

  /** Number of recorded steps. */
  get length(): number {
    return this.pids.length;
  }

  pidAt(step: number): number {
    return this.pids.get(step);
  }

  startedSlice(step: number): boolean {
    return this.starts.get(step) === 1;
  }

  /** Records step `length` (by `pid`) and the state after it. */
  append(pid: number, startedSlice: boolean, after: RunState): void {
    this.pids.push(pid);
    this.starts.push(startedSlice ? 1 : 0);
    if (startedSlice) this.slices++;
    const n = this.pids.length;
    if (n % this.interval === 0) {
      this.checkpoints[n / this.interval] = after;
      this.slicesBefore[n / this.interval] = this.slices;
    }
    const w = this.window;
    if (w && n === w.base + w.states.length && n < w.base + this.interval) w.states.push(after);
  }

  /** Discards every step from `n` on (a new timeline starts there). */
  truncate(n: number): void {
    if (n >= this.length) return;
    this.slices = this.sliceCount(n);
    this.pids.truncate(n);
    this.starts.truncate(n);
    this.checkpoints.length = Math.floor(n / this.interval) + 1;
    this.slicesBefore.length = this.checkpoints.length;
    const w = this.window;
    if (w) {
      if (w.base > n) this.window = undefined;
      else w.states.length = Math.min(w.states.length, n - w.base + 1);
    }
  }

  /** The state after `n` steps (0: the initial state), for 0 <= n <= length. */
  stateAt(n: number): RunState {
    if (n < 0 || n > this.length) throw new RangeError(`step ${n} is outside the recording (0..${this.length})`);
    const base = Math.floor(n / this.interval) * this.interval;
    let w = this.window;
    if (!w || w.base !== base) {
      w = { base, states: [this.checkpoints[base / this.interval]] };
      this.window = w;
    }
    while (w.states.length <= n - base) {
      const k = base + w.states.length - 1;
      w.states.push(this.advance(w.states[w.states.length - 1], this.pids.get(k)));
    }
    return w.states[n - base];
  }

  /** The pids of the slices begun before step `n`: the schedule that replays the run there. */
  slicePids(n = this.length): number[] {
    const out: number[] = [];
    const end = Math.min(n, this.length);
    for (let i = 0; i < end; i++) if (this.starts.get(i) === 1) out.push(this.pids.get(i));
    return out;
  }

  /** How many slices were begun before step `n` (any n: beyond the recording, all of them). */
  sliceCount(n: number): number {
    if (!(n > 0)) return 0;
    if (n >= this.length) return this.slices;
    const k = Math.floor(n / this.interval);
    let c = this.slicesBefore[k];
    for (let i = k * this.interval; i < n; i++) c += this.starts.get(i);
    return c;
  }

  /** The latest step before `n` run by `pid`, or -1. */
  lastStepOf(pid: number, n: number): number {
    for (let i = n - 1; i >= 0; i--) if (this.pids.get(i) === pid) return i;
    return -1;
  }
}
