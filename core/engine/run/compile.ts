// From a checked scenario to the static configuration of a machine: devices
// with their driver variant, and each process's statements as a flat program.

import type { Scenario, Stmt } from '../../scenario/ast';
import type { DeviceConfig, MachineConfig, ProcessConfig, ProgramOp } from '../../kernel/state';

import { TASKQ_PROCESS } from '../../scenario/fields';
import { loadScenarioDrivers } from '../driver/scenarioDrivers';

function hasLose(stmts: Stmt[]): boolean {
  return stmts.some((s) => s.kind === 'lose' || (s.kind === 'repeat' && hasLose(s.body)));
}

/** Compiles a scenario the checker accepted (no errors). */
export function compileScenario(s: Scenario): MachineConfig {
  const devIndex = new Map(s.devices.map((d, i) => [d.name.name, i]));
  // The scenario's own drivers are loaded into the kernel here (core/engine/driver/scenarioDrivers.ts).
  const own = loadScenarioDrivers(s);
  const devices = s.devices.map((d): DeviceConfig => {
    const cfg: DeviceConfig = {
      name: d.name.name,
      driver: d.driver.name,
      variant: (d.variant?.name ?? 'after-fix') as DeviceConfig['variant'],
      ioError: d.options.some((o) => o.name === 'io-error'),
    };
    const key = own.get(d.driver.name);
    if (key !== undefined) cfg.driverKey = key;
    return cfg;
  });
  const processes: ProcessConfig[] = s.processes.map((p) => {
    const fdNames: string[] = [];
    const fdOf = (name: string) => {
      let i = fdNames.indexOf(name);
      if (i < 0) i = fdNames.push(name) - 1;
      return i;
    };
    const program: ProgramOp[] = [];
    const emit = (stmts: Stmt[]) => {
      for (const st of stmts) {
        const line = st.range.start.line;
        switch (st.kind) {
          case 'open':
            program.push({ op: 'open', dev: devIndex.get(st.device.name) ?? 0, fd: fdOf(st.fd.name), line });
            break;
          case 'close':
            program.push({ op: 'close', fd: fdOf(st.fd.name), line });
            break;
          case 'ioctl':
            program.push({ op: 'ioctl', fd: fdOf(st.fd.name), line });
            break;
          case 'lose':
            program.push({ op: 'lose', dev: devIndex.get(st.device.name) ?? 0, line });
            break;
          case 'repeat': {
            // A repeat with nothing to run leaves no trace in the program: every repeat
            // that stays runs a statement in each iteration, so moving from one statement
            // to the next (run/machine.ts advanceProgram) never loops over bookkeeping.
            if (st.count < 1) break;
            const start = program.push({ op: 'repeat', count: st.count, end: -1, line }) - 1;
            emit(st.body);
            if (program.length === start + 1) {
              program.pop();
              break;
            }
            const end = program.push({ op: 'end', start, line: st.range.end.line }) - 1;
            (program[start] as { end: number }).end = end;
            break;
          }
        }
      }
    };
    emit(p.body);
    return { name: p.name.name, kind: 'user', program, fdNames, line: p.name.range.start.line };
  });
  if (s.processes.some((p) => hasLose(p.body))) {
    let name = TASKQ_PROCESS;
    while (processes.some((p) => p.name === name)) name += '_';
    processes.push({ name, kind: 'taskq', program: [], fdNames: [], line: -1 });
  }
  return { devices, processes, invariants: s.kernelOptions.some((o) => o.option.name === 'invariants') };
}
