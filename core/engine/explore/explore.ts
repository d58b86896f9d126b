// The explorer: every interleaving of a scenario's processes at the scheduling
// points, with a verdict for each expectation and, for whatever fails (or for
// the panic `expect panic` asks for), the shortest interleaving that shows it,
// as a schedule that `camsim run --schedule` and the debugger replay exactly.
//
//   explore(config, scenario, text, options) -> ExploreReport        synchronous
//   exploreAsync(config, scenario, text, options) -> Promise<...>    yields to the event loop
//   new Explorer(...).run(deadline) / .cancel() / .report()          in chunks, for a host's own loop
//
// Search: depth first over the reduced state graph (search.ts), with a
// visited set keyed by an exact canonical state (key.ts: process
// symmetry), transitions that are whole transactions of one process, a process
// whose next slice commutes with everything taken alone, and sleep sets
// (movers.ts: partial-order reduction). It stops once every expectation
// is decided. When `expect panic` is all there is to decide, a fewest-slices
// search among two interchangeable processes goes first (cheap, and its panic
// is already the shortest).
// Counterexamples: the witness the search found, shortened by a fewest-slices
// search (restricted, for a panic, to the processes it needs), then replayed
// with runMachine to check it shows exactly that failure.

import { getHeapStatistics } from 'node:v8';
import type { ExpectKind, Scenario } from '../../scenario/ast';
import type { Machine, MachineConfig, Outcome } from '../../kernel/state';
import { initialMachine, slice, enabled, status, deadlockOutcome } from '../run/machine';
import { runMachine } from '../run/run';
import { checkExpectations } from '../expr/expectations';
import { formatSchedule } from '../run/schedulers';
import { trackMachine, trackedDevFields } from './tracked';
import { LockDiscipline, MAX_TRACKED_LOCKS, RestartSearch, SliceBound, SliceRunner, TurnedN, type CoverageMarks } from './movers';
import { StateKeys, symmetryOf, type Symmetry } from './key';
import { DepthFirst, Expander, Shortest, type MemoryBudget, type StopReason } from './search';
import { DEFAULT_MAX_BYTES } from './memory';
import { Verdicts, type EndKind, type ExpectationState, type Verdict, type Witness } from './verdict';
import { coverageReport, newCoverageMarks, type CoverageReport } from './coverage';
import { loadScenarioDrivers } from '../driver/scenarioDrivers';

export type { StopReason } from './search';
export type { EndKind, Verdict } from './verdict';
export type { CoverageReport } from './coverage';

export interface ExploreOptions {
  /** Partial-order reduction (default on). */
  por?: boolean;
  /** Process symmetry reduction (default on). */
  symmetry?: boolean;
  /** Stop after storing this many states (default: DEFAULT_MAX_STATES, from the heap size). */
  maxStates?: number;
  /** Stop when what the search holds reaches this many bytes (default: DEFAULT_MAX_BYTES, from the heap size). */
  maxBytes?: number;
  /** Do not follow interleavings longer than this many slices. */
  maxDepth?: number;
  /** At most this many preemptions (switching away from a process that could go on) per interleaving. */
  preemptionBound?: number;
  /** Stop after this many milliseconds. */
  timeoutMs?: number;
  /** Stop when a process runs this many steps without reaching a scheduling point (default MAX_SLICE_STEPS). */
  maxSliceSteps?: number;
  /** Record which kernel model lines the search executes. */
  coverage?: boolean;
  /** Shorten counterexamples to the fewest slices (default on). */
  shortest?: boolean;
  /** Stop as soon as every expectation is decided (default on). */
  stopWhenDecided?: boolean;
  /** Called with every distinct end state the search reaches (its machine is the explorer's own copy: read it, keep nothing). */
  onEnd?: (m: Machine, kind: EndKind) => void;
}

/**
 * The default state budget: at most 10 million, and no more than the heap could
 * hold at a kilobyte a state. What a state costs depends on the scenario (a
 * thousand devices make each state a hundred times larger), so the search is
 * bounded in bytes too (ExploreOptions.maxBytes, memory.ts): a search
 * that reaches either budget reports itself incomplete rather than running out
 * of memory.
 */
export const DEFAULT_MAX_STATES = Math.min(10_000_000, Math.floor(getHeapStatistics().heap_size_limit / 1024));

/** An interleaving that shows a failure: one pid per slice, and the same as a `schedule` line. */
export interface Counterexample {
  pids: number[];
  schedule: string;
  slices: number;
  end: EndKind;
  /** The panic or deadlock text, or why the expectation failed on it. */
  message: string;
  outcome: Outcome | null;
  /** Shortened to the fewest slices (among interleavings of the processes it needs, for a panic). */
  shortest: boolean;
}

export interface OutcomeReport {
  kind: Exclude<EndKind, 'finished'>;
  /** undefined: not found, and the search was incomplete. */
  reachable: boolean | undefined;
  message?: string;
  outcome?: Outcome;
  counterexample?: Counterexample;
  /** Panic, use-after-free: every distinct text reached (all of them when the search was complete). */
  messages?: string[];
}

export interface ExpectationReport {
  text: string;
  what: ExpectKind;
  /** 0-based line of the `expect` in the scenario. */
  line: number;
  verdict: Verdict;
  detail: string;
  /** The interleaving that decided it: that broke it, or (expect panic/deadlock) that ends that way. */
  counterexample?: Counterexample;
}

export interface ExploreProgress {
  phase: 'quick' | 'search' | 'shorten' | 'done';
  states: number;
  transitions: number;
  depth: number;
  frontier: number;
  ms: number;
}

export interface ExploreReport {
  /** Every reachable state was explored (no bound was hit, no early stop). */
  complete: boolean;
  /** Why the search stopped; 'decided': every expectation was decided before the end. */
  stop: StopReason;
  states: number;
  transitions: number;
  /** Slices and kernel steps executed (including those of shortening). */
  slices: number;
  steps: number;
  /** Distinct end states reached, and how many of them are normal ends. */
  endStates: number;
  finished: number;
  /** Interleavings represented by the explored graph (maximal paths), when complete. */
  interleavings?: number;
  /** Longest interleaving explored, in slices. */
  depth: number;
  ms: number;
  /** Searches restarted because the lock discipline learnt so far was contradicted. */
  restarts: number;
  reductions: {
    por: boolean;
    symmetry: boolean;
    /** Groups of interchangeable processes (by name). */
    interchangeable: string[][];
    /** Device fields found to be touched under no common lock (their slices are never reordered). */
    unprotected: string[];
  };
  bounds: { maxStates: number; maxBytes: number; maxDepth?: number; preemptionBound?: number; timeoutMs?: number };
  /** The most the search held at once, in bytes (memory.ts: keys, graph and the machines it kept). */
  bytes: number;
  outcomes: OutcomeReport[];
  expectations: ExpectationReport[];
  /** true: every expectation held; false: one failed; undefined: some undecided (incomplete search). */
  ok: boolean | undefined;
  coverage?: CoverageReport;
}

/** What a counterexample has to show. */
type Target =
  | { kind: 'end'; end: Exclude<EndKind, 'finished'> }
  | { kind: 'expectation'; index: number };

interface Job {
  target: Target;
  witness: Witness;
  /** The search whose graph the witness's state belongs to. */
  graph: { path(i: number): number[] };
  pids: number[];
  shortest: boolean;
}

const BAD_ENDS: readonly Exclude<EndKind, 'finished'>[] = ['panic', 'use-after-free', 'deadlock'];

export class Explorer {
  private readonly started = performance.now();
  private readonly por: boolean;
  private readonly symmetry: boolean;
  private readonly maxStates: number;
  /** The budget in bytes, and the most held so far. */
  private readonly memory: MemoryBudget;
  private peakBytes = 0;
  private readonly sym: Symmetry;
  private readonly discipline: LockDiscipline;
  private readonly turnedN = new TurnedN();
  private readonly coverage?: CoverageMarks;
  private readonly m0: Machine;
  private phase: 'quick' | 'search' | 'shorten' | 'done' = 'search';
  /** The quick panic search (see `quickPair`), while it runs or when it found the panic. */
  private quick?: { search: Shortest; runner: SliceRunner; allowed: number[]; found: boolean };
  private cancelled = false;
  private restarts = 0;
  private slices = 0;
  private steps = 0;
  private runner!: SliceRunner;
  private keys!: StateKeys;
  private verdicts!: Verdicts;
  private search!: DepthFirst;
  private stop: StopReason = 'complete';
  private jobs: Job[] = [];
  private jobIndex = 0;
  private shortening?: { job: Job; search: Shortest; runner: SliceRunner; allowed: number[]; por: boolean };
  private final?: ExploreReport;

  constructor(
    readonly config: MachineConfig,
    readonly scenario: Scenario,
    readonly text: string,
    readonly options: ExploreOptions = {},
  ) {
    // A config that crossed to a worker thread names its scenario's drivers by key: load them here too.
    if (config.devices.some((d) => d.driverKey !== undefined)) loadScenarioDrivers(scenario);
    this.symmetry = options.symmetry !== false;
    this.maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
    this.memory = { max: options.maxBytes ?? DEFAULT_MAX_BYTES, used: () => this.bytesHeld() };
    this.sym = symmetryOf(config, scenario, this.symmetry);
    this.m0 = trackMachine(initialMachine(config));
    // Lock sets are 32-bit sets: with more locks (more than nine devices) the reduction is left out.
    this.por = options.por !== false && this.m0.locks.length <= MAX_TRACKED_LOCKS;
    const fields = trackedDevFields();
    this.discipline = new LockDiscipline(config.devices.length, Math.min(this.m0.locks.length, MAX_TRACKED_LOCKS), (b) => fields[b] ?? `field${b}`);
    if (options.coverage) this.coverage = newCoverageMarks();
    this.startSearch();
    const pair = this.quickPair();
    if (pair) {
      this.phase = 'quick';
      this.quick = this.newQuick(pair);
    }
  }

  /**
   * When `expect panic` is all there is to decide, a panic found among two
   * interchangeable processes decides it, and a fewest-slices search among two
   * is cheap (the other processes simply never run): try that first, and only
   * search everything when those two cannot panic. Returns the pair, if any.
   */
  private quickPair(): number[] | undefined {
    const o = this.options;
    if (o.stopWhenDecided === false || o.shortest === false || o.maxDepth !== undefined || o.preemptionBound !== undefined) return undefined;
    const ex = this.scenario.expectations;
    if (ex.length === 0 || !ex.every((e) => e.what === 'panic')) return undefined;
    const cls = this.sym.classes.filter((c) => c.length >= 2).sort((a, b) => b.length - a.length)[0];
    return cls ? cls.slice(0, 2) : undefined;
  }

  private newQuick(allowed: number[]): { search: Shortest; runner: SliceRunner; allowed: number[]; found: boolean } {
    this.discipline.resetTouched();
    this.turnedN.merge();
    const runner = this.newRunner(true);
    const sym = symmetryOf(this.config, this.scenario, this.symmetry, new Set(allowed));
    const keys = new StateKeys(sym, this.m0);
    const budget = Math.min(this.maxStates, 20_000);
    const search = new Shortest(this.m0, keys, new Expander(runner, sym, keys, new Set(allowed)), (m) => m.outcome?.kind === 'panic', Infinity, budget, this.memory);
    return { search, runner, allowed, found: false };
  }

  /** Runs the quick panic search; true when it is over (found: the report is ready to be built). */
  private runQuick(until: number): boolean {
    const q = this.quick!;
    let over: boolean;
    try {
      over = q.search.run(until);
    } catch (e) {
      if (e instanceof SliceBound) {
        // The full search meets the same bound and reports it.
        this.quick = undefined;
        this.phase = 'search';
        return true;
      }
      if (!(e instanceof RestartSearch)) throw e;
      this.restarts++;
      this.slices += q.runner.slices;
      this.steps += q.runner.steps;
      this.quick = this.newQuick(q.allowed);
      return false;
    }
    if (!over) return false;
    this.slices += q.runner.slices;
    this.steps += q.runner.steps;
    const idx = q.search.found;
    if (idx === undefined || !q.search.foundMachine) {
      this.quick = undefined;
      this.phase = 'search';
      return true;
    }
    q.found = true;
    this.verdicts.end(q.search.foundMachine, idx);
    this.stop = 'decided';
    const witness = this.verdicts.ends.panic!;
    this.jobs = [{ target: { kind: 'end', end: 'panic' }, witness, graph: q.search.graph, pids: q.search.graph.path(idx), shortest: true }];
    this.jobIndex = this.jobs.length;
    this.phase = 'shorten';
    return true;
  }

  private startSearch(): void {
    this.discipline.resetTouched();
    this.turnedN.merge();
    this.runner = this.newRunner(false);
    this.keys = new StateKeys(this.sym, this.m0);
    this.verdicts = new Verdicts(this.scenario, this.text);
    this.verdicts.onEnd = this.options.onEnd;
    this.search = new DepthFirst(this.m0, this.keys, new Expander(this.runner, this.sym, this.keys), this.verdicts, {
      maxStates: this.maxStates,
      maxDepth: this.options.maxDepth,
      preemptionBound: this.options.preemptionBound,
      memory: this.memory,
    }, this.options.stopWhenDecided !== false);
  }

  /** What the searches alive now hold, in bytes. */
  private bytesHeld(): number {
    const q = this.quick?.search.bytes ?? 0;
    const sh = this.shortening?.search.bytes ?? 0;
    const bytes = (this.search?.bytes ?? 0) + q + sh;
    if (bytes > this.peakBytes) this.peakBytes = bytes;
    return bytes;
  }

  /** A slice runner whose long slices keep to the time limit. */
  private newRunner(keepLength: boolean): SliceRunner {
    const runner = new SliceRunner(this.por, this.discipline, this.turnedN, this.coverage, keepLength);
    if (this.options.timeoutMs !== undefined) runner.stopAt = this.started + this.options.timeoutMs;
    if (this.options.maxSliceSteps !== undefined) runner.maxSliceSteps = this.options.maxSliceSteps;
    return runner;
  }

  /** Stops the search at the next chunk boundary; the report then says what was covered. */
  cancel(): void {
    this.cancelled = true;
  }

  get done(): boolean {
    return this.phase === 'done';
  }

  progress(): ExploreProgress {
    const s = this.shortening ? this.shortening.search.stats() : this.quick && this.phase === 'quick' ? this.quick.search.stats() : this.search.stats();
    return { phase: this.phase, ...s, ms: performance.now() - this.started };
  }

  private timedOut(): boolean {
    return this.options.timeoutMs !== undefined && performance.now() - this.started >= this.options.timeoutMs;
  }

  /** Works until the exploration is over or `deadline` (performance.now()) passes; true when over. */
  run(deadline = Infinity): boolean {
    const timeoutAt = this.options.timeoutMs !== undefined ? this.started + this.options.timeoutMs : Infinity;
    while (this.phase !== 'done') {
      const until = Math.min(deadline, timeoutAt);
      if (this.phase === 'quick') {
        if (this.cancelled || this.timedOut()) {
          this.quick = undefined;
          this.phase = 'search';
          continue;
        }
        if (!this.runQuick(Math.min(until, performance.now() + 50)) && performance.now() >= deadline) return false;
        continue;
      }
      if (this.phase === 'search') {
        let over: boolean;
        try {
          over = this.cancelled || this.search.run(Math.min(until, performance.now() + 50));
        } catch (e) {
          if (e instanceof RestartSearch) {
            this.restarts++;
            this.slices += this.runner.slices;
            this.steps += this.runner.steps;
            this.startSearch();
            continue;
          }
          if (!(e instanceof SliceBound)) throw e;
          this.stop = e.reason;
          this.endSearch();
          continue;
        }
        if (!over) {
          if (this.cancelled) this.stop = 'cancelled';
          else if (this.timedOut()) this.stop = 'timeout';
          else if (performance.now() >= deadline) return false;
          else continue;
        } else this.stop = this.cancelled && !this.search.stopped ? 'cancelled' : this.search.stopped ?? 'complete';
        this.endSearch();
        continue;
      }
      if (this.phase === 'shorten') {
        if (!this.shortenSome(until)) {
          if (performance.now() >= deadline && !this.cancelled && !this.timedOut()) return false;
          // Out of time: the remaining counterexamples stay as the search found them.
          this.shortening = undefined;
          this.jobIndex = this.jobs.length;
        }
        if (this.jobIndex >= this.jobs.length) {
          this.final = this.buildReport();
          this.phase = 'done';
        }
      }
    }
    return true;
  }

  /** The search is over: on to the counterexamples. */
  private endSearch(): void {
    this.slices += this.runner.slices;
    this.steps += this.runner.steps;
    this.jobs = this.makeJobs();
    this.phase = 'shorten';
  }

  report(): ExploreReport {
    if (!this.final) {
      // Asked before the end (a host stopping early): finish with what is known, without shortening.
      if (this.phase === 'quick') {
        this.quick = undefined;
        this.phase = 'search';
      }
      if (this.phase === 'search') {
        this.stop = 'cancelled';
        this.slices += this.runner.slices;
        this.steps += this.runner.steps;
        this.jobs = this.makeJobs();
      }
      this.shortening = undefined;
      this.jobIndex = this.jobs.length;
      this.final = this.buildReport();
      this.phase = 'done';
    }
    return this.final;
  }

  // ---- counterexamples ----

  private makeJobs(): Job[] {
    const jobs: Job[] = [];
    const add = (target: Target, witness: Witness) => {
      const pids = this.search.graph.path(witness.state);
      jobs.push({ target, witness, graph: this.search.graph, pids, shortest: false });
    };
    for (const end of BAD_ENDS) {
      const w = this.verdicts.ends[end];
      if (w) add({ kind: 'end', end }, w);
    }
    this.verdicts.expectations.forEach((e, index) => {
      if (!e.witness || e.existential) return;
      const what = e.decl.what;
      if (what === 'no leak' || what === 'expr') add({ kind: 'expectation', index }, e.witness);
    });
    return jobs;
  }

  private accepts(target: Target, m: Machine): boolean {
    const st = status(m);
    if (target.kind === 'end') return st === target.end;
    if (st !== 'finished') return false;
    const run = { final: m, status: st, outcome: null };
    return !checkExpectations(this.scenario, this.text, run)[target.index].held;
  }

  /** Shortens counterexamples until `until`; false when out of time before all are done. */
  private shortenSome(until: number): boolean {
    const shorten = this.options.shortest !== false && !this.cancelled && !this.timedOut();
    while (this.jobIndex < this.jobs.length) {
      const job = this.jobs[this.jobIndex];
      if (!shorten) {
        this.jobIndex++;
        continue;
      }
      if (!this.shortening) {
        const allowed = this.endsEarly(job) ? this.fewestProcesses(job) : this.config.processes.map((_, i) => i);
        this.shortening = this.newShortest(job, allowed);
      }
      const sh = this.shortening;
      let over: boolean;
      try {
        over = sh.search.run(until);
      } catch (e) {
        if (e instanceof SliceBound) {
          // Out of time inside a slice: the counterexamples stay as the search found them.
          this.slices += sh.runner.slices;
          this.steps += sh.runner.steps;
          this.shortening = undefined;
          this.jobIndex = this.jobs.length;
          return true;
        }
        if (!(e instanceof RestartSearch)) throw e;
        this.restarts++;
        this.slices += sh.runner.slices;
        this.steps += sh.runner.steps;
        this.shortening = this.newShortest(job, sh.allowed);
        continue;
      }
      if (!over) return false;
      this.slices += sh.runner.slices;
      this.steps += sh.runner.steps;
      if (sh.search.found !== undefined) {
        const pids = sh.search.graph.path(sh.search.found);
        if (pids.length <= job.pids.length) {
          // The reduced graph keeps the length of every interleaving that runs to a deadlock or a
          // normal end (it only reorders commuting steps), so its shortest is the shortest.
          job.pids = pids;
          job.shortest = true;
        }
      }
      this.shortening = undefined;
      this.jobIndex++;
    }
    return true;
  }

  /** Whether the job's failure ends an interleaving before every process is done or stuck (a panic, a use after free). */
  private endsEarly(job: Job): boolean {
    return job.target.kind === 'end' && job.target.end !== 'deadlock';
  }

  private newShortest(job: Job, allowed: number[]): { job: Job; search: Shortest; runner: SliceRunner; allowed: number[]; por: boolean } {
    this.discipline.resetTouched();
    this.turnedN.merge();
    // A panic can come sooner than the full reduction shows (a left mover it does not need would
    // be run first), so its search only merges right movers forward, which keeps every length.
    const por = this.por;
    const runner = this.newRunner(this.endsEarly(job));
    const all = allowed.length === this.config.processes.length;
    const sym = all ? this.sym : symmetryOf(this.config, this.scenario, this.symmetry, new Set(allowed));
    const keys = new StateKeys(sym, this.m0);
    const budget = Math.min(this.maxStates, Math.max(100_000, 2 * this.search.graph.size));
    const search = new Shortest(this.m0, keys, new Expander(runner, sym, keys, all ? undefined : new Set(allowed)), (m) => this.accepts(job.target, m), job.pids.length, budget, this.memory);
    return { job, search, runner, allowed, por };
  }

  /** The processes a panic's witness needs: drop each process whose slices can be left out. */
  private fewestProcesses(job: Job): number[] {
    let pids = job.pids;
    const used = [...new Set(pids)];
    for (const q of used) {
      const without = pids.filter((p) => p !== q);
      const end = replayEnd(this.config, without);
      if (end && end.kind === (job.target as { end: string }).end) pids = without.slice(0, end.length);
    }
    job.pids = pids;
    return [...new Set(pids)].sort((a, b) => a - b);
  }

  // ---- the report ----

  private counterexample(job: Job): Counterexample {
    const names = this.config.processes.map((p) => p.name);
    const check = (pids: number[]) => {
      const run = runMachine(this.config, { schedule: pids, record: false });
      if (run.slices.length !== pids.length || run.notes.length > 0) return undefined;
      if (!this.accepts(job.target, run.final)) return undefined;
      return run;
    };
    let run = check(job.pids);
    if (!run && job.shortest) {
      job.pids = job.graph.path(job.witness.state);
      job.shortest = false;
      run = check(job.pids);
    }
    if (!run) throw new Error(`internal error: the counterexample ${formatSchedule(job.pids, names)} does not replay to its failure`);
    const outcome = run.status === 'deadlock' ? deadlockOutcome(run.final) : run.final.outcome;
    let message = outcome?.message ?? 'finished';
    if (job.target.kind === 'expectation') {
      const r = checkExpectations(this.scenario, this.text, run)[job.target.index];
      message = r.detail;
    }
    return { pids: job.pids, schedule: formatSchedule(job.pids, names), slices: job.pids.length, end: run.status as EndKind, message, outcome, shortest: job.shortest };
  }

  private buildReport(): ExploreReport {
    const complete = this.stop === 'complete';
    const stats = this.quick?.found ? this.quick.search.stats() : this.search.stats();
    const cx = new Map<string, Counterexample>();
    for (const job of this.jobs) {
      const key = job.target.kind === 'end' ? job.target.end : `e${job.target.index}`;
      cx.set(key, this.counterexample(job));
    }
    const outcomes: OutcomeReport[] = BAD_ENDS.map((kind) => {
      const w = this.verdicts.ends[kind];
      if (!w) return { kind, reachable: complete ? false : undefined };
      const c = cx.get(kind)!;
      const messages = kind === 'deadlock' ? undefined : [...this.verdicts.messages[kind]].sort();
      return { kind, reachable: true, message: c.message, outcome: c.outcome ?? undefined, counterexample: c, messages };
    });
    const expectations = this.verdicts.expectations.map((e, i) => this.expectationReport(e, i, complete, cx, stats.states));
    const failed = expectations.some((e) => e.verdict === 'failed');
    const undecided = expectations.some((e) => e.verdict === 'undecided');
    return {
      complete,
      stop: this.stop,
      states: stats.states,
      transitions: stats.transitions,
      slices: this.slices,
      steps: this.steps,
      endStates: this.verdicts.endStates,
      finished: this.verdicts.finished,
      interleavings: complete ? this.search.interleavings() : undefined,
      depth: stats.depth,
      ms: performance.now() - this.started,
      restarts: this.restarts,
      reductions: {
        por: this.por,
        symmetry: this.symmetry,
        interchangeable: this.sym.classes.filter((c) => c.length > 1).map((c) => c.map((pid) => this.config.processes[pid].name)),
        unprotected: this.discipline.racy().map((loc) => loc.replace(/^dev(\d+)/, (_, d: string) => this.config.devices[Number(d)]?.name ?? `dev${d}`)),
      },
      bounds: { maxStates: this.maxStates, maxBytes: this.memory.max, maxDepth: this.options.maxDepth, preemptionBound: this.options.preemptionBound, timeoutMs: this.options.timeoutMs },
      bytes: Math.max(this.peakBytes, this.bytesHeld()),
      outcomes,
      expectations,
      ok: failed ? false : undecided ? undefined : true,
      coverage: this.coverage ? coverageReport(this.coverage, this.config) : undefined,
    };
  }

  private expectationReport(e: ExpectationState, i: number, complete: boolean, cx: Map<string, Counterexample>, states: number): ExpectationReport {
    const verdict = this.verdicts.verdict(e, complete);
    const base = { text: e.text, what: e.decl.what, line: e.decl.range.start.line, verdict };
    if (e.witness) {
      const what = e.decl.what;
      const key = what === 'panic' || what === 'no panic' ? 'panic' : what === 'deadlock' || what === 'no deadlock' ? 'deadlock' : what === 'no use-after-free' ? 'use-after-free' : `e${i}`;
      const c = cx.get(key);
      return { ...base, detail: c?.message ?? e.witness.detail, counterexample: c };
    }
    if (verdict === 'undecided') return { ...base, detail: 'not decided: the search stopped before exploring every interleaving' };
    if (e.existential) return { ...base, detail: `no interleaving ${e.decl.what === 'panic' ? 'panics' : 'deadlocks'} (${states} states)` };
    const ends = this.verdicts.endStates;
    return { ...base, detail: `holds on every interleaving (${states} states, ${ends} ${ends === 1 ? 'end state' : 'end states'})` };
  }
}

/** How a schedule ends when replayed from the start: its end kind and how many of its slices ran. */
function replayEnd(config: MachineConfig, pids: readonly number[]): { kind: string; length: number } | undefined {
  let m = initialMachine(config);
  for (let i = 0; i < pids.length; i++) {
    if (!enabled(m, pids[i])) return undefined;
    m = slice(m, pids[i]);
    const st = status(m);
    if (st !== 'running') return { kind: st, length: i + 1 };
  }
  return undefined;
}

/** Explores every interleaving of a compiled scenario, synchronously. */
export function explore(config: MachineConfig, scenario: Scenario, text: string, options: ExploreOptions = {}): ExploreReport {
  const x = new Explorer(config, scenario, text, options);
  x.run();
  return x.report();
}

export interface AsyncExploreOptions extends ExploreOptions {
  /** Aborting stops the search; the promise then resolves with the partial report. */
  signal?: AbortSignal;
  /** Called about every `progressEveryMs` (default 250) while it runs. */
  onProgress?: (p: ExploreProgress) => void;
  progressEveryMs?: number;
  /** How long one chunk may hold the event loop (default 50 ms). */
  chunkMs?: number;
}

/** The same, in chunks that yield to the event loop (for Ctrl-C, a language server, progress). */
export function exploreAsync(config: MachineConfig, scenario: Scenario, text: string, options: AsyncExploreOptions = {}): Promise<ExploreReport> {
  const x = new Explorer(config, scenario, text, options);
  const chunk = options.chunkMs ?? 50;
  const every = options.progressEveryMs ?? 250;
  let lastProgress = performance.now();
  if (options.signal?.aborted) x.cancel();
  options.signal?.addEventListener('abort', () => x.cancel(), { once: true });
  return new Promise((resolve, reject) => {
    const go = (): void => {
      try {
        const over = x.run(performance.now() + chunk);
        if (options.onProgress && performance.now() - lastProgress >= every) {
          lastProgress = performance.now();
          options.onProgress(x.progress());
        }
        if (over) resolve(x.report());
        else setImmediate(go);
      } catch (e) {
        reject(e);
      }
    };
    setImmediate(go);
  });
}
