// The canonical key of a machine for the explorer's visited set, and process
// symmetry.
//
// A key is a sequence of integers (a signature), stored exactly: lookups hash it
// and compare it in full, so two states share a key only when they are equal.
//
// What the key leaves out: the static config and the step clock, and each
// process's `steps` counter (orders that reach one state run the same number of
// steps in total, but not per process) unless an expectation reads it.
//
// Symmetry: processes with the same program (same statements, same descriptor
// names) are interchangeable: renaming them maps every run onto a run. The key
// therefore lists such processes' states sorted, so that states that differ only
// by such a renaming get one key. Everything that refers to a process follows
// its state: the locks a process holds are part of its own entry (so lock
// holders are renamed with it), and a panic names its process by that entry.
// Waiters are not stored (they follow from the processes' positions). A process
// an expectation names (`A.f.errno`, `holder == A`) keeps its identity.

import type { Scenario } from '../../scenario/ast';
import { resolvePath, visitPaths } from '../../scenario/paths';
import type { Frame, Machine, MachineConfig } from '../../kernel/state';
import { devValues, taskValues } from './tracked';
import { BYTES_PER_KEY } from './memory';
import { grown } from '../../growable';

export interface Symmetry {
  /** Per pid: its class (interchangeable processes share one). */
  classOf: number[];
  /** Per class: its pids, ascending. */
  classes: number[][];
  /** Per pid: whether its `steps` counter is part of the key. */
  keepSteps: boolean[];
}

/** Which processes the expectations name, and which of those read `steps`. */
function namedProcesses(scenario: Scenario): { named: Set<string>; steps: Set<string> } {
  const named = new Set<string>();
  const steps = new Set<string>();
  const paths: string[][] = [];
  for (const e of scenario.expectations) if (e.expr) visitPaths(e.expr, (parts) => paths.push(parts.map((p) => p.name)));
  for (const parts of paths) {
    const r = resolvePath(parts, scenario);
    switch (r.kind) {
      case 'process-field':
        named.add(r.process);
        if (r.field === 'steps') steps.add(r.process);
        break;
      case 'descriptor-field':
        named.add(r.process);
        break;
      case 'process-name':
        named.add(r.name);
        break;
      default:
        break;
    }
  }
  return { named, steps };
}

/** The symmetry classes of a scenario's processes (each its own class when `enabled` is false, or outside `only`). */
export function symmetryOf(config: MachineConfig, scenario: Scenario | undefined, enabled: boolean, only?: ReadonlySet<number>): Symmetry {
  const { named, steps } = scenario ? namedProcesses(scenario) : { named: new Set<string>(), steps: new Set<string>() };
  const classOf: number[] = [];
  const classes: number[][] = [];
  const bySignature = new Map<string, number>();
  config.processes.forEach((p, pid) => {
    const movable = enabled && p.kind === 'user' && !named.has(p.name) && (!only || only.has(pid));
    // Lines differ between processes and do not change what a statement does.
    const sig = movable ? JSON.stringify([p.kind, p.fdNames, p.program], (k, v) => (k === 'line' ? undefined : v)) : undefined;
    let c = sig !== undefined ? bySignature.get(sig) : undefined;
    if (c === undefined) {
      c = classes.push([]) - 1;
      if (sig !== undefined) bySignature.set(sig, c);
    }
    classes[c].push(pid);
    classOf.push(c);
  });
  return { classOf, classes, keepSteps: config.processes.map((p) => steps.has(p.name)) };
}

// ---- integer signatures ----

/** Marks a value that is not a plain int32: the next integer is its interned id. */
const ESC = -0x80000000;
/** Values other than int32 and booleans (never in today's state, but keyed exactly if they appear). */
const otherValues = new Map<string, number>();
function otherId(v: unknown): number {
  const k = typeof v + ':' + JSON.stringify(v);
  let id = otherValues.get(k);
  if (id === undefined) otherValues.set(k, (id = otherValues.size));
  return id;
}

/** Local names are interned to small integers. */
const localNames = new Map<string, number>();
function localName(name: string): number {
  let id = localNames.get(name);
  if (id === undefined) localNames.set(name, (id = localNames.size));
  return id;
}

/** A growable int buffer that signatures are written into. */
class Sig {
  a = new Int32Array(256);
  n = 0;
  reset(): void {
    this.n = 0;
  }
  push(x: number): void {
    if (this.n === this.a.length) this.a = grown(this.a);
    this.a[this.n++] = x;
  }
  value(v: unknown): void {
    if (typeof v === 'number' && (v | 0) === v && v !== ESC) this.push(v);
    else if (typeof v === 'boolean') this.push(v ? 1 : 0);
    else {
      this.push(ESC);
      this.push(otherId(v));
    }
  }
  append(b: Int32Array): void {
    for (let i = 0; i < b.length; i++) this.push(b[i]);
  }
  hash(): number {
    let h = 0x811c9dc5 ^ this.n;
    const a = this.a;
    for (let i = 0; i < this.n; i++) {
      let k = Math.imul(a[i], 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, 0x1b873593);
      h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h | 0;
  }
}

/** The most integers a pool chunk holds (16 MB); below it a chunk doubles as it fills. */
const CHUNK_INTS = 1 << 22;

/**
 * An exact table of signatures: each stored one has a value. Signatures live in
 * int pools; a Map from hash to entry (or to a list of entries, on a hash
 * collision) finds them, and a full comparison confirms. The pool grows by
 * doubling up to CHUNK_INTS, then by whole new chunks: a large table is never
 * copied (which would hold the old and the new pool at once, one and a half
 * times the memory the table needs).
 */
class SigTable {
  private readonly chunks: Int32Array[] = [new Int32Array(1 << 12)];
  /** Integers used in the last chunk. */
  private used = 0;
  /** Bytes of every chunk but the last. */
  private fullBytes = 0;
  private readonly chunkOf: number[] = [];
  private readonly start: number[] = [];
  private readonly len: number[] = [];
  readonly values: number[] = [];
  private readonly byHash = new Map<number, number | number[]>();

  get size(): number {
    return this.start.length;
  }

  /** Memory held: the pool as allocated, and each key's bookkeeping. */
  get bytes(): number {
    return this.fullBytes + this.chunks[this.chunks.length - 1].byteLength + this.start.length * BYTES_PER_KEY;
  }

  private equals(e: number, s: Sig): boolean {
    if (this.len[e] !== s.n) return false;
    const p = this.chunks[this.chunkOf[e]];
    const a = s.a;
    for (let i = 0, o = this.start[e]; i < s.n; i++, o++) if (p[o] !== a[i]) return false;
    return true;
  }

  /** The entry of the signature in `s`, or -1. */
  find(s: Sig, h: number): number {
    const at = this.byHash.get(h);
    if (at === undefined) return -1;
    if (typeof at === 'number') return this.equals(at, s) ? at : -1;
    for (let i = 0; i < at.length; i++) if (this.equals(at[i], s)) return at[i];
    return -1;
  }

  /** Room for `n` more integers in the last chunk. */
  private room(n: number): Int32Array {
    const last = this.chunks.length - 1;
    const pool = this.chunks[last];
    if (this.used + n <= pool.length) return pool;
    if (pool.length < CHUNK_INTS) {
      const b = new Int32Array(Math.max(Math.min(pool.length * 2, CHUNK_INTS), this.used + n));
      b.set(pool.subarray(0, this.used));
      this.chunks[last] = b;
      return b;
    }
    this.fullBytes += pool.byteLength;
    const b = new Int32Array(Math.max(CHUNK_INTS, n));
    this.chunks.push(b);
    this.used = 0;
    return b;
  }

  /** Stores the signature in `s` (not present yet) with `value`; returns its entry. */
  add(s: Sig, h: number, value: number): number {
    const pool = this.room(s.n);
    pool.set(s.a.subarray(0, s.n), this.used);
    const e = this.start.length;
    this.chunkOf.push(this.chunks.length - 1);
    this.start.push(this.used);
    this.len.push(s.n);
    this.values.push(value);
    this.used += s.n;
    const at = this.byHash.get(h);
    if (at === undefined) this.byHash.set(h, e);
    else if (typeof at === 'number') this.byHash.set(h, [at, e]);
    else at.push(e);
    return e;
  }
}

const PROC_FIELDS = new Set(['pc', 'loops', 'stack', 'fds', 'errno', 'done', 'steps']);

/** Frames below the top are shared between copies and never change: their signature is kept. */
const frameSigs = new WeakMap<Frame, Int32Array>();
const frameScratch = new Sig();
let nameIds = new Int32Array(32);
let nameOrder = new Int32Array(32);

// The key functions below run for every state and transition, first of all in
// the short searches that end before V8 has optimised them: they use indexed
// loops and reused buffers, which allocate nothing (for...of and array callbacks
// allocate iterators and closures until the code is optimised).

function frameSig(f: Frame, out: Sig): void {
  const names = Object.keys(f.l);
  const n = names.length;
  out.push(f.fn);
  out.push(f.pc);
  out.push(n);
  // Locals in the order of their interned names, whatever order they were set in
  // (an insertion sort: a frame has a handful of locals).
  if (n > nameIds.length) {
    nameIds = new Int32Array(2 * n);
    nameOrder = new Int32Array(2 * n);
  }
  for (let i = 0; i < n; i++) {
    const id = localName(names[i]);
    nameIds[i] = id;
    let j = i;
    while (j > 0 && nameIds[nameOrder[j - 1]] > id) {
      nameOrder[j] = nameOrder[j - 1];
      j--;
    }
    nameOrder[j] = i;
  }
  for (let k = 0; k < n; k++) {
    const i = nameOrder[k];
    out.push(nameIds[i]);
    out.value(f.l[names[i]]);
  }
}

/** Writes every device's field values and the task queue. */
function devicesAndTasks(m: Machine, s: Sig): void {
  const devs = m.devs;
  for (let d = 0; d < devs.length; d++) {
    const v = devValues(devs[d]);
    for (let i = 0; i < v.length; i++) s.value(v[i]);
  }
  const tasks = taskValues(m);
  s.push(tasks.length);
  for (let i = 0; i < tasks.length; i++) s.push(tasks[i]);
}

/**
 * Process states and machine states, as exact keys. One StateKeys belongs to one
 * search: process-state ids are numbered in the order first seen.
 */
export class StateKeys {
  private readonly procs = new SigTable();
  private readonly states = new SigTable();
  private readonly procExtra: string[];
  private readonly sig = new Sig();
  private lastHash = 0;

  constructor(
    readonly sym: Symmetry,
    sample: Machine,
  ) {
    // Fields a future version of the process state may add are keyed generically rather than ignored.
    this.procExtra = sample.procs.length ? Object.keys(sample.procs[0]).filter((k) => !PROC_FIELDS.has(k)) : [];
  }

  /** Distinct process states seen. */
  get processStates(): number {
    return this.procs.size;
  }

  /** Distinct machine states stored. */
  get size(): number {
    return this.states.size;
  }

  /** Memory held by the keys of states, process states and transactions. */
  get bytes(): number {
    return this.states.bytes + this.procs.bytes + this.txs.bytes;
  }

  /** Per pid, the id of its process state (equal ids in one class: interchangeable right now). */
  ids(m: Machine): number[] {
    const ids: number[] = [];
    for (let pid = 0; pid < m.procs.length; pid++) ids.push(this.procStateId(m, pid));
    return ids;
  }

  /** The ids after steps of `pid` alone (only its state, and the locks it holds, can have changed). */
  idsAfter(m: Machine, parentIds: readonly number[], pid: number): number[] {
    const ids = parentIds.slice();
    ids[pid] = this.procStateId(m, pid);
    return ids;
  }

  /** The id of process `pid`'s state in `m`. */
  procStateId(m: Machine, pid: number): number {
    const s = this.sig;
    s.reset();
    const p = m.procs[pid];
    s.push(p.pc);
    s.push(p.done ? 1 : 0);
    s.value(p.errno);
    const loopKeys = Object.keys(p.loops);
    s.push(loopKeys.length);
    if (loopKeys.length > 1) loopKeys.sort((a, b) => Number(a) - Number(b));
    for (let i = 0; i < loopKeys.length; i++) {
      const k = Number(loopKeys[i]);
      s.push(k);
      s.value(p.loops[k]);
    }
    const fds = p.fds;
    s.push(fds.length);
    for (let i = 0; i < fds.length; i++) {
      const fd = fds[i];
      s.push(fd.open ? 1 : 0);
      s.value(fd.errno);
      s.value(fd.dev);
    }
    const top = p.stack.length - 1;
    s.push(top + 1);
    for (let i = 0; i <= top; i++) {
      const f = p.stack[i];
      if (i < top) {
        let c = frameSigs.get(f);
        if (c === undefined) {
          frameScratch.reset();
          frameSig(f, frameScratch);
          c = frameScratch.a.slice(0, frameScratch.n);
          frameSigs.set(f, c);
        }
        s.append(c);
      } else frameSig(f, s);
    }
    const locks = m.locks;
    for (let i = 0; i < locks.length; i++) {
      const l = locks[i];
      if (l.holder === pid) {
        s.push(i);
        s.push(l.recurse);
      }
    }
    s.push(-1);
    if (this.sym.keepSteps[pid]) s.push(p.steps);
    for (let i = 0; i < this.procExtra.length; i++) s.value(JSON.stringify((p as unknown as Record<string, unknown>)[this.procExtra[i]]));
    const h = s.hash();
    const e = this.procs.find(s, h);
    return e >= 0 ? e : this.procs.add(s, h, 0);
  }

  /** Writes the machine's signature into the scratch buffer and returns its hash. */
  private sign(m: Machine, ids: readonly number[], extraPid: number): number {
    const s = this.sig;
    s.reset();
    devicesAndTasks(m, s);
    const classes = this.sym.classes;
    for (let c = 0; c < classes.length; c++) {
      const cls = classes[c];
      if (cls.length === 1) {
        s.push(ids[cls[0]]);
        continue;
      }
      // The class's process states, sorted (insertion sort: classes are small).
      const from = s.n;
      for (let k = 0; k < cls.length; k++) {
        const id = ids[cls[k]];
        let j = s.n;
        s.push(id);
        while (j > from && s.a[j - 1] > id) {
          s.a[j] = s.a[j - 1];
          j--;
        }
        s.a[j] = id;
      }
    }
    const o = m.outcome;
    if (o) {
      s.push(1);
      s.push(otherId([o.kind, o.message, o.fn, o.file, o.line]));
      s.push(this.sym.classOf[o.pid] ?? -1);
      s.push(ids[o.pid] ?? -1);
    } else s.push(0);
    if (extraPid >= 0) {
      s.push(this.sym.classOf[extraPid]);
      s.push(ids[extraPid]);
    }
    return s.hash();
  }

  /**
   * Looks `m` up (with `ids` from ids/idsAfter; `extraPid`, when given, is part of
   * the key by its process state: the preemption bound's last process). Returns
   * the value stored with it, or -1; `store` then stores this very key.
   */
  find(m: Machine, ids: readonly number[], extraPid = -1): number {
    this.lastHash = this.sign(m, ids, extraPid);
    const e = this.states.find(this.sig, this.lastHash);
    this.lastEntry = e;
    return e >= 0 ? this.states.values[e] : -1;
  }

  private lastEntry = -1;

  /** Stores (or, if present, updates) the key of the last `find` with `value`. */
  store(value: number): void {
    if (this.lastEntry >= 0) this.states.values[this.lastEntry] = value;
    else this.lastEntry = this.states.add(this.sig, this.lastHash, value);
  }

  // ---- what a transaction of one process depends on ----

  private readonly txs = new SigTable();
  private readonly txSig = new Sig();
  private txHash = 0;
  private txEntry = -1;

  /**
   * Everything a transaction of `pid` can read: its program (by class), its own
   * state, every device and the task queue, and for each lock whether it is
   * free, held by `pid` (and how often) or held by another process (which one
   * makes no difference to `pid`). Returns the value stored with it, or -1.
   */
  txFind(m: Machine, pid: number, ids: readonly number[]): number {
    const s = this.txSig;
    s.reset();
    s.push(this.sym.classOf[pid]);
    s.push(ids[pid]);
    devicesAndTasks(m, s);
    const locks = m.locks;
    for (let i = 0; i < locks.length; i++) {
      const h = locks[i].holder;
      if (h === pid) {
        s.push(1);
        s.push(locks[i].recurse);
      } else s.push(h < 0 ? 0 : 2);
    }
    this.txHash = s.hash();
    this.txEntry = this.txs.find(s, this.txHash);
    return this.txEntry >= 0 ? this.txs.values[this.txEntry] : -1;
  }

  /** Stores `value` for the key of the last `txFind` (which found nothing). */
  txStore(value: number): void {
    if (this.txEntry < 0) this.txEntry = this.txs.add(this.txSig, this.txHash, value);
  }

  get txCount(): number {
    return this.txs.size;
  }
}
