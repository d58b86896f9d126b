// The softc flag names of every driver model, read from each variant's own table
// (`softcFlagNames`): what a flag name such as SG_FLAG_INVALID means, per driver
// and variant. The bits can differ between the variants of one driver: sg's
// SG_FLAG_INVALID is 0x04 in the 2011 code and 0x02 after the fix.

import type { DriverName, Variant } from '../../scenario/ast';
import { DRIVER_MODELS } from './index';

export interface SoftcFlagMeaning {
  driver: DriverName;
  variant: Variant;
  value: number;
}

const VARIANTS: readonly Variant[] = ['before-fix', 'after-fix'];

let byName: Map<string, SoftcFlagMeaning[]> | undefined;

function table(): Map<string, SoftcFlagMeaning[]> {
  if (byName) return byName;
  byName = new Map();
  for (const d of DRIVER_MODELS) {
    for (const variant of VARIANTS) {
      for (const [name, value] of Object.entries(d.variants[variant].softcFlagNames)) {
        const list = byName.get(name) ?? [];
        list.push({ driver: d.name, variant, value });
        byName.set(name, list);
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
export function softcFlagsOf(driver: DriverName, variant: Variant): Readonly<Record<string, number>> {
  return DRIVER_MODELS.find((d) => d.name === driver)?.variants[variant].softcFlagNames ?? {};
}
