// sg(4), the Linux-compatible SCSI generic driver: sys/cam/scsi/scsi_sg.c.
// before-fix: the 2011 code; after-fix: head 2013-10 (r256843), same logic as stable/9.
// D_NEEDGIANT: devfs reaches sgopen/sgclose through giant_open/giant_close.

import { defineDriver } from './model';
import {
  afterFixOpen, beforeFixOpen, ioctlFn, sgChecks, flagOf, type DriverNames, trackCloseVariants,
} from './common';
import { D_NEEDGIANT } from '../constants';

const n: DriverNames = { drv: 'sg', file: 'scsi_sg.c', src: 'sys/cam/scsi/scsi_sg.c', softc: 'sg_softc' };
const BEFORE = { SG_FLAG_OPEN: 0x01, SG_FLAG_LOCKED: 0x02, SG_FLAG_INVALID: 0x04 };
const AFTER = { SG_FLAG_LOCKED: 0x01, SG_FLAG_INVALID: 0x02 };
const ioctl = ioctlFn(n);

export const sg = defineDriver({
  name: 'sg',
  racyBeforeFix: true,
  options: [],
  source: n.src,
  doc: 'sg(4): the Linux-compatible SCSI generic driver (/dev/sgN).',
  variants: trackCloseVariants(n, {
    d_flags: D_NEEDGIANT,
    flags: { 'before-fix': BEFORE, 'after-fix': AFTER },
    openFlag: 'SG_FLAG_OPEN',
    invalidFlag: 'SG_FLAG_INVALID',
    open: {
      'before-fix': beforeFixOpen(n, { open: flagOf(BEFORE, 'SG_FLAG_OPEN'), invalid: flagOf(BEFORE, 'SG_FLAG_INVALID') }, {
        leadingNullCheck: true,
        checks: sgChecks(),
        checksBeforeLock: true,
        repeatComment: "Device closes aren't symmetrical, fix up the refcount",
      }),
      'after-fix': afterFixOpen(n, flagOf(AFTER, 'SG_FLAG_INVALID'), { leadingNullCheck: true, checks: sgChecks(), checksBeforeLock: true }),
    },
    ioctl,
    dtor: 'sgcleanup',
    beforeFixDestroy: 'sync',
    summary: {
      'before-fix':
        'd_flags = D_NEEDGIANT (no D_TRACKCLOSE). sgopen takes a reference; the first open sets SG_FLAG_OPEN and keeps ' +
        'it, a repeat open releases it. sgclose clears SG_FLAG_OPEN and releases. The periph rests at refcount 0; ' +
        'sgcleanup destroys the cdev synchronously (destroy_dev).',
      'after-fix':
        'd_flags = D_NEEDGIANT | D_TRACKCLOSE: every close reaches sgclose. Each open takes a reference counted in ' +
        'open_count; each close releases one. The periph rests at refcount 1 (devfs-node reference).',
    },
  }),
});
