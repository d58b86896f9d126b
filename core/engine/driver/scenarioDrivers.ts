// The drivers a scenario declares itself, loaded into the kernel: compiled once
// per distinct declaration and kept in a bounded cache.
//
// Why this shape: the executor finds a frame's function by its number in the one
// kernel function table (kernel/functions.ts, `FUNCTIONS[frame.fn]`), the
// explorer's hot path, which must stay a plain array read. So a scenario's
// routines are numbered in that table, and a device reaches its driver model
// through its config's `driverKey` (kernel/drivers/catalogue.ts `variantOf`),
// never through a global "drivers in use" that would have to be swapped around
// each run: any number of scenarios with drivers of the same name can be loaded
// at once (the language server, the debug adapter between sessions), and a
// config stays plain data that crosses to a worker thread, which loads the same
// drivers again from the scenario (the Explorer does, see explore.ts).
//
// The key is the driver's name and a hash of its syntax tree, positions
// included (its steps carry their lines): an unchanged driver is compiled once,
// however often its scenario is analysed. The cache keeps the MAX_LOADED drivers
// used last; an evicted driver's functions give their table numbers back.

import { createHash } from 'node:crypto';
import type { Scenario } from '../../scenario/ast';
import type { DriverDecl } from '../../scenario/cAst';
import { registerScenarioDriver, unregisterScenarioDriver } from '../../kernel/drivers/catalogue';
import { addScenarioFunctions, releaseScenarioFunctions } from '../../kernel/functions';
import { compileDriver, DriverCompileError, type CompiledDriver } from './compileDriver';

/** How many distinct driver declarations stay loaded. */
export const MAX_LOADED = 32;

const loaded = new Map<string, CompiledDriver>();
const keys = new WeakMap<DriverDecl, string>();

/** The drivers a scenario declares. */
export function scenarioDrivers(s: Scenario): readonly DriverDecl[] {
  return s.drivers;
}

export function driverKey(decl: DriverDecl): string {
  let key = keys.get(decl);
  if (key === undefined) {
    key = `${decl.name.name}#${createHash('sha1').update(JSON.stringify(decl)).digest('hex')}`;
    keys.set(decl, key);
  }
  return key;
}

/** Loads a driver declaration (compiling it unless it is cached); returns its key. Throws DriverCompileError. */
export function loadDriver(decl: DriverDecl): string {
  const key = driverKey(decl);
  const hit = loaded.get(key);
  if (hit) {
    // used last: to the end of the eviction order
    loaded.delete(key);
    loaded.set(key, hit);
    return key;
  }
  const compiled = compileDriver(decl);
  addScenarioFunctions(compiled.routines);
  registerScenarioDriver(key, compiled.model);
  loaded.set(key, compiled);
  for (const [old, c] of loaded) {
    if (loaded.size <= MAX_LOADED) break;
    loaded.delete(old);
    unregisterScenarioDriver(old);
    releaseScenarioFunctions(c.routines);
  }
  return key;
}

/** Loads every driver of the scenario; driver name -> key. Throws DriverCompileError. */
export function loadScenarioDrivers(s: Scenario): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of scenarioDrivers(s)) out.set(d.name.name, loadDriver(d));
  return out;
}

/** What in the scenario's drivers the model cannot run (the checker reports most of it first). */
export function driverProblems(s: Scenario): DriverCompileError[] {
  const out: DriverCompileError[] = [];
  for (const d of scenarioDrivers(s)) {
    try {
      loadDriver(d);
    } catch (e) {
      if (e instanceof DriverCompileError) out.push(e);
      else throw e;
    }
  }
  return out;
}

/** The compiled form of a loaded driver, by key (the debugger reads its routines' lines). */
export function loadedDriver(key: string): CompiledDriver | undefined {
  return loaded.get(key);
}
