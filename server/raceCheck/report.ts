// From a finished search to what the editor shows: diagnostics on the scenario
// (with the steps of the shortest interleaving as related information and the
// schedule line that replays it) and the verdict of the camsim/raceCheck
// notification (the engine's summarize gives it, in the worker). Ranges come from the document's current analysis, so a result
// stays valid across edits that do not change what the scenario means.

import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { Machine, MachineConfig } from '../../core/kernel/state';
import { initialMachine, slice, status } from '../../core/engine/run/machine';
import { formatSchedule } from '../../core/engine/run/schedulers';
import { expectationText } from '../../core/engine/expr/expectations';
import { FUNCTIONS } from '../../core/kernel/functions';
import { SCENARIO_FILE } from '../../core/kernel/dsl';
import { forEachStmt, type ExpectDecl, type Scenario } from '../../core/scenario';
import type { RaceCheckParams } from '../../core/protocol';
import type { SearchResult, Witness } from './explorerSearch';

export const DIAGNOSTIC_SOURCE = 'camsim check';

/** Codes of the background check's diagnostics. */
export const RaceCodes = {
  panic: 'race-panic',
  useAfterFree: 'race-use-after-free',
  deadlock: 'race-deadlock',
  expectation: 'race-expectation',
} as const;

export interface RaceReport {
  diagnostics: Diagnostic[];
  verdict: RaceCheckParams['verdict'];
  /** The headline counterexample as a `schedule` line. */
  schedule?: string;
}

export function scheduleOf(w: Witness, config: MachineConfig): string {
  return formatSchedule(w.pids, config.processes.map((p) => p.name));
}

/** Where diagnostics about the whole scenario go: the `scenario` line, else the first device, else the first item. */
export function scenarioAnchor(s: Scenario): Range {
  if (s.title) return s.title.range;
  if (s.devices.length) return s.devices[0].name.range;
  if (s.items.length) return s.items[0].range;
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

export function buildReport(uri: string, s: Scenario, text: string, config: MachineConfig, r: SearchResult): RaceReport {
  const diagnostics: Diagnostic[] = [];
  const anchor = scenarioAnchor(s);
  const expects = (what: ExpectDecl['what']): ExpectDecl | undefined => s.expectations.find((e) => e.what === what);
  const states = `${r.states} state${r.states === 1 ? '' : 's'}`;
  const counterexample = (w: Witness, range: Range, code: string, severity: DiagnosticSeverity, message: string): void => {
    const schedule = scheduleOf(w, config);
    diagnostics.push({
      range,
      severity,
      code,
      source: DIAGNOSTIC_SOURCE,
      message: `${message}\nshortest interleaving found (${w.pids.length} slices, ${states} explored): ${schedule}`,
      relatedInformation: steps(uri, s, config, w.pids),
      data: { schedule },
    });
  };

  /** An outcome that breaks an `expect no ...` is reported there, else on the scenario. */
  const reachable = (w: Witness, what: string, code: string, expected: boolean, broken: ExpectDecl | undefined): void => {
    if (broken) {
      counterexample(w, broken.range, RaceCodes.expectation, DiagnosticSeverity.Warning, `\`${expectationText(broken, text)}\` fails: ${what} is reachable: ${w.message}`);
    } else {
      counterexample(w, anchor, code, expected ? DiagnosticSeverity.Information : DiagnosticSeverity.Warning, `${what} is reachable${expected ? ' (as expected)' : ''}: ${w.message}`);
    }
  };
  if (r.panic) {
    const uaf = r.panic.status === 'use-after-free';
    if (uaf) reachable(r.panic, 'a use after free', RaceCodes.useAfterFree, false, expects('no use-after-free'));
    else reachable(r.panic, 'a panic', RaceCodes.panic, expects('panic') !== undefined, expects('no panic'));
  }
  if (r.deadlock) reachable(r.deadlock, 'a deadlock', RaceCodes.deadlock, expects('deadlock') !== undefined, expects('no deadlock'));
  for (const [i, w] of r.failed) {
    const e = s.expectations[i];
    if (!e) continue;
    counterexample(w, e.range, RaceCodes.expectation, DiagnosticSeverity.Warning, `\`${expectationText(e, text)}\` fails on some interleaving: ${w.message}`);
  }
  if (r.complete) {
    for (const [what, found, noun] of [['panic', r.panic && r.panic.status === 'panic', 'panics'], ['deadlock', r.deadlock, 'deadlocks']] as const) {
      const e = expects(what);
      if (!e || found) continue;
      diagnostics.push({
        range: e.range,
        severity: DiagnosticSeverity.Warning,
        code: RaceCodes.expectation,
        source: DIAGNOSTIC_SOURCE,
        message: `\`expect ${what}\` fails: no interleaving ${noun} (all ${states} explored)`,
      });
    }
  }

  const headline = r.panic ?? r.deadlock ?? r.failed[0]?.[1];
  const report: RaceReport = { diagnostics, verdict: r.verdict };
  if (headline) report.schedule = scheduleOf(headline, config);
  return report;
}

/**
 * The interleaving as related information: one entry per run of consecutive
 * slices of one process ("A*25"), placed on the statement that process is in
 * afterwards and saying where in the kernel it stopped.
 */
function steps(uri: string, s: Scenario, config: MachineConfig, pids: readonly number[]): DiagnosticRelatedInformation[] {
  const stmtRange = statementRangesByLine(s);
  const out: DiagnosticRelatedInformation[] = [];
  let m: Machine = initialMachine(config);
  let i = 0;
  let n = 1;
  while (i < pids.length) {
    const pid = pids[i];
    let j = i;
    while (j < pids.length && pids[j] === pid) m = slice(m, pids[j++]);
    const name = config.processes[pid].name;
    const count = j - i;
    out.push({ location: { uri, range: whereIs(m, pid, s, config, stmtRange) }, message: `${n}. ${name}${count > 1 ? `*${count}` : ''}: ${describePosition(m, pid)}` });
    i = j;
    n++;
  }
  return out;
}

/** A model source's `file:line`, or `line N` of this scenario for its own driver's routines. */
const where = (file: string, line: number): string => (file === SCENARIO_FILE ? `line ${line}` : `${file}:${line}`);

function describePosition(m: Machine, pid: number): string {
  const st = status(m);
  if ((st === 'panic' || st === 'use-after-free') && m.outcome?.pid === pid) {
    return `${st === 'panic' ? 'panics' : 'uses the freed periph'} in ${m.outcome.fn}${m.outcome.file ? ` (${where(m.outcome.file, m.outcome.line ?? 0)})` : ''}: ${m.outcome.message}`;
  }
  const p = m.procs[pid];
  if (p.done) return 'has finished';
  const f = p.stack[p.stack.length - 1];
  if (!f) return 'is between statements';
  const fn = FUNCTIONS[f.fn];
  const step = fn.steps[f.pc];
  return `stops in ${fn.name} (${where(fn.file, step.line)}) before \`${step.code.trim()}\``;
}

function whereIs(m: Machine, pid: number, s: Scenario, config: MachineConfig, byLine: Map<number, Range>): Range {
  const pc = config.processes[pid];
  const p = m.procs[pid];
  if (pc.kind === 'user') {
    const op = pc.program[Math.min(p.pc, pc.program.length - 1)];
    const range = op ? byLine.get(op.line) : undefined;
    if (range) return range;
    const decl = s.processes.find((x) => x.name.name === pc.name);
    if (decl) return decl.name.range;
  } else {
    // the taskqueue thread: where a device is lost
    for (const decl of s.processes) {
      let lose: Range | undefined;
      forEachStmt(decl.body, (st) => { if (st.kind === 'lose' && !lose) lose = st.range; });
      if (lose) return lose;
    }
  }
  return scenarioAnchor(s);
}

function statementRangesByLine(s: Scenario): Map<number, Range> {
  const out = new Map<number, Range>();
  for (const p of s.processes) {
    forEachStmt(p.body, (st) => {
      if (!out.has(st.range.start.line)) out.set(st.range.start.line, st.kind === 'repeat' ? { start: st.range.start, end: st.countRange.end } : st.range);
    });
  }
  return out;
}
