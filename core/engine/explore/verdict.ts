// What the explorer concludes from the end states it reaches: which bad outcomes
// are reachable, and each expectation's verdict over every interleaving.
//
// `expect panic` and `expect deadlock` hold when some interleaving ends that
// way; every other expectation must hold on every interleaving (the ones about
// the final state only apply to interleavings that finish, as in `camsim run`).
// Each end state is judged by the same checkExpectations that `camsim run` uses.

import type { ExpectDecl, Scenario } from '../../scenario/ast';
import type { Machine, Outcome } from '../../kernel/state';
import { checkExpectations, expectationText, type RunEnd } from '../expr/expectations';
import { deadlockOutcome, status, type Status } from '../run/machine';

/** The end states the explorer tells apart. */
export type EndKind = 'panic' | 'use-after-free' | 'deadlock' | 'finished';

export type Verdict = 'held' | 'failed' | 'undecided';

/** A state the search reached that decides something, by its index in the search. */
export interface Witness {
  state: number;
  status: EndKind;
  /** The outcome that ended it (a deadlock's is computed); null for a normal end. */
  outcome: Outcome | null;
  /** Why it decides: the panic text, or why the expectation failed. */
  detail: string;
}

export interface ExpectationState {
  decl: ExpectDecl;
  text: string;
  /** panic, deadlock: holds when some end state has it; the others: when every end state meets it. */
  existential: boolean;
  witness?: Witness;
}

export class Verdicts {
  readonly expectations: ExpectationState[];
  /** The first end state of each bad kind, and how many normal ends. */
  readonly ends: Partial<Record<Exclude<EndKind, 'finished'>, Witness>> = {};
  finished = 0;
  endStates = 0;
  /** Every distinct panic and use-after-free text reached. */
  readonly messages: Record<'panic' | 'use-after-free', Set<string>> = { panic: new Set(), 'use-after-free': new Set() };
  /** Called with every end state judged (tests and tools). */
  onEnd?: (m: Machine, kind: EndKind) => void;

  constructor(
    private readonly scenario: Scenario,
    private readonly text: string,
  ) {
    this.expectations = scenario.expectations.map((decl) => ({
      decl,
      text: expectationText(decl, text),
      existential: decl.what === 'panic' || decl.what === 'deadlock',
    }));
  }

  /** Every expectation is decided, so searching on cannot change a verdict. */
  allDecided(): boolean {
    return this.expectations.length > 0 && this.expectations.every((e) => e.witness !== undefined);
  }

  /** Judges one end state (`m` has no runnable process). Returns whether it decided something new. */
  end(m: Machine, state: number): boolean {
    const st = status(m) as Status;
    if (st === 'running') return false;
    const kind = st as EndKind;
    this.endStates++;
    const outcome = kind === 'deadlock' ? deadlockOutcome(m) : m.outcome;
    let decided = false;
    this.onEnd?.(m, kind);
    if (kind === 'panic' || kind === 'use-after-free') this.messages[kind].add(outcome!.message);
    if (kind === 'finished') this.finished++;
    else if (!this.ends[kind]) {
      this.ends[kind] = { state, status: kind, outcome, detail: outcome?.message ?? kind };
      decided = true;
    }
    if (this.expectations.length === 0) return decided;
    const run: RunEnd = { final: m, status: st, outcome };
    const results = checkExpectations(this.scenario, this.text, run);
    results.forEach((r, i) => {
      const e = this.expectations[i];
      if (e.witness) return;
      if (e.existential ? r.held : !r.held) {
        e.witness = { state, status: kind, outcome, detail: r.detail };
        decided = true;
      }
    });
    return decided;
  }

  /** An expectation's verdict, given whether every reachable end state was judged. */
  verdict(e: ExpectationState, complete: boolean): Verdict {
    if (e.witness) return e.existential ? 'held' : 'failed';
    return complete ? (e.existential ? 'failed' : 'held') : 'undecided';
  }
}
