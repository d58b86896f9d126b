// What a check comes to, derived once: the verdict the editor shows, the
// sentence that says it, and the exit status of `camsim check`. The CLI prints
// them (and puts them in its JSON, which the extension reads), the language
// server's background check sends the verdict.

import type { ExploreReport } from './explore';
import type { StopReason } from './search';

/** panic / deadlock: reachable (expected or not); expectation-failed: another expectation fails. */
export type CheckVerdict = 'panic' | 'deadlock' | 'expectation-failed' | 'ok' | 'incomplete';

/** 0 every expectation holds, 1 one fails, 3 a bound stopped the search before every expectation was decided. */
export type CheckExit = 0 | 1 | 3;

export interface CheckSummary {
  verdict: CheckVerdict;
  /** The result in one sentence, for a notification. */
  headline: string;
  exit: CheckExit;
}

/** Where the search stopped, in words ("stopped at the state limit"). */
export const STOP_WORDS: Record<StopReason, string> = {
  complete: 'the end',
  decided: 'the decision',
  'max-states': 'the state limit',
  'max-depth': 'the depth limit',
  'preemption-bound': 'the preemption bound',
  timeout: 'the time limit',
  cancelled: 'an interruption',
  'long-slice': 'a process that ran too long without a lock operation',
  'max-memory': 'the memory budget',
};

/** 1,234,567 (toLocaleString would load the locale data: slow for a command that should start fast). */
const count = (x: number): string => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const plural = (x: number, word: string): string => `${count(x)} ${word}${x === 1 ? '' : 's'}`;

const BAD_END_WORDS = { panic: 'a panic', 'use-after-free': 'a use after free', deadlock: 'a deadlock' } as const;

/** The bad ends found, in words; undefined when none (from the report, or from the CLI's JSON of it). */
export function reachableWords(r: { outcomes: readonly { kind: keyof typeof BAD_END_WORDS; reachable?: boolean | null; message?: string }[] }): string | undefined {
  const found = r.outcomes.filter((o) => o.reachable);
  if (!found.length) return undefined;
  return found.map((o) => `${BAD_END_WORDS[o.kind]} is reachable${o.message ? ` (${o.message})` : ''}`).join('; ');
}

function exitOf(r: ExploreReport): CheckExit {
  if (r.ok === false) return 1;
  if (r.ok === undefined) return 3;
  if (r.expectations.length === 0 && !r.complete && !r.outcomes.some((o) => o.reachable)) return 3;
  return 0;
}

function verdictOf(r: ExploreReport): CheckVerdict {
  const found = (kind: 'panic' | 'use-after-free' | 'deadlock') => r.outcomes.some((o) => o.kind === kind && o.reachable === true);
  if (found('panic') || found('use-after-free')) return 'panic';
  if (found('deadlock')) return 'deadlock';
  if (r.expectations.some((e) => e.verdict === 'failed')) return 'expectation-failed';
  return r.complete || r.stop === 'decided' ? 'ok' : 'incomplete';
}

function headlineOf(r: ExploreReport, exit: CheckExit): string {
  const states = plural(r.states, 'state');
  const found = reachableWords(r);
  const failed = r.expectations.filter((e) => e.verdict === 'failed');
  if (failed.length) {
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
    return `${failed[0].text} FAILED: ${failed[0].detail}${more}`;
  }
  if (exit === 3) {
    const open = r.expectations.filter((e) => e.verdict === 'undecided').map((e) => e.text);
    const what = open.length ? `before deciding ${open.join(', ')}` : 'before it could rule out a panic or a deadlock';
    return `INCOMPLETE: the search stopped at ${STOP_WORDS[r.stop]} after ${states}, ${what}${found ? `; ${found}` : ''}`;
  }
  const how = r.complete ? `every interleaving, ${states}` : `${states} explored`;
  const expectations = r.expectations.length ? 'every expectation holds' : 'no panic, no deadlock, no use after free';
  return `${expectations} (${how})${found ? `; ${found}` : ''}`;
}

/** The verdict, headline and exit status of a check. */
export function summarize(r: ExploreReport): CheckSummary {
  const exit = exitOf(r);
  return { verdict: verdictOf(r), headline: headlineOf(r, exit), exit };
}
