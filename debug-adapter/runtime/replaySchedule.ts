// The `schedule` line that replays a recorded run to the same end under
// `camsim run --schedule`. The CLI runs whole slices (a process runs on to its
// next lock operation), while the debugger may switch processes inside a slice.
// Steps inside a slice touch nothing another process can see without a lock, so
// ordering slices by the step that began each gives the same kernel state; the
// line is then checked by replaying it.

import type { MachineConfig, Outcome } from '../../core/kernel/state';
import { runMachine } from '../../core/engine/run/run';
import { formatSchedule } from '../../core/engine/run/schedulers';

export interface ReplayLine {
  /** `schedule A*25 B*21 A*14 B*12` */
  line: string;
  /** Whether replaying it reached the same outcome (undefined: not checked, the run is too long). */
  verified?: boolean;
}

/** Longest run the check replays (a replay runs at about a million steps a second). */
const VERIFY_LIMIT = 250_000;

export function replayLine(config: MachineConfig, slicePids: readonly number[], steps: number, outcome: Outcome | null): ReplayLine {
  const names = config.processes.map((p) => p.name);
  const line = formatSchedule(slicePids, names);
  if (!outcome || steps > VERIFY_LIMIT) return { line };
  const run = runMachine(config, { schedule: slicePids, maxSteps: steps + 1000, record: false });
  const o = run.outcome;
  const verified = !!o && o.kind === outcome.kind && o.pid === outcome.pid && o.message === outcome.message;
  return { line, verified };
}
