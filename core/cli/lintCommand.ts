// `camsim lint FILE... [--json]`: every diagnostic as `file:line:col: severity: message [code]`,
// or (--json) one document of them all (LintJson in core/protocol/cliJson.ts).
// Exit 2 when a file has errors (it cannot run) or cannot be read, 0 otherwise.

import { parseArgs } from 'node:util';
import { analyze } from '../scenario';
import { CLI_JSON_SCHEMA_VERSION, type LintJson } from '../protocol/cliJson';
import { FileError, formatDiagnostic, readText, UsageError, type Output } from './io';
import { lintDiagnosticJson } from './jsonOutput';
import type { CliCommand } from './command';

export function lintCommand(files: string[], io: Output, json = false): number {
  let errors = 0;
  const report: LintJson['files'] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readText(file);
    } catch (e) {
      // One unreadable file does not keep the others from being linted.
      if (!(e instanceof FileError)) throw e;
      errors++;
      if (json) report.push({ file, diagnostics: [], error: e.message });
      else io.err(e.message);
      continue;
    }
    const { diagnostics } = analyze(text);
    errors += diagnostics.filter((d) => d.severity === 'error').length;
    if (json) {
      report.push({ file, diagnostics: diagnostics.map(lintDiagnosticJson) });
      continue;
    }
    for (const d of diagnostics) {
      const line = formatDiagnostic(file, d);
      if (d.severity === 'error') io.err(line);
      else io.out(line);
    }
    if (diagnostics.length === 0) io.out(`${file}: ok`);
  }
  const exit = errors > 0 ? 2 : 0;
  if (json) io.out(JSON.stringify({ schemaVersion: CLI_JSON_SCHEMA_VERSION, command: 'lint', exit, files: report } satisfies LintJson));
  return exit;
}

const USAGE = `  camsim lint FILE... [--json]

  lint   prints the diagnostics of each file as file:line:col: severity: message;
         --json prints them as one JSON document instead (docs/cli-json.schema.json)`;

function lint(argv: string[], io: Output): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  if (positionals.length === 0) throw new UsageError('lint takes one or more scenario files');
  return lintCommand(positionals, io, values.json ?? false);
}

export const lintCli: CliCommand = { usage: USAGE, run: lint };
