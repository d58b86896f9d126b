// Shared by the explorer's tests: loading scenarios, running the explorer with
// and without its reductions, an independent canonical form of end states, an
// independent breadth-first search (plain slices, JSON keys) for shortest
// lengths, and a generator of small random scenarios.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadScenario, type LoadedScenario } from '../../core/engine/scenarioRun';
import { explore, type ExploreOptions, type ExploreReport } from '../../core/engine/explore/explore';
import { initialMachine, runnable, slice, status } from '../../core/engine/run/machine';
import type { Machine, MachineConfig } from '../../core/kernel/state';
import { main } from '../../core/cli/main';
import { ALL_DRIVERS } from '../helpers/drivers';

export const ROOT = join(__dirname, '..', '..', '..');
export const SAMPLES = join(ROOT, 'samples');

export function sampleFiles(): string[] {
  return readdirSync(SAMPLES).filter((f) => f.endsWith('.camsim')).sort().map((f) => join(SAMPLES, f));
}

export function load(text: string): LoadedScenario & { config: MachineConfig } {
  const loaded = loadScenario(text);
  if (!loaded.config) throw new Error(`scenario has errors: ${loaded.diagnostics.map((d) => d.message).join('; ')}\n${text}`);
  return loaded as LoadedScenario & { config: MachineConfig };
}

export function loadFile(file: string): LoadedScenario & { config: MachineConfig } {
  return load(readFileSync(file, 'utf8'));
}

/** The field names of a device, read from a plain initial machine. */
function devFields(config: MachineConfig): string[] {
  const m = initialMachine(config);
  return m.devs.length ? Object.keys(m.devs[0]) : [];
}

/**
 * An end state written so that states differing only by renaming processes
 * with the same program compare equal (a second implementation, independent of
 * the explorer's keys). Step counters and the clock are left out.
 */
export function canonicalEnd(m: Machine, fields: string[]): string {
  const procs = m.procs.map((p, pid) => {
    const held = m.locks.flatMap((l, i) => (l.holder === pid ? [[i, l.recurse]] : []));
    const stack = p.stack.map((f) => [f.fn, f.pc, Object.keys(f.l).sort().map((k) => [k, f.l[k]])]);
    const loops = Object.keys(p.loops).sort().map((k) => [k, p.loops[Number(k)]]);
    const prog = JSON.stringify(m.config.processes[pid].program, (k, v) => (k === 'line' ? undefined : v));
    return { prog, state: JSON.stringify([p.pc, p.done, p.errno, loops, p.fds, stack, held]) };
  });
  const groups = new Map<string, string[]>();
  for (const p of procs) groups.set(p.prog, [...(groups.get(p.prog) ?? []), p.state]);
  const byProg = [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([prog, states]) => [prog, states.sort()]);
  const devs = m.devs.map((d) => fields.map((f) => (d as unknown as Record<string, unknown>)[f]));
  const tasks = (m.tasks as unknown as { slice(): number[] }).slice();
  return JSON.stringify([devs, tasks, byProg]);
}

export interface Explored {
  report: ExploreReport;
  /** Canonical forms of every normal end and deadlock reached. */
  ends: Set<string>;
}

export function explored(l: LoadedScenario & { config: MachineConfig }, options: ExploreOptions = {}): Explored {
  const fields = devFields(l.config);
  const ends = new Set<string>();
  const report = explore(l.config, l.scenario, l.text, {
    ...options,
    onEnd: (m, kind) => {
      if (kind === 'finished' || kind === 'deadlock') ends.add(`${kind} ${canonicalEnd(m, fields)}`);
    },
  });
  return { report, ends };
}

/** What must not depend on the reductions: which bad ends are reachable, every panic text, every verdict. */
export function verdictsOf(r: ExploreReport): unknown {
  return {
    outcomes: r.outcomes.map((o) => ({ kind: o.kind, reachable: o.reachable, messages: o.messages ?? [] })),
    expectations: r.expectations.map((e) => [e.text, e.verdict]),
    ok: r.ok,
  };
}

/** Runs `camsim ARGS...` in process and captures its output. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/**
 * Breadth-first search without any reduction: plain `slice`, JSON state keys.
 * The fewest slices to an end state `accept`s, running only `allowed` processes.
 */
export function bfsShortest(config: MachineConfig, accept: (m: Machine) => boolean, allowed?: ReadonlySet<number>, maxStates = 300_000): number | undefined {
  const key = (m: Machine) => JSON.stringify([m.devs, m.locks, m.tasks, m.outcome, m.procs.map((p) => [p.pc, p.loops, p.stack, p.fds, p.errno, p.done])]);
  let level: Machine[] = [initialMachine(config)];
  const seen = new Set([key(level[0])]);
  for (let depth = 0; level.length > 0; depth++) {
    const next: Machine[] = [];
    for (const m of level) {
      if (status(m) !== 'running') {
        if (accept(m)) return depth;
        continue;
      }
      for (const pid of runnable(m)) {
        if (allowed && !allowed.has(pid)) continue;
        const n = slice(m, pid);
        const k = key(n);
        if (seen.has(k)) continue;
        seen.add(k);
        next.push(n);
        if (seen.size > maxStates) throw new Error('bfsShortest: too many states');
      }
    }
    level = next;
  }
  return undefined;
}

// ---- small random scenarios ----

const DRIVERS = ALL_DRIVERS;
const VARIANTS = ['before-fix', 'after-fix'] as const;

type Stmt = string;

/** A process body: statements on descriptors it opens itself, some inside a repeat. */
const body = (devices: number): fc.Arbitrary<Stmt[]> => {
  const dev = fc.integer({ min: 0, max: devices - 1 });
  const open = dev.map((d) => [`open d${d} as f`]);
  const openClose = dev.map((d) => [`open d${d} as f`, 'close f']);
  const openIoctlClose = dev.map((d) => [`open d${d} as f`, 'ioctl f', 'close f']);
  const lose = dev.map((d) => [`lose d${d}`]);
  const repeat = fc.tuple(fc.integer({ min: 1, max: 2 }), dev).map(([k, d]) => [`repeat ${k} {`, `  open d${d} as f`, '  close f', '}']);
  return fc.oneof(
    { weight: 5, arbitrary: openClose },
    { weight: 2, arbitrary: open },
    { weight: 1, arbitrary: openIoctlClose },
    { weight: 1, arbitrary: lose },
    { weight: 2, arbitrary: repeat },
  );
};

const bodies = (devices: number, groups: number): fc.Arbitrary<Stmt[]> =>
  fc.array(body(devices), { minLength: 1, maxLength: groups }).map((gs) => gs.flat());

const expectation = (devices: number, procs: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('expect panic', 'expect no panic', 'expect no deadlock', 'expect no use-after-free', 'expect no leak', 'expect deadlock'),
    fc.tuple(fc.integer({ min: 0, max: devices - 1 }), fc.integer({ min: 0, max: 2 })).map(([d, r]) => `expect d${d}.refcount == ${r}`),
    fc.integer({ min: 0, max: procs - 1 }).map((p) => `expect P${p}.errno == 0`),
  );

/** 2 to 4 processes on 1 or 2 devices of random drivers and variants, small enough to explore without reductions. */
export const smallScenario: fc.Arbitrary<string> = fc
  .record({
    devices: fc.array(fc.record({ driver: fc.constantFrom(...DRIVERS), variant: fc.constantFrom(...VARIANTS), ioError: fc.boolean() }), { minLength: 1, maxLength: 2 }),
    invariants: fc.boolean(),
    procCount: fc.integer({ min: 2, max: 4 }),
    seed: fc.integer(),
  })
  .chain(({ devices, invariants, procCount }) =>
    fc
      .record({
        procs: fc.array(bodies(devices.length, procCount <= 2 ? 2 : 1), { minLength: procCount, maxLength: procCount }),
        // Identical processes are where symmetry applies: often copy the first one.
        copies: fc.array(fc.boolean(), { minLength: procCount, maxLength: procCount }),
        expects: fc.array(expectation(devices.length, procCount), { minLength: 1, maxLength: 3 }),
      })
      .map(({ procs, copies, expects }) => {
        const bodies = procs.map((b, i) => (i > 0 && copies[i] ? procs[0] : b));
        return [
          invariants ? 'kernel invariants' : '',
          ...devices.map((d, i) => `device d${i}: ${d.driver} ${d.variant}${d.ioError && d.driver === 'ch' ? ' with io-error' : ''}`),
          ...bodies.map((b, i) => `process P${i} {\n  ${b.join('\n  ')}\n}`),
          ...expects,
        ].join('\n');
      }),
  );
