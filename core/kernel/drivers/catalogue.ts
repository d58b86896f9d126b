// The catalogue: the one list of driver models. Every list of drivers in the
// project (the language's driver names, completion, hover, the checker, the
// kernel function table) is read from here.

import type { DeviceConfig } from '../state';
import type { DriverModel, DriverVariantModel } from './model';
import { pass } from './pass';
import { sg } from './sg';
import { ch } from './ch';
import { enc } from './enc';
import { pt } from './pt';
import { sa } from './sa';

/** Every driver the kernel models, in the order the editor lists them. */
export const DRIVERS = [pass, sg, ch, enc, pt, sa] as const;

/** The name of a built-in driver. */
export type DriverName = (typeof DRIVERS)[number]['name'];

let active: readonly DriverModel[] = DRIVERS;

/**
 * The drivers in use: DRIVERS, unless a caller of `withDrivers` (kernel/extend.ts)
 * runs with more. Read it at the time of use, never copy it at load time.
 */
export function drivers(): readonly DriverModel[] {
  return active;
}

/** The names of the drivers in use. */
export function driverNames(): string[] {
  return active.map((d) => d.name);
}

/** The model of a driver in use, by name. */
export function findDriver(name: string): DriverModel | undefined {
  return active.find((d) => d.name === name);
}

export function driverModel(name: string): DriverModel {
  const d = findDriver(name);
  if (!d) throw new Error(`driver ${name} is not in the catalogue`);
  return d;
}

/**
 * Drivers that scenarios declare themselves, by key (core/engine/driver registers
 * and evicts them). A device reaches its model through its config's `driverKey`,
 * never through the driver's name: two scenarios may each declare a `mypass`, and
 * a long-lived process (the debug adapter, the language server) sees many.
 */
const scenarioDrivers = new Map<string, DriverModel>();

export function registerScenarioDriver(key: string, model: DriverModel): void {
  scenarioDrivers.set(key, model);
}

export function unregisterScenarioDriver(key: string): void {
  scenarioDrivers.delete(key);
}

/** The model of a scenario's own driver, by its key. */
export function scenarioDriver(key: string): DriverModel | undefined {
  return scenarioDrivers.get(key);
}

/** The driver model a device runs: the scenario's own (by key) or one in the catalogue (by name). */
export function deviceDriver(cfg: DeviceConfig): DriverModel {
  if (cfg.driverKey === undefined) return driverModel(cfg.driver);
  const d = scenarioDrivers.get(cfg.driverKey);
  if (!d) throw new Error(`driver ${cfg.driver} of this scenario is not loaded`);
  return d;
}

export function variantOf(cfg: DeviceConfig): DriverVariantModel {
  return deviceDriver(cfg).variants[cfg.variant];
}

/** Runs `fn` with `list` as the drivers in use; kernel/extend.ts's withDrivers is the public form. */
export function runWithCatalogue<T>(list: readonly DriverModel[], fn: () => T): T {
  const previous = active;
  active = list;
  try {
    return fn();
  } finally {
    active = previous;
  }
}
