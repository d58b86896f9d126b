// The `.camsim` front end: lexer, parser, checker and the expression vocabulary,
// shared by the CLI, the language server and the debug adapter.

import type { Diagnostic, Scenario } from './ast';
import { checkScenario } from './checker';
import { parseScenario } from './parser';

export * from './ast';
export * from './fields';
export * from './flags';
export * from './lexer';
export * from './parser';
export * from './checker';
export * from './paths';
export * from './scope';
export * from './suggest';

export interface AnalysisResult {
  scenario: Scenario;
  /** Syntax and semantic diagnostics, sorted by position. */
  diagnostics: Diagnostic[];
}

/** Orders diagnostics by start position, then end position (stable otherwise). */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.range.end.line - b.range.end.line ||
    a.range.end.character - b.range.end.character
  );
}

/** Parses and checks a scenario text: everything the CLI and the editor report. */
export function analyze(text: string): AnalysisResult {
  const { scenario, diagnostics } = parseScenario(text);
  const all = diagnostics.concat(checkScenario(scenario));
  all.sort(compareDiagnostics);
  return { scenario, diagnostics: all };
}

/** Whether any diagnostic is an error (the scenario cannot run). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
