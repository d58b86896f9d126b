// When and how the background race check runs: once a document has been quiet
// for a moment, a bounded search of its interleavings runs in short chunks on the
// event loop (so requests keep being answered), stops at its state or time
// budget, and is abandoned by the next edit. A result is kept for as long as the
// scenario means the same thing (edits to comments or layout keep it).

import type { Diagnostic } from 'vscode-languageserver';
import type { RaceCheckParams } from '../../core/protocol';
import type { DocAnalysis } from '../analysis';
import { BoundedSearch, type SearchResult } from './search';
import { buildReport, type RaceReport } from './report';

export interface RaceCheckSettings {
  enabled: boolean;
  maxStates: number;
  timeoutMs: number;
}

export const DEFAULT_RACE_CHECK_SETTINGS: RaceCheckSettings = { enabled: true, maxStates: 100_000, timeoutMs: 5_000 };

export interface RaceCheckerHooks {
  /** The latest analysis of an open document. */
  current(uri: string): DocAnalysis | undefined;
  /** A check finished: its diagnostics changed. */
  finished(uri: string, params: RaceCheckParams): void;
  log(message: string): void;
}

export interface RaceCheckerTiming {
  /** How long a document must stay unchanged before its check starts. */
  quietMs: number;
  /** How long one chunk of the search may hold the event loop. */
  chunkMs: number;
}

interface Done {
  key: string;
  result: SearchResult;
  /** The report built from this result for the latest analysis asked about. */
  report?: { for: DocAnalysis; report: RaceReport };
}

interface Running {
  key: string;
  cancelled: boolean;
}

const POSITION_KEYS: ReadonlySet<string> = new Set(['line', 'range', 'countRange', 'timesRange', 'textRange', 'closeRange']);
const keys = new WeakMap<DocAnalysis, string | undefined>();

/** What a scenario means for the search: the machine it compiles to and its expectations, without positions. */
export function semanticKey(a: DocAnalysis): string | undefined {
  if (keys.has(a)) return keys.get(a);
  const config = a.config;
  const drop = (k: string, v: unknown): unknown => (POSITION_KEYS.has(k) ? undefined : v);
  const key = config ? JSON.stringify(config, drop) + '\n' + JSON.stringify(a.scenario.expectations, drop) : undefined;
  keys.set(a, key);
  return key;
}

export class RaceChecker {
  private settings: RaceCheckSettings = { ...DEFAULT_RACE_CHECK_SETTINGS };
  private configured = false;
  private readonly done = new Map<string, Done>();
  private readonly running = new Map<string, Running>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly hooks: RaceCheckerHooks,
    private readonly timing: RaceCheckerTiming,
  ) {}

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** New settings: every result is dropped and the open documents are checked again. The same settings change nothing. */
  configure(settings: RaceCheckSettings, open: readonly string[]): boolean {
    const same = JSON.stringify(settings) === JSON.stringify(this.settings);
    if (same && this.configured) return false;
    this.configured = true;
    this.settings = settings;
    for (const uri of [...this.running.keys(), ...this.timers.keys()]) this.stop(uri);
    this.done.clear();
    if (settings.enabled) for (const uri of open) this.schedule(uri);
    return true;
  }

  /** The document changed: the running check is abandoned (a new one starts when it is quiet again). */
  edited(uri: string): void {
    this.stop(uri);
  }

  /** A new analysis of the document: check it when it is quiet, unless its meaning was already checked. */
  analyzed(a: DocAnalysis): void {
    if (!this.settings.enabled) return;
    const key = semanticKey(a);
    if (key === undefined || this.done.get(a.uri)?.key === key) return;
    this.schedule(a.uri);
  }

  closed(uri: string): void {
    this.stop(uri);
    this.done.delete(uri);
  }

  /** The check's diagnostics for this analysis: those of a result for the same meaning, else none. */
  diagnostics(a: DocAnalysis): Diagnostic[] {
    return this.report(a)?.diagnostics ?? [];
  }

  /** The report for this analysis, when a finished check matches it. */
  report(a: DocAnalysis): RaceReport | undefined {
    if (!this.settings.enabled) return undefined;
    const done = this.done.get(a.uri);
    if (!done) return undefined;
    if (done.report?.for === a) return done.report.report;
    if (semanticKey(a) !== done.key || !a.config) return undefined;
    const report = buildReport(a.uri, a.scenario, a.text, a.config, done.result);
    done.report = { for: a, report };
    return report;
  }

  private stop(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    const r = this.running.get(uri);
    if (r) r.cancelled = true;
    this.running.delete(uri);
  }

  private schedule(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      this.start(uri);
    }, this.timing.quietMs));
  }

  private start(uri: string): void {
    const a = this.hooks.current(uri);
    const key = a ? semanticKey(a) : undefined;
    if (!a || !a.config || key === undefined || this.done.get(uri)?.key === key) return;
    this.stop(uri);
    const run: Running = { key, cancelled: false };
    this.running.set(uri, run);
    const search = new BoundedSearch(a.config, a.scenario, a.text, this.settings.maxStates);
    const startedAt = performance.now();
    const timeoutAt = startedAt + this.settings.timeoutMs;
    const chunk = (): void => {
      if (run.cancelled) return;
      let over: boolean;
      try {
        over = search.run(Math.min(timeoutAt, performance.now() + this.timing.chunkMs)) || performance.now() >= timeoutAt;
      } catch (err) {
        this.running.delete(uri);
        this.hooks.log(`race check of ${uri} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        return;
      }
      if (!over) {
        setImmediate(chunk);
        return;
      }
      this.running.delete(uri);
      const result = search.outcome;
      this.done.set(uri, { key, result });
      const report = this.report(a);
      this.hooks.log(`race check of ${uri}: ${report?.verdict ?? '?'} after ${result.states} states in ${Math.round(performance.now() - startedAt)} ms`);
      const params: RaceCheckParams = { uri, version: a.version, verdict: report?.verdict ?? 'incomplete', states: result.states };
      if (report?.schedule) params.schedule = report.schedule;
      this.hooks.finished(uri, params);
    };
    setImmediate(chunk);
  }
}
