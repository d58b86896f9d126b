// The driver table, filled in by drivers/index.ts. Kernel functions that call
// into a driver (devfs_open's d_open, camperiphfree's dtor) look it up here at
// run time, which keeps the modules free of import cycles.

import type { DeviceConfig } from '../state';
import type { DriverName } from '../../scenario/ast';
import type { DriverModel, DriverVariantModel } from './model';

const table: Partial<Record<DriverName, DriverModel>> = {};

export function registerDriver(d: DriverModel): void {
  table[d.name] = d;
}

export function driverModel(name: DriverName): DriverModel {
  const d = table[name];
  if (!d) throw new Error(`driver ${name} is not registered`);
  return d;
}

export function variantOf(cfg: DeviceConfig): DriverVariantModel {
  return driverModel(cfg.driver).variants[cfg.variant];
}
