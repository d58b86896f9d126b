// What a driver model provides: per variant, its cdevsw flags, its methods as
// modelled functions, and what a reader should know about it.

import type { KFn } from '../dsl';

/** Which code a device runs: the 2011 driver (before the fix) or the 2013 one. */
export type Variant = 'before-fix' | 'after-fix';
export const VARIANTS: readonly Variant[] = ['before-fix', 'after-fix'];

export interface DriverVariantModel {
  /** cdevsw d_flags (D_TRACKCLOSE, D_NEEDGIANT, D_TAPE). */
  d_flags: number;
  /** Periph refcount at rest with no opens (R0): 0 in the 2011 code, 1 with the devfs-node reference. */
  resting: number;
  /** Softc flags at rest. */
  softcFlags: number;
  /** Flag names of the softc with their bits: the one table the steps, the views and expressions read. */
  softcFlagNames: Readonly<Record<string, number>>;
  /** The softc flag that marks the driver's view of an invalidated periph. */
  invalidFlag: number;
  open: KFn;
  close: KFn;
  ioctl: KFn;
  oninvalidate: KFn;
  dtor: KFn;
  /** The destroy_dev_sched_cb callback, when the variant has one. */
  devgonecb?: KFn;
  /** One paragraph for hover texts: what this variant's open and close do. */
  summary: string;
}

export interface DriverModel<N extends string = string> {
  name: N;
  /** The cdevsw d_name, when it is not the driver's name (enc's is "ses"). */
  cdevName?: string;
  /** FreeBSD source path, e.g. sys/cam/scsi/scsi_pass.c. */
  source: string;
  variants: Record<Variant, DriverVariantModel>;
  /** One line: what the driver is. */
  doc: string;
  /** Whether its before-fix variant, opened by two processes, has the devfs close race. */
  racyBeforeFix: boolean;
  /** The device options (`with io-error`) its model acts on. */
  options: readonly string[];
  /** Modelled functions of the driver that are not cdevsw methods (chgetparams, samount, ...). */
  helpers?: readonly KFn[];
}

/** Declares a driver model, keeping its name as a literal type. */
export function defineDriver<const N extends string>(model: DriverModel<N>): DriverModel<N> {
  return model;
}
