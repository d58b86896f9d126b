// "Run", "Debug" and "Check all interleavings" above the scenario: commands the
// extension implements (core/protocol Commands), with the document's URI.

import type { CodeLens } from 'vscode-languageserver';
import { Commands, type ScenarioCommandArgs } from '../core/protocol';
import type { Scenario } from '../core/scenario';
import { scenarioAnchor } from './raceCheck/report';

export function codeLenses(uri: string, s: Scenario): CodeLens[] {
  const anchor = scenarioAnchor(s);
  const line = anchor.start.line;
  const range = { start: { line, character: 0 }, end: { line, character: 0 } };
  const args: ScenarioCommandArgs[] = [{ uri }];
  return [
    { range, command: { title: '▶ Run', command: Commands.run, arguments: args } },
    { range, command: { title: 'Debug', command: Commands.debug, arguments: args } },
    { range, command: { title: 'Check all interleavings', command: Commands.check, arguments: args } },
  ];
}
