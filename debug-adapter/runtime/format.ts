// How values read in the kernel are written for people: errno and flag names,
// pointers, holders.

import type { Value } from '../../core/engine/run/observe';
import { ERRNO, FLAG_CONSTANTS } from '../../core/scenario/fields';
import { flagNames } from '../../core/kernel/constants';

export function showValue(v: Value): string {
  return typeof v === 'string' ? v : String(v);
}

const ERRNO_NAME = new Map<number, string>(Object.entries(ERRNO).map(([name, n]) => [n, name]));

/** `0`, or `6 (ENXIO)`. */
export function errnoText(n: number): string {
  const name = ERRNO_NAME.get(n);
  return n !== 0 && name ? `${n} (${name})` : String(n);
}

function prefixed(prefix: string): Record<string, number> {
  return Object.fromEntries(Object.entries(FLAG_CONSTANTS).filter(([name]) => name.startsWith(prefix)));
}

/** struct cam_periph flags (sys/cam/cam_periph.h). */
export const CAM_PERIPH_FLAG_NAMES = prefixed('CAM_PERIPH_');
/** cdevsw d_flags (sys/sys/conf.h). */
export const D_FLAG_NAMES = { D_TAPE: FLAG_CONSTANTS.D_TAPE, D_TRACKCLOSE: FLAG_CONSTANTS.D_TRACKCLOSE, D_NEEDGIANT: FLAG_CONSTANTS.D_NEEDGIANT };

/** `CAM_PERIPH_INVALID|CAM_PERIPH_LOCKED (0xa)`, or `0`. */
export function flagsText(value: number, names: Readonly<Record<string, number>>): string {
  if (value === 0) return '0';
  const known = flagNames(value, names);
  const covered = Object.values(names).reduce((acc, bit) => ((value & bit) === bit ? acc | bit : acc), 0);
  const rest = value & ~covered;
  const text = known === '0' ? '' : known;
  const extra = rest ? `${text ? '|' : ''}0x${rest.toString(16)}` : '';
  return `${text}${extra} (0x${value.toString(16)})`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
