// ch(4), the SCSI media changer driver: sys/cam/scsi/scsi_ch.c.
// before-fix: the 2011 code (r228136); after-fix: head 2013-05-18 (r250792).
// chopen does SCSI I/O (chgetparams) and sleeps in cam_periph_hold: both drop
// the SIM mutex, so its windows are wider than pass's.

import { defineDriver } from './model';
import {
  acquireOrENXIO, driverFn, ioctlFn, periphArgs, periphLock, periphUnlock, readPeriph, releaseCall, releaseLockedCall, softcHas, type DriverNames, trackCloseVariants,
} from './common';
import { call, decor, iff, kfn, labelled, line, ret } from '../dsl';
import { ENXIO } from '../constants';
import { cam_periph_hold, cam_periph_runccb, cam_periph_unhold } from '../cam_periph';

const n: DriverNames = { drv: 'ch', file: 'scsi_ch.c', src: 'sys/cam/scsi/scsi_ch.c', softc: 'ch_softc' };
const BEFORE = { CH_FLAG_INVALID: 0x001, CH_FLAG_OPEN: 0x002 };
const AFTER = { CH_FLAG_INVALID: 0x001 };
const ioctl = ioctlFn(n);

/** Reads the element address assignment page: one SCSI MODE SENSE. `with io-error` makes it fail. */
const chgetparams = kfn(n.file, 'chgetparams', `${n.src}: chgetparams()`,
  ['static int', 'chgetparams(struct cam_periph *periph)', '{', '\tint error;', ''], [
    line('\tccb = cam_periph_getccb(periph, CAM_PRIORITY_NORMAL);'),
    line('\tscsi_mode_sense(&ccb->csio, ... CH_ELEMENT_ADDR_ASSIGN_PAGE ...);'),
    call('\terror = cam_periph_runccb(ccb, cherror, CAM_RETRY_SELTO, SF_RETRY_UA, ...);', () => cam_periph_runccb, periphArgs, 'error'),
    line('\txpt_release_ccb(ccb);'),
    ret('\treturn (error);', (c) => c.l.error),
  ]);

const holdCall = () => call('\terror = cam_periph_hold(periph, PRIBIO | PCATCH);', () => cam_periph_hold, periphArgs, 'error');
const unholdCall = (code: string) => call(code, () => cam_periph_unhold, periphArgs);

/** Both chopens from cam_periph_hold to `if (error != 0)` after chgetparams, which jumps to `ok` when clear. */
const holdAndGetParams = () => [
  labelled('hold', holdCall()),
  iff('\tif (error != 0) {', (c) => c.l.error !== 0, 'params'),
  periphUnlock('\t\tcam_periph_unlock(periph);'),
  releaseCall('\t\tcam_periph_release(periph);'),
  ret('\t\treturn (error);', (c) => c.l.error),
  decor('\t}'),
  labelled('params', call('\terror = chgetparams(periph);', () => chgetparams, periphArgs, 'error')),
  iff('\tif (error != 0) {', (c) => c.l.error !== 0, 'ok'),
];

const openBefore = driverFn(n, 'chopen', 'before-fix', ['static int', 'chopen(struct cdev *dev, int flags, int fmt, struct thread *td)', '{', '\tint error = 0;', ''], [
  readPeriph(),
  ...acquireOrENXIO('lock'),
  labelled('lock', periphLock('\tcam_periph_lock(periph);')),
  iff('\tif (softc->flags & CH_FLAG_INVALID) {', (c) => softcHas(c, BEFORE.CH_FLAG_INVALID), 'open'),
  periphUnlock('\t\tcam_periph_unlock(periph);'),
  releaseCall('\t\tcam_periph_release(periph);'),
  ret('\t\treturn (ENXIO);', () => ENXIO),
  decor('\t}'),
  labelled('open', iff('\tif ((softc->flags & CH_FLAG_OPEN) == 0)', (c) => !softcHas(c, BEFORE.CH_FLAG_OPEN), 'repeat')),
  line('\t\tsoftc->flags |= CH_FLAG_OPEN;', (c) => { c.dev.softc_flags |= BEFORE.CH_FLAG_OPEN; return 'hold'; }),
  decor('\telse  /* released with the SIM mutex held: cam_periph_release asserts MA_NOTOWNED */'),
  labelled('repeat', releaseCall('\t\tcam_periph_release(periph);')),
  ...holdAndGetParams(),
  line('\t\tsoftc->flags &= ~CH_FLAG_OPEN;  /* no cam_periph_unhold(): CAM_PERIPH_LOCKED stays set */', (c) => { c.periph('periph->softc').softc_flags &= ~BEFORE.CH_FLAG_OPEN; }),
  periphUnlock('\t\tcam_periph_unlock(periph);'),
  releaseCall('\t\tcam_periph_release(periph);'),
  ret('\t\treturn (error);', (c) => c.l.error),
  decor('\t}'),
  labelled('ok', unholdCall('\tcam_periph_unhold(periph);')),
  periphUnlock('\tcam_periph_unlock(periph);'),
  ret('\treturn (error);', (c) => c.l.error),
]);

const openAfter = driverFn(n, 'chopen', 'after-fix', ['static int', 'chopen(struct cdev *dev, int flags, int fmt, struct thread *td)', '{', '\tint error = 0;', ''], [
  readPeriph(),
  ...acquireOrENXIO('lock'),
  labelled('lock', periphLock('\tcam_periph_lock(periph);')),
  iff('\tif (softc->flags & CH_FLAG_INVALID) {', (c) => softcHas(c, AFTER.CH_FLAG_INVALID), 'hold'),
  releaseLockedCall('\t\tcam_periph_release_locked(periph);'),
  periphUnlock('\t\tcam_periph_unlock(periph);'),
  ret('\t\treturn (ENXIO);', () => ENXIO),
  decor('\t}'),
  ...holdAndGetParams(),
  unholdCall('\t\tcam_periph_unhold(periph);'),
  releaseLockedCall('\t\tcam_periph_release_locked(periph);'),
  periphUnlock('\t\tcam_periph_unlock(periph);'),
  ret('\t\treturn (error);', (c) => c.l.error),
  decor('\t}'),
  labelled('ok', unholdCall('\tcam_periph_unhold(periph);')),
  line('\tsoftc->open_count++;', (c) => { c.dev.open_count++; }),
  periphUnlock('\tcam_periph_unlock(periph);'),
  ret('\treturn (error);', (c) => c.l.error),
]);

export const ch = defineDriver({
  name: 'ch',
  racyBeforeFix: true,
  options: ['io-error'],
  helpers: [chgetparams],
  source: n.src,
  doc: 'ch(4): the SCSI media changer driver (/dev/chN).',
  variants: trackCloseVariants(n, {
    flags: { 'before-fix': BEFORE, 'after-fix': AFTER },
    openFlag: 'CH_FLAG_OPEN',
    invalidFlag: 'CH_FLAG_INVALID',
    open: { 'before-fix': openBefore, 'after-fix': openAfter },
    ioctl,
    dtor: 'chcleanup',
    beforeFixDestroy: 'sync',
    summary: {
      'before-fix':
        'd_flags = 0 (no D_TRACKCLOSE). chopen takes a reference; the first open sets CH_FLAG_OPEN, a repeat open ' +
        'releases (with the SIM mutex still held). It then holds the periph (cam_periph_hold) and reads parameters ' +
        '(chgetparams, SCSI I/O): both sleep and drop the SIM mutex. If chgetparams fails it clears CH_FLAG_OPEN and ' +
        'releases, but never unholds, so CAM_PERIPH_LOCKED stays set. chclose clears CH_FLAG_OPEN and releases.',
      'after-fix':
        'd_flags = D_TRACKCLOSE. chopen takes a reference, holds the periph, reads parameters (chgetparams), unholds and ' +
        'counts the open in open_count; on a chgetparams error it unholds and releases. chclose decrements open_count ' +
        'and releases under the SIM mutex. The periph rests at refcount 1.',
    },
  }),
});
