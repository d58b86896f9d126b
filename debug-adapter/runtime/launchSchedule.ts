// The launch configuration's `schedule` as a plan: 'scenario' (the default: the
// file's own schedule line, then round-robin), 'roundRobin', { random: SEED }, or
// a schedule line such as "A B*3 A".

import type { Scenario } from '../../core/scenario/ast';
import type { MachineConfig } from '../../core/kernel/state';
import { scenarioSchedule } from '../../core/engine/scenarioRun';
import { parseScheduleLine } from '../../core/engine/run/scheduleLine';
import type { SchedulePlan } from '../../core/engine/run/schedulers';

/** The launch's schedule, with how it was described (for messages). */
export interface LaunchPlan extends SchedulePlan {
  label: string;
}

export function schedulePlan(arg: unknown, scenario: Scenario, config: MachineConfig): LaunchPlan | { error: string } {
  const names = config.processes.map((p) => p.name);
  const rr = { kind: 'roundRobin' } as const;
  if (arg === undefined || arg === null || arg === 'scenario') {
    const entries = scenarioSchedule(scenario, config) ?? [];
    return { entries, policy: rr, label: entries.length ? "the scenario's schedule line, then round-robin" : 'round-robin (the scenario has no schedule line)' };
  }
  if (arg === 'roundRobin') return { entries: [], policy: rr, label: 'round-robin' };
  if (typeof arg === 'object' && !Array.isArray(arg)) {
    const seed = (arg as { random?: unknown }).random;
    if (Object.keys(arg).length === 1 && typeof seed === 'number' && Number.isInteger(seed) && seed >= 0) {
      return { entries: [], policy: { kind: 'random', seed }, label: `random (seed ${seed})` };
    }
    return { error: 'launch: "schedule" as an object must be { "random": SEED } with SEED an integer >= 0' };
  }
  if (typeof arg === 'string') {
    const p = parseScheduleLine(arg, names);
    if (!p.ok) return { error: `launch: "schedule":1:${p.column + 1}: ${p.message}` };
    return { entries: p.pids, policy: rr, label: `the schedule "${arg.trim()}", then round-robin` };
  }
  return { error: 'launch: "schedule" must be "scenario", "roundRobin", { "random": SEED } or a schedule line such as "A B*3 A"' };
}
