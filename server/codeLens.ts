// "Run", "Debug" and "Check all interleavings" above the scenario, and "Debug
// Counterexample" where the background check found one (above the scenario for
// its headline, above each expectation that fails): commands the extension
// implements (core/protocol Commands), with the document's URI and the schedule.
// Other editors get the commands the server runs itself (ServerCommands): "Check
// all interleavings" and, where a check failed, "Counterexample" (as text).

import type { CodeLens, Range } from 'vscode-languageserver';
import { Commands, ServerCommands, type ScenarioCommandArgs } from '../core/protocol';
import type { Scenario } from '../core/scenario';
import { RaceCodes, scenarioAnchor, type RaceReport } from './raceCheck/report';

const lineStart = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: 0 } });

function debugLens(line: number, uri: string, schedule: string): CodeLens {
  const args: ScenarioCommandArgs[] = [{ uri, schedule }];
  return { range: lineStart(line), command: { title: 'Debug Counterexample', command: Commands.debugCounterexample, arguments: args, tooltip: `Replay ${schedule} in the debugger` } };
}

export function codeLenses(uri: string, s: Scenario, race?: RaceReport, extensionCommands = true): CodeLens[] {
  const line = scenarioAnchor(s).start.line;
  const range = lineStart(line);
  const args: ScenarioCommandArgs[] = [{ uri }];
  if (!extensionCommands) {
    const lenses: CodeLens[] = [{ range, command: { title: 'Check all interleavings', command: ServerCommands.check, arguments: args } }];
    if (race?.schedule) lenses.push({ range, command: { title: 'Counterexample', command: ServerCommands.counterexample, arguments: args } });
    return lenses;
  }
  const out: CodeLens[] = [
    { range, command: { title: '▶ Run', command: Commands.run, arguments: args } },
    { range, command: { title: 'Debug', command: Commands.debug, arguments: args } },
    { range, command: { title: 'Check all interleavings', command: Commands.check, arguments: args } },
  ];
  if (race?.schedule) out.push(debugLens(line, uri, race.schedule));
  const failing = new Set<number>([line]);
  for (const d of race?.diagnostics ?? []) {
    const schedule = (d.data as { schedule?: unknown } | undefined)?.schedule;
    if (d.code !== RaceCodes.expectation || typeof schedule !== 'string' || failing.has(d.range.start.line)) continue;
    failing.add(d.range.start.line);
    out.push(debugLens(d.range.start.line, uri, schedule));
  }
  return out;
}
