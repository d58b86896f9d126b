// When and how the background race check runs: once a document has been quiet
// for a moment, a bounded search of its interleavings runs in a worker thread (so
// requests keep being answered), stops at its state or time budget, and is
// abandoned by the next edit. A result is kept for as long as the scenario means
// the same thing (edits to comments or layout keep it).
//
// At most MAX_PARALLEL_CHECKS workers (two, one on two cores) run at once, whatever the number of open
// documents: the others wait in a queue, and the document touched last (edited,
// opened, or asked about: the editor asks about the documents it shows) goes
// first. A document closed, edited or checked under new settings leaves the queue
// and stops its worker; a worker's place is taken only once its thread has ended.

import { availableParallelism } from 'node:os';
import type { Diagnostic } from 'vscode-languageserver';
import type { RaceCheckParams } from '../../core/protocol';
import type { DocAnalysis } from '../analysis';
import type { SearchResult } from './explorerSearch';
import { buildReport, type RaceReport } from './report';
import { searchInWorker, type RunningSearch } from './worker';

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

export interface RaceCheckerOptions {
  /** How long a document must stay unchanged before its check starts. */
  quietMs: number;
  /** The server's entry script, started again as the search worker. */
  workerScript: string;
  /** At most this many checks run at once (default MAX_PARALLEL_CHECKS). */
  maxParallel?: number;
}

/**
 * Background checks that run at once: each is a worker thread that takes a whole
 * core (at a lower priority than the server's own thread) and holds up to half its
 * 1 GB heap. Two, and one core always left to the editor and the server.
 */
export const MAX_PARALLEL_CHECKS = Math.max(1, Math.min(2, availableParallelism() - 1));

interface Done {
  key: string;
  result: SearchResult;
  /** The report built from this result for the latest analysis asked about. */
  report?: { for: DocAnalysis; report: RaceReport };
}

interface Running {
  key: string;
  search: RunningSearch;
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
  /** Documents quiet long enough, waiting for a worker. */
  private readonly waiting = new Set<string>();
  /** When each document was last touched (a larger number is more recent). */
  private readonly touchedAt = new Map<string, number>();
  private touches = 0;
  /** Worker threads started and not yet ended (cancelled ones included, until they end). */
  private workers = 0;

  constructor(
    private readonly hooks: RaceCheckerHooks,
    private readonly options: RaceCheckerOptions,
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
    for (const uri of [...this.running.keys(), ...this.timers.keys(), ...this.waiting]) this.stop(uri);
    this.done.clear();
    if (settings.enabled) for (const uri of open) this.schedule(uri);
    return true;
  }

  /** The document changed: the running check is abandoned (a new one starts when it is quiet again). */
  edited(uri: string): void {
    this.touched(uri);
    this.stop(uri);
  }

  /** The document was just opened, edited or asked about: its check goes before the others. */
  touched(uri: string): void {
    this.touchedAt.set(uri, ++this.touches);
  }

  /** Worker threads alive now (at most the parallel limit). */
  get workerThreads(): number {
    return this.workers;
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
    this.touchedAt.delete(uri);
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
    this.waiting.delete(uri);
    this.running.get(uri)?.search.cancel();
    this.running.delete(uri);
  }

  private schedule(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      this.waiting.add(uri);
      this.pump();
    }, this.options.quietMs));
  }

  /** Starts waiting checks, the most recently touched first, while fewer workers than the limit are alive. */
  private pump(): void {
    const max = this.options.maxParallel ?? MAX_PARALLEL_CHECKS;
    while (this.workers < max && this.waiting.size > 0) {
      let next: string | undefined;
      for (const uri of this.waiting) if (next === undefined || (this.touchedAt.get(uri) ?? 0) > (this.touchedAt.get(next) ?? 0)) next = uri;
      this.waiting.delete(next!);
      this.start(next!);
    }
  }

  private start(uri: string): void {
    const a = this.hooks.current(uri);
    const key = a ? semanticKey(a) : undefined;
    if (!a || !a.config || key === undefined || this.done.get(uri)?.key === key) return;
    this.stop(uri);
    const startedAt = performance.now();
    const job = { config: a.config, scenario: a.scenario, text: a.text, maxStates: this.settings.maxStates, timeoutMs: this.settings.timeoutMs };
    const ended = (): void => {
      this.workers--;
      this.pump();
    };
    this.workers++;
    let search: RunningSearch;
    try {
      search = searchInWorker(this.options.workerScript, job, (result, error) => this.finished(uri, a, key, startedAt, result, error), ended);
    } catch (err) {
      this.workers--;
      this.hooks.log(`race check of ${uri} could not start: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.running.set(uri, { key, search });
  }

  private finished(uri: string, a: DocAnalysis, key: string, startedAt: number, result: SearchResult | undefined, error?: string): void {
    this.running.delete(uri);
    if (!result) {
      this.hooks.log(`race check of ${uri} failed: ${error ?? 'no result'}`);
      return;
    }
    this.done.set(uri, { key, result });
    const report = this.report(a);
    this.hooks.log(`race check of ${uri}: ${report?.verdict ?? '?'} after ${result.states} states in ${Math.round(performance.now() - startedAt)} ms`);
    const params: RaceCheckParams = { uri, version: a.version, verdict: report?.verdict ?? 'incomplete', states: result.states };
    if (report?.schedule) params.schedule = report.schedule;
    this.hooks.finished(uri, params);
  }
}
