// pt(4), the SCSI processor target driver: sys/cam/scsi/scsi_pt.c.
// No D_TRACKCLOSE in either variant: only one open at a time succeeds (EBUSY),
// so there is no double close. The fix only switched some releases to
// cam_periph_release_locked(). before-fix: 2011; after-fix: stable/9 2013.

import { defineDriver } from './model';
import {
  acquireOrENXIO, beforeFixClose, cleanup, driverFn, ioctlFn, nullCheck, oninvalidate, periphLock, periphUnlock,
  readPeriph, releaseCall, releaseLockedCall, softcHas, flagOf, type DriverNames,
} from './common';
import { decor, iff, labelled, line, ret } from '../dsl';
import { EBUSY, ENXIO } from '../constants';

const n: DriverNames = { drv: 'pt', file: 'scsi_pt.c', src: 'sys/cam/scsi/scsi_pt.c', softc: 'pt_softc' };
const FLAGS = { PT_FLAG_OPEN: 0x01, PT_FLAG_DEVICE_INVALID: 0x02, PT_FLAG_RETRY_UA: 0x04 };
const ioctl = ioctlFn(n);

function ptopen(era: 'before-fix' | 'after-fix') {
  const invalidPath = era === 'before-fix'
    ? [periphUnlock('\t\tcam_periph_unlock(periph);'), releaseCall('\t\tcam_periph_release(periph);')]
    : [releaseLockedCall('\t\tcam_periph_release_locked(periph);'), periphUnlock('\t\tcam_periph_unlock(periph);')];
  return driverFn(n, 'ptopen', era, ['static int', 'ptopen(struct cdev *dev, int flags, int fmt, struct thread *td)', '{', '\tint error = 0;', ''], [
    readPeriph(),
    ...acquireOrENXIO('lock'),
    labelled('lock', periphLock('\tcam_periph_lock(periph);')),
    iff('\tif (softc->flags & PT_FLAG_DEVICE_INVALID) {', (c) => softcHas(c, FLAGS.PT_FLAG_DEVICE_INVALID), 'open'),
    ...invalidPath,
    ret('\t\treturn (ENXIO);', () => ENXIO),
    decor('\t}'),
    labelled('open', iff('\tif ((softc->flags & PT_FLAG_OPEN) == 0)', (c) => !softcHas(c, FLAGS.PT_FLAG_OPEN), 'busy')),
    line('\t\tsoftc->flags |= PT_FLAG_OPEN;', (c) => { c.dev.softc_flags |= FLAGS.PT_FLAG_OPEN; c.l.error = 0; return 'unlock'; }),
    decor('\telse {'),
    labelled('busy', line('\t\terror = EBUSY;', (c) => { c.l.error = EBUSY; })),
    releaseCall('\t\tcam_periph_release(periph);  /* with the SIM mutex held */'),
    decor('\t}'),
    labelled('unlock', periphUnlock('\tcam_periph_unlock(periph);')),
    ret('\treturn (error);', (c) => c.l.error ?? 0),
  ]);
}

const ptcloseAfter = driverFn(n, 'ptclose', 'after-fix', ['static int', 'ptclose(struct cdev *dev, int flag, int fmt, struct thread *td)', '{'], [
  readPeriph(),
  ...nullCheck('lock'),
  labelled('lock', periphLock('\tcam_periph_lock(periph);')),
  line('\tsoftc->flags &= ~PT_FLAG_OPEN;', (c) => { c.periph('periph->softc').softc_flags &= ~FLAGS.PT_FLAG_OPEN; }),
  releaseLockedCall('\tcam_periph_release_locked(periph);'),
  periphUnlock('\tcam_periph_unlock(periph);'),
  ret('\treturn (0);'),
]);

export const pt = defineDriver({
  name: 'pt',
  racyBeforeFix: false,
  options: [],
  source: n.src,
  doc: 'pt(4): the SCSI processor target driver (/dev/ptN).',
  variants: {
    'before-fix': {
      d_flags: 0,
      resting: 0,
      softcFlags: 0,
      softcFlagNames: FLAGS,
      invalidFlag: FLAGS.PT_FLAG_DEVICE_INVALID,
      open: ptopen('before-fix'),
      close: beforeFixClose(n, flagOf(FLAGS, 'PT_FLAG_OPEN')),
      ioctl,
      oninvalidate: oninvalidate(n, 'before-fix', flagOf(FLAGS, 'PT_FLAG_DEVICE_INVALID'), false),
      dtor: cleanup(n, 'ptdtor', 'before-fix', 'sync'),
      summary:
        'd_flags = 0 (no D_TRACKCLOSE, before and after the fix). Only one open at a time: ptopen sets PT_FLAG_OPEN, ' +
        'and a concurrent open gets EBUSY and releases its reference (with the SIM mutex held). A failed open never ' +
        'gets a close, so closes cannot double; a close can still be lost. ptclose clears PT_FLAG_OPEN and releases.',
    },
    'after-fix': {
      d_flags: 0,
      resting: 0,
      softcFlags: 0,
      softcFlagNames: FLAGS,
      invalidFlag: FLAGS.PT_FLAG_DEVICE_INVALID,
      open: ptopen('after-fix'),
      close: ptcloseAfter,
      ioctl,
      oninvalidate: oninvalidate(n, 'after-fix', flagOf(FLAGS, 'PT_FLAG_DEVICE_INVALID'), false),
      dtor: cleanup(n, 'ptdtor', 'after-fix', 'sync'),
      summary:
        'd_flags = 0: the fix only switched the invalid-open path and ptclose to cam_periph_release_locked(). ' +
        'Still one open at a time (EBUSY), so no double close.',
    },
  },
});
