// Reads what the CLI's `run` and `check` reported. `check` runs with --json: its
// result is the typed object of core/protocol/cliJson.ts, checked before it is
// trusted; the exit status says what it means (0 the expectations hold, 1 one
// fails, 2 invalid scenario, 3 a bound stopped the search first: incomplete, not
// a crash). `run` prints for people: its exit status and last line are read.
// No editor imports: unit-tested directly.

import { readCheckJson, type CheckJson, type CounterexampleJson } from '../core/protocol';
import { reachableWords, STOP_WORDS } from '../core/engine/explore/summary';

export type Verdict = 'holds' | 'failed' | 'incomplete' | 'invalid' | 'crashed' | 'cancelled';

export interface CliOutcome {
  verdict: Verdict;
  /** One sentence for a notification. */
  summary: string;
}

/** An interleaving the debugger can replay. */
export interface CheckCounterexample {
  /** A `schedule` line. */
  schedule: string;
  /** What it shows, in words. */
  shows: string;
}

export interface CheckOutcome extends CliOutcome {
  /** The interleaving worth debugging, when the check found one. */
  counterexample?: CheckCounterexample;
  /** The check's result, when it printed one. */
  report?: CheckJson;
}

function verdictOf(code: number | null, cancelled: boolean): Verdict {
  if (cancelled) return 'cancelled';
  if (code === 0) return 'holds';
  if (code === 1) return 'failed';
  if (code === 2) return 'invalid';
  if (code === 3) return 'incomplete';
  return 'crashed';
}

const nonEmptyLines = (text: string): string[] => text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);

/** A CLI that did not get to print its result: the reason is on stderr. */
function failureSummary(code: number | null, stderr: string, stdout = ''): string {
  const err = nonEmptyLines(stderr);
  return err[0] ?? nonEmptyLines(stdout).at(-1) ?? `exited with code ${code ?? 'none'}`;
}

/** `camsim run FILE`: the exit status decides, the last line (an expectation or the result) is the summary. */
export function readRunOutcome(code: number | null, cancelled: boolean, stdout: string, stderr = ''): CliOutcome {
  const verdict = verdictOf(code, cancelled);
  if (verdict === 'cancelled') return { verdict, summary: 'cancelled' };
  if (verdict === 'invalid' || verdict === 'crashed') return { verdict, summary: failureSummary(code, stderr, stdout) };
  return { verdict, summary: nonEmptyLines(stdout).at(-1) ?? `exited with code ${code}` };
}

/** The counterexample to debug: what broke an expectation, else what `expect panic` asked for, else any bad end found. */
export function counterexampleOf(r: CheckJson): CheckCounterexample | undefined {
  const failed = r.expectations.find((e) => e.verdict === 'failed' && e.counterexample);
  const decided = r.expectations.find((e) => e.counterexample);
  const outcome = r.outcomes.find((o) => o.reachable && o.counterexample);
  const pick = (c: CounterexampleJson | undefined, shows: string | undefined) => (c && shows ? { schedule: c.schedule, shows } : undefined);
  return (
    pick(failed?.counterexample, failed && `${failed.text} fails: ${failed.counterexample?.message}`) ??
    pick(decided?.counterexample, decided?.counterexample?.message) ??
    pick(outcome?.counterexample, outcome?.counterexample?.message)
  );
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** `camsim check --json FILE`, read. */
export function readCheckOutcome(code: number | null, cancelled: boolean, stdout: string, stderr = ''): CheckOutcome {
  const verdict = verdictOf(code, cancelled);
  if (verdict === 'cancelled') return { verdict, summary: 'cancelled' };
  if (verdict === 'invalid' || verdict === 'crashed') return { verdict, summary: failureSummary(code, stderr) };
  const read = readCheckJson(stdout);
  if (!read.ok) return { verdict: 'crashed', summary: `${read.message}${stderr.trim() ? `: ${failureSummary(code, stderr)}` : ''}` };
  const report = read.value;
  // The CLI summarized its check (core/engine/explore/summary.ts): its exit status and headline say it.
  const out: CheckOutcome = { verdict: verdictOf(report.exit, false), summary: report.headline, report };
  const counterexample = counterexampleOf(report);
  if (counterexample) out.counterexample = counterexample;
  return out;
}

/** The check's result as lines for the output channel (the CLI's text output, in short). */
export function checkReportLines(r: CheckJson): string[] {
  const lines = [`${r.file}${r.title ? `: ${r.title}` : ''}`];
  const how = r.complete ? 'every interleaving' : r.stop === 'decided' ? 'stopped once every expectation was decided' : `INCOMPLETE, stopped at ${STOP_WORDS[r.stop]}`;
  lines.push(`checked: ${plural(r.states, 'state')}, ${plural(r.transitions, 'transition')}, longest interleaving ${plural(r.depth, 'slice')} (${how})`);
  lines.push(`result: ${reachableWords(r) ?? (r.complete ? 'no panic, no deadlock, no use after free in any interleaving' : 'no panic found (the search is incomplete: this is not a proof)')}`);
  const c = counterexampleOf(r);
  if (c) lines.push(`counterexample: ${c.schedule}`, `  ${c.shows}`, `replay: camsim run ${r.file} --schedule "${c.schedule.replace(/^schedule /, '')}"`);
  for (const e of r.expectations) lines.push(`  ${e.text}: ${e.verdict === 'held' ? 'held' : e.verdict === 'failed' ? 'FAILED' : 'not decided'} (${e.detail})`);
  return lines;
}
