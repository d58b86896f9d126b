// Whether a finished run meets the scenario's `expect` lines.

import type { ExpectDecl, Scenario } from '../../scenario/ast';
import type { Machine } from '../../kernel/state';
import { variantOf } from '../../kernel/drivers';
import { evaluate, isTruthy } from './evaluate';
import type { RunResult } from '../run/run';
import { lockPath } from '../run/observe';
import { CAM_PERIPH_INVALID } from '../../kernel/constants';

export interface ExpectationResult {
  decl: ExpectDecl;
  /** The expectation as written, e.g. `expect no leak`. */
  text: string;
  held: boolean;
  /** Why it failed, or what made it hold (or why it did not apply). */
  detail: string;
}

/**
 * Every periph that is not freed rests at its resting refcount, and no lock is
 * held. A lost periph (CAM_PERIPH_INVALID) has no rest: once nothing holds it,
 * its last release frees it (camperiphfree), so a lost periph still there at
 * the end is held by a reference that was never released.
 */
export function leaks(m: Machine): string[] {
  const out: string[] = [];
  m.devs.forEach((d, i) => {
    const cfg = m.config.devices[i];
    if (d.freed) return;
    if (d.flags & CAM_PERIPH_INVALID) {
      out.push(`${cfg.name} was lost but its periph is never freed: ${d.refcount} reference${d.refcount === 1 ? ' was' : 's were'} never released`);
      return;
    }
    const resting = variantOf(cfg).resting;
    if (d.refcount !== resting) out.push(`${cfg.name}.refcount is ${d.refcount}, not its resting ${resting}`);
  });
  m.locks.forEach((l, i) => {
    if (l.holder >= 0) out.push(`${lockPath(m, i)} is still held by ${m.config.processes[l.holder].name}`);
  });
  return out;
}

export function expectationText(decl: ExpectDecl, source: string): string {
  const lines = source.split('\n');
  const { start, end } = decl.range;
  if (start.line === end.line) return lines[start.line]?.slice(start.character, end.character).trim() ?? 'expect';
  return `expect ${decl.what}`;
}

/** How a run ended: all that expectations read. */
export type RunEnd = Pick<RunResult, 'final' | 'status' | 'outcome'>;

/** Checks each expectation against one run. Outcome-free expectations do not apply to a run that panicked. */
export function checkExpectations(s: Scenario, source: string, run: RunEnd): ExpectationResult[] {
  const st = run.status;
  const ended = st === 'panic' ? 'the run panicked' : st === 'deadlock' ? 'the run deadlocked' : st === 'use-after-free' ? 'the run used a freed periph' : st === 'running' ? 'the run was cut short' : '';
  return s.expectations.map((decl) => {
    const text = expectationText(decl, source);
    const r = (held: boolean, detail: string): ExpectationResult => ({ decl, text, held, detail });
    switch (decl.what) {
      case 'panic':
        return r(st === 'panic', st === 'panic' ? run.outcome!.message : `no panic (${st})`);
      case 'no panic':
        return r(st !== 'panic', st === 'panic' ? run.outcome!.message : `no panic (${st})`);
      case 'deadlock':
        return r(st === 'deadlock', st === 'deadlock' ? run.outcome!.message : `no deadlock (${st})`);
      case 'no deadlock':
        return r(st !== 'deadlock', st === 'deadlock' ? run.outcome!.message : `no deadlock (${st})`);
      case 'no use-after-free':
        return r(st !== 'use-after-free', st === 'use-after-free' ? run.outcome!.message : 'no use of a freed periph');
      case 'no leak': {
        if (st !== 'finished') return r(true, `not applicable: ${ended}`);
        const l = leaks(run.final);
        return r(l.length === 0, l.length ? l.join('; ') : 'every periph is back at its resting refcount and no lock is held');
      }
      case 'expr': {
        if (st !== 'finished') return r(true, `not applicable: ${ended}`);
        const v = evaluate(decl.expr!, run.final, s);
        if (!v.ok) return r(false, v.message);
        return r(isTruthy(v.value), `the value is ${String(v.value)}`);
      }
    }
  });
}
