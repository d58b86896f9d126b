// Runs the bundled CLI (dist/cli.js) in a child Node process, streaming its output
// into an output channel (stdout only when it is meant for people: not --json).
import { spawn } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  cancelled: boolean;
}

export class CliRunner {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly channel: vscode.OutputChannel,
  ) {}

  /**
   * Runs `camsim ARGS` in the scenario's folder (or `opts.cwd`). What it prints goes
   * to the output channel, or to `opts.output` (a task's terminal) instead.
   */
  run(
    args: string[],
    file: vscode.Uri,
    token?: vscode.CancellationToken,
    opts: { echoStdout?: boolean; cwd?: string; output?: (text: string) => void } = {},
  ): Promise<CliResult> {
    const echoStdout = opts.echoStdout !== false;
    const cli = this.context.asAbsolutePath('dist/cli.js');
    const write = opts.output ?? ((text: string) => this.channel.append(text));
    const writeLine = (text: string): void => write(`${text}\n`);
    writeLine(`$ camsim ${args.join(' ')}`);
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, ...args], {
        cwd: opts.cwd ?? path.dirname(file.fsPath),
        // In desktop VS Code execPath is Electron; this makes it behave as plain Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let cancelled = false;
      const cancel = token?.onCancellationRequested(() => {
        cancelled = true;
        // As Ctrl-C: `camsim check` stops and still prints what it covered.
        child.kill('SIGINT');
      });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (echoStdout) write(chunk);
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        write(chunk);
      });
      const finish = (code: number | null): void => {
        cancel?.dispose();
        writeLine(cancelled ? '[cancelled]' : `[exit code ${code ?? 'none'}]`);
        resolve({ code, stdout, stderr, cancelled });
      };
      child.on('error', (err) => {
        stderr += err.message;
        writeLine(`camsim: could not start the CLI: ${err.message}`);
        finish(null);
      });
      child.on('close', (code) => finish(code));
    });
  }
}
