// What a flag name in an expression means in a scenario. The CAM periph and
// cdevsw flags (fields.ts FLAG_CONSTANTS) are the same for every device. A
// driver's softc flags come from its model (core/kernel/drivers), and a name can
// mean different bits in the two variants (SG_FLAG_INVALID is 0x04 before the fix,
// 0x02 after): it means the bit of the scenario's devices of that driver, and is
// rejected when they disagree or when a device's variant has no such flag.

import type { DeviceDecl, Scenario, Variant } from './ast';
import { driverNames } from './ast';
import { FLAG_CONSTANTS } from './fields';
import { softcFlagMeanings, softcFlagNames, softcFlagsOf } from '../kernel/drivers/softcFlags';

export type FlagLookup =
  | { ok: true; value: number; /** Whose flag it is, in words: `sg after-fix`, `struct cam_periph`. */ owner: string }
  | { ok: false; code: 'ambiguous-flag' | 'flag-not-in-variant'; message: string };

const hex = (v: number): string => `0x${v.toString(16)}`;

/** Every flag name expressions know, kernel-wide and of any driver. */
export function flagConstantNames(): string[] {
  return [...Object.keys(FLAG_CONSTANTS), ...softcFlagNames()];
}

function kernelOwner(name: string): string {
  return name.startsWith('CAM_PERIPH_') ? 'struct cam_periph flags (sys/cam/cam_periph.h)' : 'cdevsw d_flags (sys/sys/conf.h)';
}

interface Device {
  name: string;
  driver: string;
  variant: Variant;
}

function devicesOf(s: Scenario, driver: string): Device[] {
  return s.devices
    .filter((d: DeviceDecl) => d.driver.name === driver)
    .map((d) => ({ name: d.name.name, driver, variant: d.variant?.name === 'before-fix' ? 'before-fix' : 'after-fix' }));
}

/** The softc flags named `name` of the drivers written in the scenario itself. */
function ownFlagMeanings(name: string, s: Scenario): { driver: string; value: number }[] {
  return (s.drivers ?? []).flatMap((d) => d.softcFlags.filter((f) => f.name.name === name).map((f) => ({ driver: d.name.name, value: f.value })));
}

/** The softc flag names of the drivers written in the scenario. */
export function ownFlagNames(s: Scenario): string[] {
  return [...new Set((s.drivers ?? []).flatMap((d) => d.softcFlags.map((f) => f.name.name)))];
}

/** The meaning of `name` in scenario `s`; undefined when it is no flag name at all. */
export function lookupFlag(name: string, s: Scenario): FlagLookup | undefined {
  if (Object.prototype.hasOwnProperty.call(FLAG_CONSTANTS, name)) return { ok: true, value: FLAG_CONSTANTS[name], owner: kernelOwner(name) };
  const own = ownFlagMeanings(name, s);
  if (own.length) {
    if (new Set(own.map((m) => m.value)).size === 1) return { ok: true, value: own[0].value, owner: `${own.map((m) => m.driver).join(' and ')} softc flags` };
    const each = own.map((m) => `${hex(m.value)} in driver ${m.driver}`).join(' and ');
    return { ok: false, code: 'ambiguous-flag', message: `${name} is ${each}: write the bit as a number` };
  }
  const meanings = softcFlagMeanings(name);
  if (!meanings.length) return undefined;
  const driver = meanings[0].driver;
  const devices = devicesOf(s, driver);
  if (!devices.length) {
    // No device to say which variant: fine as long as every variant that has it agrees.
    const values = new Set(meanings.map((m) => m.value));
    if (values.size === 1) return { ok: true, value: meanings[0].value, owner: `${driver} softc flags` };
    const each = meanings.map((m) => `${hex(m.value)} in ${driver} ${m.variant}`).join(' and ');
    return { ok: false, code: 'ambiguous-flag', message: `${name} is ${each}: declare the ${driver} device it is about, or write the bit as a number` };
  }
  const lacking = devices.find((d) => !Object.prototype.hasOwnProperty.call(softcFlagsOf(d.driver, d.variant), name));
  if (lacking) {
    const has = Object.keys(softcFlagsOf(lacking.driver, lacking.variant)).join(', ');
    return { ok: false, code: 'flag-not-in-variant', message: `${name} is not a flag of ${lacking.driver} ${lacking.variant} (device ${lacking.name}); its softc flags are ${has}` };
  }
  const valueOf = (d: Device): number => softcFlagsOf(d.driver, d.variant)[name];
  const variants = [...new Set(devices.map((d) => d.variant))];
  if (new Set(devices.map(valueOf)).size > 1) {
    const each = variants.map((v) => `${hex(valueOf(devices.find((d) => d.variant === v)!))} for ${devices.filter((d) => d.variant === v).map((d) => d.name).join(', ')} (${driver} ${v})`).join(' and ');
    return { ok: false, code: 'ambiguous-flag', message: `${name} is ambiguous in this scenario: it is ${each}; write the bit as a number` };
  }
  return { ok: true, value: valueOf(devices[0]), owner: `${driver} ${variants.join(' and ')} softc flags` };
}

/** The flag names that mean one bit in `s`, for completion: kernel-wide ones, then those of its devices' drivers. */
export function scenarioFlags(s: Scenario): { name: string; value: number; owner: string }[] {
  const out: { name: string; value: number; owner: string }[] = [];
  const drivers = driverNames().filter((d) => s.devices.some((x) => x.driver.name === d));
  const names = [...Object.keys(FLAG_CONSTANTS), ...ownFlagNames(s), ...softcFlagNames().filter((n) => drivers.includes(softcFlagMeanings(n)[0].driver))];
  for (const name of names) {
    const f = lookupFlag(name, s);
    if (f?.ok) out.push({ name, value: f.value, owner: f.owner });
  }
  return out;
}
