// Partial-order reduction by movers (Lipton's reduction), checked as it runs.
//
// A transition of the explorer is a slice: one process runs from one scheduling
// point to the next. A slice is classified by its first step and by what it
// touched:
//   R  right mover: takes a lock (or wakes from a sleep, retaking its mutex);
//   L  left mover: drops a lock (or goes to sleep, dropping it);
//   B  both: starts no lock operation (a process entering its next statement);
//   N  none of these: it touched shared data that no one lock protects, or it is
//      the taskqueue waking up for work.
// Provided every shared field a slice touches is protected by a lock it holds,
// an R slice commutes with anything another process does right after it, and an
// L slice with anything done right before it. So (1) a process that has just
// taken a lock can run on without interleaving until it drops one
// (R* N? L* runs as one transaction), and (2) when some process's next slice is
// L or B, exploring that slice alone loses no end state (it is a persistent set).
// Both preserve every reachable end state: panics, use after free, deadlocks and
// normal ends, so every verdict of `camsim check`.
//
// Which lock protects which field is learnt, not assumed (Eraser's lockset
// algorithm): a field nobody writes may be read freely; once written, the
// candidate locks of a field are those held at every access to it; a field left
// with none is racy, and a slice touching it is N. Learning something that
// contradicts a decision already taken (a field thought constant gets written,
// or loses its last candidate lock) restarts the search with what was learnt.
// A search that ends without a restart therefore made every decision under a
// lock discipline that holds in every state it reached, and the reduction's
// argument applies to it.
//
// The lock order is learnt the same way: a transaction runs on through a second
// lock acquisition (R R) only while no two locks have been seen taken in both
// orders. Otherwise a deadlock between two processes that each hold the lock the
// other waits for lies between the two acquisitions, and would be skipped.

import type { Machine } from '../../kernel/state';
import { FUNCTIONS } from '../../kernel/functions';
import { atSchedulingPoint, currentStep, enabled, nextLock, stepInPlace } from '../run/machine';
import { newFootprint, ownCopy, startRecording, stopRecording, type Footprint } from './tracked';

export type MoverKind = 'R' | 'L' | 'B' | 'N';

/** Thrown when something learnt invalidates decisions already taken; the search starts again. */
export class RestartSearch extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

/** A slice longer than this many steps stops the search (as `camsim run` stops at its default --max-steps). */
export const MAX_SLICE_STEPS = 10_000_000;
/** How often (in steps) a long slice looks at the clock. */
const CLOCK_EVERY = 0x10000;

/**
 * Thrown from inside a slice that runs into a bound: the search's time limit, or
 * MAX_SLICE_STEPS (a process running statements that take no lock, such as
 * closes of a closed descriptor in a repeat, never reaches a scheduling point).
 * The search stops there, incomplete.
 */
export class SliceBound extends Error {
  constructor(readonly reason: 'timeout' | 'long-slice') {
    super(reason);
  }
}

const FIELD_BITS = 31;

const UNWRITTEN = 0;
const WRITTEN = 1;
const RACY = 2;

/** Lock sets are bit sets of lock ids; the reduction is only used with at most this many locks. */
export const MAX_TRACKED_LOCKS = 32;

/** What has been learnt about each shared location (a device field, or the task queue). */
export class LockDiscipline {
  private readonly state: Uint8Array;
  private readonly touched: Uint8Array;
  /** Candidate locks per location (a bit per lock id). */
  private readonly guard: Int32Array;
  readonly taskLoc: number;

  constructor(
    readonly devices: number,
    readonly locks: number,
    private readonly fieldName: (bit: number) => string,
  ) {
    if (locks > MAX_TRACKED_LOCKS) throw new Error(`the reduction tracks at most ${MAX_TRACKED_LOCKS} locks`);
    const locs = devices * FIELD_BITS + 1;
    this.taskLoc = devices * FIELD_BITS;
    this.state = new Uint8Array(locs);
    this.touched = new Uint8Array(locs);
    this.guard = new Int32Array(locs);
  }

  /** Per lock h: the locks taken while holding h (a bit per lock id): the lock order learnt. */
  private readonly takenAfter = new Int32Array(MAX_TRACKED_LOCKS);
  /** Per lock h: the locks taken in both orders with h; a transaction holding one ends before taking the other. */
  private readonly split = new Int32Array(MAX_TRACKED_LOCKS);

  /**
   * `pid` takes lock `b` holding the locks `held`. Two locks seen taken in both
   * orders can deadlock (each process holding the one the other waits for), in
   * states between the two acquisitions: a transaction that holds one of them
   * must then end before it takes the other (`splits`), and the decisions
   * taken without knowing it are redone (RestartSearch).
   */
  nested(held: number, b: number): void {
    for (let h = 0; h < this.locks; h++) {
      if (h === b || (held & (1 << h)) === 0) continue;
      this.takenAfter[h] |= 1 << b;
      if ((this.takenAfter[b] & (1 << h)) !== 0 && (this.split[h] & (1 << b)) === 0) {
        this.split[h] |= 1 << b;
        this.split[b] |= 1 << h;
        throw new RestartSearch(`locks ${h} and ${b} are taken in both orders`);
      }
    }
  }

  /** Whether taking lock `b` while holding `held` must start a transaction of its own. */
  splits(held: number, b: number): boolean {
    return (this.split[b] & held) !== 0;
  }

  /** Forgets which locations decisions relied on (a new search starts), keeping what was learnt. */
  resetTouched(): void {
    this.touched.fill(0);
  }

  /** Locations learnt to be racy, by name (for the report). */
  racy(): string[] {
    const out: string[] = [];
    for (let loc = 0; loc < this.state.length; loc++) if (this.state[loc] === RACY) out.push(this.locName(loc));
    return out;
  }

  locName(loc: number): string {
    if (loc === this.taskLoc) return 'tasks';
    return `dev${Math.floor(loc / FIELD_BITS)}.${this.fieldName(loc % FIELD_BITS)}`;
  }

  /** Bit set of the locks `pid` holds in `m`. */
  held(m: Machine, pid: number): number {
    let out = 0;
    const locks = m.locks;
    for (let i = 0; i < locks.length; i++) if (locks[i].holder === pid) out |= 1 << i;
    return out;
  }

  /**
   * Records one stretch of accesses made while holding `held`; returns true when
   * one of them is racy. Throws RestartSearch when a decision taken earlier no
   * longer stands.
   */
  account(fp: Footprint, held: number): boolean {
    let racy = false;
    for (let d = 0; d < fp.reads.length; d++) {
      const w = fp.writes[d];
      const all = fp.reads[d] | w;
      if (all === 0) continue;
      for (let b = 0; b < FIELD_BITS; b++) {
        const bit = 1 << b;
        if ((all & bit) === 0) continue;
        if (this.access(d * FIELD_BITS + b, (w & bit) !== 0, held)) racy = true;
      }
    }
    if (fp.taskReads || fp.taskWrites) {
      if (this.access(this.taskLoc, fp.taskWrites, held)) racy = true;
    }
    return racy;
  }

  private access(loc: number, write: boolean, held: number): boolean {
    if (this.state[loc] === UNWRITTEN) {
      if (!write) {
        this.touched[loc] = 1;
        return false;
      }
      this.state[loc] = WRITTEN;
      this.guard[loc] = -1;
      if (this.touched[loc]) throw new RestartSearch(`${this.locName(loc)} is written: earlier reads of it without a lock were taken to commute`);
    }
    if (this.state[loc] === WRITTEN) {
      const g = (this.guard[loc] &= held);
      if (g !== 0) {
        this.touched[loc] = 1;
        return false;
      }
      this.state[loc] = RACY;
      if (this.touched[loc]) throw new RestartSearch(`${this.locName(loc)} is accessed under no common lock`);
    }
    this.touched[loc] = 1;
    return true;
  }
}

/** One slice of one process, run by the explorer. */
export interface SliceResult {
  next: Machine;
  kind: MoverKind;
  /** Kernel steps it ran. */
  steps: number;
  /** What it touched (null: a panic). */
  footprint: TxFootprint | null;
}

/** The mover kind a slice gets from its first step alone (before its accesses are known). */
export function firstStepKind(m: Machine, pid: number): MoverKind {
  const p = m.procs[pid];
  if (p.stack.length === 0) return 'B';
  const f = p.stack[p.stack.length - 1];
  const s = FUNCTIONS[f.fn].steps[f.pc];
  switch (s.kind) {
    case 'lock':
      return 'R';
    case 'unlock':
      return 'L';
    case 'sleep':
      return f.l.__slept ? 'R' : 'L';
    case 'wait':
      return 'N';
    default:
      return 'B';
  }
}

/** Per function, which steps ran (for --coverage). */
export type CoverageMarks = Uint8Array[];

/**
 * What a whole transaction touched: the locks it took, dropped or waited for,
 * and the device fields and task queue it read and wrote. Two transactions of
 * different processes that touch no common lock and no field one of them writes
 * commute (used for sleep sets). `null` stands for "depends on everything"
 * (a panic, or a process left waiting on a condition).
 */
export interface TxFootprint {
  locks: number;
  reads: number[];
  writes: number[];
  taskReads: boolean;
  taskWrites: boolean;
}

export function independent(a: TxFootprint | null, b: TxFootprint | null): boolean {
  if (!a || !b) return false;
  if ((a.locks & b.locks) !== 0) return false;
  if ((a.taskWrites && (b.taskReads || b.taskWrites)) || (b.taskWrites && a.taskReads)) return false;
  for (let d = 0; d < a.reads.length; d++) {
    if ((a.writes[d] & (b.reads[d] | b.writes[d])) !== 0 || (b.writes[d] & a.reads[d]) !== 0) return false;
  }
  return true;
}

/**
 * Slice starts (function and step; -1 for a statement start) whose first step
 * looks L or B but that turned out N. A search reads `known` only, so that a
 * transaction is the same whenever it is run; `fresh` is merged into `known`
 * when the next search starts.
 */
export class TurnedN {
  readonly known = new Set<number>();
  readonly fresh = new Set<number>();
  merge(): void {
    for (const x of this.fresh) this.known.add(x);
    this.fresh.clear();
  }
}

/** Runs slices and transactions for a search, classifying them when the reduction is on. */
export class SliceRunner {
  slices = 0;
  steps = 0;
  /** performance.now() past which a long slice throws SliceBound('timeout'). */
  stopAt = Infinity;
  /** A slice this long throws SliceBound('long-slice'). */
  maxSliceSteps = MAX_SLICE_STEPS;
  private readonly first: Footprint;
  private readonly rest: Footprint;
  /** The footprint of the transaction being run, when asked for. */
  private tx: TxFootprint | null | undefined;

  constructor(
    readonly por: boolean,
    readonly discipline: LockDiscipline,
    private readonly turnedN: TurnedN,
    private readonly coverage?: CoverageMarks,
    /**
     * Only merge a transaction's right movers into the slice that follows them
     * (R* then one N or L), and never pick a commuting transition alone: every
     * interleaving that a panic cuts short keeps its length (a left mover it does
     * not need is not forced to run first). For the shortest panic.
     */
    readonly keepLength = false,
  ) {
    this.first = newFootprint(discipline.devices);
    this.rest = newFootprint(discipline.devices);
  }

  private mark(m: Machine, pid: number): void {
    const st = m.procs[pid].stack;
    if (st.length === 0) return;
    const f = st[st.length - 1];
    this.coverage![f.fn][f.pc] = 1;
  }

  /** Runs `pid` to its next scheduling point on a copy of `m`; undefined when it cannot run. */
  slice(m: Machine, pid: number): SliceResult | undefined {
    if (!enabled(m, pid)) return undefined;
    const next = ownCopy(m, pid);
    const fp = this.newTx();
    this.tx = fp;
    const kind = this.runInPlace(next, pid);
    this.tx = undefined;
    return { next, kind, steps: 0, footprint: fp };
  }

  private newTx(): TxFootprint {
    const n = this.discipline.devices;
    return { locks: 0, reads: new Array<number>(n).fill(0), writes: new Array<number>(n).fill(0), taskReads: false, taskWrites: false };
  }

  private static startOf(m: Machine, pid: number): number {
    const st = m.procs[pid].stack;
    if (st.length === 0) return -1;
    const f = st[st.length - 1];
    return f.fn * 4096 + f.pc;
  }

  /** Runs one slice of `pid` on `next` itself (a private copy, `pid` enabled) and classifies it. */
  private runInPlace(next: Machine, pid: number): MoverKind {
    this.slices++;
    const cov = this.coverage;
    let steps = 1;
    if (!this.por) {
      if (cov) this.mark(next, pid);
      stepInPlace(next, pid);
      while (!next.outcome && !atSchedulingPoint(next, pid) && enabled(next, pid)) {
        if (cov) this.mark(next, pid);
        stepInPlace(next, pid);
        if ((++steps & (CLOCK_EVERY - 1)) === 0 || steps >= this.maxSliceSteps) this.bound(steps);
      }
      this.steps += steps;
      return 'N';
    }
    let kind = firstStepKind(next, pid);
    const start = kind === 'L' || kind === 'B' ? SliceRunner.startOf(next, pid) : 0;
    const before = this.discipline.held(next, pid);
    if (kind === 'R' && before !== 0) this.discipline.nested(before, nextLock(next, pid)!);
    startRecording(next.devs.length);
    const p = next.procs[pid];
    if (p.stack.length > 0) {
      // A wakeup reads the condition it waited for as part of this step.
      const f = p.stack[p.stack.length - 1];
      const s = FUNCTIONS[f.fn].steps[f.pc];
      if (s.until && (s.kind === 'wait' || f.l.__slept)) s.until(next, f);
    }
    if (cov) this.mark(next, pid);
    stepInPlace(next, pid);
    const first = stopRecording(this.first);
    const after = this.discipline.held(next, pid);
    startRecording(next.devs.length);
    while (!next.outcome && !atSchedulingPoint(next, pid) && enabled(next, pid)) {
      if (cov) this.mark(next, pid);
      stepInPlace(next, pid);
      if ((++steps & (CLOCK_EVERY - 1)) === 0 || steps >= this.maxSliceSteps) this.bound(steps, true);
    }
    const rest = stopRecording(this.rest);
    // Step 0 accessed its fields while holding what it held before and after its lock operation
    // (a lock step's effect runs after taking the lock, an unlock's before dropping it).
    const racy0 = this.discipline.account(first, before | after);
    const racy1 = this.discipline.account(rest, after);
    if (racy0 || racy1) {
      if (kind === 'L' || kind === 'B') this.turnedN.fresh.add(start);
      kind = 'N';
    }
    const tx = this.tx;
    if (tx) {
      if (next.outcome) this.tx = null;
      else {
        tx.locks |= before ^ after;
        for (let d = 0; d < tx.reads.length; d++) {
          tx.reads[d] |= first.reads[d] | rest.reads[d];
          tx.writes[d] |= first.writes[d] | rest.writes[d];
        }
        tx.taskReads ||= first.taskReads || rest.taskReads;
        tx.taskWrites ||= first.taskWrites || rest.taskWrites;
      }
    }
    this.steps += steps;
    return kind;
  }

  /** Throws SliceBound when a slice `steps` long has run into a bound. */
  private bound(steps: number, recording = false): void {
    const reason = steps >= this.maxSliceSteps ? 'long-slice' : performance.now() >= this.stopAt ? 'timeout' : undefined;
    if (!reason) return;
    if (recording) stopRecording(this.rest);
    throw new SliceBound(reason);
  }

  /** The kind the next slice of `pid` is expected to have, before running it. */
  private expectedKind(m: Machine, pid: number): MoverKind {
    const k = firstStepKind(m, pid);
    if ((k === 'L' || k === 'B') && this.turnedN.known.has(SliceRunner.startOf(m, pid))) return 'N';
    return k;
  }

  /**
   * A transition of the reduced search: `pid` runs `first` and then, under the
   * reduction, on through the rest of its transaction (R* N? L*), in place on
   * `first.next`. Returns the end machine, the number of slices and what the
   * transaction touched.
   */
  transaction(m: Machine, pid: number, first: SliceResult): { end: Machine; slices: number; footprint: TxFootprint | null } {
    const cur = first.next;
    let n = 1;
    // A transaction that starts with a B slice is one the search may take alone (as a
    // commuting transition): it must then stay a left mover, so it goes on with L and B only.
    // Without such choices (keepLength), a B slice is a right mover like any other.
    let leftPhase = this.keepLength ? first.kind === 'N' || first.kind === 'L' : first.kind !== 'R';
    if (!this.por) return { end: cur, slices: 1, footprint: null };
    this.tx = first.footprint;
    try {
      for (;;) {
        if (cur.outcome) return { end: cur, slices: n, footprint: null };
        if (!enabled(cur, pid)) {
          // It stopped because it waits: for a lock (which joins its footprint) or for a condition.
          const fp = this.tx;
          const p = cur.procs[pid];
          if (fp && !p.done) {
            const s = currentStep(cur, pid);
            if (s?.kind === 'lock') fp.locks |= 1 << nextLock(cur, pid)!;
            else return { end: cur, slices: n, footprint: null };
          }
          return { end: cur, slices: n, footprint: fp ?? null };
        }
        if (leftPhase) {
          const k = this.keepLength ? 'N' : this.expectedKind(cur, pid);
          if (k !== 'L' && k !== 'B') return { end: cur, slices: n, footprint: this.tx ?? null };
        } else if (firstStepKind(cur, pid) === 'R' && this.discipline.splits(this.discipline.held(cur, pid), nextLock(cur, pid)!)) {
          // The next lock is one taken in both orders with a lock held: others may run before it (LockDiscipline.nested).
          return { end: cur, slices: n, footprint: this.tx ?? null };
        }
        // A transaction of right movers only (a routine written in a scenario taking a
        // recursable lock again and again) never ends by itself: the slice bounds apply to it.
        if ((n & 1023) === 0) this.bound(n);
        const kind = this.runInPlace(cur, pid);
        if (leftPhase && kind === 'N') return this.redo(m, pid, n);
        if (kind === 'N' || kind === 'L') leftPhase = true;
        n++;
      }
    } finally {
      this.tx = undefined;
    }
  }

  /** The transaction's last slice should not have been taken: run its first `n` slices again on a new copy. */
  private redo(m: Machine, pid: number, n: number): { end: Machine; slices: number; footprint: TxFootprint | null } {
    const cur = ownCopy(m, pid);
    const fp = this.newTx();
    this.tx = fp;
    for (let i = 0; i < n; i++) this.runInPlace(cur, pid);
    return { end: cur, slices: n, footprint: this.tx };
  }
}
