// pass(4), the SCSI passthrough driver: sys/cam/scsi/scsi_pass.c.
// before-fix: the 2011 code (r223089); after-fix: stable/9 2013 (r257050).

import { defineDriver } from './model';
import {
  afterFixOpen, beforeFixOpen, ioctlFn, passChecks, flagOf, type DriverNames, trackCloseVariants,
} from './common';

const n: DriverNames = { drv: 'pass', file: 'scsi_pass.c', src: 'sys/cam/scsi/scsi_pass.c', softc: 'pass_softc' };
const FLAGS = { PASS_FLAG_OPEN: 0x01, PASS_FLAG_LOCKED: 0x02, PASS_FLAG_INVALID: 0x04 };
const ioctl = ioctlFn(n);

export const pass = defineDriver({
  name: 'pass',
  racyBeforeFix: true,
  options: [],
  source: n.src,
  doc: 'pass(4): the SCSI passthrough driver (/dev/passN).',
  variants: trackCloseVariants(n, {
    flags: { 'before-fix': FLAGS, 'after-fix': FLAGS },
    openFlag: 'PASS_FLAG_OPEN',
    invalidFlag: 'PASS_FLAG_INVALID',
    open: {
      'before-fix': beforeFixOpen(n, { open: flagOf(FLAGS, 'PASS_FLAG_OPEN'), invalid: flagOf(FLAGS, 'PASS_FLAG_INVALID') }, {
        leadingNullCheck: false,
        checks: passChecks(),
        repeatComment: "Device closes aren't symmertical, so fix up the refcount",
      }),
      'after-fix': afterFixOpen(n, flagOf(FLAGS, 'PASS_FLAG_INVALID'), { leadingNullCheck: false, checks: passChecks() }),
    },
    ioctl,
    dtor: 'passcleanup',
    beforeFixDestroy: 'sched',
    summary: {
      'before-fix':
        'd_flags = 0 (no D_TRACKCLOSE): devfs calls passclose only on what it thinks is the last close. ' +
        'passopen takes a periph reference; the first open sets PASS_FLAG_OPEN and keeps it, a repeat open ' +
        'releases it again. passclose clears PASS_FLAG_OPEN and releases one reference. The periph rests at refcount 0.',
      'after-fix':
        'd_flags = D_TRACKCLOSE: devfs calls passclose for every close. Every successful passopen takes a ' +
        'reference and counts it in open_count; passclose decrements open_count and releases one reference under the ' +
        'SIM mutex. The periph rests at refcount 1 (the devfs-node reference, dropped by passdevgonecb).',
    },
  }),
});
