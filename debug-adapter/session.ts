// The camsim Debug Adapter Protocol session: translates DAP requests into calls
// on the runtime (the stepper, debug-adapter/runtime/stepper.ts, moves through
// the run; the inspector, runtime/inspector.ts, reads it) and their answers into
// responses and events. It knows nothing of the kernel beyond what they return.
// The same class runs inline in the extension host and standalone over stdio
// (debug-adapter/main.ts).

import * as path from 'node:path';
import * as fs from 'node:fs';
import { DebugSession, ExitedEvent, Handles, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  CAPABILITY_TRACE, CustomRequests, MAX_TRACE_STEPS, MAX_WHY_LIMIT, TRACE_WINDOW, WHY_LIMIT,
  type CamsimLaunchArguments, type CustomRequestBody, type CustomRequestName, type ExportTraceResponse,
} from '../core/protocol';
import { Stepper, type OutputCategory, type ProcessStep, type Stop } from './runtime/stepper';
import { Inspector } from './runtime/inspector';
import type { RunSummary } from './runtime/runSummary';
import { EXCEPTION_FILTERS, type BreakpointResult, type LogSite } from './runtime/breakpoints';
import type { ScopeView, VarNode } from './runtime/views';
import type { FrameWhere } from './runtime/frames';
import { stepLines } from '../core/kernel/functions';
import { modelFileOf, modelFileOfPath, modelPath, modelSource, modelSourceFiles, sourceReferenceOf } from './sources';
import { ExportError, traceReplay, type TraceReplay } from './runtime/traceFiles';
import { consoleCommand } from './runtime/consoleCommands';
import { MAX_SCENARIO_BYTES, readTextFile } from '../core/files';
import {
  RequestError, argsOf, clamp, objectAt, optArray, optBoolean, optNumber, optObject, optString, reqArray, reqNumber, reqString, type Args,
} from './arguments';


type Container = { kind: 'scope'; scope: ScopeView } | { kind: 'node'; node: VarNode };

/** The run being debugged: the stepper moves through it, the inspector reads it where the stepper stands. */
interface Debuggee {
  stepper: Stepper;
  inspector: Inspector;
}

/** A setBreakpoints request once checked: lines are the client's. */
interface SourceBreakpoints {
  source: DebugProtocol.Source;
  breakpoints: { line: number; condition?: string; hitCondition?: string; logMessage?: string }[];
}

type FunctionBreakpointSpec = { name: string; condition?: string; hitCondition?: string };
type DataBreakpointSpec = { dataId: string; condition?: string; hitCondition?: string };

/** Frame ids carry the thread and the level: unique across threads, valid until the next stop. */
const FRAME_STRIDE = 4096;

/** How long launch waits for configurationDone from a client that never sends it. */
const CONFIGURATION_TIMEOUT_MS = 2000;

/** A custom request's handler: checks its arguments (untrusted) and answers through `respond`. */
type CustomHandler<K extends CustomRequestName> = (a: Args, respond: (body: CustomRequestBody<K>) => void) => void | Promise<void>;

export class CamsimSession extends DebugSession {
  private debuggee: Debuggee | undefined;
  private launchArgs: CamsimLaunchArguments | undefined;
  private handles = new Handles<Container>();
  private configured = false;
  /** Counts restarts: a run that was under way when one came reports no stop. */
  private epoch = 0;
  private configuredWaiters: (() => void)[] = [];
  /** Set once the session has said terminated. */
  private ended = false;
  /** The breakpoint requests as the client last sent them, to apply again to a reloaded scenario. */
  private readonly sourceBreakpoints = new Map<string, SourceBreakpoints>();
  private functionBreakpoints: FunctionBreakpointSpec[] = [];
  private dataBreakpoints: DataBreakpointSpec[] = [];
  private exceptionFilters: string[] | undefined;
  /** The file an export is writing, while it runs. */
  private exporting: string | undefined;

  constructor(debuggerLinesAndColumnsStartAt1?: boolean, isServer?: boolean) {
    super(debuggerLinesAndColumnsStartAt1, isServer);
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    // The base class shuts down on any 'error', including a message it cannot
    // parse. Only a broken stream ends the session; bad input is reported.
    this.removeAllListeners('error');
    this.on('error', (event: { body?: unknown }) => {
      const text = String(event?.body ?? 'error');
      if (/^(inStream|outStream) error/.test(text)) this.shutdown();
      else this.say(`camsim: ignored a malformed message (${text})`, 'stderr');
    });
  }

  // ---- plumbing ----

  /** Runs a handler; whatever it throws becomes an error response. The adapter keeps serving. */
  private handle(response: DebugProtocol.Response, body: () => void | Promise<void>): void {
    const fail = (err: unknown) => {
      const message = err instanceof RequestError ? err.message : `internal error in ${response.command}: ${err instanceof Error ? err.message : String(err)}`;
      this.sendErrorResponse(response, { id: 1, format: message, showUser: true });
    };
    try {
      const r = body();
      if (r) r.catch(fail);
    } catch (err) {
      fail(err);
    }
  }

  private current(): Debuggee {
    if (!this.debuggee) throw new RequestError('no scenario is being debugged: send a launch request first');
    return this.debuggee;
  }

  /** A request answered at once: `body` checks the arguments (throwing a RequestError that names what is wrong) and gives the answer. */
  private reply<R extends DebugProtocol.Response>(response: R, body: () => R['body']): void {
    this.handle(response, () => {
      response.body = body();
      this.sendResponse(response);
    });
  }

  private rt(): Stepper {
    return this.current().stepper;
  }

  private inspector(): Inspector {
    return this.current().inspector;
  }

  private idle(): Stepper {
    const rt = this.rt();
    if (rt.isBusy) throw new RequestError('the scenario is running: pause it first');
    return rt;
  }

  /** Whether `rt` is still the run being debugged (a relaunch or a reload replaces it). */
  private isCurrent(rt: Stepper): boolean {
    return this.debuggee?.stepper === rt;
  }

  private pidOf(threadId: unknown): number {
    const rt = this.rt();
    if (typeof threadId !== 'number' || !Number.isInteger(threadId) || threadId < 1 || threadId > rt.names.length) {
      throw new RequestError(`unknown thread ${JSON.stringify(threadId)}: the threads are 1..${rt.names.length} (${rt.names.join(', ')})`);
    }
    return threadId - 1;
  }

  private frameOf(frameId: unknown): { pid: number; level: number } {
    const rt = this.rt();
    if (typeof frameId !== 'number' || !Number.isInteger(frameId) || frameId < 1) throw new RequestError(`unknown frame ${JSON.stringify(frameId)}`);
    const pid = Math.floor((frameId - 1) / FRAME_STRIDE);
    const level = (frameId - 1) % FRAME_STRIDE;
    if (pid >= rt.names.length || level >= this.inspector().frames(pid).length) throw new RequestError(`unknown or expired frame ${frameId}`);
    return { pid, level };
  }

  private say(text: string, category: OutputCategory = 'console', site?: LogSite): void {
    const e = new OutputEvent(text.endsWith('\n') ? text : `${text}\n`, category) as DebugProtocol.OutputEvent;
    if (site && site.kind !== 'none') {
      e.body.source = site.kind === 'scenario' ? this.scenarioSource() : this.modelSourceRef(site.file);
      e.body.line = this.convertDebuggerLineToClient(site.line);
    }
    this.sendEvent(e);
  }

  private reportStop(s: Stop): void {
    this.handles.reset();
    const e = new StoppedEvent(s.reason, s.pid + 1) as DebugProtocol.StoppedEvent;
    e.body.description = s.description;
    e.body.allThreadsStopped = true;
    if (s.reason === 'exception') e.body.text = s.exception?.description ?? s.description;
    if (s.breakpointIds?.length) e.body.hitBreakpointIds = s.breakpointIds;
    this.sendEvent(e);
  }

  /**
   * Checks the request (`prepare` throws on bad arguments, before any response),
   * sends the response, then runs what it returned and reports where it stopped.
   */
  private execute(response: DebugProtocol.Response, prepare: (rt: Stepper) => () => Promise<Stop>): void {
    this.handle(response, () => {
      const rt = this.idle();
      const run = prepare(rt);
      this.sendResponse(response);
      return this.runAndReport(rt, response.command, run);
    });
  }

  /** Runs and reports where the run stopped (unless a restart came meanwhile). */
  private async runAndReport(rt: Stepper, what: string, run: () => Promise<Stop>): Promise<void> {
    const epoch = this.epoch;
    let stop: Stop;
    try {
      stop = await run();
    } catch (err) {
      // Answered already: say what went wrong, and stop where the run got to.
      this.say(`camsim: ${what} failed: ${err instanceof Error ? err.message : String(err)}`, 'stderr');
      stop = { reason: 'pause', pid: 0, description: `${what} failed` };
    }
    if (this.isCurrent(rt) && this.epoch === epoch) this.reportStop(stop);
  }

  /** next, stepIn, stepOut and stepBack: one thread moves, the others stay frozen. */
  private stepThread(response: DebugProtocol.Response, threadId: unknown, kind: ProcessStep | 'stepBack'): void {
    this.execute(response, (rt) => {
      const pid = this.pidOf(threadId);
      return () => (kind === 'stepBack' ? rt.stepBack(pid) : rt.stepProcess(kind, pid));
    });
  }

  /** The run is over and the session ends: its result and verdicts, the exit code `camsim run` gives, terminated. */
  private endSession(summary: RunSummary, category: OutputCategory): void {
    if (this.ended) return;
    this.ended = true;
    this.say(summary.lines.join('\n'), category);
    this.sendEvent(new ExitedEvent(summary.exitCode));
    this.sendEvent(new TerminatedEvent());
  }

  private scenarioSource(): DebugProtocol.Source {
    const program = this.rt().program;
    return { name: path.basename(program), path: this.convertDebuggerPathToClient(program) };
  }

  private modelSourceRef(file: string): DebugProtocol.Source {
    return { name: file, path: modelPath(file), sourceReference: sourceReferenceOf(file), origin: 'camsim kernel model (read-only)', presentationHint: 'normal' };
  }

  /** Whether a client's path names the scenario being debugged (by real path: a symlinked folder is the same file). */
  private isScenario(clientPath: string): boolean {
    const program = this.rt().program;
    const p = path.resolve(this.convertClientPathToDebugger(clientPath));
    return p === program || realPath(p) === realPath(program);
  }

  private whereToSource(w: FrameWhere): { source?: DebugProtocol.Source; line: number } {
    if (w.kind === 'model') return { source: this.modelSourceRef(w.file), line: w.line };
    if (w.kind === 'scenario') return { source: this.scenarioSource(), line: w.line };
    return { line: 0 };
  }

  // ---- initialize, launch, configuration ----

  protected initializeRequest(response: DebugProtocol.InitializeResponse): void {
    const caps: DebugProtocol.Capabilities & Record<string, unknown> = {
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsDataBreakpoints: true,
      supportsBreakpointLocationsRequest: true,
      supportsEvaluateForHovers: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.'],
      supportsExceptionInfoRequest: true,
      supportsLoadedSourcesRequest: true,
      supportsSingleThreadExecutionRequests: true,
      supportsSetVariable: false,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ filter: f.filter, label: f.label, description: f.description, default: f.default })),
      [CAPABILITY_TRACE]: true,
    };
    response.body = caps;
    this.sendResponse(response);
  }

  protected configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured = true;
    for (const w of this.configuredWaiters.splice(0)) w();
    this.sendResponse(response);
  }

  private waitConfigured(): Promise<void> {
    if (this.configured) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, CONFIGURATION_TIMEOUT_MS);
      this.configuredWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Reads and checks the launch arguments and the scenario; throws a RequestError saying what is wrong. */
  private load(raw: unknown): Debuggee {
    const args = argsOf('launch', raw) as Partial<CamsimLaunchArguments> & Args;
    if (typeof args.program !== 'string' || args.program.trim() === '') throw new RequestError('launch: "program" must be the path of a .camsim scenario');
    if (args.stopOnEntry !== undefined && typeof args.stopOnEntry !== 'boolean') throw new RequestError('launch: "stopOnEntry" must be true or false');
    optBoolean('launch', args, 'noDebug');
    if (args.trace !== undefined && (typeof args.trace !== 'string' || args.trace.trim() === '')) throw new RequestError('launch: "trace" must be the path of a trace file');
    const program = path.resolve(this.convertClientPathToDebugger(args.program));
    const read = readTextFile(program, MAX_SCENARIO_BYTES);
    if (!read.ok) throw new RequestError(`launch: cannot read ${program}: ${read.message}`);
    const text = read.text;
    let replay: TraceReplay | undefined;
    if (typeof args.trace === 'string') {
      const r = traceReplay(path.resolve(this.convertClientPathToDebugger(args.trace)), text);
      if ('error' in r) throw new RequestError(r.error);
      replay = r;
    }
    const loaded = Stepper.load({ program, text, schedule: args.schedule, maxSteps: args.maxSteps, replay }, { output: (t, c, site) => this.say(t, c, site) });
    if (!loaded.ok) throw new RequestError(loaded.message);
    return { stepper: loaded.stepper, inspector: new Inspector(loaded.stepper) };
  }

  /** After launch or restart: stop on entry, or hand control to the scheduler. */
  private async begin(rt: Stepper, stopOnEntry: boolean): Promise<void> {
    this.say(`camsim: ${path.basename(rt.program)}: ${rt.names.length} threads (${rt.names.join(', ')}), schedule: ${rt.scheduleLabel}`);
    if (this.launchArgs?.noDebug === true) await this.runWithoutDebugging(rt);
    else if (stopOnEntry) this.reportStop(rt.entryStop());
    else await this.runAndReport(rt, 'the run', () => rt.continue());
  }

  /** Run Without Debugging: to the end, no breakpoint or exception filter stops it; then the result and terminated. */
  private async runWithoutDebugging(rt: Stepper): Promise<void> {
    const epoch = this.epoch;
    let done: Awaited<ReturnType<Stepper['runToEnd']>>;
    try {
      done = await rt.runToEnd();
    } catch (err) {
      this.say(`camsim: the run failed: ${err instanceof Error ? err.message : String(err)}`, 'stderr');
      if (!this.ended) {
        this.ended = true;
        this.sendEvent(new TerminatedEvent());
      }
      return;
    }
    // Undefined: the session was ended (or restarted) while it ran.
    if (!done || !this.isCurrent(rt) || this.epoch !== epoch) return;
    for (const note of done.notes) this.say(`note: ${note}`, 'stdout');
    this.endSession(done.summary, 'stdout');
  }

  protected launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): void {
    this.handle(response, async () => {
      if (this.debuggee) throw new RequestError('launch: this session is already debugging a scenario');
      const run = this.load(args);
      this.debuggee = run;
      this.launchArgs = args as CamsimLaunchArguments;
      this.sendEvent(new InitializedEvent());
      await this.waitConfigured();
      this.sendResponse(response);
      await this.begin(run.stepper, this.launchArgs.stopOnEntry === true);
    });
  }

  protected restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    this.handle(response, async () => {
      const old = this.rt();
      const given = optObject('restart', argsOf('restart', args), 'arguments', 'the launch configuration (an object)') ?? {};
      const launch = { ...this.launchArgs, ...given } as CamsimLaunchArguments;
      const fresh = this.load(launch);
      this.epoch++;
      old.pause();
      while (old.isBusy) await new Promise((r) => setTimeout(r, 5));
      let rt = old;
      const same =
        fresh.stepper.text === old.text && launch.trace === this.launchArgs?.trace &&
        JSON.stringify(launch.schedule) === JSON.stringify(this.launchArgs?.schedule) && launch.maxSteps === this.launchArgs?.maxSteps;
      if (same) {
        old.restart();
      } else {
        rt = fresh.stepper;
        this.debuggee = fresh;
        this.reapplyBreakpoints(rt);
      }
      this.launchArgs = launch;
      this.ended = false;
      this.sendResponse(response);
      await this.begin(rt, launch.stopOnEntry === true);
    });
  }

  protected terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.debuggee?.stepper.pause();
    this.sendResponse(response);
    if (!this.ended) {
      this.ended = true;
      this.sendEvent(new TerminatedEvent());
    }
  }

  protected disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments, request?: DebugProtocol.Request): void {
    this.debuggee?.stepper.pause();
    super.disconnectRequest(response, args, request);
  }

  // ---- breakpoints ----

  private reapplyBreakpoints(rt: Stepper): void {
    for (const args of this.sourceBreakpoints.values()) this.applySourceBreakpoints(rt, args);
    rt.bps.setFunctionBreakpoints(this.functionBreakpoints);
    rt.bps.setDataBreakpoints(this.dataBreakpoints, (p) => rt.known.has(p));
    if (this.exceptionFilters) rt.bps.setExceptionFilters(this.exceptionFilters);
  }

  /** A DAP source as a request gives it, checked field by field. */
  private sourceArg(command: string, v: unknown): DebugProtocol.Source {
    const s = objectAt(command, 'source', v, 'an object naming a file ("path") or a source reference');
    const name = optString(command, s, 'name', 'source.name');
    const p = optString(command, s, 'path', 'source.path');
    const ref = optNumber(command, s, 'sourceReference', { integer: true, where: 'source.sourceReference' });
    return { ...(name !== undefined ? { name } : {}), ...(p !== undefined ? { path: p } : {}), ...(ref !== undefined ? { sourceReference: ref } : {}) };
  }

  /**
   * Which file a DAP source names: the scenario being debugged (by its path), one
   * of the adapter's model sources (by its source reference or its `<camsim-model>`
   * path), or neither. A file of a real source tree (/usr/src/sys/fs/devfs/devfs_vnops.c)
   * is not the model of it, whatever its name.
   */
  private classify(source: DebugProtocol.Source): { kind: 'scenario' } | { kind: 'model'; file: string } | { kind: 'other'; message: string } {
    const rt = this.rt();
    if (typeof source.sourceReference === 'number' && source.sourceReference > 0) {
      const file = modelFileOf(source.sourceReference);
      if (file) return { kind: 'model', file };
    }
    const scenario = path.basename(rt.program);
    if (typeof source.path === 'string' && source.path) {
      const own = modelFileOfPath(source.path);
      if (own) return { kind: 'model', file: own };
      if (this.isScenario(source.path)) return { kind: 'scenario' };
      const base = path.basename(source.path);
      if (base.endsWith('.camsim')) return { kind: 'other', message: `${source.path} is not the scenario being debugged (${rt.program})` };
      if (modelSource(base) !== undefined) {
        return {
          kind: 'other',
          message:
            `${source.path} is a file on disk, not camsim's model of ${base}: camsim only maps breakpoints in its own kernel model sources ` +
            `(open ${base} from the Call Stack while debugging) and in the scenario being debugged (${scenario})`,
        };
      }
    }
    return { kind: 'other', message: `${source.path ?? source.name ?? 'this file'} is neither the scenario being debugged (${scenario}) nor one of camsim's kernel model sources` };
  }

  private applySourceBreakpoints(rt: Stepper, args: SourceBreakpoints): DebugProtocol.Breakpoint[] {
    const specs = args.breakpoints.map((b) => ({
      line: this.convertClientLineToDebugger(b.line),
      condition: b.condition,
      hitCondition: b.hitCondition,
      logMessage: b.logMessage,
    }));
    const target = this.classify(args.source);
    if (target.kind === 'other') return specs.map(() => ({ verified: false, message: target.message }));
    const results = target.kind === 'scenario' ? rt.bps.setScenarioBreakpoints(specs, rt.scenarioBreakpointLines) : rt.bps.setModelBreakpoints(target.file, specs);
    const source = target.kind === 'scenario' ? this.scenarioSource() : this.modelSourceRef(target.file);
    return results.map((r) => ({
      id: r.id,
      verified: r.verified,
      ...(r.line !== undefined ? { line: this.convertDebuggerLineToClient(r.line) } : {}),
      ...(r.message ? { message: r.message } : {}),
      source,
    }));
  }

  protected setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, raw: DebugProtocol.SetBreakpointsArguments): void {
    this.reply(response, () => {
      const rt = this.rt();
      const c = 'setBreakpoints';
      const args = argsOf(c, raw);
      if (args.source === undefined) throw new RequestError(`${c}: "source" is missing: it names the file of the breakpoints`);
      const source = this.sourceArg(c, args.source);
      const breakpoints = optArray(c, args, 'breakpoints', (v, where) => {
        const b = objectAt(c, where, v, 'a breakpoint (an object with a "line")');
        return {
          line: reqNumber(c, b, 'line', { integer: true, where: `${where}.line` }),
          ...conditionsOf(c, b, where),
          logMessage: optString(c, b, 'logMessage', `${where}.logMessage`),
        };
      });
      const lines = optArray(c, args, 'lines', (v, where) => ({ line: reqNumber(c, { line: v }, 'line', { integer: true, where }) }));
      const spec: SourceBreakpoints = { source, breakpoints: breakpoints ?? lines ?? [] };
      const key = source.path ?? `ref:${source.sourceReference ?? source.name}`;
      const body = { breakpoints: this.applySourceBreakpoints(rt, spec) };
      this.sourceBreakpoints.set(key, spec);
      return body;
    });
  }

  protected breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, raw: DebugProtocol.BreakpointLocationsArguments): void {
    this.reply(response, () => {
      const rt = this.rt();
      const c = 'breakpointLocations';
      const args = argsOf(c, raw);
      if (args.source === undefined) throw new RequestError(`${c}: "source" is missing`);
      const target = this.classify(this.sourceArg(c, args.source));
      const from = this.convertClientLineToDebugger(reqNumber(c, args, 'line', { integer: true }));
      const endLine = optNumber(c, args, 'endLine', { integer: true });
      optNumber(c, args, 'column');
      optNumber(c, args, 'endColumn');
      const to = endLine !== undefined ? this.convertClientLineToDebugger(endLine) : from;
      const lines = target.kind === 'scenario' ? rt.scenarioBreakpointLines : target.kind === 'model' ? stepLines(target.file) : [];
      return { breakpoints: lines.filter((l) => l >= from && l <= to).map((l) => ({ line: this.convertDebuggerLineToClient(l) })) };
    });
  }

  protected setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, raw: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.setBreakpointList(
      response, raw, 'setFunctionBreakpoints', 'a function breakpoint (an object with a "name")',
      (c, b, where) => ({ name: reqString(c, b, 'name', 'the name of a kernel function', `${where}.name`) }),
      (rt, breakpoints) => {
        this.functionBreakpoints = breakpoints;
        return rt.bps.setFunctionBreakpoints(breakpoints);
      },
    );
  }

  /**
   * setFunctionBreakpoints and setDataBreakpoints: every entry checked (`entry`
   * reads what names its target, then its conditions), the list remembered for a
   * reloaded scenario (in `set`), each breakpoint as the runtime judged it.
   */
  private setBreakpointList<T extends object>(
    response: DebugProtocol.Response, raw: unknown, c: string, expected: string,
    entry: (c: string, b: Args, where: string) => T,
    set: (rt: Stepper, breakpoints: (T & { condition?: string; hitCondition?: string })[]) => BreakpointResult[],
  ): void {
    this.reply(response, () => {
      const rt = this.rt();
      const breakpoints = reqArray(c, argsOf(c, raw), 'breakpoints', (v, where) => {
        const b = objectAt(c, where, v, expected);
        return { ...entry(c, b, where), ...conditionsOf(c, b, where) };
      });
      return { breakpoints: set(rt, breakpoints).map(toBreakpoint) };
    });
  }

  protected setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, raw: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.reply(response, () => {
      const rt = this.rt();
      const c = 'setExceptionBreakpoints';
      const args = argsOf(c, raw);
      const filters = reqArray(c, args, 'filters', (v, where) => reqString(c, { v }, 'v', 'a filter id (a string)', where), 'an array of filter ids');
      const options = optArray(c, args, 'filterOptions', (v, where) => {
        const o = objectAt(c, where, v, 'an object with a "filterId"');
        optString(c, o, 'condition', `${where}.condition`);
        return reqString(c, o, 'filterId', 'a filter id (a string)', `${where}.filterId`);
      }) ?? [];
      optArray(c, args, 'exceptionOptions', (v, where) => objectAt(c, where, v));
      const all = [...filters, ...options];
      this.exceptionFilters = all;
      return { breakpoints: rt.bps.setExceptionFilters(all) };
    });
  }

  protected dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, raw: DebugProtocol.DataBreakpointInfoArguments): void {
    this.reply(response, () => {
      const view = this.inspector();
      const c = 'dataBreakpointInfo';
      const args = argsOf(c, raw);
      const name = reqString(c, args, 'name', 'the name of a variable or an expression (a string)');
      const ref = optNumber(c, args, 'variablesReference', { integer: true });
      const frameId = optNumber(c, args, 'frameId', { integer: true });
      let dataPath: string | undefined;
      let why = `${name} is not a value steps write`;
      if (ref !== undefined && ref > 0) {
        const cont = this.handles.get(ref);
        if (!cont) throw new RequestError(`${c}: unknown or expired variablesReference ${ref}`);
        const v = childrenOf(cont).find((x) => x.name === name);
        dataPath = v?.dataPath;
        if (v && !dataPath && v.evaluateName) why = `${v.evaluateName} is not recorded as written (it is computed, or never changes)`;
      } else {
        const pid = frameId !== undefined ? this.frameOf(frameId).pid : undefined;
        const r = view.pathOf(name, pid);
        if (r.ok) dataPath = r.path;
        else why = r.message;
      }
      return dataPath
        ? { dataId: dataPath, description: `${dataPath}: stop when a step writes it`, accessTypes: ['write' as const], canPersist: true }
        : { dataId: null, description: why };
    });
  }

  protected setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, raw: DebugProtocol.SetDataBreakpointsArguments): void {
    this.setBreakpointList(
      response, raw, 'setDataBreakpoints', 'a data breakpoint (an object with a "dataId")',
      (c, b, where) => {
        const accessType = optString(c, b, 'accessType', `${where}.accessType`);
        if (accessType !== undefined && accessType !== 'write') throw new RequestError(`${c}: only "write" access is recorded (not "${accessType}")`);
        return { dataId: reqString(c, b, 'dataId', 'the id dataBreakpointInfo gave (a string)', `${where}.dataId`) };
      },
      (rt, breakpoints) => {
        this.dataBreakpoints = breakpoints;
        return rt.bps.setDataBreakpoints(breakpoints, (p) => rt.known.has(p));
      },
    );
  }

  // ---- execution ----

  protected continueRequest(response: DebugProtocol.ContinueResponse, raw: DebugProtocol.ContinueArguments): void {
    this.handle(response, () => {
      const rt = this.idle();
      const args = argsOf('continue', raw);
      // singleThread: only that process runs (until a breakpoint, or it blocks or finishes).
      const single = optBoolean('continue', args, 'singleThread') === true;
      response.body = { allThreadsContinued: !single };
      if (!single && rt.atEnd) {
        // Nothing can run after the end: continuing from there ends the session.
        this.sendResponse(response);
        const summary = rt.summary();
        this.endSession(summary, summary.ok ? 'console' : 'important');
        return;
      }
      const pid = single ? this.pidOf(args.threadId) : undefined;
      this.sendResponse(response);
      return this.runAndReport(rt, response.command, pid === undefined ? () => rt.continue() : () => rt.stepProcess('runThread', pid));
    });
  }

  protected nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.stepThread(response, args?.threadId, 'next');
  }

  protected stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.stepThread(response, args?.threadId, 'stepIn');
  }

  protected stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.stepThread(response, args?.threadId, 'stepOut');
  }

  protected stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.stepThread(response, args?.threadId, 'stepBack');
  }

  protected reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.execute(response, (rt) => () => rt.reverseContinue());
  }

  protected pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.handle(response, () => {
      this.rt().pause();
      this.sendResponse(response);
    });
  }

  // ---- threads, stacks, variables ----

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    this.reply(response, () => {

      return { threads: this.inspector().threads().map((t) => ({ id: t.pid + 1, name: t.name })) };
    });
  }

  protected stackTraceRequest(response: DebugProtocol.StackTraceResponse, raw: DebugProtocol.StackTraceArguments): void {
    this.reply(response, () => {
      const args = argsOf('stackTrace', raw);
      const pid = this.pidOf(args.threadId);
      const frames = this.inspector().frames(pid);
      const start = clamp(optNumber('stackTrace', args, 'startFrame') ?? 0, 0, frames.length);
      const levels = optNumber('stackTrace', args, 'levels') ?? 0;
      const count = levels > 0 ? clamp(levels, 1, frames.length) : frames.length;
      const stackFrames = frames.slice(start, start + count).map((f): DebugProtocol.StackFrame => {
        const { source, line } = this.whereToSource(f.where);
        return {
          id: pid * FRAME_STRIDE + f.level + 1,
          name: f.name,
          ...(source ? { source } : {}),
          line: line ? this.convertDebuggerLineToClient(line) : 0,
          column: this.convertDebuggerColumnToClient(1),
          ...(f.where.kind === 'scenario' ? { presentationHint: 'subtle' as const } : {}),
        };
      });
      return { stackFrames, totalFrames: frames.length };
    });
  }

  protected scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.reply(response, () => {
      const { pid, level } = this.frameOf(args?.frameId);
      const scopes = this.inspector().scopes(pid, level);
      return {
        scopes: scopes.map((s) => ({
          name: s.name,
          variablesReference: this.handles.create({ kind: 'scope', scope: s }),
          expensive: false,
          ...(s.hint ? { presentationHint: s.hint } : {}),
        })),
      };
    });
  }

  private toVariable(v: VarNode): DebugProtocol.Variable {
    const out: DebugProtocol.Variable = {
      name: v.name,
      value: v.value,
      variablesReference: v.children ? this.handles.create({ kind: 'node', node: v }) : 0,
    };
    if (v.type) out.type = v.type;
    if (v.evaluateName) out.evaluateName = v.evaluateName;
    // Changed by the last step: VS Code shows the type (with the old value) on hover and
    // flashes the value; the attribute lets other clients mark it. Never in the value
    // itself, so that comparing values across stops compares numbers.
    out.presentationHint = { kind: v.children ? 'data' : 'property', attributes: v.changed ? ['readOnly', 'changed'] : ['readOnly'] };
    return out;
  }

  protected variablesRequest(response: DebugProtocol.VariablesResponse, raw: DebugProtocol.VariablesArguments): void {
    this.reply(response, () => {
      this.rt();
      const args = argsOf('variables', raw);
      const ref = reqNumber('variables', args, 'variablesReference', { integer: true });
      const c = this.handles.get(ref);
      if (!c) throw new RequestError(`variables: unknown or expired variablesReference ${ref}`);
      optString('variables', args, 'filter');
      const start = optNumber('variables', args, 'start');
      const count = optNumber('variables', args, 'count');
      let children = childrenOf(c);
      if (start !== undefined && start > 0) children = children.slice(clamp(start, 0, children.length));
      if (count !== undefined && count > 0) children = children.slice(0, clamp(count, 0, children.length));
      return { variables: children.map((v) => this.toVariable(v)) };
    });
  }

  protected setVariableRequest(response: DebugProtocol.SetVariableResponse): void {
    this.handle(response, () => {
      throw new RequestError('the recorded run is read-only: values cannot be set (change the scenario or the schedule instead)');
    });
  }

  // ---- sources ----

  protected sourceRequest(response: DebugProtocol.SourceResponse, raw: DebugProtocol.SourceArguments): void {
    this.handle(response, () => {
      const args = argsOf('source', raw);
      const source = args.source === undefined ? undefined : this.sourceArg('source', args.source);
      const ref = source?.sourceReference ?? optNumber('source', args, 'sourceReference', { integer: true });
      const file = (typeof ref === 'number' ? modelFileOf(ref) : undefined) ?? (source?.path ? modelFileOfPath(source.path) : undefined);
      if (file) {
        response.body = { content: modelSource(file)!, mimeType: 'text/x-c' };
      } else if (this.debuggee && source?.path && this.isScenario(source.path)) {
        response.body = { content: this.debuggee.stepper.text };
      } else {
        throw new RequestError(`source: unknown source reference ${JSON.stringify(ref)} (the kernel model sources are 1..${modelSourceFiles().length})`);
      }
      this.sendResponse(response);
    });
  }

  protected loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    this.reply(response, () => {

      return { sources: modelSourceFiles().map((f) => this.modelSourceRef(f)) };
    });
  }

  // ---- evaluate, completions, exceptions ----

  protected evaluateRequest(response: DebugProtocol.EvaluateResponse, raw: DebugProtocol.EvaluateArguments): void {
    this.handle(response, () => {
      const view = this.inspector();
      const args = argsOf('evaluate', raw);
      const expression = reqString('evaluate', args, 'expression');
      const frameId = optNumber('evaluate', args, 'frameId', { integer: true });
      const context = optString('evaluate', args, 'context');
      const pid = frameId !== undefined ? this.frameOf(frameId).pid : undefined;
      const text = expression.trim();
      const command = context === 'repl' ? consoleCommand(view, text, pid) : undefined;
      // In the debug console a mistake is answered as the result (with its "did you mean"):
      // an error response would also pop up a notification. Hovers and watches get errors.
      const answer = (result: string) => {
        response.body = { result, variablesReference: 0 };
        this.sendResponse(response);
      };
      if (command) {
        return answer(command.ok ? command.text : command.message);
      }
      const r = view.evaluate(text, pid, context === 'hover');
      if (!r.ok && context === 'repl') return answer(r.message);
      if (!r.ok) throw new RequestError(r.message);
      response.body = { result: r.value, variablesReference: 0, ...(r.type ? { type: r.type } : {}) };
      this.sendResponse(response);
    });
  }

  protected completionsRequest(response: DebugProtocol.CompletionsResponse, raw: DebugProtocol.CompletionsArguments): void {
    this.reply(response, () => {
      const view = this.inspector();
      const c = 'completions';
      const args = argsOf(c, raw);
      if (typeof args.text !== 'string' || typeof args.column !== 'number') throw new RequestError('completions: "text" and "column" are required');
      const text = reqString(c, args, 'text');
      const column = reqNumber(c, args, 'column', { integer: true });
      optNumber(c, args, 'line', { integer: true });
      const frameId = optNumber(c, args, 'frameId', { integer: true });
      const pid = frameId !== undefined ? this.frameOf(frameId).pid : undefined;
      const offset = clamp(this.convertClientColumnToDebugger(column) - 1, 0, text.length);
      const items = view.completions(text, offset, pid);
      const kind: Record<string, DebugProtocol.CompletionItemType> = {
        device: 'module', process: 'class', descriptor: 'variable', lock: 'reference', field: 'field', constant: 'value', none: 'keyword', command: 'keyword',
      };
      return {
        targets: items.map((c) => ({ label: c.label, start: this.convertDebuggerColumnToClient(c.start + 1), length: c.length, detail: c.detail, type: kind[c.kind] })),
      };
    });
  }

  protected exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    this.reply(response, () => {
      const view = this.inspector();
      this.pidOf(args?.threadId);
      const e = view.exceptionInfo();
      if (!e) throw new RequestError('exceptionInfo: the debugger is not stopped on an exception');
      return {
        exceptionId: e.id,
        description: e.description,
        breakMode: e.breakMode,
        details: { message: e.details, typeName: e.id, stackTrace: e.details, ...(e.replay ? { evaluateName: e.replay.line } : {}) },
      };
    });
  }

  // ---- custom requests (the timeline, "why", trace export) ----

  protected customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.handle(response, () => {
      const a = argsOf(command, args);
      if (!this.isCustomRequest(command)) throw new RequestError(`unrecognized request '${String(command)}'`);
      const respond = (body: CustomRequestBody<typeof command>) => {
        response.body = body;
        this.sendResponse(response);
      };
      // The table's type ties each handler to its name; through a union of names TypeScript cannot see it.
      return (this.customHandlers[command] as CustomHandler<typeof command>)(a, respond);
    });
  }

  /** Own names of the table only: `toString` is not a request. */
  private isCustomRequest(command: string): command is CustomRequestName {
    return Object.hasOwn(this.customHandlers, command);
  }

  /** One handler per custom request; each checks its arguments and answers through `respond`. */
  private readonly customHandlers: { [K in CustomRequestName]: CustomHandler<K> } = {
    'camsim/trace': (a, respond) => {
      const command = CustomRequests.trace;
      const rt = this.rt();
      const total = rt.length;
      // Clamped to the recording: a far "from" answers at once with no steps.
      const askedCount = optNumber(command, a, 'count');
      const askedFrom = optNumber(command, a, 'from');
      const count = askedCount === undefined ? TRACE_WINDOW : clamp(askedCount, 0, MAX_TRACE_STEPS);
      const from = askedFrom === undefined ? Math.max(0, Math.min(total - count, rt.cursor - Math.floor(count / 2))) : clamp(askedFrom, 0, total);
      respond({ steps: this.inspector().trace(from, count), cursor: rt.cursor, total, from });
    },
    'camsim/gotoStep': (a, respond) => {
      const command = CustomRequests.gotoStep;
      const rt = this.idle();
      if (typeof a.step !== 'number' || !Number.isInteger(a.step)) throw new RequestError(`${command}: "step" must be a whole number (0..${rt.length})`);
      let stop: Stop;
      try {
        stop = rt.gotoStep(a.step);
      } catch (e) {
        throw new RequestError(`${command}: ${(e as Error).message}`);
      }
      respond({ cursor: rt.cursor });
      this.reportStop(stop);
    },
    'camsim/why': (a, respond) => {
      const command = CustomRequests.why;
      const rt = this.rt();
      if (typeof a.expression !== 'string') throw new RequestError(`${command}: "expression" must name a value, e.g. pass0.refcount`);
      const pid = a.threadId !== undefined ? this.pidOf(a.threadId) : undefined;
      const view = this.inspector();
      const p = view.pathOf(a.expression, pid);
      if (!p.ok) throw new RequestError(`${command}: ${p.message}`);
      const limit = clamp(optNumber(command, a, 'limit') ?? WHY_LIMIT, 1, MAX_WHY_LIMIT);
      const { total, writes } = view.why(p.path, limit);
      respond({ expression: a.expression, path: p.path, cursor: rt.cursor, total, writes });
    },
    'camsim/exportTrace': (a, respond) => this.exportTrace(CustomRequests.exportTrace, a, respond),
  };

  /**
   * Writes the recording to the file the client names, a piece at a time (other
   * requests are answered meanwhile); answers once the file is complete.
   */
  private async exportTrace(command: string, a: Args, respond: (body: ExportTraceResponse) => void): Promise<void> {
    const rt = this.idle();
    const target = reqString(command, a, 'path', 'the absolute path of the file to write');
    if (!path.isAbsolute(target)) throw new RequestError(`${command}: "path" must be an absolute path, not ${JSON.stringify(target)}`);
    if (this.exporting) throw new RequestError(`${command}: a trace file is being written already (${this.exporting}); wait for it to finish`);
    this.exporting = target;
    try {
      const done = await rt.exportTrace(target, () => this.ended || !this.isCurrent(rt));
      respond({ path: target, ...done });
    } catch (e) {
      if (e instanceof ExportError) throw new RequestError(`${command}: ${e.message}`);
      throw e;
    } finally {
      this.exporting = undefined;
    }
  }
}

/** The variables a scope or a variable holds. */
function childrenOf(c: Container): VarNode[] {
  return c.kind === 'scope' ? c.scope.children() : c.node.children?.() ?? [];
}

/** A breakpoint's condition and hit condition as the client sent them (`where`: the breakpoint's place in the request). */
function conditionsOf(command: string, b: Args, where: string): { condition?: string; hitCondition?: string } {
  return { condition: optString(command, b, 'condition', `${where}.condition`), hitCondition: optString(command, b, 'hitCondition', `${where}.hitCondition`) };
}

/** A function or data breakpoint as the runtime judged it, for the client. */
function toBreakpoint(r: BreakpointResult): DebugProtocol.Breakpoint {
  return { id: r.id, verified: r.verified, ...(r.message ? { message: r.message } : {}), ...(r.line ? { line: r.line } : {}) };
}

/** The real path of a file (symbolic links resolved), or the path itself when it does not exist. */
function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
