// The `camsim` tasks: "check" explores every interleaving of each scenario of the
// folder, "lint" prints their diagnostics. Both run the bundled CLI in a task
// terminal; what they find is printed as `file:line:col: severity: message`, which
// the `$camsim` problem matcher (package.json) turns into Problems.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { PROBLEM_MATCHER, TASK_TYPE } from '../../core/protocol';
import { checkReportLines, readCheckOutcome } from '../cliVerdict';
import type { CliRunner } from '../cliRunner';
import { checkBoundArgsFromSettings } from '../settings';
import { expectationProblemLines } from './expectationProblems';

/** tasks.json: { "type": "camsim", "command": "check" | "lint", "files"?: a glob in the folder }. */
interface CamsimTaskDefinition extends vscode.TaskDefinition {
  command: 'check' | 'lint';
  files?: string;
}

const DEFAULT_FILES = '**/*.camsim';
const EXCLUDED = '**/node_modules/**';

function isDefinition(d: vscode.TaskDefinition): d is CamsimTaskDefinition {
  return d.type === TASK_TYPE && (d.command === 'check' || d.command === 'lint') && (d.files === undefined || typeof d.files === 'string');
}

/** The CLI's exit statuses, worst last: a run of several files ends with the worst. */
const SEVERITY = [0, 3, 1, 2];
const worse = (a: number, b: number): number => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a);

/** One run of a task, in its terminal. */
class CliTaskTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  private readonly cancel = new vscode.CancellationTokenSource();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;

  constructor(
    private readonly cli: CliRunner,
    private readonly folder: vscode.WorkspaceFolder,
    private readonly definition: CamsimTaskDefinition,
  ) {}

  open(): void {
    this.execute().then(
      (code) => this.finish(code),
      (err: unknown) => {
        this.write(`camsim: ${err instanceof Error ? err.message : String(err)}\n`);
        this.finish(2);
      },
    );
  }

  close(): void {
    this.cancel.cancel();
  }

  private write(text: string): void {
    this.writer.fire(text.replace(/\r?\n/g, '\r\n'));
  }

  private finish(code: number): void {
    // The terminal hands the last lines to the problem matcher after a moment: close after them.
    setTimeout(() => this.closer.fire(code), 200);
  }

  private async execute(): Promise<number> {
    const glob = this.definition.files ?? DEFAULT_FILES;
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, glob), EXCLUDED);
    const files = found.map((u) => path.relative(this.folder.uri.fsPath, u.fsPath)).sort();
    if (files.length === 0) {
      this.write(`no scenario matches ${glob} in ${this.folder.name}\n`);
      return 0;
    }
    const token = this.cancel.token;
    const opts = { cwd: this.folder.uri.fsPath, output: (text: string) => this.write(text) };
    if (this.definition.command === 'lint') {
      const r = await this.cli.run(['lint', ...files], this.folder.uri, token, opts);
      return r.code ?? 2;
    }
    let exit = 0;
    for (const file of files) {
      if (token.isCancellationRequested) break;
      const r = await this.cli.run(['check', '--json', ...checkBoundArgsFromSettings(), file], this.folder.uri, token, { ...opts, echoStdout: false });
      const outcome = readCheckOutcome(r.code, r.cancelled, r.stdout, r.stderr);
      if (outcome.report) {
        const text = fs.readFileSync(path.join(this.folder.uri.fsPath, file), 'utf8');
        this.write(`${[...checkReportLines(outcome.report), ...expectationProblemLines(outcome.report, file, text)].join('\n')}\n\n`);
      } else if (outcome.verdict !== 'invalid') {
        // An invalid scenario's errors are on stderr, already in the terminal.
        this.write(`${file}: ${outcome.summary}\n\n`);
      }
      exit = worse(exit, r.cancelled ? 2 : (r.code ?? 2));
    }
    return exit;
  }
}

export class CamsimTaskProvider implements vscode.TaskProvider {
  constructor(private readonly cli: CliRunner) {}

  provideTasks(): vscode.Task[] {
    // The CLI reads files on this computer's disk: no tasks for a virtual folder.
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    return folders.flatMap((folder) => (['check', 'lint'] as const).map((command) => this.task(folder, { type: TASK_TYPE, command })));
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const folder = task.scope;
    if (!isDefinition(task.definition) || typeof folder !== 'object' || folder.uri.scheme !== 'file') return undefined;
    return this.task(folder, task.definition);
  }

  private task(folder: vscode.WorkspaceFolder, definition: CamsimTaskDefinition): vscode.Task {
    const name = definition.command === 'check' ? 'check all scenarios' : 'lint all scenarios';
    const task = new vscode.Task(
      definition,
      folder,
      definition.files ? `${definition.command} ${definition.files}` : name,
      TASK_TYPE,
      new vscode.CustomExecution(async () => new CliTaskTerminal(this.cli, folder, definition)),
      `$${PROBLEM_MATCHER}`,
    );
    task.group = definition.command === 'check' ? vscode.TaskGroup.Test : vscode.TaskGroup.Build;
    task.detail = definition.command === 'check' ? 'camsim check: every interleaving of each .camsim file' : 'camsim lint: the diagnostics of each .camsim file';
    return task;
  }
}
