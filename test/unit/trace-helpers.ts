// Helpers shared by the trace tests: samples, a run recorded as a trace file,
// and the CLI with its output captured.

import { readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { main } from '../../core/cli/main';
import type { Output } from '../../core/cli/io';
import { loadScenario, runScenario } from '../../core/engine/scenarioRun';
import { buildTraceFile, type TraceFile } from '../../core/engine/trace/file';
import type { RunOptions } from '../../core/engine/run/run';

export const ROOT = join(__dirname, '..', '..', '..');
export const samplePath = (name: string): string => join(ROOT, 'samples', name);
export const sampleText = (name: string): string => readFileSync(samplePath(name), 'utf8');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'camsim-trace-'));
}

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Output = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Runs a sample (its own schedule unless opts say otherwise) and records it. */
export function recordSample(name: string, opts: RunOptions = {}): TraceFile {
  const loaded = loadScenario(sampleText(name));
  const { run } = runScenario(loaded, opts);
  return buildTraceFile(loaded, run, { file: `samples/${name}`, policy: opts.policy });
}
