// A fault is what ends a run with no way forward: a panic, a use of a freed
// periph, or a deadlock. The stepper stops on one; the inspector explains it.

import type { Machine, Outcome } from '../../core/kernel/state';
import { deadlockOutcome, status } from '../../core/engine/run/machine';

export type FaultId = 'panic' | 'use-after-free' | 'deadlock';

/** Why a replay line is approximate, in words. */
export const APPROXIMATE = 'approximate: processes were switched by hand at points a schedule line cannot name';

/** The panic, use after free or deadlock of a machine, if it has one. */
export function faultOf(m: Machine): Outcome | null {
  return m.outcome ?? (status(m) === 'deadlock' ? deadlockOutcome(m) : null);
}

/** The exception id of a fault (the exception filters and exceptionInfo use it). */
export function faultId(o: Outcome): FaultId {
  return o.kind === 'panic' ? 'panic' : o.kind === 'deadlock' ? 'deadlock' : 'use-after-free';
}

/** `panic in B, cam_periph_release_locked_buses() (cam_periph.c:NN): …` */
export function faultText(o: Outcome, names: readonly string[]): string {
  if (o.kind === 'deadlock') return o.message;
  const where = o.file ? ` (${o.file}:${o.line})` : '';
  return `${o.kind === 'panic' ? 'panic' : 'use after free'} in ${names[o.pid]}, ${o.fn}()${where}: ${o.message}`;
}
