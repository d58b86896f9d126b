// sa(4), the SCSI sequential-access (tape) driver: sys/cam/scsi/scsi_sa.c (2011).
// Not changed by the fix: both variants are the same code. Only the data node
// is modelled (the control node, SA_IS_CTRL, is not).

import { defineDriver, type DriverVariantModel } from './model';
import {
  acquireOrENXIO, cleanup, driverFn, ioctlFn, nullCheck, oninvalidate, periphArgs, periphLock, periphUnlock,
  readPeriph, releaseCall, softcHas, flagOf, type DriverNames,
} from './common';
import { call, decor, iff, kfn, labelled, line, ret } from '../dsl';
import { D_NEEDGIANT, D_TAPE, EBUSY, ENXIO } from '../constants';
import { cam_periph_hold, cam_periph_runccb, cam_periph_unhold } from '../cam_periph';

const n: DriverNames = { drv: 'sa', file: 'scsi_sa.c', src: 'sys/cam/scsi/scsi_sa.c', softc: 'sa_softc' };
const FLAGS = { SA_FLAG_OPEN: 0x0001, SA_FLAG_INVALID: 0x0004 };

function tapeIo(name: string, what: string) {
  return kfn(n.file, name, `${n.src}: ${name}()`, ['static int', `${name}(struct cam_periph *periph, ...)`, '{', '\tint error;', ''], [
    line(`\t/* ${what} */`),
    call('\terror = cam_periph_runccb(ccb, saerror, 0, SF_NO_PRINT, softc->device_stats);', () => cam_periph_runccb, periphArgs, 'error'),
    ret('\treturn (error);', (c) => c.l.error),
  ]);
}

const samount = tapeIo('samount', 'TEST UNIT READY, READ BLOCK LIMITS, MODE SENSE');
const sarewind = tapeIo('sarewind', 'write filemarks if needed, then REWIND');
const hold = (code: string) => call(code, () => cam_periph_hold, periphArgs, 'error');
const unhold = (code: string) => call(code, () => cam_periph_unhold, periphArgs);

const saopen = driverFn(n, 'saopen', undefined, ['static int', 'saopen(struct cdev *dev, int flags, int fmt, struct thread *td)', '{', '\tint error;', ''], [
  readPeriph(),
  ...acquireOrENXIO('lock'),
  labelled('lock', periphLock('\tcam_periph_lock(periph);')),
  decor('\t/* SA_IS_CTRL(dev): the control node is not modelled */'),
  hold('\terror = cam_periph_hold(periph, PRIBIO|PCATCH);'),
  iff('\tif (error != 0) {', (c) => c.l.error !== 0, 'busy'),
  periphUnlock('\t\tcam_periph_unlock(periph);'),
  releaseCall('\t\tcam_periph_release(periph);'),
  ret('\t\treturn (error);', (c) => c.l.error),
  decor('\t}'),
  labelled('busy', iff('\tif (softc->flags & SA_FLAG_OPEN) {', (c) => softcHas(c, FLAGS.SA_FLAG_OPEN), 'inval')),
  line('\t\terror = EBUSY;', (c) => { c.l.error = EBUSY; return 'check'; }),
  labelled('inval', iff('\t} else if (softc->flags & SA_FLAG_INVALID) {', (c) => softcHas(c, FLAGS.SA_FLAG_INVALID), 'mount')),
  line('\t\terror = ENXIO;', (c) => { c.l.error = ENXIO; return 'check'; }),
  decor('\t} else {'),
  labelled('mount', call('\t\terror = samount(periph, flags, dev);', () => samount, periphArgs, 'error')),
  decor('\t}'),
  labelled('check', iff('\tif (error) {', (c) => c.l.error !== 0, 'ok')),
  unhold('\t\tcam_periph_unhold(periph);'),
  periphUnlock('\t\tcam_periph_unlock(periph);'),
  releaseCall('\t\tcam_periph_release(periph);'),
  ret('\t\treturn (error);', (c) => c.l.error),
  decor('\t}'),
  labelled('ok', line('\tsaprevent(periph, PR_PREVENT);')),
  line('\tsoftc->flags |= SA_FLAG_OPEN;', (c) => { c.dev.softc_flags |= FLAGS.SA_FLAG_OPEN; }),
  unhold('\tcam_periph_unhold(periph);'),
  periphUnlock('\tcam_periph_unlock(periph);'),
  ret('\treturn (error);', (c) => c.l.error),
]);

const saclose = driverFn(n, 'saclose', undefined, ['static int', 'saclose(struct cdev *dev, int flag, int fmt, struct thread *td)', '{', '\tint error;', ''], [
  readPeriph(),
  ...nullCheck('lock'),
  labelled('lock', periphLock('\tcam_periph_lock(periph);')),
  decor('\t/* SA_IS_CTRL(dev) and open_pending_mount are not modelled */'),
  hold('\terror = cam_periph_hold(periph, PRIBIO);'),
  iff('\tif (error != 0) {', (c) => c.l.error !== 0, 'tape'),
  periphUnlock('\t\tcam_periph_unlock(periph);'),
  ret('\t\treturn (error);  /* without releasing the open\'s reference */', (c) => c.l.error),
  decor('\t}'),
  labelled('tape', call('\terror = sarewind(periph);', () => sarewind, periphArgs, 'error')),
  line('\tsoftc->flags &= ~(SA_FLAG_OPEN|SA_FLAG_TAPE_WRITTEN|...);', (c) => { c.periph('periph->softc').softc_flags &= ~FLAGS.SA_FLAG_OPEN; }),
  unhold('\tcam_periph_unhold(periph);'),
  periphUnlock('\tcam_periph_unlock(periph);'),
  releaseCall('\tcam_periph_release(periph);'),
  ret('\treturn (error);', (c) => c.l.error),
]);

const variant = (era: 'before-fix' | 'after-fix'): DriverVariantModel => ({
  d_flags: D_TAPE | D_NEEDGIANT,
  resting: 0,
  softcFlags: 0,
  softcFlagNames: FLAGS,
  invalidFlag: FLAGS.SA_FLAG_INVALID,
  open: saopen,
  close: saclose,
  ioctl: sharedIoctl,
  oninvalidate: sharedOninval,
  dtor: sharedCleanup,
  summary:
    (era === 'after-fix' ? 'sa(4) was not changed by the fix: this is the same code as before-fix. ' : '') +
    'd_flags = D_TAPE | D_NEEDGIANT (no D_TRACKCLOSE). saopen takes a reference and holds the periph; a second open ' +
    'gets EBUSY while SA_FLAG_OPEN is set, and releases. saclose holds the periph, rewinds (SCSI I/O), clears ' +
    'SA_FLAG_OPEN, unholds and releases. One context at a time, so no double close.',
});
const sharedIoctl = ioctlFn(n);
const sharedOninval = oninvalidate(n, 'before-fix', flagOf(FLAGS, 'SA_FLAG_INVALID'), false);
const sharedCleanup = cleanup({ ...n, devField: 'softc->devs.ctl_dev' }, 'sacleanup', undefined, 'sync',
  'the real code also destroys every mode node (r_dev, nr_dev, er_dev); only one node is modelled');

export const sa = defineDriver({
  name: 'sa',
  racyBeforeFix: false,
  options: ['io-error'],
  helpers: [samount, sarewind],
  source: n.src,
  doc: 'sa(4): the SCSI tape driver (/dev/saN); unchanged by the fix.',
  variants: { 'before-fix': variant('before-fix'), 'after-fix': variant('after-fix') },
});
