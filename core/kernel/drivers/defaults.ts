// The routines a driver written in a scenario (`driver NAME { ... }`) does not
// write itself, taken from pass(4) (sys/cam/scsi/scsi_pass.c): its ioctl, its
// periph destructor, and, when it gives none, its devgonecb and oninvalidate.
// They are shared by every such driver and shown in their own model source,
// scenario_driver.c. Which ones a driver gets: core/engine/driver/compileDriver.ts.

import { call, kfn, line, ret, type KFn } from '../dsl';
import { destroy_dev_sched_cb } from '../kern_conf';
import { cleanup, devgonecb, ioctlFn, periphArgs, type DriverNames } from './common';

const n: DriverNames = { drv: 'driver_', file: 'scenario_driver.c', src: 'sys/cam/scsi/scsi_pass.c', softc: 'softc' };

/** Names the pass function a default follows (driverFn would name `driver_ioctl()` in scsi_pass.c, which does not exist). */
function after(fn: KFn, passFn: string, era?: string): KFn {
  fn.models = `${n.src}: ${passFn}()${era ? ` (${era})` : ''}, the default of a driver written in a scenario`;
  fn.variant = undefined;
  return fn;
}

/** passioctl: holds the periph lock for a moment. */
export const driver_ioctl = after(ioctlFn(n), 'passioctl');

/** passcleanup of 2013: the cdev went away first (devgonecb). */
export const driver_cleanup = after(cleanup(n, 'driver_cleanup', undefined, 'none'), 'passcleanup', '2013');

/** passcleanup of 2011: destroys the cdev itself (destroy_dev_sched), for a driver without a devgonecb. */
export const driver_cleanup_sched = after(cleanup(n, 'driver_cleanup_sched', undefined, 'sched'), 'passcleanup', '2011');

/** passdevgonecb of 2013: releases the reference of every dangling open, then the devfs-node reference. */
export const driver_devgonecb = after(devgonecb(n), 'passdevgonecb', '2013');

/** passoninvalidate of 2013 without the softc flag (a driver that declares none): asks devfs to destroy the node. */
export const driver_oninvalidate = after(kfn(n.file, 'driver_oninvalidate', '', ['static void', 'driver_oninvalidate(struct cam_periph *periph)', '{'], [
  line('\txpt_register_async(0, XXasync, periph, periph->path);  /* de-register */'),
  call('\tdestroy_dev_sched_cb(softc->dev, devgonecb, periph);', () => destroy_dev_sched_cb, periphArgs),
  ret('}'),
]), 'passoninvalidate', '2013');

/** passoninvalidate of 2011 without the softc flag: nothing but de-registering. */
export const driver_oninvalidate_2011 = after(kfn(n.file, 'driver_oninvalidate_2011', '', ['static void', 'driver_oninvalidate_2011(struct cam_periph *periph)', '{'], [
  line('\txpt_register_async(0, XXasync, periph, periph->path);  /* de-register */'),
  ret('}'),
]), 'passoninvalidate', '2011');

export const SCENARIO_DRIVER_DEFAULTS: readonly KFn[] = [
  driver_ioctl, driver_cleanup, driver_cleanup_sched, driver_devgonecb, driver_oninvalidate, driver_oninvalidate_2011,
];
