// One analysis per document version: the parsed scenario and the checker's
// diagnostics, plus what features derive from them (symbol occurrences, the
// compiled machine), computed when first asked for and kept until the next edit.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, hasErrors, type Diagnostic, type Scenario } from '../core/scenario';
import { compileScenario } from '../core/engine/run/compile';
import type { MachineConfig } from '../core/kernel/state';
import { collectOccurrences, type Occurrence } from './symbols';

export class DocAnalysis {
  readonly scenario: Scenario;
  readonly diagnostics: Diagnostic[];
  /** Lines of the analysed text. */
  readonly lineCount: number;
  /** How long parsing and checking took (ms). */
  readonly durationMs: number;
  private occurrencesCache: Occurrence[] | undefined;
  private configCache: MachineConfig | null | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
  ) {
    const t0 = performance.now();
    const r = analyze(text);
    this.durationMs = performance.now() - t0;
    this.scenario = r.scenario;
    this.diagnostics = r.diagnostics;
    this.lineCount = 1 + (text.match(/\r\n|\r|\n/g)?.length ?? 0);
  }

  /** Every place a device, process or descriptor is named, in source order. */
  get occurrences(): Occurrence[] {
    this.occurrencesCache ??= collectOccurrences(this.scenario);
    return this.occurrencesCache;
  }

  /** The compiled machine, or null when the scenario has errors and cannot run. */
  get config(): MachineConfig | null {
    if (this.configCache === undefined) {
      this.configCache = hasErrors(this.diagnostics) ? null : compileScenario(this.scenario);
    }
    return this.configCache;
  }
}

/** The latest analysis of each open document, recomputed only when its version changed. */
export class AnalysisCache {
  private readonly byUri = new Map<string, DocAnalysis>();

  get(doc: TextDocument): DocAnalysis {
    const cached = this.byUri.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const fresh = new DocAnalysis(doc.uri, doc.version, doc.getText());
    this.byUri.set(doc.uri, fresh);
    return fresh;
  }

  /**
   * An analysis good enough for completion: the latest one even when the last
   * keystroke is not in it yet, as long as the lines are where they were (the
   * cursor's line itself is read from the current text); otherwise a new one.
   */
  forCompletion(doc: TextDocument): DocAnalysis {
    const cached = this.byUri.get(doc.uri);
    return cached && cached.lineCount === doc.lineCount ? cached : this.get(doc);
  }

  /** The last analysis made, whatever its version (undefined before the first). */
  peek(uri: string): DocAnalysis | undefined {
    return this.byUri.get(uri);
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
  }
}
