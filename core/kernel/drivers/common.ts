// The shapes that several CAM peripheral drivers share, written once. Each
// driver file (pass.ts, sg.ts, ...) instantiates them with its own names and
// flags, so every instance still names the driver's function and source file.

import { call, decor, iff, kfn, labelled, line, lock, ret, unlock, jump, type Ctx, type KFn, type Step, type Decor } from '../dsl';
import { CAM_REQ_CMP, D_TRACKCLOSE, ENXIO } from '../constants';
import type { DriverVariantModel } from './model';
import { SIM } from '../locks';
import {
  cam_periph_acquire,
  cam_periph_release,
  cam_periph_release_locked,
} from '../cam_periph';
import { destroy_dev, destroy_dev_sched_cb } from '../kern_conf';

export interface DriverNames {
  /** Prefix of its functions: pass, sg, ch, enc, pt, sa. */
  drv: string;
  /** Model source file, e.g. scsi_pass.c. */
  file: string;
  /** FreeBSD path, e.g. sys/cam/scsi/scsi_pass.c. */
  src: string;
  /** Softc struct name, e.g. pass_softc. */
  softc: string;
  /** How the source names the softc flags and cdev, when not softc->flags / softc->dev. */
  flagsField?: string;
  devField?: string;
}

export type Era = 'before-fix' | 'after-fix';
const ERA: Record<Era, string> = { 'before-fix': '2011, before D_TRACKCLOSE', 'after-fix': '2013, with D_TRACKCLOSE' };

export const periphArgs = (c: Ctx) => ({ dev: c.l.dev, periph: c.l.periph });

export function driverFn(n: DriverNames, name: string, era: Era | undefined, signature: string[], body: (Step | Decor)[]): KFn {
  const models = `${n.src}: ${name}()${era ? ` (${ERA[era]})` : ''}`;
  return kfn(n.file, name, models, signature, body, era);
}

const OPEN_SIG = (n: DriverNames) => ['static int', `${n.drv}open(struct cdev *dev, int flags, int fmt, struct thread *td)`, '{'];
const CLOSE_SIG = (n: DriverNames) => ['static int', `${n.drv}close(struct cdev *dev, int flag, int fmt, struct thread *td)`, '{'];

/** `periph = (struct cam_periph *)dev->si_drv1;` */
export function readPeriph(): Step {
  return line('\tperiph = (struct cam_periph *)dev->si_drv1;', (c) => { c.l.periph = c.dev.si_drv1 ? 1 : 0; });
}

/** `if (periph == NULL) return (ENXIO);` continuing at `next`. */
export function nullCheck(next: string): (Step | Decor)[] {
  return [
    iff('\tif (periph == NULL)', (c) => c.l.periph === 0, next),
    ret('\t\treturn (ENXIO);', () => ENXIO),
  ];
}

/** `if (cam_periph_acquire(periph) != CAM_REQ_CMP) return (ENXIO);` continuing at `next`. */
export function acquireOrENXIO(next: string, label = 'acq', indent = '\t'): (Step | Decor)[] {
  return [
    labelled(label, call(`${indent}status = cam_periph_acquire(periph);`, () => cam_periph_acquire, periphArgs, 'status')),
    iff(`${indent}if (status != CAM_REQ_CMP)`, (c) => c.l.status !== CAM_REQ_CMP, next),
    ret(`${indent}\treturn (ENXIO);`, () => ENXIO),
  ];
}

export const releaseCall = (code: string): Step => call(code, () => cam_periph_release, periphArgs);
export const releaseLockedCall = (code: string): Step => call(code, () => cam_periph_release_locked, periphArgs);

/** cam_periph_lock(periph): mtx_lock(periph->sim->mtx), reading the periph. */
export function periphLock(code: string): Step {
  return lock(code, SIM, (c) => { c.periph('periph->sim'); });
}

/** cam_periph_unlock(periph): reads periph->sim, so it must not follow the periph's free. */
export function periphUnlock(code: string): Step {
  return unlock(code, SIM, (c) => { c.periph('periph->sim'); });
}

/** A softc flag: its name as the source spells it and its bit, read from the variant's table. */
export interface Flag {
  name: string;
  bit: number;
}

/** The flag `name` of a softc flag table (a variant's softcFlagNames). */
export function flagOf<T extends Readonly<Record<string, number>>>(table: T, name: keyof T & string): Flag {
  return { name, bit: table[name] };
}

/** Tests a softc flag; reading the softc of a freed periph is a use after free. */
export function softcHas(c: Ctx, flag: number): boolean {
  return (c.periph('periph->softc').softc_flags & flag) !== 0;
}

/** pass's checks, which the model lets pass: scenarios open O_RDWR at securelevel 0. */
export const passChecks = (): Decor => decor('\t/* securelevel, FREAD|FWRITE and O_NONBLOCK checks pass: scenarios open O_RDWR */');
/** sg's only check, before the periph lock. */
export const sgChecks = (): Decor => decor('\t/* securelevel_gt(td->td_ucred, 1) passes: securelevel is 0 */');

/**
 * The 2011 open of pass, sg (and, by assumption, enc): the first open sets the
 * OPEN flag and keeps its reference; a repeat open drops its own reference,
 * because only one close is expected ("Device closes aren't symmetrical").
 */
export interface OpenShape {
  /** sg checks si_drv1 itself before cam_periph_acquire. */
  leadingNullCheck: boolean;
  /** The comment on the checks the model lets pass, where the driver has them (null: none). */
  checks: Decor | null;
  /** sg runs securelevel_gt before taking the periph lock. */
  checksBeforeLock?: boolean;
  /** The driver's own comment on the repeat-open release. */
  repeatComment?: string;
}

/** Both eras' opens up to `if (softc->flags & XX_FLAG_INVALID) {`, which jumps to `valid` when clear. */
function openUntilInvalidCheck(shape: OpenShape, invalid: Flag, valid: string): (Step | Decor)[] {
  return [
    readPeriph(),
    ...(shape.leadingNullCheck ? nullCheck('acq') : []),
    ...acquireOrENXIO('lock'),
    ...(shape.checksBeforeLock && shape.checks ? [shape.checks] : []),
    labelled('lock', periphLock('\tcam_periph_lock(periph);')),
    iff(`\tif (softc->flags & ${invalid.name}) {`, (c) => softcHas(c, invalid.bit), valid),
  ];
}

export function beforeFixOpen(n: DriverNames, flags: { open: Flag; invalid: Flag }, shape: OpenShape): KFn {
  return driverFn(n, `${n.drv}open`, 'before-fix', OPEN_SIG(n), [
    ...openUntilInvalidCheck(shape, flags.invalid, 'checks'),
    periphUnlock('\t\tcam_periph_unlock(periph);'),
    releaseCall('\t\tcam_periph_release(periph);'),
    ret('\t\treturn (ENXIO);', () => ENXIO),
    decor('\t}'),
    ...(!shape.checksBeforeLock && shape.checks ? [shape.checks] : []),
    labelled('checks', iff(`\tif ((softc->flags & ${flags.open.name}) == 0) {`, (c) => !softcHas(c, flags.open.bit), 'repeat')),
    line(`\t\tsoftc->flags |= ${flags.open.name};`, (c) => { c.dev.softc_flags |= flags.open.bit; }),
    periphUnlock('\t\tcam_periph_unlock(periph);'),
    jump('\t} else {', 'out'),
    decor(`\t\t/* ${shape.repeatComment ?? "Device closes aren't symmetrical, so fix up the refcount"} */`),
    labelled('repeat', periphUnlock('\t\tcam_periph_unlock(periph);')),
    releaseCall('\t\tcam_periph_release(periph);'),
    decor('\t}'),
    labelled('out', ret('\treturn (0);')),
  ]);
}

/** The 2011 close of pass, sg, ch, enc and pt: clear OPEN and drop the open's reference. */
export function beforeFixClose(n: DriverNames, open: Flag, era: Era = 'before-fix'): KFn {
  return driverFn(n, `${n.drv}close`, era, CLOSE_SIG(n), [
    readPeriph(),
    ...nullCheck('lock'),
    labelled('lock', periphLock('\tcam_periph_lock(periph);')),
    line(`\tsoftc->flags &= ~${open.name};`, (c) => { c.periph('periph->softc').softc_flags &= ~open.bit; }),
    periphUnlock('\tcam_periph_unlock(periph);'),
    releaseCall('\tcam_periph_release(periph);'),
    ret('\treturn (0);'),
  ]);
}

/**
 * The 2013 close of pass, sg, ch and enc: one reference per open, so one
 * release per close. The SIM mutex is used directly because the release may
 * free the periph.
 */
export function afterFixClose(n: DriverNames): KFn {
  return driverFn(n, `${n.drv}close`, 'after-fix', CLOSE_SIG(n), [
    readPeriph(),
    ...nullCheck('sim'),
    labelled('sim', line('\tsim = periph->sim; softc = periph->softc;', (c) => { c.periph('periph->sim'); })),
    lock('\tmtx_lock(sim->mtx);', SIM),
    line('\tsoftc->open_count--;', (c) => { c.periph('softc->open_count').open_count--; }),
    releaseLockedCall('\tcam_periph_release_locked(periph);'),
    unlock('\tmtx_unlock(sim->mtx);  /* not cam_periph_unlock(): periph may be freed */', SIM),
    ret('\treturn (0);'),
  ]);
}

/** The 2013 open of pass and sg: every successful open takes a reference and counts it. */
export function afterFixOpen(n: DriverNames, invalid: Flag, shape: OpenShape): KFn {
  return driverFn(n, `${n.drv}open`, 'after-fix', OPEN_SIG(n), [
    ...openUntilInvalidCheck(shape, invalid, 'count'),
    releaseLockedCall('\t\tcam_periph_release_locked(periph);'),
    periphUnlock('\t\tcam_periph_unlock(periph);'),
    ret('\t\treturn (ENXIO);', () => ENXIO),
    decor('\t}'),
    ...(!shape.checksBeforeLock && shape.checks ? [shape.checks] : []),
    labelled('count', line('\tsoftc->open_count++;', (c) => { c.dev.open_count++; })),
    periphUnlock('\tcam_periph_unlock(periph);'),
    ret('\treturn (0);'),
  ]);
}

/** XXioctl: a thread inside the driver holding the periph lock for a moment. */
export function ioctlFn(n: DriverNames): KFn {
  return driverFn(n, `${n.drv}ioctl`, undefined,
    ['static int', `${n.drv}ioctl(struct cdev *dev, u_long cmd, caddr_t addr, int flag, struct thread *td)`, '{'], [
      readPeriph(),
      ...nullCheck('lock'),
      labelled('lock', periphLock('\tcam_periph_lock(periph);')),
      line('\tsoftc = periph->softc;  /* the command itself is not modelled */', (c) => { c.periph('periph->softc'); }),
      periphUnlock('\tcam_periph_unlock(periph);'),
      ret('\treturn (0);'),
    ]);
}

/**
 * XXoninvalidate (SIM lock held): mark the softc invalid; the 2013 drivers also
 * ask devfs to destroy the node and call XXdevgonecb when it has drained.
 */
export function oninvalidate(n: DriverNames, era: Era, invalid: Flag, scheduleDestroy: boolean): KFn {
  return driverFn(n, `${n.drv}oninvalidate`, era, ['static void', `${n.drv}oninvalidate(struct cam_periph *periph)`, '{'], [
    line('\txpt_register_async(0, XXasync, periph, periph->path);  /* de-register */'),
    line(`\t${n.flagsField ?? 'softc->flags'} |= ${invalid.name};`, (c) => { c.periph('periph->softc').softc_flags |= invalid.bit; }),
    ...(scheduleDestroy
      ? [call(`\tdestroy_dev_sched_cb(${n.devField ?? 'softc->dev'}, ${n.drv}devgonecb, periph);`, () => destroy_dev_sched_cb, periphArgs)]
      : []),
    ret('}'),
  ]);
}

/**
 * XXcleanup / XXdtor, called by camperiphfree with the SIM lock held.
 * `sched`: destroy_dev_sched (2011 pass: d_close may be on the stack).
 * `sync`: unlock, destroy_dev, lock (2011 ch, sg; pt, sa): it waits for
 * si_threadcount to drain, so it never returns if the caller is itself a thread
 * inside a method of this cdev. `none`: the 2013 drivers, whose cdev went away
 * first (XXdevgonecb).
 */
export function cleanup(n: DriverNames, name: string, era: Era | undefined, how: 'sched' | 'sync' | 'none', note?: string): KFn {
  const body: (Step | Decor)[] = [...(note ? [decor(`\t/* ${note} */`)] : []), line('\tdevstat_remove_entry(softc->device_stats);')];
  if (how === 'sched') {
    body.push(
      periphUnlock('\tcam_periph_unlock(periph);'),
      ...(n.drv === 'pass' ? [line('\ttaskqueue_drain(taskqueue_thread, &softc->add_physpath_task);')] : []),
      decor(`\t/* ${name}() is indirectly a d_close method via ${n.drv}close, so using destroy_dev(9) directly can result in deadlock. */`),
      call('\tdestroy_dev_sched(softc->dev);', () => destroy_dev_sched_cb, periphArgs),
      periphLock('\tcam_periph_lock(periph);'),
    );
  } else if (how === 'sync') {
    body.push(
      periphUnlock('\tcam_periph_unlock(periph);'),
      call(`\tdestroy_dev(${n.devField ?? 'softc->dev'});  /* waits for si_threadcount == 0 */`, () => destroy_dev, periphArgs),
      periphLock('\tcam_periph_lock(periph);'),
    );
  }
  body.push(line('\tfree(softc, M_DEVBUF);'), ret('}'));
  return driverFn(n, name, era, ['static void', `${name}(struct cam_periph *periph)`, '{'], body);
}

/**
 * XXdevgonecb (2013): devfs will send no more closes, so release the reference
 * of every dangling open, then the devfs-node reference.
 */
export function devgonecb(n: DriverNames, negativeCountAssert = true): KFn {
  return driverFn(n, `${n.drv}devgonecb`, 'after-fix', ['static void', `${n.drv}devgonecb(void *arg)`, '{', '\tint i;', ''], [
    line('\tperiph = (struct cam_periph *)arg; sim = periph->sim;', (c) => { c.l.periph = 1; c.periph('periph->sim'); }),
    ...(negativeCountAssert ? [line('\tKASSERT(softc->open_count >= 0, ("Negative open count %d", softc->open_count));', (c) => {
      if (c.m.config.invariants && c.dev.open_count < 0) c.panic(`Negative open count ${c.dev.open_count}`);
    })] : []),
    lock('\tmtx_lock(sim->mtx);', SIM),
    line('\ti = 0;', (c) => { c.l.i = 0; }),
    labelled('loop', iff('\tfor (; i < softc->open_count; i++)', (c) => c.l.i < c.periph('softc->open_count').open_count, 'zero')),
    releaseLockedCall('\t\tcam_periph_release_locked(periph);'),
    line('\t/* i++ */', (c) => { c.l.i++; return 'loop'; }),
    labelled('zero', line('\tsoftc->open_count = 0;', (c) => { c.dev.open_count = 0; })),
    decor('\t/* Release the reference held for the device node, it is gone now. */'),
    releaseLockedCall('\tcam_periph_release_locked(periph);'),
    unlock('\tmtx_unlock(sim->mtx);', SIM),
    ret('}'),
  ]);
}

/** What differs between the drivers the fix gave D_TRACKCLOSE (pass, sg, ch, enc). */
export interface TrackCloseDriver {
  /** cdevsw flags besides D_TRACKCLOSE, in both variants (sg: D_NEEDGIANT). */
  d_flags?: number;
  /** The softc flag table of each variant (sg's and ch's bits moved in 2013). */
  flags: Record<Era, Readonly<Record<string, number>>>;
  openFlag: string;
  invalidFlag: string;
  /** A softc flag set at rest (enc: ENC_FLAG_INITIALIZED). */
  restingFlag?: string;
  open: Record<Era, KFn>;
  ioctl: KFn;
  /** The periph destructor, and how the 2011 one destroyed the cdev. */
  dtor: string;
  beforeFixDestroy: 'sched' | 'sync';
  /** Whether devgonecb asserts a non-negative open count (enc's does not). */
  devgonecbAsserts?: boolean;
  summary: Record<Era, string>;
}

/**
 * Both variants of such a driver. Before the fix: no D_TRACKCLOSE, the close
 * clears the open flag and releases, the periph rests at refcount 0. After it:
 * D_TRACKCLOSE, the close counts down open_count and releases under the SIM
 * mutex, and the devfs node holds a reference (refcount 1 at rest) that
 * devgonecb drops.
 */
export function trackCloseVariants(n: DriverNames, d: TrackCloseDriver): Record<Era, DriverVariantModel> {
  const variant = (era: Era): DriverVariantModel => {
    const flags = d.flags[era];
    const after = era === 'after-fix';
    return {
      d_flags: (d.d_flags ?? 0) | (after ? D_TRACKCLOSE : 0),
      resting: after ? 1 : 0,
      softcFlags: d.restingFlag ? flags[d.restingFlag] : 0,
      softcFlagNames: flags,
      invalidFlag: flags[d.invalidFlag],
      open: d.open[era],
      close: after ? afterFixClose(n) : beforeFixClose(n, flagOf(flags, d.openFlag)),
      ioctl: d.ioctl,
      oninvalidate: oninvalidate(n, era, flagOf(flags, d.invalidFlag), after),
      dtor: cleanup(n, d.dtor, era, after ? 'none' : d.beforeFixDestroy),
      ...(after ? { devgonecb: devgonecb(n, d.devgonecbAsserts ?? true) } : {}),
      summary: d.summary[era],
    };
  };
  return { 'before-fix': variant('before-fix'), 'after-fix': variant('after-fix') };
}
