// The lines of a scenario's own drivers (`driver NAME { d_open { ... } }`) where
// the debugger can stop: each line of a routine that has a step, with the first
// step on it (a statement with a kernel call in its condition is a call step
// and then the test, both on its line: a breakpoint stops once, before the call).

import type { Scenario } from '../../core/scenario/ast';
import type { Step } from '../../core/kernel/dsl';
import { loadedDriver, loadScenarioDrivers } from '../../core/engine/driver/scenarioDrivers';

/** 1-based scenario line -> the first step on it, per routine. */
export function ownDriverLines(scenario: Scenario): Map<number, Step[]> {
  const out = new Map<number, Step[]>();
  if (scenario.drivers.length === 0) return out;
  for (const key of loadScenarioDrivers(scenario).values()) {
    for (const fn of loadedDriver(key)?.routines ?? []) {
      const seen = new Set<number>();
      for (const s of fn.steps) {
        if (seen.has(s.line)) continue;
        seen.add(s.line);
        const list = out.get(s.line);
        if (list) list.push(s);
        else out.set(s.line, [s]);
      }
    }
  }
  return out;
}
