// enc(4)/ses, SCSI and SAF-TE enclosure services: sys/cam/scsi/scsi_enc.c.
// after-fix: stable/9 2013-09 (r255534). before-fix: no pre-fix copy was read;
// it is modelled like pass's 2011 code, as the commit message suggests.

import { defineDriver } from './model';
import {
  beforeFixOpen, ioctlFn, driverFn, readPeriph, nullCheck, acquireOrENXIO, releaseLockedCall, softcHas, periphLock, periphUnlock, flagOf, type DriverNames, trackCloseVariants,
} from './common';
import { iff, labelled, line, ret, decor } from '../dsl';
import { ENXIO } from '../constants';

// The source names its functions enc_open, enc_close, enc_ioctl, enc_oninvalidate, enc_devgonecb, enc_dtor.
const n: DriverNames = { drv: 'enc_', file: 'scsi_enc.c', src: 'sys/cam/scsi/scsi_enc.c', softc: 'enc_softc', flagsField: 'enc->enc_flags', devField: 'enc->enc_dev' };
/** ENC_FLAG_OPEN is assumed for the unread 2011 code. */
const BEFORE = { ENC_FLAG_INVALID: 0x01, ENC_FLAG_INITIALIZED: 0x02, ENC_FLAG_SHUTDOWN: 0x04, ENC_FLAG_OPEN: 0x08 };
const AFTER = { ENC_FLAG_INVALID: 0x01, ENC_FLAG_INITIALIZED: 0x02, ENC_FLAG_SHUTDOWN: 0x04 };
const ioctl = ioctlFn(n);

const afterOpen = driverFn(n, 'enc_open', 'after-fix',
  ['static int', 'enc_open(struct cdev *dev, int flags, int fmt, struct thread *td)', '{', '\tint error = 0;', ''], [
    readPeriph(),
    ...nullCheck('acq'),
    ...acquireOrENXIO('lock'),
    labelled('lock', periphLock('\tcam_periph_lock(periph);')),
    iff('\tif ((enc->enc_flags & ENC_FLAG_INITIALIZED) == 0) {', (c) => !softcHas(c, AFTER.ENC_FLAG_INITIALIZED), 'inval'),
    line('\t\terror = ENXIO;', (c) => { c.l.error = ENXIO; return 'out'; }),
    labelled('inval', iff('\t} else if (enc->enc_flags & ENC_FLAG_INVALID) {', (c) => softcHas(c, AFTER.ENC_FLAG_INVALID), 'out')),
    line('\t\terror = ENXIO;', (c) => { c.l.error = ENXIO; }),
    decor('\t}'),
    labelled('out', iff('\tif (error != 0)', (c) => (c.l.error ?? 0) !== 0, 'count')),
    releaseLockedCall('\t\tcam_periph_release_locked(periph);'),
    line('\telse', () => 'unlock'),
    labelled('count', line('\t\tenc->open_count++;', (c) => { c.dev.open_count++; })),
    labelled('unlock', periphUnlock('\tcam_periph_unlock(periph);')),
    ret('\treturn (error);', (c) => c.l.error ?? 0),
  ]);

export const enc = defineDriver({
  name: 'enc',
  racyBeforeFix: true,
  options: [],
  source: n.src,
  cdevName: 'ses',
  doc: 'enc(4)/ses(4): SCSI enclosure services (/dev/sesN).',
  variants: trackCloseVariants(n, {
    flags: { 'before-fix': BEFORE, 'after-fix': AFTER },
    openFlag: 'ENC_FLAG_OPEN',
    invalidFlag: 'ENC_FLAG_INVALID',
    restingFlag: 'ENC_FLAG_INITIALIZED',
    open: {
      'before-fix': beforeFixOpen(n, { open: flagOf(BEFORE, 'ENC_FLAG_OPEN'), invalid: flagOf(BEFORE, 'ENC_FLAG_INVALID') }, { leadingNullCheck: true, checks: null }),
      'after-fix': afterOpen,
    },
    ioctl,
    dtor: 'enc_dtor',
    beforeFixDestroy: 'sched',
    devgonecbAsserts: false,
    summary: {
      'before-fix':
        'No pre-fix enc(4) code was read: this variant is modelled like the 2011 pass(4) code (d_flags = 0; the first ' +
        'open keeps its reference, a repeat open releases it; enc_close clears the assumed ENC_FLAG_OPEN and releases).',
      'after-fix':
        'd_flags = D_TRACKCLOSE. enc_open takes a reference; if the enclosure is not ENC_FLAG_INITIALIZED or is ' +
        'ENC_FLAG_INVALID it releases it (ENXIO), otherwise counts it in open_count. enc_close decrements open_count ' +
        'and releases under the SIM mutex. The periph rests at refcount 1.',
    },
  }),
});
