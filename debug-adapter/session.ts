// The camsim Debug Adapter Protocol session: translates DAP requests into calls
// on the runtime (debug-adapter/runtime/runtime.ts) and its answers into
// responses and events. It knows nothing of the kernel beyond what the runtime
// returns. The same class runs inline in the extension host and standalone over
// stdio (debug-adapter/main.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DebugSession, Handles, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CAPABILITY_TRACE, CustomRequests, type CamsimLaunchArguments } from '../core/protocol';
import { CamsimRuntime, type OutputCategory, type Stop } from './runtime/runtime';
import { EXCEPTION_FILTERS, type LogSite } from './runtime/breakpoints';
import type { ScopeView, VarNode } from './runtime/views';
import type { FrameWhere } from './runtime/frames';
import { stepLines } from '../core/kernel/functions';
import { modelFileOf, modelSource, modelSourceFiles, sourceReferenceOf } from './sources';
import { traceReplay, type TraceReplay } from './runtime/traceFiles';
import { consoleCommand } from './runtime/consoleCommands';

/** A request the client got wrong: answered with an error response, nothing else happens. */
class RequestError extends Error {}

type Container = { kind: 'scope'; scope: ScopeView } | { kind: 'node'; node: VarNode };

/** Frame ids carry the thread and the level: unique across threads, valid until the next stop. */
const FRAME_STRIDE = 4096;

/** How long launch waits for configurationDone from a client that never sends it. */
const CONFIGURATION_TIMEOUT_MS = 2000;

/** Default window of camsim/trace when the client asks for no range. */
const TRACE_WINDOW = 10_000;

export class CamsimSession extends DebugSession {
  private runtime: CamsimRuntime | undefined;
  private launchArgs: CamsimLaunchArguments | undefined;
  private handles = new Handles<Container>();
  private configured = false;
  /** Counts restarts: a run that was under way when one came reports no stop. */
  private epoch = 0;
  private configuredWaiters: (() => void)[] = [];
  /** The breakpoint requests as the client last sent them, to apply again to a reloaded scenario. */
  private readonly sourceBreakpoints = new Map<string, DebugProtocol.SetBreakpointsArguments>();
  private functionBreakpoints: DebugProtocol.FunctionBreakpoint[] = [];
  private dataBreakpoints: DebugProtocol.DataBreakpoint[] = [];
  private exceptionFilters: string[] | undefined;

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

  private rt(): CamsimRuntime {
    if (!this.runtime) throw new RequestError('no scenario is being debugged: send a launch request first');
    return this.runtime;
  }

  private idle(): CamsimRuntime {
    const rt = this.rt();
    if (rt.isBusy) throw new RequestError('the scenario is running: pause it first');
    return rt;
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
    if (pid >= rt.names.length || level >= rt.frames(pid).length) throw new RequestError(`unknown or expired frame ${frameId}`);
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
  private execute(response: DebugProtocol.Response, prepare: (rt: CamsimRuntime) => () => Promise<Stop>): void {
    this.handle(response, async () => {
      const rt = this.idle();
      const run = prepare(rt);
      const epoch = this.epoch;
      this.sendResponse(response);
      let stop: Stop;
      try {
        stop = await run();
      } catch (err) {
        // Answered already: say what went wrong, and stop where the run got to.
        this.say(`camsim: ${response.command} failed: ${err instanceof Error ? err.message : String(err)}`, 'stderr');
        stop = { reason: 'pause', pid: 0, description: `${response.command} failed` };
      }
      if (this.runtime === rt && this.epoch === epoch) this.reportStop(stop);
    });
  }

  private scenarioSource(): DebugProtocol.Source {
    const program = this.rt().program;
    return { name: path.basename(program), path: this.convertDebuggerPathToClient(program) };
  }

  private modelSourceRef(file: string): DebugProtocol.Source {
    return { name: file, sourceReference: sourceReferenceOf(file), origin: 'camsim kernel model (read-only)', presentationHint: 'normal' };
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
  private load(args: Partial<CamsimLaunchArguments> | undefined): CamsimRuntime {
    if (!args || typeof args !== 'object') args = {};
    if (typeof args.program !== 'string' || args.program.trim() === '') throw new RequestError('launch: "program" must be the path of a .camsim scenario');
    if (args.stopOnEntry !== undefined && typeof args.stopOnEntry !== 'boolean') throw new RequestError('launch: "stopOnEntry" must be true or false');
    if (args.trace !== undefined && (typeof args.trace !== 'string' || args.trace.trim() === '')) throw new RequestError('launch: "trace" must be the path of a trace file');
    const program = path.resolve(this.convertClientPathToDebugger(args.program));
    let text: string;
    try {
      text = fs.readFileSync(program, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new RequestError(`launch: cannot read ${program}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code ?? e)}`);
    }
    let replay: TraceReplay | undefined;
    if (typeof args.trace === 'string') {
      const r = traceReplay(path.resolve(this.convertClientPathToDebugger(args.trace)), text);
      if ('error' in r) throw new RequestError(r.error);
      replay = r;
    }
    const loaded = CamsimRuntime.load({ program, text, schedule: args.schedule, maxSteps: args.maxSteps, replay }, { output: (t, c, site) => this.say(t, c, site) });
    if (!loaded.ok) throw new RequestError(loaded.message);
    return loaded.runtime;
  }

  /** After launch or restart: stop on entry, or hand control to the scheduler. */
  private async begin(rt: CamsimRuntime, stopOnEntry: boolean): Promise<void> {
    this.say(`camsim: ${path.basename(rt.program)}: ${rt.names.length} threads (${rt.names.join(', ')}), schedule: ${rt.scheduleLabel}`);
    if (stopOnEntry) this.reportStop(rt.entryStop());
    else {
      const epoch = this.epoch;
      let stop: Stop;
      try {
        stop = await rt.continue();
      } catch (err) {
        // The launch is answered already: report, and show where the run got to.
        this.say(`camsim: the run failed: ${err instanceof Error ? err.message : String(err)}`, 'stderr');
        stop = { reason: 'pause', pid: 0, description: 'the run failed' };
      }
      if (this.runtime === rt && this.epoch === epoch) this.reportStop(stop);
    }
  }

  protected launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): void {
    this.handle(response, async () => {
      if (this.runtime) throw new RequestError('launch: this session is already debugging a scenario');
      const rt = this.load(args as Partial<CamsimLaunchArguments>);
      this.runtime = rt;
      this.launchArgs = args as CamsimLaunchArguments;
      this.sendEvent(new InitializedEvent());
      await this.waitConfigured();
      this.sendResponse(response);
      await this.begin(rt, this.launchArgs.stopOnEntry === true);
    });
  }

  protected restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    this.handle(response, async () => {
      const old = this.rt();
      const launch = { ...this.launchArgs, ...((args?.arguments ?? {}) as Partial<CamsimLaunchArguments>) } as CamsimLaunchArguments;
      const fresh = this.load(launch);
      this.epoch++;
      old.pause();
      while (old.isBusy) await new Promise((r) => setTimeout(r, 5));
      let rt = old;
      const same =
        fresh.text === old.text && launch.trace === this.launchArgs?.trace &&
        JSON.stringify(launch.schedule) === JSON.stringify(this.launchArgs?.schedule) && launch.maxSteps === this.launchArgs?.maxSteps;
      if (same) {
        old.restart();
      } else {
        rt = fresh;
        this.runtime = fresh;
        this.reapplyBreakpoints(fresh);
      }
      this.launchArgs = launch;
      this.sendResponse(response);
      await this.begin(rt, launch.stopOnEntry === true);
    });
  }

  protected terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.runtime?.pause();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments, request?: DebugProtocol.Request): void {
    this.runtime?.pause();
    super.disconnectRequest(response, args, request);
  }

  // ---- breakpoints ----

  private reapplyBreakpoints(rt: CamsimRuntime): void {
    for (const args of this.sourceBreakpoints.values()) this.applySourceBreakpoints(rt, args);
    rt.bps.setFunctionBreakpoints(this.functionBreakpoints.map((b) => ({ name: String(b?.name ?? ''), condition: stringOr(b?.condition), hitCondition: stringOr(b?.hitCondition) })));
    rt.bps.setDataBreakpoints(this.dataBreakpoints.map((b) => ({ dataId: b?.dataId, condition: stringOr(b?.condition), hitCondition: stringOr(b?.hitCondition) })), (p) => rt.known.has(p));
    if (this.exceptionFilters) rt.bps.setExceptionFilters(this.exceptionFilters);
  }

  /** Which file a DAP source names: the scenario being debugged, a model source, or neither. */
  private classify(source: DebugProtocol.Source | undefined): { kind: 'scenario' } | { kind: 'model'; file: string } | { kind: 'other'; message: string } {
    if (!source || typeof source !== 'object') throw new RequestError('the request has no "source"');
    const rt = this.rt();
    if (typeof source.sourceReference === 'number' && source.sourceReference > 0) {
      const file = modelFileOf(source.sourceReference);
      if (file) return { kind: 'model', file };
    }
    if (typeof source.path === 'string' && source.path) {
      const p = path.resolve(this.convertClientPathToDebugger(source.path));
      if (p === rt.program) return { kind: 'scenario' };
      const base = path.basename(source.path);
      if (modelSource(base) !== undefined) return { kind: 'model', file: base };
      if (base.endsWith('.camsim')) return { kind: 'other', message: `${base} is not the scenario being debugged (${path.basename(rt.program)})` };
    }
    if (typeof source.name === 'string' && modelSource(source.name) !== undefined) return { kind: 'model', file: source.name };
    return { kind: 'other', message: `${source.path ?? source.name ?? 'this file'} is neither the scenario being debugged nor a kernel model source` };
  }

  private applySourceBreakpoints(rt: CamsimRuntime, args: DebugProtocol.SetBreakpointsArguments): DebugProtocol.Breakpoint[] {
    const specs = (args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }))).map((b) => ({
      line: this.convertClientLineToDebugger(Number(b.line)),
      condition: stringOr((b as DebugProtocol.SourceBreakpoint).condition),
      hitCondition: stringOr((b as DebugProtocol.SourceBreakpoint).hitCondition),
      logMessage: stringOr((b as DebugProtocol.SourceBreakpoint).logMessage),
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

  protected setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.handle(response, () => {
      const rt = this.rt();
      if (!args || typeof args !== 'object') throw new RequestError('setBreakpoints: arguments are missing');
      if (args.breakpoints !== undefined && !Array.isArray(args.breakpoints)) throw new RequestError('setBreakpoints: "breakpoints" must be an array');
      const breakpoints = this.applySourceBreakpoints(rt, args);
      const key = args.source?.path ?? `ref:${args.source?.sourceReference ?? args.source?.name}`;
      this.sourceBreakpoints.set(key, args);
      response.body = { breakpoints };
      this.sendResponse(response);
    });
  }

  protected breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    this.handle(response, () => {
      const rt = this.rt();
      if (!args || typeof args.line !== 'number') throw new RequestError('breakpointLocations: "line" is missing');
      const from = this.convertClientLineToDebugger(args.line);
      const to = typeof args.endLine === 'number' ? this.convertClientLineToDebugger(args.endLine) : from;
      const target = this.classify(args.source);
      const lines = target.kind === 'scenario' ? rt.scenarioBreakpointLines : target.kind === 'model' ? stepLines(target.file) : [];
      response.body = { breakpoints: lines.filter((l) => l >= from && l <= to).map((l) => ({ line: this.convertDebuggerLineToClient(l) })) };
      this.sendResponse(response);
    });
  }

  protected setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.handle(response, () => {
      const rt = this.rt();
      if (!args || !Array.isArray(args.breakpoints)) throw new RequestError('setFunctionBreakpoints: "breakpoints" must be an array');
      this.functionBreakpoints = args.breakpoints;
      const results = rt.bps.setFunctionBreakpoints(args.breakpoints.map((b) => ({ name: String(b?.name ?? ''), condition: stringOr(b?.condition), hitCondition: stringOr(b?.hitCondition) })));
      response.body = { breakpoints: results.map((r) => ({ id: r.id, verified: r.verified, ...(r.message ? { message: r.message } : {}), ...(r.line ? { line: r.line } : {}) })) };
      this.sendResponse(response);
    });
  }

  protected setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.handle(response, () => {
      const rt = this.rt();
      if (!args || !Array.isArray(args.filters)) throw new RequestError('setExceptionBreakpoints: "filters" must be an array of filter ids');
      const filters = [...args.filters.map(String), ...(args.filterOptions ?? []).map((o) => String(o.filterId))];
      this.exceptionFilters = filters;
      response.body = { breakpoints: rt.bps.setExceptionFilters(filters) };
      this.sendResponse(response);
    });
  }

  protected dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.handle(response, () => {
      const rt = this.rt();
      if (!args || typeof args.name !== 'string') throw new RequestError('dataBreakpointInfo: "name" is missing');
      let dataPath: string | undefined;
      let why = `${args.name} is not a value steps write`;
      if (typeof args.variablesReference === 'number' && args.variablesReference > 0) {
        const c = this.handles.get(args.variablesReference);
        if (!c) throw new RequestError(`dataBreakpointInfo: unknown or expired variablesReference ${args.variablesReference}`);
        const children = c.kind === 'scope' ? c.scope.children() : c.node.children?.() ?? [];
        const v = children.find((x) => x.name === args.name);
        dataPath = v?.dataPath;
        if (v && !dataPath && v.evaluateName) why = `${v.evaluateName} is not recorded as written (it is computed, or never changes)`;
      } else {
        const pid = typeof args.frameId === 'number' ? this.frameOf(args.frameId).pid : undefined;
        const r = rt.pathOf(args.name, pid);
        if (r.ok) dataPath = r.path;
        else why = r.message;
      }
      response.body = dataPath
        ? { dataId: dataPath, description: `${dataPath}: stop when a step writes it`, accessTypes: ['write'], canPersist: true }
        : { dataId: null, description: why };
      this.sendResponse(response);
    });
  }

  protected setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.handle(response, () => {
      const rt = this.rt();
      if (!args || !Array.isArray(args.breakpoints)) throw new RequestError('setDataBreakpoints: "breakpoints" must be an array');
      for (const b of args.breakpoints) {
        if (b?.accessType && b.accessType !== 'write') throw new RequestError(`setDataBreakpoints: only "write" access is recorded (not "${b.accessType}")`);
      }
      this.dataBreakpoints = args.breakpoints;
      const results = rt.bps.setDataBreakpoints(
        args.breakpoints.map((b) => ({ dataId: b?.dataId, condition: stringOr(b?.condition), hitCondition: stringOr(b?.hitCondition) })),
        (p) => rt.known.has(p),
      );
      response.body = { breakpoints: results.map((r) => ({ id: r.id, verified: r.verified, ...(r.message ? { message: r.message } : {}) })) };
      this.sendResponse(response);
    });
  }

  // ---- execution ----

  protected continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    // singleThread: only that process runs (until a breakpoint, or it blocks or finishes).
    const single = args?.singleThread === true;
    response.body = { allThreadsContinued: !single };
    this.execute(response, (rt) => {
      if (!single) return () => rt.continue();
      const pid = this.pidOf(args.threadId);
      return () => rt.stepProcess('runThread', pid);
    });
  }

  protected nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.execute(response, (rt) => {
      const pid = this.pidOf(args?.threadId);
      return () => rt.stepProcess('next', pid);
    });
  }

  protected stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.execute(response, (rt) => {
      const pid = this.pidOf(args?.threadId);
      return () => rt.stepProcess('stepIn', pid);
    });
  }

  protected stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.execute(response, (rt) => {
      const pid = this.pidOf(args?.threadId);
      return () => rt.stepProcess('stepOut', pid);
    });
  }

  protected stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.execute(response, (rt) => {
      const pid = this.pidOf(args?.threadId);
      return () => rt.stepBack(pid);
    });
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
    this.handle(response, () => {
      response.body = { threads: this.rt().threads().map((t) => ({ id: t.pid + 1, name: t.name })) };
      this.sendResponse(response);
    });
  }

  protected stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.handle(response, () => {
      const pid = this.pidOf(args?.threadId);
      const frames = this.rt().frames(pid);
      const start = typeof args.startFrame === 'number' && args.startFrame > 0 ? args.startFrame : 0;
      const count = typeof args.levels === 'number' && args.levels > 0 ? args.levels : frames.length;
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
      response.body = { stackFrames, totalFrames: frames.length };
      this.sendResponse(response);
    });
  }

  protected scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.handle(response, () => {
      const { pid, level } = this.frameOf(args?.frameId);
      const scopes = this.rt().scopes(pid, level);
      response.body = {
        scopes: scopes.map((s) => ({
          name: s.name,
          variablesReference: this.handles.create({ kind: 'scope', scope: s }),
          expensive: false,
          ...(s.hint ? { presentationHint: s.hint } : {}),
        })),
      };
      this.sendResponse(response);
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

  protected variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.handle(response, () => {
      this.rt();
      const c = typeof args?.variablesReference === 'number' ? this.handles.get(args.variablesReference) : undefined;
      if (!c) throw new RequestError(`variables: unknown or expired variablesReference ${JSON.stringify(args?.variablesReference)}`);
      let children = c.kind === 'scope' ? c.scope.children() : c.node.children?.() ?? [];
      if (typeof args.start === 'number' && args.start > 0) children = children.slice(args.start);
      if (typeof args.count === 'number' && args.count > 0) children = children.slice(0, args.count);
      response.body = { variables: children.map((v) => this.toVariable(v)) };
      this.sendResponse(response);
    });
  }

  protected setVariableRequest(response: DebugProtocol.SetVariableResponse): void {
    this.handle(response, () => {
      throw new RequestError('the recorded run is read-only: values cannot be set (change the scenario or the schedule instead)');
    });
  }

  // ---- sources ----

  protected sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    this.handle(response, () => {
      const ref = args?.source?.sourceReference ?? args?.sourceReference;
      const file = typeof ref === 'number' ? modelFileOf(ref) : undefined;
      if (file) {
        response.body = { content: modelSource(file)!, mimeType: 'text/x-c' };
      } else if (this.runtime && args?.source?.path && path.resolve(args.source.path) === this.runtime.program) {
        response.body = { content: this.runtime.text };
      } else {
        throw new RequestError(`source: unknown source reference ${JSON.stringify(ref)} (the kernel model sources are 1..${modelSourceFiles().length})`);
      }
      this.sendResponse(response);
    });
  }

  protected loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    this.handle(response, () => {
      response.body = { sources: modelSourceFiles().map((f) => this.modelSourceRef(f)) };
      this.sendResponse(response);
    });
  }

  // ---- evaluate, completions, exceptions ----

  protected evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.handle(response, () => {
      const rt = this.rt();
      if (!args || typeof args.expression !== 'string') throw new RequestError('evaluate: "expression" must be a string');
      const pid = typeof args.frameId === 'number' ? this.frameOf(args.frameId).pid : undefined;
      const text = args.expression.trim();
      const command = args.context === 'repl' ? consoleCommand(rt, text, pid) : undefined;
      if (command) {
        if (!command.ok) throw new RequestError(command.message);
        response.body = { result: command.text, variablesReference: 0 };
        this.sendResponse(response);
        return;
      }
      const r = rt.evaluate(text, pid, args.context === 'hover');
      if (!r.ok) throw new RequestError(r.message);
      response.body = { result: r.value, variablesReference: 0, ...(r.type ? { type: r.type } : {}) };
      this.sendResponse(response);
    });
  }

  protected completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    this.handle(response, () => {
      const rt = this.rt();
      if (!args || typeof args.text !== 'string' || typeof args.column !== 'number') throw new RequestError('completions: "text" and "column" are required');
      const pid = typeof args.frameId === 'number' ? this.frameOf(args.frameId).pid : undefined;
      const offset = this.convertClientColumnToDebugger(args.column) - 1;
      const items = rt.completions(args.text, offset, pid);
      const kind: Record<string, DebugProtocol.CompletionItemType> = {
        device: 'module', process: 'class', descriptor: 'variable', lock: 'reference', field: 'field', constant: 'value', none: 'keyword', command: 'keyword',
      };
      response.body = {
        targets: items.map((c) => ({ label: c.label, start: this.convertDebuggerColumnToClient(c.start + 1), length: c.length, detail: c.detail, type: kind[c.kind] })),
      };
      this.sendResponse(response);
    });
  }

  protected exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    this.handle(response, () => {
      const rt = this.rt();
      this.pidOf(args?.threadId);
      const e = rt.exceptionInfo();
      if (!e) throw new RequestError('exceptionInfo: the debugger is not stopped on an exception');
      response.body = {
        exceptionId: e.id,
        description: e.description,
        breakMode: e.breakMode,
        details: { message: e.details, typeName: e.id, stackTrace: e.details, ...(e.replay ? { evaluateName: e.replay.line } : {}) },
      };
      this.sendResponse(response);
    });
  }

  // ---- custom requests (the timeline, "why", trace export) ----

  protected customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.handle(response, () => {
      const a = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
      switch (command) {
        case CustomRequests.trace: {
          const rt = this.rt();
          const total = rt.length;
          const count = typeof a.count === 'number' && a.count >= 0 ? Math.min(a.count, 100_000) : TRACE_WINDOW;
          const from = typeof a.from === 'number' && a.from >= 0 ? Math.floor(a.from) : Math.max(0, Math.min(total - count, rt.cursor - Math.floor(count / 2)));
          response.body = { steps: rt.trace(from, count), cursor: rt.cursor, total, from };
          this.sendResponse(response);
          return;
        }
        case CustomRequests.gotoStep: {
          const rt = this.idle();
          if (typeof a.step !== 'number' || !Number.isInteger(a.step)) throw new RequestError(`${command}: "step" must be a whole number (0..${rt.length})`);
          let stop: Stop;
          try {
            stop = rt.gotoStep(a.step);
          } catch (e) {
            throw new RequestError(`${command}: ${(e as Error).message}`);
          }
          response.body = { cursor: rt.cursor };
          this.sendResponse(response);
          this.reportStop(stop);
          return;
        }
        case CustomRequests.why: {
          const rt = this.rt();
          if (typeof a.expression !== 'string') throw new RequestError(`${command}: "expression" must name a value, e.g. pass0.refcount`);
          const pid = typeof a.threadId === 'number' ? this.pidOf(a.threadId) : undefined;
          const p = rt.pathOf(a.expression, pid);
          if (!p.ok) throw new RequestError(`${command}: ${p.message}`);
          const limit = typeof a.limit === 'number' && a.limit > 0 ? a.limit : 50;
          const { total, writes } = rt.why(p.path, limit);
          response.body = { expression: a.expression, path: p.path, cursor: rt.cursor, total, writes };
          this.sendResponse(response);
          return;
        }
        case CustomRequests.exportTrace: {
          const rt = this.idle();
          response.body = rt.exportTrace();
          this.sendResponse(response);
          return;
        }
        default:
          throw new RequestError(`unrecognized request '${String(command)}'`);
      }
    });
  }
}

function stringOr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
