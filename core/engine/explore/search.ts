// The two searches of the explorer over the reduced state graph:
//   DepthFirst  every state (the verdicts), stopping early once every
//               expectation is decided; counts interleavings on the way;
//   Shortest    the fewest slices to an end state of one kind (counterexamples),
//               smallest depth first (a bucket queue: transitions weigh their
//               number of slices).
// Both expand a state the same way (Expander) and run in chunks: `run(deadline)`
// returns when the search is over or the deadline (performance.now()) passed.

import type { Machine } from '../../kernel/state';
import { enabled, status } from '../run/machine';
import { firstStepKind, independent, type MoverKind, type SliceRunner, type TxFootprint } from './movers';
import type { StateKeys, Symmetry } from './key';
import type { Verdicts } from './verdict';
import { devicesBytes, machineBytes } from './memory';
import { grown } from '../../growable';

/** Whether a machine can still go on: no outcome, and some process can run (`hint` is tried first). */
export function running(m: Machine, hint = -1): boolean {
  if (m.outcome) return false;
  if (hint >= 0 && enabled(m, hint)) return true;
  for (let pid = 0; pid < m.procs.length; pid++) if (pid !== hint && enabled(m, pid)) return true;
  return false;
}

/** Why a search stopped. */
export type StopReason = 'complete' | 'decided' | 'max-states' | 'max-depth' | 'preemption-bound' | 'timeout' | 'cancelled'
  /** A process ran MAX_SLICE_STEPS steps without reaching a scheduling point. */
  | 'long-slice'
  /** What the search holds reached its budget in bytes. */
  | 'max-memory';

class GrowArray {
  a: Int32Array;
  constructor(n = 1024) {
    this.a = new Int32Array(n);
  }
  set(i: number, v: number): void {
    if (i >= this.a.length) this.a = grown(this.a, i + 1);
    this.a[i] = v;
  }
  get(i: number): number {
    return this.a[i];
  }
  get bytes(): number {
    return this.a.byteLength;
  }
}

/** The nodes of a search: how each stored state was first reached (the keys live in StateKeys). */
export class StateGraph {
  private readonly parent = new GrowArray();
  private readonly via = new GrowArray();
  private readonly viaSlices = new GrowArray();
  readonly depth = new GrowArray();
  readonly preempt = new GrowArray();
  size = 0;

  add(parent: number, pid: number, slices: number, depth: number, preempt: number): number {
    const i = this.size++;
    this.parent.set(i, parent);
    this.via.set(i, pid);
    this.viaSlices.set(i, slices);
    this.depth.set(i, depth);
    this.preempt.set(i, preempt);
    return i;
  }

  setParent(i: number, parent: number, pid: number, slices: number, depth: number, preempt: number): void {
    this.parent.set(i, parent);
    this.via.set(i, pid);
    this.viaSlices.set(i, slices);
    this.depth.set(i, depth);
    this.preempt.set(i, preempt);
  }

  get bytes(): number {
    return this.parent.bytes + this.via.bytes + this.viaSlices.bytes + this.depth.bytes + this.preempt.bytes;
  }

  /** The pid of the transition that reached state `i`. */
  viaPid(i: number): number {
    return this.via.get(i);
  }

  /** One pid per slice from the initial state to state `i`. */
  path(i: number): number[] {
    const parts: number[][] = [];
    for (let s = i; s > 0; s = this.parent.get(s)) parts.push(new Array<number>(this.viaSlices.get(s)).fill(this.via.get(s)));
    return parts.reverse().flat();
  }
}

export interface SearchBounds {
  maxStates: number;
  maxDepth?: number;
  preemptionBound?: number;
  /** Stop when `memory.used()` (bytes, of the whole exploration) reaches `memory.max`. */
  memory?: MemoryBudget;
}

export interface MemoryBudget {
  max: number;
  used(): number;
}

export interface SearchStats {
  states: number;
  transitions: number;
  /** Deepest state reached, in slices. */
  depth: number;
  /** States waiting to be expanded (DFS: the stack). */
  frontier: number;
}

/** A transition: one process's transaction from a state, and where it ends. */
export interface Transition {
  pid: number;
  end: Machine;
  slices: number;
  footprint: TxFootprint | null;
  /** The process-state id of `pid` in `end`, when known. */
  endId: number;
}

/** A transaction remembered by what it depends on (StateKeys.txFind), to be replayed without running it. */
interface CachedTx {
  proc: Machine['procs'][number];
  devs: Machine['devs'];
  /** Per lock: 0 free, 1 held by the process (recursion in `recurse`), 2 as before the transaction. */
  lockRel: Int8Array;
  recurse: Int32Array;
  tasks: Machine['tasks'];
  slices: number;
  footprint: TxFootprint | null;
  firstKind: MoverKind;
  endId: number;
}

const FREE_LOCK = Object.freeze({ holder: -1, recurse: 0 });

/** Which transitions leave a state: every runnable process's transaction, or one alone when it commutes with all. */
export class Expander {
  private readonly cached: CachedTx[] = [];
  /** Transactions replayed from the cache, and run. */
  hits = 0;
  misses = 0;
  /** Bytes the cached transactions keep alive (their device lists). */
  private cachedBytes = 0;

  get bytes(): number {
    return this.cachedBytes + this.keys.bytes;
  }

  constructor(
    readonly runner: SliceRunner,
    readonly sym: Symmetry,
    readonly keys: StateKeys,
    /** Processes allowed to run (all when undefined). */
    readonly allowed?: ReadonlySet<number>,
  ) {}

  /** The processes whose transactions leave `m` (one only when it commutes with every other), with some already run. */
  expand(m: Machine, ids: readonly number[]): { pid: number; tr?: Transition }[] {
    const pids: number[] = [];
    const n = m.procs.length;
    for (let pid = 0; pid < n; pid++) {
      if (this.allowed && !this.allowed.has(pid)) continue;
      if (!enabled(m, pid)) continue;
      // Two interchangeable processes in the same state lead to symmetric successors: one is enough.
      const cls = this.sym.classes[this.sym.classOf[pid]];
      if (cls.length > 1 && pids.some((q) => this.sym.classOf[q] === this.sym.classOf[pid] && ids[q] === ids[pid])) continue;
      pids.push(pid);
    }
    if (!this.runner.por || this.runner.keepLength) return pids.map((pid) => ({ pid }));
    const done = new Map<number, Transition>();
    for (const pid of pids) {
      const k0 = firstStepKind(m, pid);
      if (k0 !== 'L' && k0 !== 'B') continue;
      const { tr, firstKind } = this.run(m, ids, pid);
      done.set(pid, tr);
      if (firstKind === 'L' || firstKind === 'B') return [{ pid, tr }];
    }
    return pids.map((pid) => ({ pid, tr: done.get(pid) }));
  }

  /** Runs one transition (unless `expand` already did). */
  apply(m: Machine, ids: readonly number[], t: { pid: number; tr?: Transition }): Transition {
    return t.tr ?? this.run(m, ids, t.pid).tr;
  }

  private run(m: Machine, ids: readonly number[], pid: number): { tr: Transition; firstKind: MoverKind } {
    const runner = this.runner;
    if (!runner.por) {
      const r = runner.slice(m, pid)!;
      return { tr: { pid, end: r.next, slices: 1, footprint: null, endId: -1 }, firstKind: r.kind };
    }
    // A transaction reads only its own process, the devices, the task queue and the locks:
    // seen once in the same circumstances, it is replayed instead of run.
    const c = this.keys.txFind(m, pid, ids);
    if (c >= 0) {
      this.hits++;
      const x = this.cached[c];
      runner.slices += x.slices;
      const locks = m.locks.slice();
      for (let i = 0; i < locks.length; i++) {
        const rel = x.lockRel[i];
        if (rel === 0) locks[i] = FREE_LOCK;
        else if (rel === 1) locks[i] = { holder: pid, recurse: x.recurse[i] };
      }
      const procs = m.procs.slice();
      procs[pid] = x.proc;
      const end: Machine = { config: m.config, devs: x.devs, locks, procs, tasks: x.tasks, outcome: null, clock: m.clock };
      return { tr: { pid, end, slices: x.slices, footprint: x.footprint, endId: x.endId }, firstKind: x.firstKind };
    }
    this.misses++;
    const first = runner.slice(m, pid)!;
    const { end, slices, footprint } = runner.transaction(m, pid, first);
    let endId = -1;
    if (!end.outcome && !this.sym.keepSteps[pid]) {
      endId = this.keys.procStateId(end, pid);
      const n = end.locks.length;
      const lockRel = new Int8Array(n);
      const recurse = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const h = end.locks[i].holder;
        if (h === pid) {
          lockRel[i] = 1;
          recurse[i] = end.locks[i].recurse;
        } else lockRel[i] = h < 0 ? 0 : 2;
      }
      // txFind's key is still the last one looked up (procStateId writes another buffer).
      this.keys.txStore(this.cached.push({ proc: end.procs[pid], devs: end.devs, lockRel, recurse, tasks: end.tasks, slices, footprint, firstKind: first.kind, endId }) - 1);
      this.cachedBytes += devicesBytes(end) + 2 * n;
    }
    return { tr: { pid, end, slices, footprint, endId }, firstKind: first.kind };
  }
}

/** A transition asleep at a state: already covered by an equivalent order, with what it touches. */
interface Sleeper {
  ref: number;
  fp: TxFootprint | null;
}

function sleeps(set: readonly Sleeper[], ref: number): boolean {
  for (let i = 0; i < set.length; i++) if (set[i].ref === ref) return true;
  return false;
}

interface Frame {
  m: Machine;
  idx: number;
  ids: number[];
  depth: number;
  preempt: number;
  lastPid: number;
  todo?: { pid: number; tr?: Transition }[];
  next: number;
  paths: number;
  /** Transitions not to take from here (sleep set), and those taken so far. */
  sleep: Sleeper[];
  done: Sleeper[];
  /** Re-exploring a state: only these transitions (by ref). */
  only?: Set<number>;
}

/**
 * Depth-first search of every reachable state, judging each end state.
 *
 * With the reduction on it also uses sleep sets (Godefroid): after exploring
 * transition t from a state, a sibling u that commutes with t carries t in its
 * sleep set, because u then t reaches what t then u did. A state reached again
 * with a smaller sleep set than it was explored with is explored again for the
 * difference, so every end state is still reached.
 */
export class DepthFirst {
  readonly graph = new StateGraph();
  private readonly stack: Frame[] = [];
  private readonly onStack: GrowArray = new GrowArray();
  private readonly paths: number[] = [];
  /** Per state: the refs asleep when it was (last) explored. */
  private readonly asleep: (number[] | undefined)[] = [];
  private readonly sleepSets: boolean;
  private pruned = false;
  private cyclic = false;
  private transitions = 0;
  private maxDepthSeen = 0;
  private boundHit: StopReason | undefined;
  stopped: StopReason | undefined;
  /** Machines kept alive: one per stack frame, and the end machines of transitions run ahead (todo). */
  private machines = 0;
  private readonly machineBytes: number;

  constructor(
    m0: Machine,
    private readonly keys: StateKeys,
    private readonly expander: Expander,
    private readonly verdicts: Verdicts,
    private readonly bounds: SearchBounds,
    private readonly stopWhenDecided: boolean,
  ) {
    this.machineBytes = machineBytes(m0);
    this.sleepSets = expander.runner.por && !this.bounded();
    const ids = keys.ids(m0);
    keys.find(m0, ids);
    const idx = this.graph.add(-1, -1, 0, 0, 0);
    keys.store(idx);
    if (status(m0) !== 'running') {
      verdicts.end(m0, idx);
      this.paths[idx] = 1;
      this.stopped = 'complete';
      return;
    }
    this.push({ m: m0, idx, ids, depth: 0, preempt: 0, lastPid: -1, next: 0, paths: 0, sleep: [], done: [] });
  }

  private bounded(): boolean {
    return this.bounds.maxDepth !== undefined || this.bounds.preemptionBound !== undefined;
  }

  private push(f: Frame): void {
    this.stack.push(f);
    this.onStack.set(f.idx, 1);
    this.machines++;
  }

  /** Memory held by this search (its keys and transaction cache included). */
  get bytes(): number {
    return this.expander.bytes + this.graph.bytes + this.onStack.bytes + this.paths.length * 8 + this.machines * this.machineBytes;
  }

  /** The memory budget is spent. */
  private overBudget(): boolean {
    const m = this.bounds.memory;
    return m !== undefined && m.used() >= m.max;
  }

  private ref(pid: number, ids: readonly number[]): number {
    return this.keys.sym.classOf[pid] * 0x800000 + ids[pid];
  }

  stats(): SearchStats {
    return { states: this.keys.size, transitions: this.transitions, depth: this.maxDepthSeen, frontier: this.stack.length };
  }

  /** Interleavings (maximal paths of the explored graph), when every edge was followed. */
  interleavings(): number | undefined {
    if (this.stopped !== 'complete' || this.cyclic || this.pruned || this.bounded()) return undefined;
    return this.paths[0];
  }

  /** Runs until done or `deadline`; true when the search is over. */
  run(deadline: number): boolean {
    let n = 0;
    while (!this.stopped) {
      if ((++n & 31) === 0 && performance.now() >= deadline) return false;
      const top = this.stack[this.stack.length - 1];
      if (!top) {
        this.stopped = this.boundHit ?? 'complete';
        break;
      }
      if (!top.todo) {
        top.todo = this.todo(top);
        for (const t of top.todo) if (t.tr) this.machines++;
      }
      if (top.next >= top.todo.length) {
        this.machines--;
        this.stack.pop();
        this.onStack.set(top.idx, 0);
        this.paths[top.idx] = top.paths;
        const parent = this.stack[this.stack.length - 1];
        if (parent) parent.paths += top.paths;
        continue;
      }
      const t = top.todo[top.next++];
      if (t.tr) this.machines--;
      this.step(top, t);
    }
    return true;
  }

  private todo(top: Frame): { pid: number; tr?: Transition }[] {
    const all = this.expander.expand(top.m, top.ids);
    if (!this.sleepSets || (top.sleep.length === 0 && !top.only)) return all;
    const out = all.filter((t) => {
      const r = this.ref(t.pid, top.ids);
      return (!top.only || top.only.has(r)) && !sleeps(top.sleep, r);
    });
    if (out.length < all.length) this.pruned = true;
    return out;
  }

  private step(top: Frame, t: { pid: number; tr?: Transition }): void {
    const { end, slices, footprint, endId } = this.expander.apply(top.m, top.ids, t);
    this.transitions++;
    const depth = top.depth + slices;
    const bounded = this.bounded();
    const preempt = bounded ? top.preempt + (top.lastPid >= 0 && top.lastPid !== t.pid && enabled(top.m, top.lastPid) ? 1 : 0) : 0;
    if (this.bounds.maxDepth !== undefined && depth > this.bounds.maxDepth) {
      this.boundHit = 'max-depth';
      return;
    }
    if (this.bounds.preemptionBound !== undefined && preempt > this.bounds.preemptionBound) {
      this.boundHit ??= 'preemption-bound';
      return;
    }
    // The sleep set of the successor: what sleeps here or was taken before, and commutes with this.
    const sleep: Sleeper[] = [];
    if (this.sleepSets) {
      for (const z of top.sleep) if (independent(z.fp, footprint)) sleep.push(z);
      for (const z of top.done) if (independent(z.fp, footprint)) sleep.push(z);
      top.done.push({ ref: this.ref(t.pid, top.ids), fp: footprint });
    }
    const ids = top.ids.slice();
    ids[t.pid] = endId >= 0 ? endId : this.keys.procStateId(end, t.pid);
    const found = this.keys.find(end, ids, this.bounds.preemptionBound !== undefined ? t.pid : -1);
    const seen = found >= 0 ? found : undefined;
    if (seen !== undefined) {
      if (bounded && (depth < this.graph.depth.get(seen) || preempt < this.graph.preempt.get(seen)) && running(end, t.pid)) {
        // Reached more cheaply than before: its successors may now fit the bounds. A new node,
        // so that every node's path still leads to the very machine its successors came from.
        const idx = this.graph.add(top.idx, t.pid, slices, Math.min(depth, this.graph.depth.get(seen)), Math.min(preempt, this.graph.preempt.get(seen)));
        this.keys.store(idx);
        this.push({ m: end, idx, ids, depth, preempt, lastPid: t.pid, next: 0, paths: 0, sleep: [], done: [] });
        return;
      }
      if (this.sleepSets) {
        const stored = this.asleep[seen];
        if (stored && stored.length > 0) {
          // Explored before with more asleep: explore what sleeps there but not here.
          const awake: number[] = [];
          const still: number[] = [];
          for (const r of stored) (sleeps(sleep, r) ? still : awake).push(r);
          if (awake.length > 0 && running(end, t.pid)) {
            const idx = this.graph.add(top.idx, t.pid, slices, depth, preempt);
            this.keys.store(idx);
            this.asleep[idx] = still;
            this.asleep[seen] = still;
            this.pruned = true;
            this.push({ m: end, idx, ids, depth, preempt, lastPid: t.pid, next: 0, paths: 0, sleep, done: [], only: new Set(awake) });
            return;
          }
        }
      }
      if (this.onStack.get(seen)) this.cyclic = true;
      else top.paths += this.paths[seen] ?? 0;
      return;
    }
    if (this.keys.size >= this.bounds.maxStates) {
      this.stopped = 'max-states';
      return;
    }
    if (this.overBudget()) {
      this.stopped = 'max-memory';
      return;
    }
    const idx = this.graph.add(top.idx, t.pid, slices, depth, preempt);
    this.keys.store(idx);
    if (depth > this.maxDepthSeen) this.maxDepthSeen = depth;
    if (!running(end, t.pid)) {
      this.paths[idx] = 1;
      top.paths += 1;
      const decided = this.verdicts.end(end, idx);
      if (decided && this.stopWhenDecided && this.verdicts.allDecided()) this.stopped = 'decided';
    } else {
      if (this.sleepSets && sleep.length > 0) this.asleep[idx] = sleep.map((z) => z.ref);
      this.push({ m: end, idx, ids, depth, preempt, lastPid: t.pid, next: 0, paths: 0, sleep, done: [] });
    }
  }
}

interface Entry {
  m: Machine;
  idx: number;
  ids: number[];
  depth: number;
  switches: number;
}

/**
 * Fewest slices from the initial state to an end state that `target` accepts;
 * among those, few context switches (so that the schedule reads well).
 */
export class Shortest {
  readonly graph = new StateGraph();
  private readonly buckets: Entry[][] = [];
  private readonly expanded = new GrowArray();
  private cursor = 0;
  private queued = 0;
  found: number | undefined;
  /** The end state found. */
  foundMachine: Machine | undefined;
  done = false;
  private transitions = 0;
  /** Stopped at its state budget before finding a target. */
  exhausted = false;
  private readonly machineBytes: number;

  constructor(
    m0: Machine,
    private readonly keys: StateKeys,
    private readonly expander: Expander,
    private readonly target: (m: Machine) => boolean,
    /** No path longer than this is of interest (the length of a known witness). */
    private readonly maxSlices: number,
    private readonly maxStates: number,
    private readonly memory?: MemoryBudget,
  ) {
    this.machineBytes = machineBytes(m0);
    const ids = keys.ids(m0);
    keys.find(m0, ids);
    const idx = this.graph.add(-1, -1, 0, 0, 0);
    keys.store(idx);
    this.enqueue({ m: m0, idx, ids, depth: 0, switches: 0 });
  }

  private enqueue(e: Entry): void {
    (this.buckets[e.depth] ??= []).push(e);
    this.queued++;
  }

  run(deadline: number): boolean {
    let n = 0;
    const g = this.graph;
    while (!this.done) {
      if ((++n & 31) === 0 && performance.now() >= deadline) return false;
      while (this.cursor < this.buckets.length && !(this.buckets[this.cursor]?.length)) this.cursor++;
      if (this.cursor >= this.buckets.length || this.cursor > this.maxSlices) {
        this.done = true;
        break;
      }
      const e = this.buckets[this.cursor].shift()!;
      this.queued--;
      // Reached more cheaply since, or already expanded.
      if (e.depth > g.depth.get(e.idx) || e.switches > g.preempt.get(e.idx) || this.expanded.get(e.idx)) continue;
      this.expanded.set(e.idx, 1);
      if (!running(e.m)) {
        if (this.target(e.m)) {
          this.found = e.idx;
          this.foundMachine = e.m;
          this.done = true;
        }
        continue;
      }
      const last = e.idx === 0 ? -1 : g.viaPid(e.idx);
      for (const t of this.expander.expand(e.m, e.ids)) {
        const { end, slices, endId } = this.expander.apply(e.m, e.ids, t);
        this.transitions++;
        const depth = e.depth + slices;
        if (depth > this.maxSlices) continue;
        const switches = e.switches + (last >= 0 && last !== t.pid ? 1 : 0);
        const ids = e.ids.slice();
        ids[t.pid] = endId >= 0 ? endId : this.keys.procStateId(end, t.pid);
        const found = this.keys.find(end, ids);
        let idx: number;
        if (found < 0) {
          if (this.keys.size >= this.maxStates || (this.memory && this.memory.used() >= this.memory.max)) {
            this.exhausted = true;
            this.done = true;
            break;
          }
          idx = g.add(e.idx, t.pid, slices, depth, switches);
          this.keys.store(idx);
        } else if (!this.expanded.get(found) && (depth < g.depth.get(found) || (depth === g.depth.get(found) && switches < g.preempt.get(found)))) {
          idx = found;
          g.setParent(found, e.idx, t.pid, slices, depth, switches);
        } else continue;
        this.enqueue({ m: end, idx, ids, depth, switches });
      }
    }
    return true;
  }

  stats(): SearchStats {
    return { states: this.keys.size, transitions: this.transitions, depth: this.cursor, frontier: this.queued };
  }

  /** Memory held by this search: its keys, graph and transaction cache, and the machines queued. */
  get bytes(): number {
    return this.expander.bytes + this.graph.bytes + this.expanded.bytes + this.queued * this.machineBytes;
  }
}
