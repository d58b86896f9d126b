// From the checker's diagnostics to LSP diagnostics (same ranges: the AST uses
// LSP positions), with a code per kind, the source, related information and the
// data code actions read back.

import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Diagnostic as CoreDiagnostic } from '../core/scenario';

export const DIAGNOSTIC_SOURCE = 'camsim';

const SEVERITY: Record<CoreDiagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toLspDiagnostic(d: CoreDiagnostic, uri: string): Diagnostic {
  const out: Diagnostic = {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: DIAGNOSTIC_SOURCE,
    message: d.message,
  };
  if (d.related?.length) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  if (d.data) out.data = d.data;
  return out;
}
