// The Testing view: each `.camsim` file of the workspace, and each one open in an
// editor, is a test item whose children are its `expect` lines. Run checks the file
// (`camsim check --json`, the Check command's plumbing) and marks each expectation
// passed or failed, with the reason at its line; Debug does the same, then replays
// in the debugger the interleaving that decided the first expectation run.
import * as path from 'path';
import * as vscode from 'vscode';
import { Commands, LANGUAGE_ID, type ScenarioCommandArgs } from '../../core/protocol';
import { checkReportLines, readCheckOutcome } from '../cliVerdict';
import type { CommandContext } from '../commands/context';
import { checkBoundArgsFromSettings } from '../settings';
import { expectLines, type ExpectLine } from './expectLines';
import { expectResults, type ExpectResult } from './expectResults';

const SCENARIOS = '**/*.camsim';
const EXCLUDED = '**/node_modules/**';

/** Test ids stay the same when lines move: the expectation's text, numbered when repeated. */
function idsOf(lines: ExpectLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((l) => {
    const n = (seen.get(l.text) ?? 0) + 1;
    seen.set(l.text, n);
    return n === 1 ? l.text : `${l.text} (${n})`;
  });
}

export class ScenarioTests implements vscode.Disposable {
  private readonly controller = vscode.tests.createTestController('camsim', 'camsim scenarios');
  private readonly lines = new WeakMap<vscode.TestItem, ExpectLine>();
  private readonly disposables: vscode.Disposable[] = [this.controller];

  constructor(private readonly ctx: CommandContext) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discoverWorkspace();
    };
    this.controller.refreshHandler = () => this.discoverWorkspace();
    this.controller.createRunProfile('Check', vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token, false), true);
    this.controller.createRunProfile('Debug the counterexample', vscode.TestRunProfileKind.Debug, (req, token) => this.run(req, token, true), true);
    const watcher = vscode.workspace.createFileSystemWatcher(SCENARIOS);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => void this.loadFromDisk(uri)),
      watcher.onDidChange((uri) => void this.loadFromDisk(uri)),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      vscode.workspace.onDidOpenTextDocument((doc) => this.loadDocument(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.loadDocument(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        // A file outside the workspace is listed only while it is open.
        if (!vscode.workspace.getWorkspaceFolder(doc.uri)) this.controller.items.delete(doc.uri.toString());
      }),
    );
    for (const doc of vscode.workspace.textDocuments) this.loadDocument(doc);
  }

  private async discoverWorkspace(): Promise<void> {
    for (const uri of await vscode.workspace.findFiles(SCENARIOS, EXCLUDED)) await this.loadFromDisk(uri);
  }

  private async loadFromDisk(uri: vscode.Uri): Promise<void> {
    // An open editor's text is newer than the disk's.
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    try {
      this.update(uri, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    } catch {
      this.controller.items.delete(uri.toString());
    }
  }

  private loadDocument(doc: vscode.TextDocument): void {
    // The CLI reads the file from disk: an unsaved (untitled) scenario cannot be checked.
    if (doc.languageId === LANGUAGE_ID && doc.uri.scheme === 'file') this.update(doc.uri, doc.getText());
  }

  /** Replaces the file's children by its expect lines; a file without any is not listed. */
  private update(uri: vscode.Uri, text: string): void {
    if (uri.scheme !== 'file') return; // the CLI checks files on this computer's disk only
    const found = expectLines(text);
    if (found.length === 0) {
      this.controller.items.delete(uri.toString());
      return;
    }
    let file = this.controller.items.get(uri.toString());
    if (!file) {
      file = this.controller.createTestItem(uri.toString(), path.basename(uri.fsPath), uri);
      // Where it is: its folder in the workspace, or that it is open from elsewhere (a sample's copy).
      const inFolder = vscode.workspace.getWorkspaceFolder(uri) ? path.dirname(vscode.workspace.asRelativePath(uri, false)) : undefined;
      file.description = inFolder === undefined ? 'open, outside the workspace' : inFolder === '.' ? undefined : inFolder;
      this.controller.items.add(file);
    }
    const ids = idsOf(found);
    const children = found.map((line, i) => {
      const item = file.children.get(ids[i]) ?? this.controller.createTestItem(ids[i], line.text, uri);
      item.range = new vscode.Range(line.line, line.start, line.line, line.end);
      this.lines.set(item, line);
      return item;
    });
    file.children.replace(children);
  }

  /** The requested expectations, by file. */
  private requested(request: vscode.TestRunRequest): Map<vscode.TestItem, vscode.TestItem[]> {
    const excluded = new Set(request.exclude ?? []);
    const byFile = new Map<vscode.TestItem, vscode.TestItem[]>();
    const add = (file: vscode.TestItem, items: vscode.TestItem[]): void => {
      const chosen = items.filter((i) => !excluded.has(i));
      if (!excluded.has(file) && chosen.length) byFile.set(file, [...(byFile.get(file) ?? []), ...chosen]);
    };
    const roots: vscode.TestItem[] = [];
    this.controller.items.forEach((f) => roots.push(f));
    for (const item of request.include ?? roots) {
      if (item.parent) add(item.parent, [item]);
      else {
        const kids: vscode.TestItem[] = [];
        item.children.forEach((c) => kids.push(c));
        add(item, kids);
      }
    }
    return byFile;
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken, debug: boolean): Promise<void> {
    if (!request.include) await this.discoverWorkspace();
    const run = this.controller.createTestRun(request);
    let toDebug: ScenarioCommandArgs | undefined;
    try {
      for (const [file, items] of this.requested(request)) {
        if (token.isCancellationRequested) {
          for (const item of items) run.skipped(item);
          continue;
        }
        const results = await this.checkFile(file, items, run, token);
        const decided = results.find((r) => r.result.state === 'failed' && r.result.schedule) ?? results.find((r) => r.result.schedule);
        if (debug && !toDebug && decided?.result.schedule && file.uri) toDebug = { uri: file.uri.toString(), schedule: decided.result.schedule };
      }
    } finally {
      run.end();
    }
    if (!debug) return;
    if (toDebug) await vscode.commands.executeCommand(Commands.debugCounterexample, toDebug);
    else if (!token.isCancellationRequested) void vscode.window.showInformationMessage('camsim: no interleaving to debug: no expectation that ran was decided by one.');
  }

  private async checkFile(
    file: vscode.TestItem,
    items: vscode.TestItem[],
    run: vscode.TestRun,
    token: vscode.CancellationToken,
  ): Promise<{ item: vscode.TestItem; result: ExpectResult }[]> {
    const uri = file.uri!;
    for (const item of items) run.started(item);
    // The CLI reads the file from disk.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) await doc.save();
    const cli = await this.ctx.cli.run(['check', '--json', ...checkBoundArgsFromSettings(), uri.fsPath], uri, token, { echoStdout: false });
    const outcome = readCheckOutcome(cli.code, cli.cancelled, cli.stdout, cli.stderr);
    const report = outcome.report ? checkReportLines(outcome.report) : [`${path.basename(uri.fsPath)}: ${outcome.summary}`];
    run.appendOutput(`${report.join('\r\n')}\r\n\r\n`);
    if (outcome.verdict === 'cancelled') {
      for (const item of items) run.skipped(item);
      return [];
    }
    const lines = items.map((i) => this.lines.get(i)!);
    const results = expectResults(outcome, lines, cli.stderr);
    return items.map((item, i) => {
      const result = results[i];
      const at = new vscode.Location(uri, new vscode.Position(result.line, result.column));
      const message = (): vscode.TestMessage => Object.assign(new vscode.TestMessage(result.message ?? ''), { location: at });
      if (result.state === 'passed') run.passed(item);
      else if (result.state === 'failed') run.failed(item, message());
      else run.errored(item, message());
      return { item, result };
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
