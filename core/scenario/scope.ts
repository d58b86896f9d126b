// What a scenario declares, by name: devices, processes and each process's
// descriptors. Built once per Scenario object (treated as immutable) and cached,
// so that the evaluator, completion and hover can resolve names cheaply.

import type { DeviceDecl, OpenStmt, ProcessDecl, Scenario, Stmt } from './ast';
import { TASKQ_PROCESS } from './fields';

export interface ScenarioIndex {
  /** Device name -> its first declaration. */
  devices: ReadonlyMap<string, DeviceDecl>;
  /** Process name -> its first declaration. */
  processes: ReadonlyMap<string, ProcessDecl>;
  /** Process name -> descriptor name -> the first `open ... as FD` of that name in the process. */
  descriptors: ReadonlyMap<string, ReadonlyMap<string, OpenStmt>>;
  /** Whether some process runs `lose`: the kernel's taskqueue thread then runs too. */
  losesDevices: boolean;
  /**
   * Processes the kernel adds (the taskqueue thread `taskq` when a device can be
   * lost): a schedule and expressions may name them; they have no descriptors.
   */
  implicitProcesses: ReadonlySet<string>;
}

const cache = new WeakMap<Scenario, ScenarioIndex>();

export function indexScenario(s: Scenario): ScenarioIndex {
  const cached = cache.get(s);
  if (cached) return cached;
  const devices = new Map<string, DeviceDecl>();
  const processes = new Map<string, ProcessDecl>();
  const descriptors = new Map<string, Map<string, OpenStmt>>();
  let losesDevices = false;
  for (const d of s.devices) if (d.name.name && !devices.has(d.name.name)) devices.set(d.name.name, d);
  for (const p of s.processes) {
    if (!p.name.name || processes.has(p.name.name)) continue;
    processes.set(p.name.name, p);
    const fds = new Map<string, OpenStmt>();
    forEachStmt(p.body, (st) => {
      if (st.kind === 'open' && st.fd.name && !fds.has(st.fd.name)) fds.set(st.fd.name, st);
    });
    descriptors.set(p.name.name, fds);
  }
  for (const p of s.processes) {
    forEachStmt(p.body, (st) => {
      if (st.kind === 'lose') losesDevices = true;
    });
  }
  const implicitProcesses = new Set<string>();
  if (losesDevices && !processes.has(TASKQ_PROCESS) && !devices.has(TASKQ_PROCESS)) implicitProcesses.add(TASKQ_PROCESS);
  const index: ScenarioIndex = { devices, processes, descriptors, losesDevices, implicitProcesses };
  cache.set(s, index);
  return index;
}

/** Visits statements in source order, descending into `repeat` bodies (each once). */
export function forEachStmt(body: readonly Stmt[], visit: (st: Stmt, repeatDepth: number) => void, depth = 0): void {
  for (const st of body) {
    visit(st, depth);
    if (st.kind === 'repeat') forEachStmt(st.body, visit, depth + 1);
  }
}
