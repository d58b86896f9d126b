// `camsim check --coverage`: which lines of the kernel model sources the whole
// search executed, and which it never did, per model source file. Only the
// functions a scenario can reach count: the drivers it declares (in the
// variants it uses) and the shared kernel code.

import type { MachineConfig } from '../../kernel/state';
import type { KFn } from '../../kernel/dsl';
import { FUNCTIONS } from '../../kernel/functions';
import { drivers } from '../../kernel/drivers';
import type { CoverageMarks } from './movers';

export interface LineRef {
  line: number;
  fn: string;
  code: string;
}

export interface FileCoverage {
  file: string;
  /** Lines with a step, of the functions in play. */
  lines: number;
  reached: number;
  never: LineRef[];
}

export interface CoverageReport {
  lines: number;
  reached: number;
  files: FileCoverage[];
}

export function newCoverageMarks(): CoverageMarks {
  return FUNCTIONS.map((f) => new Uint8Array(f.steps.length));
}

/** Driver source files, each with its driver name. */
function driverFiles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of drivers()) for (const v of Object.values(d.variants)) out.set(v.open.file, d.name);
  return out;
}

function inPlay(fn: KFn, config: MachineConfig, drivers: Map<string, string>): boolean {
  const driver = drivers.get(fn.file);
  const devices = driver ? config.devices.filter((d) => d.driver === driver) : config.devices;
  if (driver && devices.length === 0) return false;
  return fn.variant === undefined || devices.some((d) => d.variant === fn.variant);
}

export function coverageReport(marks: CoverageMarks, config: MachineConfig): CoverageReport {
  const drivers = driverFiles();
  const byFile = new Map<string, FileCoverage>();
  for (const fn of FUNCTIONS) {
    if (!inPlay(fn, config, drivers)) continue;
    let fc = byFile.get(fn.file);
    if (!fc) byFile.set(fn.file, (fc = { file: fn.file, lines: 0, reached: 0, never: [] }));
    fn.steps.forEach((s, pc) => {
      fc.lines++;
      if (marks[fn.id][pc]) fc.reached++;
      else fc.never.push({ line: s.line, fn: fn.name, code: s.code.trim() });
    });
  }
  const files = [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
  for (const f of files) f.never.sort((a, b) => a.line - b.line);
  return { lines: files.reduce((n, f) => n + f.lines, 0), reached: files.reduce((n, f) => n + f.reached, 0), files };
}

/** `61-63, 75` from a sorted list of lines. */
export function lineRanges(lines: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j] + 1) j++;
    parts.push(j > i ? `${lines[i]}-${lines[j]}` : String(lines[i]));
    i = j + 1;
  }
  return parts.join(', ');
}
