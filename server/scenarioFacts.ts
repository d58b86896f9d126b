// Small facts about a scenario that several features state.

import type { Scenario, Stmt } from '../core/scenario';
import { forEachStmt } from '../core/scenario';

/** Whether a process loses a device (the scenario then has the taskq thread). */
export function losesDevices(s: Scenario): boolean {
  let found = false;
  for (const p of s.processes) forEachStmt(p.body, (st) => { if (st.kind === 'lose') found = true; });
  return found;
}

/** Statements of a body, those inside `repeat` blocks included (each once). */
export function statementCount(body: readonly Stmt[]): number {
  let n = 0;
  forEachStmt(body, () => n++);
  return n;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
