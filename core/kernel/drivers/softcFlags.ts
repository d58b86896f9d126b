// The softc flag names of every driver model, read from each variant's own table
// (`softcFlagNames`): what a flag name such as SG_FLAG_INVALID means, per driver
// and variant. The bits can differ between the variants of one driver: sg's
// SG_FLAG_INVALID is 0x04 in the 2011 code and 0x02 after the fix.

import { VARIANTS, type Variant } from './model';
import { drivers, findDriver } from './catalogue';

export interface SoftcFlagMeaning {
  driver: string;
  variant: Variant;
  value: number;
}

// Built per catalogue: a test may run with more drivers than the built-in ones.
const tables = new WeakMap<readonly object[], Map<string, SoftcFlagMeaning[]>>();

function table(): Map<string, SoftcFlagMeaning[]> {
  const list = drivers();
  const cached = tables.get(list);
  if (cached) return cached;
  const byName = new Map<string, SoftcFlagMeaning[]>();
  tables.set(list, byName);
  for (const d of list) {
    for (const variant of VARIANTS) {
      for (const [name, value] of Object.entries(d.variants[variant].softcFlagNames)) {
        const meanings = byName.get(name) ?? [];
        meanings.push({ driver: d.name, variant, value });
        byName.set(name, meanings);
      }
    }
  }
  return byName;
}

/** Every driver and variant that has a softc flag of this name, with its bit ([] for no such flag). */
export function softcFlagMeanings(name: string): readonly SoftcFlagMeaning[] {
  return table().get(name) ?? [];
}

/** Every softc flag name of the driver models, each once. */
export function softcFlagNames(): string[] {
  return [...table().keys()];
}

/** The softc flags of one driver variant, by name. */
export function softcFlagsOf(driver: string, variant: Variant): Readonly<Record<string, number>> {
  return findDriver(driver)?.variants[variant].softcFlagNames ?? {};
}
