// The engine's front door: a scenario text in, a checked, compiled scenario and
// its runs out. The CLI, the debugger and the language server all start here.

import { analyze, hasErrors, type Diagnostic, type Scenario } from '../scenario';
import type { MachineConfig } from '../kernel/state';
import { compileScenario } from './run/compile';
import { runMachine, type RunOptions, type RunResult } from './run/run';
import { checkExpectations, type ExpectationResult } from './expr/expectations';
import { expandSchedule } from './run/schedulers';
import { driverProblems } from './driver/scenarioDrivers';

export interface LoadedScenario {
  text: string;
  scenario: Scenario;
  diagnostics: Diagnostic[];
  /** Absent when the scenario has errors and cannot run. */
  config?: MachineConfig;
}

export function loadScenario(text: string): LoadedScenario {
  const { scenario, diagnostics } = analyze(text);
  if (hasErrors(diagnostics)) return { text, scenario, diagnostics };
  // What the checker let through but the driver compiler cannot run is an error too, never a silent skip.
  const problems = driverProblems(scenario).map((e): Diagnostic => ({ range: e.range, severity: 'error', code: 'driver-unsupported', message: e.message }));
  if (problems.length > 0) return { text, scenario, diagnostics: [...diagnostics, ...problems] };
  return { text, scenario, diagnostics, config: compileScenario(scenario) };
}

/** The scenario's own `schedule` line, one pid per slice. */
export function scenarioSchedule(s: Scenario, config: MachineConfig): number[] | undefined {
  if (!s.schedule) return undefined;
  const names = config.processes.map((p) => p.name);
  return expandSchedule(s.schedule.entries.map((e) => ({ pid: names.indexOf(e.process.name), times: e.times })));
}

export interface ScenarioRun {
  run: RunResult;
  expectations: ExpectationResult[];
  /** Whether every expectation held. */
  ok: boolean;
}

/** Runs a loadable scenario once. Without an explicit `schedule` option the scenario's own line is used. */
export function runScenario(loaded: LoadedScenario, opts: RunOptions = {}): ScenarioRun {
  if (!loaded.config) throw new Error('the scenario has errors and cannot run');
  const schedule = opts.schedule ?? scenarioSchedule(loaded.scenario, loaded.config);
  const run = runMachine(loaded.config, { ...opts, schedule });
  const expectations = checkExpectations(loaded.scenario, loaded.text, run);
  return { run, expectations, ok: expectations.every((e) => e.held) };
}
