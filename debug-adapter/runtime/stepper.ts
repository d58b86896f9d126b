// Moving through a debug run, with no knowledge of the Debug Adapter Protocol:
// the launch (a scenario, its schedule, its step limit), the recording of every
// step, the cursor into it, forward execution (one process, or the scheduler),
// backward execution over the recording, goto and restart. It owns the position
// and says why each move stopped (a `Stop`); the inspector (inspector.ts) reads
// the state where it stands.

import type { Machine, MachineConfig, Outcome } from '../../core/kernel/state';
import type { Scenario } from '../../core/scenario/ast';
import { loadScenario, type LoadedScenario } from '../../core/engine/scenarioRun';
import { deadlockOutcome, enabled, finished, status, waitingFor } from '../../core/engine/run/machine';
import { diff } from '../../core/engine/run/observe';
import { DEFAULT_MAX_STEPS } from '../../core/engine/run/run';
import { formatSchedule, Scheduler, type RunState } from '../../core/engine/run/schedulers';
import { expectationText } from '../../core/engine/expr/expectations';
import { variantOf } from '../../core/kernel/drivers';
import { forEachStmt } from '../../core/scenario/scope';
import { Breakpoints, type ExceptionDetail, type Hit, type LogSite, type StopReason } from './breakpoints';
import { Recording } from './recording';
import { WriteIndex } from './writeIndex';
import { schedulePlan, type LaunchPlan } from './launchSchedule';
import { recordedPaths } from './recordedPaths';
import { ownStatementAt, withinStatement } from './frames';
import { replayLine, type ReplayLine } from './replaySchedule';
import { writeRecording, type ExportedTrace, type TraceReplay } from './traceFiles';
import { summarize, type RunSummary } from './runSummary';
import { APPROXIMATE, faultId, faultOf, faultText } from './faults';
import { plural } from './format';

export interface LaunchOptions {
  program: string;
  text: string;
  schedule?: unknown;
  maxSteps?: unknown;
  /** Replay a trace file's schedule instead of `schedule`. */
  replay?: TraceReplay;
}

export type OutputCategory = 'console' | 'stdout' | 'stderr' | 'important';

export interface RuntimeEvents {
  output(text: string, category: OutputCategory, site?: LogSite): void;
}

export interface Stop {
  reason: StopReason;
  /** The process to show (the one that stepped, hit, panicked). */
  pid: number;
  description: string;
  breakpointIds?: number[];
  exception?: ExceptionDetail & { outcome?: Outcome };
}

/** The moves of one process: over calls, one line, out of the frame, until it blocks or finishes. */
export type ProcessStep = 'next' | 'stepIn' | 'stepOut' | 'runThread';

type Forward = { kind: 'continue' } | { kind: ProcessStep; pid: number };
type Backward = { kind: 'reverseContinue' } | { kind: 'stepBack'; pid: number };

/** The recording as the inspector may read it (never moving or cutting it). */
export type RecordedSteps = Pick<Recording, 'length' | 'pidAt' | 'stateAt' | 'startedSlice' | 'sliceCount' | 'slicePids'>;

/** Stop reasons beyond DAP's own, written to read well after the editor's "Paused on". */
const END: StopReason = 'end of the run';
const JUMP: StopReason = 'jump in the recording';

/** How long a run may hold the event loop before it lets requests (pause) in. */
const SLICE_MS = 25;

/** Lets other requests (pause) in once a run has held the event loop for SLICE_MS. */
class EventLoopTurns {
  private since = Date.now();

  async take(): Promise<void> {
    if (Date.now() - this.since <= SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.since = Date.now();
  }
}

export class Stepper {
  readonly names: string[];
  readonly bps: Breakpoints;
  /** The recorded values of this run (what data breakpoints and `why` can name). */
  readonly known: ReadonlySet<string>;
  readonly text: string;
  readonly scenario: Scenario;
  readonly config: MachineConfig;
  private readonly scheduling: Scheduler<LaunchPlan>;
  private readonly recorded: Recording;
  private readonly writeIndex = new WriteIndex();
  private cur: RunState;
  private prevCache: RunState | undefined;
  private pos = 0;
  private readonly maxSteps: number;
  private readonly statementLines: number[];
  private pauseRequested = false;
  private busy = false;
  private stopped: Stop | undefined;
  private replayCache: { at: number; length: number; line: ReplayLine } | undefined;
  /** The step at which a step by hand left the schedule, while it is in the recording. */
  private departedAt: number | undefined;

  private constructor(
    readonly program: string,
    private readonly loaded: LoadedScenario & { config: MachineConfig },
    scheduling: Scheduler<LaunchPlan>,
    maxSteps: number,
    private readonly maxStepsAsked: number | null,
    private readonly events: RuntimeEvents,
  ) {
    this.text = loaded.text;
    this.scenario = loaded.scenario;
    this.config = loaded.config;
    const { scenario, config } = loaded;
    this.names = config.processes.map((p) => p.name);
    this.scheduling = scheduling;
    const initial = scheduling.initial(config);
    this.recorded = new Recording(initial, (rs, pid) => scheduling.advance(rs, pid));
    this.cur = initial;
    this.maxSteps = maxSteps;
    this.known = recordedPaths(config);
    this.bps = new Breakpoints(scenario, this.names, (text, site) => events.output(text, 'console', site));
    const lines = new Set<number>();
    for (const p of scenario.processes) forEachStmt(p.body, (st) => {
      if (st.kind !== 'repeat') lines.add(st.range.start.line + 1);
    });
    // Lines of the scenario's own driver routines are breakpoint lines too (breakpoints.ts).
    for (const line of this.bps.ownDriverLines) lines.add(line);
    this.statementLines = [...lines].sort((a, b) => a - b);
  }

  /** Loads a scenario for debugging, or says (as `file:line:col: message` lines) why it cannot run. */
  static load(opts: LaunchOptions, events: RuntimeEvents): { ok: true; stepper: Stepper } | { ok: false; message: string } {
    const loaded = loadScenario(opts.text);
    if (!loaded.config) {
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
      const shown = errors.slice(0, 5).map((d) => `${opts.program}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`);
      const more = errors.length > shown.length ? `\n(and ${plural(errors.length - shown.length, 'more error')})` : '';
      return { ok: false, message: `the scenario has errors and cannot run:\n${shown.join('\n')}${more}` };
    }
    const config = loaded.config;
    const plan: LaunchPlan | { error: string } = opts.replay
      ? { entries: opts.replay.slices, policy: opts.replay.policy, label: opts.replay.label }
      : schedulePlan(opts.schedule, loaded.scenario, config);
    if ('error' in plan) return { ok: false, message: plan.error };
    let asked: number | null = null;
    if (opts.maxSteps !== undefined && opts.maxSteps !== null) {
      if (typeof opts.maxSteps !== 'number' || !Number.isInteger(opts.maxSteps) || opts.maxSteps < 1) {
        return { ok: false, message: 'launch: "maxSteps" must be a whole number of steps, at least 1' };
      }
      asked = opts.maxSteps;
    }
    const maxSteps = opts.replay?.maxSteps ?? asked ?? DEFAULT_MAX_STEPS;
    return { ok: true, stepper: new Stepper(opts.program, { ...loaded, config }, new Scheduler(plan), maxSteps, asked, events) };
  }

  get scheduleLabel(): string {
    return this.scheduling.plan.label;
  }

  /** Steps executed up to the cursor (the index of the next step). */
  get cursor(): number {
    return this.pos;
  }

  /** Steps recorded (the cursor may be behind, after stepping back). */
  get length(): number {
    return this.recorded.length;
  }

  /** The recorded steps, to read. */
  get recording(): RecordedSteps {
    return this.recorded;
  }

  /** Per recorded value, the steps that wrote it. */
  get writes(): Pick<WriteIndex, 'count' | 'writes'> {
    return this.writeIndex;
  }

  get machine(): Machine {
    return this.cur.m;
  }

  /** The state before the last step (the one before the cursor), if there is one. */
  get previous(): Machine | undefined {
    if (this.pos === 0) return undefined;
    this.prevCache ??= this.recorded.stateAt(this.pos - 1);
    return this.prevCache.m;
  }

  /** The last stop this stepper reported (undefined after a restart). */
  get lastStop(): Stop | undefined {
    return this.stopped;
  }

  get isBusy(): boolean {
    return this.busy;
  }

  /** The process names' valid scenario lines for breakpoints (1-based statement lines). */
  get scenarioBreakpointLines(): readonly number[] {
    return this.statementLines;
  }

  /** Whether the run at the cursor has ended: a fault, every process finished, or the step limit. */
  get atEnd(): boolean {
    const m = this.cur.m;
    if (m.outcome || status(m) !== 'running') return true;
    return this.pos === this.recorded.length && this.pos >= this.maxSteps;
  }

  private moveTo(n: number): void {
    this.pos = n;
    this.cur = this.recorded.stateAt(n);
    this.prevCache = undefined;
  }

  private depth(rs: RunState, pid: number): number {
    return rs.m.procs[pid].stack.length;
  }

  /** The process of the last step, the one a stop shows by default. */
  private focus(): number {
    return this.pos > 0 ? this.recorded.pidAt(this.pos - 1) : 0;
  }

  // ---- stepping primitives ----

  /** Why `pid` cannot take a step now, or undefined when it can. */
  refusal(pid: number): string | undefined {
    const m = this.cur.m;
    const name = this.names[pid];
    if (m.outcome) return `${name} cannot run: the kernel ${m.outcome.kind === 'deadlock' ? 'is deadlocked' : 'has panicked'} (${m.outcome.message}). Step back, reverse-continue or restart.`;
    if (m.procs[pid].done) return `${name} has finished: it has no statement left to run.`;
    if (!enabled(m, pid)) return `${name} is blocked: it waits for ${waitingFor(m, pid) ?? 'something it cannot get'}. Step another process, or continue.`;
    if (this.pos === this.recorded.length && this.pos >= this.maxSteps) return `the run has reached its step limit (maxSteps: ${this.maxSteps}).`;
    return undefined;
  }

  /** Runs one step of `pid` (which can run): follows the recording, or records a new step (forking when they differ). */
  private forward(pid: number): void {
    const before = this.cur;
    const starts = this.scheduling.startsSlice(before, pid);
    const after = this.scheduling.advance(before, pid);
    if (this.pos < this.recorded.length) {
      const recorded = this.recorded.pidAt(this.pos);
      if (recorded === pid) {
        this.pos++;
        this.cur = after;
        this.prevCache = before;
        return;
      }
      const dropped = this.recorded.length - this.pos;
      this.recorded.truncate(this.pos);
      this.writeIndex.truncate(this.pos);
      if (this.departedAt !== undefined && this.departedAt >= this.pos) this.departedAt = undefined;
      this.events.output(
        `${this.names[pid]} ran at step ${this.pos}, where the recorded run had ${this.names[recorded]} run. The run now takes another course: ` +
          `the ${plural(dropped, 'recorded step')} that came after this point ${dropped === 1 ? 'is' : 'are'} dropped, and what happens from here is recorded anew.`,
        'important',
      );
    }
    this.recorded.append(pid, starts, after);
    this.writeIndex.add(this.pos, diff(before.m, after.m));
    this.pos++;
    this.cur = after;
    this.prevCache = before;
  }

  // ---- stops ----

  private stop(reason: StopReason, pid: number, description: string, extra: Partial<Stop> = {}): Stop {
    const s: Stop = { reason, pid, description, ...extra };
    this.stopped = s;
    return s;
  }

  private hitStop(hit: Hit, pid: number): Stop {
    return this.stop(hit.reason, pid, hit.description, { breakpointIds: hit.ids, ...(hit.exception ? { exception: hit.exception } : {}) });
  }

  private pauseStop(): Stop {
    return this.stop('pause', this.focus(), `paused after ${plural(this.pos, 'step')}`);
  }

  /**
   * An exception stop on the process that panicked (used a freed periph, or is
   * stuck first in a deadlock): whatever led there, a fault is always reported on
   * its own thread, so that the editor focuses it and shows the exception there.
   */
  private faultStop(o: Outcome, description = faultText(o, this.names)): Stop {
    return this.stop('exception', o.pid, description, { exception: { id: faultId(o), description: o.message, fn: o.fn, outcome: o } });
  }

  /** Whether the exception filter for this fault is on (else the run just ends there). */
  private breaksOn(o: Outcome): boolean {
    return this.bps.filterOn(o.kind === 'deadlock' ? 'deadlock' : 'panic');
  }

  /** The stop for a machine that has reached a panic, a use after free or a deadlock (the run cannot go on). */
  private outcomeStop(o: Outcome): Stop {
    const description = faultText(o, this.names);
    if (!this.breaksOn(o)) {
      const filter = o.kind === 'deadlock' ? 'Deadlock' : 'Kernel panic';
      const why = o.kind === 'deadlock' ? 'no process can run' : 'nothing can run after a panic';
      this.events.output(`${description}\nThe run ends here (${why}); it does not break as an exception because the "${filter}" exception filter is off.`, 'important');
      this.reportEnd();
      return this.stop(END, o.pid, description);
    }
    const replay = this.replay();
    const approx = replay.verified === false ? ` (${APPROXIMATE})` : '';
    this.events.output(`${description}\nreplay: ${replay.line}${approx}`, 'stderr');
    this.reportEnd();
    return this.faultStop(o, description);
  }

  private deadlockStop(): Stop {
    return this.outcomeStop(deadlockOutcome(this.cur.m));
  }

  private endStop(): Stop {
    const m = this.cur.m;
    const lines = m.devs.map((d, i) => {
      const cfg = m.config.devices[i];
      return `  ${cfg.name}: ${d.freed ? 'periph freed' : `refcount ${d.refcount} (resting ${variantOf(cfg).resting})`}, open_count ${d.open_count}, si_usecount ${d.si_usecount}`;
    });
    const description = `the run finished after ${plural(this.pos, 'step')}: every process ran all its statements`;
    this.events.output(`${description}\n${lines.join('\n')}`, 'console');
    this.reportEnd();
    return this.stop(END, this.focus(), description);
  }

  private limitStop(): Stop {
    const description = `the run stopped at its step limit (maxSteps: ${this.maxSteps})`;
    this.events.output(`${description}.`, 'console');
    this.reportEnd();
    return this.stop(END, this.focus(), description);
  }

  /** At the end of a run: which expectations held, and whether the run left its schedule. */
  private reportEnd(): void {
    const sum = this.summary();
    const left = this.departure();
    const lines = [...sum.lines.slice(1), ...(left ? [left] : []), 'Step back or reverse-continue to look at the run again; Continue ends the session.'];
    this.events.output(`The expectations of the scenario on this run:\n${lines.join('\n')}`, sum.ok ? 'console' : 'important');
  }

  /** Why this run is not the one the schedule describes, when it left it before the cursor. */
  private departure(): string | undefined {
    if (this.departedAt === undefined || this.departedAt >= this.pos) return undefined;
    return `Note: this run left its schedule (${this.scheduleLabel}) at step ${this.departedAt}, where a process was stepped by hand, so it is not the run the schedule describes.`;
  }

  /** The stop when the machine at the cursor cannot go on, if it cannot. */
  private terminalStop(): Stop | undefined {
    const m = this.cur.m;
    const o = faultOf(m);
    if (o) return this.outcomeStop(o);
    if (status(m) === 'finished') return this.endStop();
    return undefined;
  }

  /** The result and the verdict of each expectation, on the run as it is at the cursor. */
  summary(): RunSummary {
    return summarize(this.scenario, this.text, this.cur.m, this.pos, this.pos >= this.maxSteps);
  }

  /** The schedule line that replays the run to the cursor. */
  replay(): ReplayLine {
    const c = this.replayCache;
    if (c && c.at === this.pos && c.length === this.recorded.length) return c.line;
    const line = replayLine(this.config, this.recorded.slicePids(this.pos), this.pos, faultOf(this.cur.m));
    this.replayCache = { at: this.pos, length: this.recorded.length, line };
    return line;
  }

  entryStop(): Stop {
    return this.stop('entry', 0, `stopped before the first step (schedule: ${this.scheduleLabel})`);
  }

  /**
   * Run Without Debugging: runs from the cursor to the end of the run with the
   * launch's scheduler, ignoring breakpoints and exception filters, recording
   * nothing. Undefined when paused (the session ended) before the end.
   */
  runToEnd(): Promise<{ summary: RunSummary; notes: string[] } | undefined> {
    return this.guarded(async () => {
      let rs = this.cur;
      let n = this.pos;
      const notes: string[] = [];
      let noted = -1;
      const turns = new EventLoopTurns();
      while (!rs.m.outcome && n < this.maxSteps) {
        if (this.pauseRequested) return undefined;
        const pid = this.scheduling.chooseStep(rs);
        if (pid === undefined) break;
        const waiting = this.scheduling.waitingStep(rs, pid);
        if (waiting && noted !== waiting.entry) {
          noted = waiting.entry;
          notes.push(waiting.note);
        }
        rs = this.scheduling.advance(rs, pid);
        n++;
        if ((n & 1023) === 0) await turns.take();
      }
      return { summary: summarize(this.scenario, this.text, rs.m, n, n >= this.maxSteps), notes };
    });
  }

  // ---- running forwards ----

  pause(): void {
    if (this.busy) this.pauseRequested = true;
  }

  private async guarded<T>(run: () => Promise<T>): Promise<T> {
    if (this.busy) throw new Error('the debugger is already running: pause first');
    this.busy = true;
    this.pauseRequested = false;
    try {
      return await run();
    } finally {
      this.busy = false;
      this.pauseRequested = false;
    }
  }

  private idle(): void {
    if (this.busy) throw new Error('the debugger is running: pause first');
  }

  continue(): Promise<Stop> {
    return this.guarded(() => this.runForward({ kind: 'continue' }));
  }

  /**
   * `next` (over calls), `stepIn` (one step), `stepOut` (until the frame returns)
   * and `runThread` (until a breakpoint, or the process blocks or finishes) for one
   * process; the others stay frozen.
   */
  stepProcess(kind: ProcessStep, pid: number): Promise<Stop> {
    return this.guarded(() => this.runForward({ kind, pid }));
  }

  private async runForward(mode: Forward): Promise<Stop> {
    const single = mode.kind !== 'continue';
    if (single) {
      const why = this.refusal(mode.pid);
      if (why) {
        this.events.output(why, 'console');
        const o = faultOf(this.cur.m);
        return o && this.breaksOn(o) ? this.faultStop(o, why) : this.stop('step', mode.pid, why);
      }
    }
    const startDepth = single ? this.depth(this.cur, mode.pid) : 0;
    const startStatement = mode.kind === 'next' ? ownStatementAt(this.cur.m, mode.pid) : undefined;
    let notedDeviation = -1;
    const turns = new EventLoopTurns();
    for (let n = 1; ; n++) {
      if (this.pauseRequested) return this.pauseStop();
      let pid: number;
      if (single) {
        pid = mode.pid;
        if (!enabled(this.cur.m, pid)) {
          return this.stop('step', pid, `${this.names[pid]} is blocked: it waits for ${waitingFor(this.cur.m, pid) ?? 'something it cannot get'}`);
        }
      } else {
        if (this.cur.m.outcome) return this.terminalStop()!;
        const chosen = this.scheduling.chooseStep(this.cur);
        if (chosen === undefined) return finished(this.cur.m) ? this.endStop() : this.deadlockStop();
        pid = chosen;
        const waiting = this.scheduling.waitingStep(this.cur, pid);
        if (waiting && notedDeviation !== waiting.entry) {
          notedDeviation = waiting.entry;
          this.events.output(`note: ${waiting.note}`, 'console');
        }
      }
      // What the scheduler would run here, to tell whether a step by hand leaves the schedule.
      const scheduled = single ? this.scheduling.chooseStep(this.cur) : undefined;
      // Line breakpoints stop before the line runs; the first step of a command
      // never stops on one (every process's next line was on show at the last stop).
      if (n > 1) {
        const at = this.bps.checkAt(this.cur.m, pid);
        if (at) return this.hitStop(at, pid);
      }
      if (this.pos === this.recorded.length && this.pos >= this.maxSteps) return this.limitStop();
      this.forward(pid);
      if (single) this.noteDeparture(pid, scheduled, this.pos - 1);
      const before = this.prevCache!;
      const after = this.cur;
      if (after.m.outcome) return this.outcomeStop(after.m.outcome);
      const hit = this.bps.checkStep({ before: before.m, after: after.m, pid });
      if (hit) return this.hitStop(hit, pid);
      if (!enabled(after.m, pid) && !after.m.procs[pid].done && status(after.m) === 'deadlock' && this.bps.filterOn('deadlock')) return this.deadlockStop();
      if (single && mode.kind === 'runThread') {
        if (after.m.procs[pid].done) return this.stop('step', pid, `${this.names[pid]} has finished (step ${this.pos})`);
      } else if (single) {
        const d = this.depth(after, pid);
        const done =
          mode.kind === 'stepIn' ||
          (mode.kind === 'next' && d <= startDepth && !withinStatement(startStatement, after.m, pid)) ||
          (mode.kind === 'stepOut' && (d < startDepth || (startDepth === 0 && d === 0))) ||
          after.m.procs[pid].done;
        if (done) return this.stop('step', pid, this.stepDescription(pid));
      }
      if ((n & 1023) === 0) await turns.take();
    }
  }

  private stepDescription(pid: number): string {
    const m = this.cur.m;
    const waits = enabled(m, pid) || m.procs[pid].done ? undefined : waitingFor(m, pid);
    return `after ${plural(this.pos, 'step')}${waits ? `: ${this.names[pid]} is now blocked, waiting for ${waits}` : ''}`;
  }

  /**
   * After step `at`, taken by hand by `pid` where the scheduler would have run
   * `scheduled`: the run has left its schedule. Said once, in plain words, since
   * the run may now end otherwise than the scenario expects.
   */
  private noteDeparture(pid: number, scheduled: number | undefined, at: number): void {
    if (this.departedAt !== undefined || scheduled === undefined || scheduled === pid) return;
    this.departedAt = at;
    const expects = this.scenario.expectations.map((e) => expectationText(e, this.text));
    this.events.output(
      `You ran ${this.names[pid]} by hand at step ${at}, where the schedule (${this.scheduleLabel}) runs ${this.names[scheduled]} next. ` +
        `From here on this is not the run the schedule describes, so it may end otherwise than the scenario expects${expects.length ? ` (${expects.join(', ')})` : ''}. ` +
        'To follow the schedule again, step back to before this step, or restart, and continue.',
      'console',
    );
  }

  // ---- running backwards ----

  reverseContinue(): Promise<Stop> {
    return this.guarded(() => this.runBackward({ kind: 'reverseContinue' }));
  }

  /** Back to before `pid`'s previous line at this depth or above (the reverse of `next`). */
  stepBack(pid: number): Promise<Stop> {
    return this.guarded(() => this.runBackward({ kind: 'stepBack', pid }));
  }

  private async runBackward(mode: Backward): Promise<Stop> {
    const d0 = mode.kind === 'stepBack' ? this.depth(this.cur, mode.pid) : 0;
    const judging = this.bps.mayFireBackwards;
    const turns = new EventLoopTurns();
    for (let x = this.pos - 1; x >= 0; x--) {
      if (this.pauseRequested) {
        this.moveTo(x + 1);
        return this.pauseStop();
      }
      if (mode.kind === 'stepBack') {
        if (this.recorded.pidAt(x) === mode.pid && this.depth(this.recorded.stateAt(x), mode.pid) <= d0) {
          this.moveTo(x);
          return this.stop('step', mode.pid, `stepped back to step ${x}`);
        }
      }
      if (judging) {
        // The same judgement as forwards: what the step into state x did, then the line about to run there.
        const at = this.recorded.stateAt(x);
        let hit: Hit | undefined;
        let pid = this.recorded.pidAt(x);
        if (x >= 1) {
          const before = this.recorded.stateAt(x - 1);
          hit = this.bps.checkStep({ before: before.m, after: at.m, pid: this.recorded.pidAt(x - 1) });
          if (hit) pid = this.recorded.pidAt(x - 1);
        }
        hit ??= this.bps.checkAt(at.m, pid);
        if (hit) {
          this.moveTo(x);
          return this.hitStop(hit, pid);
        }
      }
      if ((x & 1023) === 0) await turns.take();
    }
    this.moveTo(0);
    const who = mode.kind === 'stepBack' ? `${this.names[mode.pid]} has no earlier step: ` : '';
    return this.stop('entry', mode.kind === 'stepBack' ? mode.pid : 0, `${who}back at the start of the recording`);
  }

  /** Moves the cursor to step `n` (0..length): the state before step n runs. */
  gotoStep(n: number): Stop {
    this.idle();
    if (!Number.isInteger(n) || n < 0 || n > this.recorded.length) throw new Error(`step ${n} is outside the recording (0..${this.recorded.length})`);
    this.moveTo(n);
    const description = `jumped to step ${n} of the ${plural(this.recorded.length, 'recorded step')}`;
    // At a fault, the stop is the fault's, on its thread, whatever led there.
    const o = faultOf(this.cur.m);
    if (o && this.breaksOn(o)) return this.faultStop(o, `${description}: ${faultText(o, this.names)}`);
    return this.stop(JUMP, this.focus(), description);
  }

  /** Back to the start; the recording is kept (stepping forward the same way replays it). */
  restart(): void {
    this.idle();
    this.moveTo(0);
    this.bps.resetHits();
    this.stopped = undefined;
    this.departedAt = undefined;
  }

  /**
   * Writes the whole recording as a trace file (core/engine/trace/file.ts) to
   * `path`, a piece at a time; the recording is taken as it is now.
   */
  exportTrace(path: string, cancelled?: () => boolean): Promise<ExportedTrace> {
    const plan = this.scheduling.plan;
    const requested = plan.entries.length ? formatSchedule(plan.entries, this.names) : null;
    const r = { loaded: this.loaded, program: this.program, slices: this.recorded.slicePids(), length: this.recorded.length, policy: plan.policy, requested, maxSteps: this.maxStepsAsked };
    return writeRecording(r, path, cancelled);
  }
}
