// Every kind of breakpoint and what makes it fire. A breakpoint is judged on one
// recorded step (the machine before and after it, and who stepped): the same
// judgement serves running forwards and backwards, so a stop is a property of a
// point in the recording, not of the direction it was reached from.
//
// - lines of the scenario: a process is about to run that statement;
// - lines of a kernel model source: a process is about to run that line;
// - function breakpoints: a process has just entered the function;
// - data breakpoints: the step wrote the value (core/engine/run/observe.ts `diff`);
// - exception filters `lockdrop` (the step released a lock) and `errno` (a system
//   call returned an error). `panic` and `deadlock` end the run and are decided
//   by the runtime.

import type { Machine } from '../../core/kernel/state';
import type { Scenario } from '../../core/scenario/ast';
import type { Step } from '../../core/kernel/dsl';
import { FUNCTIONS, functionsNamed, nearestStepLine, stepAtLine } from '../../core/kernel/functions';
import { closestName } from '../../core/scenario/suggest';
import { diff, lockPath, type Change } from '../../core/engine/run/observe';
import { statementText } from '../../core/engine/run/traceStep';
import { compileExpression, evalCondition, hitPasses, parseHitCondition, parseLogMessage, renderLogMessage, type HitCondition, type LogPart } from './conditions';
import { errnoText, showValue } from './format';
import { ownDriverLines } from './ownDriverLines';
import { SCENARIO_FILE } from '../../core/kernel/dsl';

/** A breakpoint as a client asks for it. */
export interface BreakpointSpec {
  line?: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

/** What became of it: verified (and where it moved to) or why not. */
export interface BreakpointResult {
  id: number;
  verified: boolean;
  line?: number;
  message?: string;
}

/** Why a run stopped; the last two are camsim's own (the end of a run, a jump to a recorded step). */
export type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'data breakpoint' | 'exception' | 'pause' | 'end of the run' | 'jump in the recording';

export type ExceptionId = 'panic' | 'use-after-free' | 'deadlock' | 'lockdrop' | 'errno';

export interface ExceptionDetail {
  id: ExceptionId;
  description: string;
  /** The kernel function, when there is one. */
  fn?: string;
}

export interface Hit {
  reason: StopReason;
  ids: number[];
  description: string;
  exception?: ExceptionDetail;
}

/** Where a logpoint's message comes from, so the console can link it. */
export type LogSite = { kind: 'scenario'; line: number } | { kind: 'model'; file: string; line: number } | { kind: 'none' };

export interface StepFacts {
  before: Machine;
  after: Machine;
  pid: number;
}

interface Bp {
  id: number;
  condition?: { expr: import('../../core/scenario/ast').Expr; text: string };
  hit?: HitCondition;
  log?: LogPart[];
  hits: number;
  site: LogSite;
}

export const EXCEPTION_FILTERS = [
  { filter: 'panic', label: 'Kernel panic', description: 'Stop when the kernel panics or uses a freed periph.', default: true },
  { filter: 'lockdrop', label: 'Every lock release', description: 'Stop after every step that releases a lock: the points where other processes can interleave.', default: false },
  { filter: 'errno', label: 'System call error', description: 'Stop when a system call (open, close, ioctl) returns an errno.', default: false },
  { filter: 'deadlock', label: 'Deadlock', description: 'Stop when no process can run and the scenario is not finished.', default: true },
] as const;

export class Breakpoints {
  private nextId = 1;
  private readonly scenarioLines = new Map<number, Bp[]>();
  /** Steps of the scenario's own driver routines by line, and the breakpoints set on them. */
  private readonly driverLines: Map<number, Step[]>;
  private readonly driverSteps = new Map<Step, Bp[]>();
  private readonly modelByFile = new Map<string, { step: Step; bp: Bp }[]>();
  private modelSteps = new Map<Step, Bp[]>();
  private readonly functions = new Map<string, Bp[]>();
  private readonly data = new Map<string, Bp[]>();
  private filters = new Set<string>(EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter));
  private readonly processNames: string[];

  constructor(
    private readonly scenario: Scenario,
    processNames: readonly string[],
    private readonly log: (text: string, site: LogSite) => void,
  ) {
    this.processNames = processNames.slice();
    this.driverLines = ownDriverLines(scenario);
  }

  /** The lines (1-based) of the scenario's own driver routines that have a step. */
  get ownDriverLines(): Iterable<number> {
    return this.driverLines.keys();
  }

  filterOn(name: string): boolean {
    return this.filters.has(name);
  }

  setExceptionFilters(filters: readonly string[]): { verified: boolean; message?: string }[] {
    const known = new Set<string>(EXCEPTION_FILTERS.map((f) => f.filter));
    this.filters = new Set(filters.filter((f) => known.has(f)));
    return filters.map((f) => (known.has(f) ? { verified: true } : { verified: false, message: `unknown exception filter '${f}' (filters: ${[...known].join(', ')})` }));
  }

  private make(spec: BreakpointSpec, site: LogSite): Bp | { error: string } {
    const bp: Bp = { id: this.nextId++, hits: 0, site };
    if (spec.condition !== undefined && spec.condition.trim() !== '') {
      const c = compileExpression(spec.condition, this.scenario, this.processNames, true);
      if (!c.ok) return { error: `condition ${c.message}` };
      bp.condition = { expr: c.expr, text: c.text };
    }
    if (spec.hitCondition !== undefined && spec.hitCondition.trim() !== '') {
      const h = parseHitCondition(spec.hitCondition);
      if ('error' in h) return { error: h.error };
      bp.hit = h;
    }
    if (spec.logMessage !== undefined) {
      const l = parseLogMessage(spec.logMessage, this.scenario, this.processNames);
      if ('error' in l) return { error: l.error };
      bp.log = l.parts;
    }
    return bp;
  }

  private unverified(message: string, line?: number): BreakpointResult {
    return { id: this.nextId++, verified: false, message, ...(line !== undefined ? { line } : {}) };
  }

  /** Breakpoints on statement lines of the scenario being debugged (`valid`: the statement lines, 1-based). */
  setScenarioBreakpoints(specs: readonly BreakpointSpec[], valid: readonly number[]): BreakpointResult[] {
    this.scenarioLines.clear();
    this.driverSteps.clear();
    return specs.map((spec) => {
      const line = spec.line ?? 0;
      const at = valid.find((l) => l >= line);
      if (at === undefined) return this.unverified(`no statement at or after line ${line}: a breakpoint in a scenario goes on an open, close, ioctl or lose line, or on a statement of a driver's routine`, line);
      const bp = this.make(spec, { kind: 'scenario', line: at });
      if ('error' in bp) return this.unverified(bp.error, line);
      const steps = this.driverLines.get(at);
      if (steps) for (const s of steps) push(this.driverSteps, s, bp);
      else push(this.scenarioLines, at, bp);
      return { id: bp.id, verified: true, line: at };
    });
  }

  /** Breakpoints on lines of a kernel model source (`file`: e.g. devfs_vnops.c). */
  setModelBreakpoints(file: string, specs: readonly BreakpointSpec[]): BreakpointResult[] {
    const list: { step: Step; bp: Bp }[] = [];
    const results = specs.map((spec) => {
      const line = spec.line ?? 0;
      const at = nearestStepLine(file, line);
      const ref = at === undefined ? undefined : stepAtLine(file, at);
      if (at === undefined || !ref) return this.unverified(`no kernel line at or after line ${line} of ${file}`, line);
      const bp = this.make(spec, { kind: 'model', file, line: at });
      if ('error' in bp) return this.unverified(bp.error, line);
      list.push({ step: ref.fn.steps[ref.pc], bp });
      return { id: bp.id, verified: true, line: at };
    });
    this.modelByFile.set(file, list);
    this.modelSteps = new Map();
    for (const entries of this.modelByFile.values()) for (const e of entries) push(this.modelSteps, e.step, e.bp);
    return results;
  }

  setFunctionBreakpoints(specs: readonly (BreakpointSpec & { name: string })[]): BreakpointResult[] {
    this.functions.clear();
    const allNames = [...new Set(FUNCTIONS.map((f) => f.name))];
    return specs.map((spec) => {
      const name = (spec.name ?? '').trim();
      const fns = functionsNamed(name);
      if (fns.length === 0) {
        const near = closestName(name, allNames);
        return this.unverified(`no modelled kernel function named '${name}'${near ? `; did you mean '${near}'?` : ''}`);
      }
      const bp = this.make(spec, { kind: 'model', file: fns[0].file, line: fns[0].steps[0].line });
      if ('error' in bp) return this.unverified(bp.error);
      push(this.functions, name, bp);
      return { id: bp.id, verified: true, line: fns[0].steps[0].line };
    });
  }

  /** Data breakpoints on recorded values (`known`: whether a path names one in this run). */
  setDataBreakpoints(specs: readonly (BreakpointSpec & { dataId: string })[], known: (path: string) => boolean): BreakpointResult[] {
    this.data.clear();
    return specs.map((spec) => {
      if (typeof spec.dataId !== 'string' || !known(spec.dataId)) return this.unverified(`'${String(spec.dataId)}' is not a value this run records (try a periph refcount, a cdev counter, a flag or a lock holder)`);
      const bp = this.make(spec, { kind: 'none' });
      if ('error' in bp) return this.unverified(bp.error);
      push(this.data, spec.dataId, bp);
      return { id: bp.id, verified: true };
    });
  }

  /** Starts every hit count again (restart). */
  resetHits(): void {
    const all = [...this.scenarioLines.values(), ...this.driverSteps.values(), ...this.modelSteps.values(), ...this.functions.values(), ...this.data.values()];
    for (const list of all) for (const bp of list) bp.hits = 0;
  }

  /** Whether any breakpoint or filter can fire on a recorded step (else reverse-continue goes straight to the start). */
  get mayFireBackwards(): boolean {
    return (
      this.data.size > 0 || this.scenarioLines.size > 0 || this.driverSteps.size > 0 || this.modelSteps.size > 0 || this.functions.size > 0 ||
      this.filters.has('lockdrop') || this.filters.has('errno')
    );
  }

  /** Judges what one step did (data breakpoints, lockdrop, errno): the first that fires, after printing what logpoints pass. */
  checkStep(f: StepFacts): Hit | undefined {
    const { before, after, pid } = f;
    const name = before.config.processes[pid].name;
    if (this.data.size > 0) {
      const hit = this.checkData(f, diff(before, after), name);
      if (hit) return hit;
    }
    if (this.filters.has('lockdrop')) {
      const dropped = droppedLocks(before, after, pid);
      if (dropped.length > 0) {
        const where = kernelLine(before, pid);
        const description = `${name} released ${dropped.join(', ')}${where ? ` at ${where}` : ''}: other processes can run here`;
        return { reason: 'exception', ids: [], description, exception: { id: 'lockdrop', description, fn: currentFn(before, pid) } };
      }
    }
    if (this.filters.has('errno')) {
      const err = syscallError(before, after, pid);
      if (err) return { reason: 'exception', ids: [], description: err, exception: { id: 'errno', description: err } };
    }
    return undefined;
  }

  private checkData(f: StepFacts, changes: readonly Change[], name: string): Hit | undefined {
    for (const c of changes) {
      const bps = this.data.get(c.path);
      if (!bps) continue;
      const where = kernelLine(f.before, f.pid);
      const ids = this.judge(bps, f.after, name);
      if (ids.length > 0) {
        return { reason: 'data breakpoint', ids, description: `${c.path}: ${showValue(c.old)} → ${showValue(c.new)} (written by ${name}${where ? ` at ${where}` : ''})` };
      }
    }
    return undefined;
  }

  /**
   * Judges a process about to run its next line in `m` (line and function
   * breakpoints): whether it stops there before running it.
   */
  checkAt(m: Machine, pid: number): Hit | undefined {
    const p = m.procs[pid];
    if (p.done) return undefined;
    const name = m.config.processes[pid].name;
    if (p.stack.length === 0) {
      if (this.scenarioLines.size === 0) return undefined;
      const op = m.config.processes[pid].program[p.pc];
      const bps = op && this.scenarioLines.get(op.line + 1);
      if (!bps) return undefined;
      const ids = this.judge(bps, m, name);
      return ids.length ? { reason: 'breakpoint', ids, description: `${name} is about to run line ${op.line + 1}: ${statementText(m, pid, op)}` } : undefined;
    }
    const top = p.stack[p.stack.length - 1];
    const fn = FUNCTIONS[top.fn];
    if (this.functions.size > 0 && top.pc === 0) {
      const bps = this.functions.get(fn.name);
      if (bps) {
        const ids = this.judge(bps, m, name);
        if (ids.length) return { reason: 'function breakpoint', ids, description: `${name} entered ${fn.name}() (${fn.file}:${fn.steps[0].line})` };
      }
    }
    const step = fn.steps[top.pc];
    const own = fn.file === SCENARIO_FILE;
    const bps = own ? this.driverSteps.get(step) : this.modelSteps.get(step);
    if (!bps) return undefined;
    const ids = this.judge(bps, m, name);
    const where = own ? `line ${step.line} of the scenario` : `${fn.file}:${step.line}`;
    return ids.length ? { reason: 'breakpoint', ids, description: `${name} is about to run ${where} in ${fn.name}(): ${step.code.trim()}` } : undefined;
  }

  /** Conditions, hit counts and logpoints: the ids of the breakpoints that stop. */
  private judge(bps: readonly Bp[], m: Machine, process: string): number[] {
    const ids: number[] = [];
    for (const bp of bps) {
      if (bp.condition) {
        const r = evalCondition(bp.condition.expr, m, this.scenario, process);
        if (!r.ok) {
          this.log(`breakpoint condition '${bp.condition.text}' could not be evaluated in ${process}: ${r.message} (stopping)`, bp.site);
        } else if (!r.value) continue;
      }
      bp.hits++;
      if (bp.hit && !hitPasses(bp.hit, bp.hits)) continue;
      if (bp.log) {
        this.log(renderLogMessage(bp.log, m, this.scenario, process), bp.site);
        continue;
      }
      ids.push(bp.id);
    }
    return ids;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, v: V): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}

/** Locks `pid` released (or released one recursion level of) in this step. */
export function droppedLocks(before: Machine, after: Machine, pid: number): string[] {
  const out: string[] = [];
  for (let l = 0; l < before.locks.length; l++) {
    const a = before.locks[l];
    const b = after.locks[l];
    if (a.holder === pid && (b.holder !== pid || b.recurse < a.recurse)) out.push(lockPath(before, l));
  }
  return out;
}

/** `close f returned 6 (ENXIO)` when this step ended a system call with an error. */
export function syscallError(before: Machine, after: Machine, pid: number): string | undefined {
  const p = before.procs[pid];
  const q = after.procs[pid];
  // Every step that leaves the kernel stack empty ends a system call (or refuses it before entering, EBADF).
  if (q.stack.length !== 0 || q.errno === 0) return undefined;
  const op = before.config.processes[pid].program[p.pc];
  if (!op) return undefined;
  return `${before.config.processes[pid].name}: ${statementText(before, pid, op)} returned ${errnoText(q.errno)}`;
}

/** `devfs_vnops.c:55` for the line `pid` is about to run in `m`. */
export function kernelLine(m: Machine, pid: number): string | undefined {
  const p = m.procs[pid];
  const top = p.stack[p.stack.length - 1];
  if (!top) return undefined;
  const fn = FUNCTIONS[top.fn];
  return fn.file === SCENARIO_FILE ? `line ${fn.steps[top.pc].line} of the scenario` : `${fn.file}:${fn.steps[top.pc].line}`;
}

function currentFn(m: Machine, pid: number): string | undefined {
  const p = m.procs[pid];
  const top = p.stack[p.stack.length - 1];
  return top ? FUNCTIONS[top.fn].name : undefined;
}
