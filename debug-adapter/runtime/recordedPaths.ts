// Which values the recording tracks writes to, under the names core/engine/run/observe.ts
// gives them (`pass0.refcount`, `pass0.sim_mtx.holder`, `A.f.errno`), and how an
// expression typed by a user (`pass0.refcount`, `f.errno` in process A) maps to one
// (core/engine/trace/why.ts). Data breakpoints and "why" accept exactly these.

import type { MachineConfig } from '../../core/kernel/state';
import type { Scenario } from '../../core/scenario/ast';
import { whyPath } from '../../core/engine/trace/why';
import { DEVICE_STATE_FIELDS } from '../../core/engine/run/observe';
import { DEVICE_LOCK_NAMES, GLOBAL_LOCK_NAMES } from '../../core/kernel/constants';

export function recordedPaths(config: MachineConfig): Set<string> {
  const out = new Set<string>();
  for (const d of config.devices) {
    for (const f of DEVICE_STATE_FIELDS) out.add(`${d.name}.${f}`);
    for (const l of DEVICE_LOCK_NAMES) {
      out.add(`${d.name}.${l}.holder`);
      out.add(`${d.name}.${l}.recursion`);
    }
  }
  for (const l of GLOBAL_LOCK_NAMES) {
    out.add(`${l}.holder`);
    out.add(`${l}.recursion`);
  }
  for (const p of config.processes) {
    out.add(`${p.name}.errno`);
    out.add(`${p.name}.done`);
    for (const fd of p.fdNames) {
      out.add(`${p.name}.${fd}.open`);
      out.add(`${p.name}.${fd}.errno`);
    }
  }
  return out;
}

export type PathOf = { ok: true; path: string } | { ok: false; message: string };

/** The recorded value an expression names, e.g. `pass0.refcount` or `f.errno` (in `process`). */
export function pathOfExpression(text: string, scenario: Scenario, known: ReadonlySet<string>, process?: string): PathOf {
  const trimmed = text.trim();
  if (known.has(trimmed)) return { ok: true, path: trimmed };
  const r = whyPath(trimmed, scenario, { process });
  if (r.ok && !known.has(r.path)) return { ok: false, message: `${trimmed} is not a value this run records` };
  return r;
}
