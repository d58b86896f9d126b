// What the command handlers share.
import type * as vscode from 'vscode';
import type { CliRunner } from '../cliRunner';
import type { Outputs } from '../output';
import type { RaceStatus } from '../raceStatus';
import type { TimelinePanel } from '../timeline/panel';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  outputs: Outputs;
  cli: CliRunner;
  raceStatus: RaceStatus;
  timeline: TimelinePanel;
}
