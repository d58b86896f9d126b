// The canonical key of a machine for the explorer's visited set, and process
// symmetry.
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

import type { Expr, Scenario } from '../scenario/ast';
import { resolvePath } from '../scenario/paths';
import type { Frame, Machine, MachineConfig, ProcState } from '../kernel/state';
import { devValues, taskValues } from './exploreMachine';

export interface Symmetry {
  /** Per pid: its class (interchangeable processes share one). */
  classOf: number[];
  /** Per class: its pids, ascending. */
  classes: number[][];
  /** Per pid: whether its `steps` counter is part of the key. */
  keepSteps: boolean[];
}

function pathsOf(e: Expr, out: string[][]): void {
  switch (e.kind) {
    case 'path':
      out.push(e.parts.map((p) => p.name));
      break;
    case 'unary':
      pathsOf(e.operand, out);
      break;
    case 'binary':
      pathsOf(e.left, out);
      pathsOf(e.right, out);
      break;
    default:
      break;
  }
}

/** Which processes the expectations name, and which of those read `steps`. */
function namedProcesses(scenario: Scenario): { named: Set<string>; steps: Set<string> } {
  const named = new Set<string>();
  const steps = new Set<string>();
  const paths: string[][] = [];
  for (const e of scenario.expectations) if (e.expr) pathsOf(e.expr, paths);
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

/** The symmetry classes of a scenario's processes (each its own class when `enabled` is false). */
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

// ---- compact encoding: small non-negative integers are one character ----

const SMALL = 200;
const SMALL_CHARS: string[] = Array.from({ length: SMALL }, (_, i) => String.fromCharCode(48 + i));
const ESCAPE = '\u00f8';

function num(n: number): string {
  return n >= 0 && n < SMALL && (n | 0) === n ? SMALL_CHARS[n] : ESCAPE + String(n) + ';';
}

function val(v: unknown): string {
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return v ? SMALL_CHARS[1] : SMALL_CHARS[0];
  return ESCAPE + JSON.stringify(v) + ';';
}

/** Local names are interned to one character each. */
const localNames = new Map<string, string>();
function localName(name: string): string {
  let c = localNames.get(name);
  if (c === undefined) {
    c = num(localNames.size);
    localNames.set(name, c);
  }
  return c;
}

const frameCodes = new WeakMap<Frame, string>();

function frameCode(f: Frame): string {
  const names = Object.keys(f.l);
  if (names.length > 1) names.sort();
  let s = num(f.fn) + num(f.pc) + num(names.length);
  for (const n of names) s += localName(n) + val(f.l[n]);
  return s;
}

const PROC_FIELDS = new Set(['pc', 'loops', 'stack', 'fds', 'errno', 'done', 'steps']);
const MACHINE_FIELDS = new Set(['config', 'devs', 'locks', 'procs', 'tasks', 'outcome', 'clock']);

/** Everything about one process that matters, including the locks it holds. */
function procCode(p: ProcState, held: string, keepSteps: boolean, extra: readonly string[]): string {
  let s = num(p.pc) + (p.done ? '1' : '0') + num(p.errno);
  const loopKeys = Object.keys(p.loops);
  s += num(loopKeys.length);
  if (loopKeys.length > 1) loopKeys.sort((a, b) => Number(a) - Number(b));
  for (const k of loopKeys) s += num(Number(k)) + num(p.loops[Number(k)]);
  s += num(p.fds.length);
  for (const fd of p.fds) s += (fd.open ? '1' : '0') + num(fd.errno) + num(fd.dev + 1);
  s += num(p.stack.length);
  const top = p.stack.length - 1;
  for (let i = 0; i <= top; i++) {
    const f = p.stack[i];
    if (i < top) {
      // Frames below the top are shared between copies and never change: key them once.
      let c = frameCodes.get(f);
      if (c === undefined) frameCodes.set(f, (c = frameCode(f)));
      s += c;
    } else s += frameCode(f);
  }
  s += held;
  if (keepSteps) s += num(p.steps);
  for (const k of extra) s += ESCAPE + JSON.stringify((p as unknown as Record<string, unknown>)[k]) + ';';
  return s;
}

/** Turns process codes into small ids (a run has few distinct process states) and machines into keys. */
export class StateKeys {
  private readonly procIds = new Map<string, number>();
  private readonly procExtra: string[];
  private readonly machineExtra: string[];

  constructor(
    readonly sym: Symmetry,
    sample: Machine,
  ) {
    // Fields a future version of the state may add are keyed generically rather than ignored.
    this.procExtra = sample.procs.length ? Object.keys(sample.procs[0]).filter((k) => !PROC_FIELDS.has(k)) : [];
    this.machineExtra = Object.keys(sample).filter((k) => !MACHINE_FIELDS.has(k));
  }

  /** Distinct process states seen. */
  get processStates(): number {
    return this.procIds.size;
  }

  private procId(code: string): number {
    let id = this.procIds.get(code);
    if (id === undefined) {
      id = this.procIds.size;
      this.procIds.set(code, id);
    }
    return id;
  }

  /**
   * The key of `m`, and per pid the id of its process state (equal ids in one
   * class mean the two processes are interchangeable right now). `extraPid`, when
   * given, is keyed as well, by its process state (the preemption bound's last process).
   */
  key(m: Machine, extraPid = -1): { key: string; ids: number[] } {
    const n = m.procs.length;
    const ids: number[] = new Array<number>(n);
    for (let pid = 0; pid < n; pid++) ids[pid] = this.procStateId(m, pid);
    return { key: this.assemble(m, ids, extraPid), ids };
  }

  /**
   * The key of `m`, reached from a machine whose process-state ids were
   * `parentIds` by steps of `pid` alone: only that process's state (and the
   * locks it holds) can have changed.
   */
  keyAfter(m: Machine, parentIds: readonly number[], pid: number, extraPid = -1): { key: string; ids: number[] } {
    const ids = parentIds.slice();
    ids[pid] = this.procStateId(m, pid);
    return { key: this.assemble(m, ids, extraPid), ids };
  }

  private procStateId(m: Machine, pid: number): number {
    let held = '';
    let count = 0;
    const locks = m.locks;
    for (let i = 0; i < locks.length; i++) {
      const l = locks[i];
      if (l.holder === pid) {
        held += num(i) + num(l.recurse);
        count++;
      }
    }
    return this.procId(procCode(m.procs[pid], num(count) + held, this.sym.keepSteps[pid], this.procExtra));
  }

  private assemble(m: Machine, ids: readonly number[], extraPid: number): string {
    let k = '';
    for (const d of m.devs) for (const v of devValues(d)) k += val(v);
    const tasks = taskValues(m);
    k += num(tasks.length);
    for (const t of tasks) k += num(t);
    for (const cls of this.sym.classes) {
      if (cls.length === 1) {
        k += idChars(ids[cls[0]]);
        continue;
      }
      const sorted = cls.map((pid) => ids[pid]).sort((a, b) => a - b);
      for (const id of sorted) k += idChars(id);
    }
    const o = m.outcome;
    if (o) k += `!${o.kind}\u0001${o.message}\u0001${o.fn}\u0001${o.file ?? ''}\u0001${o.line ?? ''}\u0001${this.sym.classOf[o.pid] ?? -1}\u0001${idChars(ids[o.pid] ?? 0)}`;
    if (extraPid >= 0) k += '@' + this.sym.classOf[extraPid] + idChars(ids[extraPid]);
    for (const f of this.machineExtra) k += ESCAPE + JSON.stringify((m as unknown as Record<string, unknown>)[f]) + ';';
    return k;
  }
}

/** A process-state id as three characters (ids below 8 million). */
function idChars(id: number): string {
  if (id >= SMALL * SMALL * SMALL) return ESCAPE + id + ';';
  return SMALL_CHARS[id % SMALL] + SMALL_CHARS[Math.floor(id / SMALL) % SMALL] + SMALL_CHARS[Math.floor(id / (SMALL * SMALL))];
}
