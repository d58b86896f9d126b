// The "camsim: Open Timeline" webview panel, in an editor group below the code.
// It draws the recording of the camsim debug session whose adapter advertises
// CAPABILITY_TRACE, follows that session's stops (tracker.ts reports them), opens
// by itself when a run panics, and turns a click on a step into camsim/gotoStep so
// the debugger moves there.
import * as vscode from 'vscode';
import { timelineModel } from '../../core/engine/trace/timeline';
import { CAPABILITY_TRACE, CustomRequests, DEBUG_TYPE, type TraceWindow } from '../../core/protocol';
import { customRequest } from '../customRequest';
import { makeNonce, timelineHtml } from './html';
import { isFromWebview, type FromWebview, type ToWebview } from './messages';
import { isTraceWindow, TraceCache } from './traceCache';

/** Context key: the active debug session serves the camsim trace requests. */
export const TIMELINE_CONTEXT = 'camsim.timelineAvailable';

/** The commands that focus editor group 1, 2, ... */
const FOCUS_GROUP = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth'].map((n) => `workbench.action.focus${n}EditorGroup`);

/** Sets the editor groups' layout (orientation 1: groups stacked top to bottom). */
const SET_LAYOUT = 'vscode.setEditorLayout';

/** How long after a click the timeline is kept in view if the stop's source covers it. */
const KEEP_VISIBLE_MS = 3000;

/** Exception ids of a stop on the run's outcome (the adapter's exception filters). */
const OUTCOMES = new Set(['panic', 'use-after-free', 'deadlock']);

interface StoppedBody {
  reason?: string;
  threadId?: number;
}

/** How long an automatic opening waits for the editor to show the stop. */
const STOP_SHOWN_MS = 2000;

/** Resolves once the editor focuses a frame of `threadId` in `session` (or after STOP_SHOWN_MS). */
function stackFocused(session: vscode.DebugSession, threadId: number | undefined): Promise<void> {
  const item = vscode.debug.activeStackItem;
  if (item instanceof vscode.DebugStackFrame && item.session.id === session.id && item.threadId === threadId) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(done, STOP_SHOWN_MS);
    const listener = vscode.debug.onDidChangeActiveStackItem((focused) => {
      if (focused instanceof vscode.DebugStackFrame && focused.session.id === session.id && focused.threadId === threadId) done();
    });
  });
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class TimelinePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** While the panel is being opened (a second call waits for the same one). */
  private opening: Promise<void> | undefined;
  /** Sessions whose adapter advertised the trace requests. */
  private readonly traceSessions = new Set<string>();
  /** Sessions the panel already opened itself for (once each). */
  private readonly autoOpened = new Set<string>();
  private session: vscode.DebugSession | undefined;
  private ended = false;
  private cache = new TraceCache();
  private modelSent = false;
  private running: Promise<void> | undefined;
  private again = false;
  /** Until when a hidden timeline moves beside the source (after a click in it). */
  private keepVisibleUntil = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly output: vscode.OutputChannel,
  ) {
    this.disposables.push(
      vscode.debug.onDidChangeActiveDebugSession((s) => this.onActiveSession(s)),
      vscode.debug.onDidTerminateDebugSession((s) => this.onTerminated(s)),
    );
  }

  /** Opens (or reveals) the panel on the active camsim session. */
  async show(): Promise<void> {
    const active = vscode.debug.activeDebugSession;
    if (active && (this.traceSessions.has(active.id) || (!this.session && active.type === DEBUG_TYPE))) this.follow(active);
    if (this.panel) {
      this.panel.reveal(undefined, true);
      void this.refresh();
      return;
    }
    this.opening ??= this.open().finally(() => (this.opening = undefined));
    return this.opening;
  }

  /**
   * The panel in an editor group below the code: the code keeps its width (beside
   * it, both would be a few columns wide on a laptop screen) and the focus.
   */
  private async open(): Promise<void> {
    const column = await this.groupBelow();
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      'camsim.timeline',
      'camsim Timeline',
      { viewColumn: column, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [dist] },
    );
    const script = panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'timeline.js'));
    panel.webview.html = timelineHtml(panel.webview.cspSource, makeNonce(), script.toString());
    panel.webview.onDidReceiveMessage((msg: unknown) => {
      if (isFromWebview(msg)) void this.onMessage(msg);
    });
    panel.onDidChangeViewState((e) => this.onViewState(e.webviewPanel));
    panel.onDidDispose(() => (this.panel = undefined));
    this.panel = panel;
    // Stops are not followed while the panel is closed: fetch the whole recording again.
    this.cache.reset();
    this.modelSent = false;
  }

  /**
   * The column for a new panel: with one editor group, the layout becomes two
   * groups stacked (the code above, 60%) and the panel goes in the lower one;
   * with several, the last group other than the active one. Columns are named by
   * number: the focus may move meanwhile (at a stop the editor reveals the stop's
   * source), so "the active group" is no guide.
   */
  private async groupBelow(): Promise<vscode.ViewColumn> {
    const groups = vscode.window.tabGroups;
    if (groups.all.length === 1) {
      if (groups.activeTabGroup.tabs.length === 0) return vscode.ViewColumn.Active; // nothing open to make room for
      try {
        await vscode.commands.executeCommand(SET_LAYOUT, { orientation: 1, groups: [{ size: 0.6 }, { size: 0.4 }] });
        return vscode.ViewColumn.Two;
      } catch (err) {
        this.output.appendLine(`timeline: cannot make a group below (${message(err)}): opening beside`);
        return vscode.ViewColumn.Beside;
      }
    }
    const others = groups.all.filter((g) => g !== groups.activeTabGroup).map((g) => g.viewColumn);
    return Math.max(...others);
  }

  // ---- what the adapter tracker reports ----

  onCapabilities(session: vscode.DebugSession, capabilities: Record<string, unknown> | undefined): void {
    if (capabilities?.[CAPABILITY_TRACE] !== true) return;
    this.traceSessions.add(session.id);
    if (vscode.debug.activeDebugSession?.id === session.id || !this.session || this.ended) this.follow(session);
    this.updateContext();
  }

  /** Called as the adapter sends a stopped event, before the editor asks anything else. */
  onStopped(session: vscode.DebugSession, body: StoppedBody): void {
    if (!this.traceSessions.has(session.id)) return;
    if (session.id !== this.session?.id && (vscode.debug.activeDebugSession?.id === session.id || this.ended)) this.follow(session);
    // The stop's cursor is read right away, before the next command can move it.
    if (this.panel && session.id === this.session?.id) void this.observe(session);
    if (body.reason === 'exception' && !this.autoOpened.has(session.id)) void this.openOnOutcome(session, body.threadId);
  }

  /** A restart may replace the whole recording, and may panic again. */
  onRestart(session: vscode.DebugSession): void {
    this.autoOpened.delete(session.id);
    if (session.id !== this.session?.id) return;
    this.cache.reset();
    this.modelSent = false;
  }

  private onTerminated(session: vscode.DebugSession): void {
    this.traceSessions.delete(session.id);
    this.autoOpened.delete(session.id);
    this.updateContext();
    if (session.id !== this.session?.id) return;
    this.ended = true;
    if (this.modelSent) this.post({ type: 'ended', text: 'the debug session has ended' });
    else void this.refresh();
  }

  private onActiveSession(session: vscode.DebugSession | undefined): void {
    this.updateContext();
    if (session && this.traceSessions.has(session.id) && session.id !== this.session?.id) {
      this.follow(session);
      void this.refresh();
    }
  }

  private follow(session: vscode.DebugSession): void {
    if (session.id === this.session?.id && !this.ended) return;
    this.session = session;
    this.ended = false;
    this.cache = new TraceCache();
    this.modelSent = false;
  }

  private updateContext(): void {
    const active = vscode.debug.activeDebugSession;
    void vscode.commands.executeCommand('setContext', TIMELINE_CONTEXT, !!active && this.traceSessions.has(active.id));
  }

  private async openOnOutcome(session: vscode.DebugSession, threadId: number | undefined): Promise<void> {
    try {
      const info = (await session.customRequest('exceptionInfo', { threadId: threadId ?? 1 })) as { exceptionId?: string } | undefined;
      if (!info?.exceptionId || !OUTCOMES.has(info.exceptionId) || this.autoOpened.has(session.id)) return;
      this.autoOpened.add(session.id);
      if (session.id !== this.session?.id) this.follow(session);
      // An open timeline is redrawn where it is: revealing it could cover the
      // panic's source, which the editor may just have shown in the same group.
      if (this.panel) return void this.refresh();
      // A new one waits until the editor has shown the stop (the panic line and
      // its exception widget), so the group below is made under that editor.
      await stackFocused(session, threadId);
      await this.show();
    } catch (err) {
      this.output.appendLine(`timeline: exceptionInfo failed: ${message(err)}`);
    }
  }

  // ---- keeping the drawing up to date ----

  private async fetchWindow(session: vscode.DebugSession, from: number, count: number): Promise<TraceWindow> {
    const body: unknown = await customRequest(session, CustomRequests.trace, { from, count });
    if (!isTraceWindow(body)) throw new Error(`${CustomRequests.trace} answered without steps`);
    return body;
  }

  private async observe(session: vscode.DebugSession): Promise<void> {
    try {
      const w = await this.fetchWindow(session, 0, 0);
      if (session.id === this.session?.id) this.cache.observe(w.cursor, w.total);
    } catch (err) {
      this.output.appendLine(`timeline: ${CustomRequests.trace} failed: ${message(err)}`);
    }
    await this.refresh();
  }

  /** Sends what changed to the panel; calls made while one runs are folded into one more run. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.update();
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async update(): Promise<void> {
    if (!this.panel) return;
    const session = this.session;
    if (!session) return this.post({ type: 'empty', text: 'No camsim debug session. Start debugging a scenario to see its timeline.' });
    if (this.ended) {
      // Keep showing the last recording (also when the page is shown again), marked as ended.
      if (this.modelSent) return;
      if (!this.cache.steps.length) return this.post({ type: 'empty', text: `No camsim debug session: "${session.name}" has ended.` });
      this.post({ type: 'model', model: timelineModel(this.cache.steps, await this.processNames(session)), cursor: this.cache.cursor, session: session.name });
      this.post({ type: 'ended', text: 'the debug session has ended' });
      this.modelSent = true;
      return;
    }
    if (!this.traceSessions.has(session.id)) {
      return this.post({ type: 'empty', text: `The debug session "${session.name}" does not record a trace (its adapter does not advertise ${CAPABILITY_TRACE}).` });
    }
    let changed: boolean;
    try {
      changed = await this.cache.sync((from, count) => this.fetchWindow(session, from, count));
    } catch (err) {
      this.output.appendLine(`timeline: ${CustomRequests.trace} failed: ${message(err)}`);
      return;
    }
    if (session.id !== this.session?.id) return; // switched sessions meanwhile: that refresh follows
    if (changed || !this.modelSent) {
      const model = timelineModel(this.cache.steps, await this.processNames(session));
      this.post({ type: 'model', model, cursor: this.cache.cursor, session: session.name });
      this.modelSent = true;
    } else {
      this.post({ type: 'cursor', cursor: this.cache.cursor });
    }
  }

  /** Process names by pid: the adapter's threads (thread id = pid + 1), then the steps. */
  private async processNames(session: vscode.DebugSession): Promise<string[]> {
    const names: string[] = [];
    try {
      const body = (await session.customRequest('threads')) as { threads?: { id: number; name: string }[] } | undefined;
      for (const t of body?.threads ?? []) names[t.id - 1] = t.name.split(' ')[0];
    } catch {
      // A session that ended meanwhile: the steps still name their processes.
    }
    for (const s of this.cache.steps) if (!names[s.pid]) names[s.pid] = s.process;
    return Array.from(names, (n, pid) => n ?? `pid ${pid}`);
  }

  private post(msg: ToWebview): void {
    void this.panel?.webview.postMessage(msg);
  }

  private async onMessage(msg: FromWebview): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.modelSent = false; // a new page (first load, or shown again)
        return this.refresh();
      case 'details': {
        const step = this.cache.steps[msg.step];
        if (step) this.post({ type: 'step', step });
        return;
      }
      case 'gotoStep': {
        const session = this.session;
        if (!session || this.ended) return;
        await this.focusAnotherGroup();
        try {
          await customRequest(session, CustomRequests.gotoStep, { step: msg.step });
        } catch (err) {
          void vscode.window.showWarningMessage(`camsim: cannot go to step ${msg.step}: ${message(err)}`);
        }
        return;
      }
    }
  }

  /**
   * The editor shows the stop's source in the active group, which after a click
   * in the timeline is the timeline's own: another group is made active first
   * when there is one, and if the timeline is hidden all the same it moves beside.
   */
  private async focusAnotherGroup(): Promise<void> {
    const own = this.panel?.viewColumn;
    const other = vscode.window.tabGroups.all.find((g) => g.viewColumn !== own);
    this.keepVisibleUntil = Date.now() + KEEP_VISIBLE_MS;
    if (other && other.viewColumn <= FOCUS_GROUP.length) await vscode.commands.executeCommand(FOCUS_GROUP[other.viewColumn - 1]);
  }

  private onViewState(panel: vscode.WebviewPanel): void {
    if (panel.visible || Date.now() > this.keepVisibleUntil) return;
    this.keepVisibleUntil = 0;
    const other = vscode.window.tabGroups.all.find((g) => g.viewColumn !== panel.viewColumn);
    panel.reveal(other?.viewColumn ?? vscode.ViewColumn.Beside, true);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
