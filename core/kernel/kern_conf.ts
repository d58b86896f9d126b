// Character-device bookkeeping: sys/kern/kern_conf.c (FreeBSD 9.x): thread
// references on a cdev, count_dev, scheduled and synchronous destruction, the
// Giant wrappers of D_NEEDGIANT drivers; and the taskqueue_swi_giant thread
// that runs scheduled destructions (sys/kern/subr_taskqueue.c).

import { call, decor, iff, kfn, labelled, lock, line, ret, sleep, unlock, wait, jump, type Ctx, type KFn } from './dsl';
import { D_NEEDGIANT, ENXIO } from './constants';
import { DEVMTX, GIANT } from './locks';
import { variantOf } from './drivers/catalogue';

const FILE = 'kern_conf.c';
const SRC = 'sys/kern/kern_conf.c';
const dev = (c: Ctx) => ({ dev: c.l.dev, periph: c.dev.si_drv1 ? 1 : 0 });

export const dev_refthread: KFn = kfn(FILE, 'dev_refthread', `${SRC}: dev_refthread()`,
  ['struct cdevsw *', 'dev_refthread(struct cdev *dev, int *ref)', '{', '\tstruct cdevsw *csw;', ''], [
    lock('\tdev_lock();', DEVMTX),
    line('\tcsw = dev->si_devsw;', (c) => { c.l.csw = c.dev.si_devsw ? 1 : 0; }),
    iff('\tif (csw != NULL) {', (c) => c.l.csw === 1, 'unlock'),
    iff('\t\tif ((cdp->cdp_flags & CDP_SCHED_DTR) == 0)', (c) => !c.dev.sched_dtr, 'null'),
    line('\t\t\tdev->si_threadcount++;', (c) => { c.dev.si_threadcount++; return 'unlock'; }),
    decor('\t\telse'),
    labelled('null', line('\t\t\tcsw = NULL;', (c) => { c.l.csw = 0; })),
    decor('\t}'),
    labelled('unlock', unlock('\tdev_unlock();', DEVMTX)),
    ret('\treturn (csw);', (c) => c.l.csw),
  ]);

export const dev_relthread: KFn = kfn(FILE, 'dev_relthread', `${SRC}: dev_relthread()`,
  ['void', 'dev_relthread(struct cdev *dev, int ref)', '{'], [
    lock('\tdev_lock();', DEVMTX),
    line('\tKASSERT(dev->si_threadcount > 0, ("%s threadcount is wrong", dev->si_name));', (c) => {
      if (c.m.config.invariants && c.dev.si_threadcount <= 0) c.panic(`${c.cfg.name} threadcount is wrong`);
    }),
    line('\tdev->si_threadcount--;', (c) => { c.dev.si_threadcount--; }),
    unlock('\tdev_unlock();', DEVMTX),
    ret('}'),
  ]);

export const count_dev: KFn = kfn(FILE, 'count_dev', `${SRC}: count_dev()`,
  ['int', 'count_dev(struct cdev *dev)', '{', '\tint count;', ''], [
    lock('\tdev_lock();', DEVMTX),
    line('\tcount = dev->si_usecount;', (c) => { c.l.count = c.dev.si_usecount; }),
    unlock('\tdev_unlock();', DEVMTX),
    ret('\treturn (count);', (c) => c.l.count),
  ]);

/** destroy_dev_sched_cb() with destroy_dev_sched_cbl() folded in. */
export const destroy_dev_sched_cb: KFn = kfn(FILE, 'destroy_dev_sched_cb', `${SRC}: destroy_dev_sched_cb(), destroy_dev_sched_cbl()`,
  ['int', 'destroy_dev_sched_cb(struct cdev *dev, void (*cb)(void *), void *arg)', '{'], [
    lock('\tdev_lock();', DEVMTX),
    iff('\tif (cdp->cdp_flags & CDP_SCHED_DTR) {', (c) => c.dev.sched_dtr, 'sched'),
    unlock('\t\tdev_unlock();', DEVMTX),
    ret('\t\treturn (0);'),
    decor('\t}'),
    labelled('sched', line('\tcdp->cdp_flags |= CDP_SCHED_DTR;  /* dev_refthread() fails from now on */', (c) => { c.dev.sched_dtr = true; })),
    line('\tcdp->cdp_dtr_cb = cb; TAILQ_INSERT_TAIL(&dev_ddtr, cdp, cdp_dtr_list);', (c) => { c.m.tasks.push(c.l.dev); }),
    unlock('\tdev_unlock();', DEVMTX),
    line('\ttaskqueue_enqueue(taskqueue_swi_giant, &dev_dtr_task);'),
    ret('\treturn (1);', () => 1),
  ]);

export const destroy_devl: KFn = kfn(FILE, 'destroy_devl', `${SRC}: destroy_devl()`,
  ['static void', 'destroy_devl(struct cdev *dev)', '{', '\tstruct cdevsw *csw;', ''], [
    decor('\tmtx_assert(&devmtx, MA_OWNED);'),
    line('\tdevfs_destroy(dev);', (c) => { c.dev.named = false; }),
    line('\tdev->si_flags &= ~SI_NAMED;'),
    line('\tcsw = dev->si_devsw;'),
    line('\tdev->si_devsw = NULL;', (c) => { c.dev.si_devsw = false; }),
    labelled('drain', iff('\twhile (dev->si_threadcount != 0) {', (c) => c.dev.si_threadcount !== 0, 'drained')),
    sleep('\t\tmsleep(&csw, &devmtx, PRIBIO, "devdrn", hz / 10);', DEVMTX, 'devdrn',
      (m, f) => m.devs[f.l.dev].si_threadcount === 0),
    jump('\t}', 'drain'),
    labelled('drained', unlock('\tdev_unlock();', DEVMTX)),
    line('\tnotify_destroy(dev);'),
    lock('\tdev_lock();', DEVMTX),
    line('\tdev->si_drv1 = 0;', (c) => { c.dev.si_drv1 = false; }),
    line('\tdev->si_drv2 = 0;'),
    ret('}'),
  ]);

export const destroy_dev: KFn = kfn(FILE, 'destroy_dev', `${SRC}: destroy_dev()`,
  ['void', 'destroy_dev(struct cdev *dev)', '{'], [
    lock('\tdev_lock();', DEVMTX),
    call('\tdestroy_devl(dev);', () => destroy_devl, dev),
    unlock('\tdev_unlock_and_free();', DEVMTX),
    ret('}'),
  ]);

/** The dev_dtr_task handler: runs queued destructions, then each driver's callback. */
export const destroy_dev_tq: KFn = kfn(FILE, 'destroy_dev_tq', `${SRC}: destroy_dev_tq()`,
  ['static void', 'destroy_dev_tq(void *ctx, int pending)', '{'], [
    lock('\tdev_lock();', DEVMTX),
    labelled('loop', iff('\twhile (!TAILQ_EMPTY(&dev_ddtr)) {', (c) => c.m.tasks.length > 0, 'done')),
    line('\t\tcdp = TAILQ_FIRST(&dev_ddtr); TAILQ_REMOVE(&dev_ddtr, cdp, cdp_dtr_list);', (c) => {
      c.l.dev = c.m.tasks.shift() as number;
    }),
    line('\t\tcb = cdp->cdp_dtr_cb; cb_arg = cdp->cdp_dtr_cb_arg;', (c) => {
      c.l.cb = variantOf(c.m.config.devices[c.l.dev]).devgonecb ? 1 : 0;
    }),
    call('\t\tdestroy_devl(dev);', () => destroy_devl, (c) => ({ dev: c.l.dev })),
    unlock('\t\tdev_unlock_and_free();', DEVMTX),
    lock('\t\tdev_rel(dev);  /* dev_lock() */', DEVMTX),
    unlock('\t\t/* dev_rel(): dev_unlock() */', DEVMTX),
    iff('\t\tif (cb != NULL)', (c) => c.l.cb === 1, 'relock'),
    call('\t\t\tcb(cb_arg);', (c) => variantOf(c.m.config.devices[c.l.dev]).devgonecb ?? null,
      (c) => ({ dev: c.l.dev, periph: 1 })),
    labelled('relock', lock('\t\tdev_lock();', DEVMTX)),
    jump('\t}', 'loop'),
    labelled('done', unlock('\tdev_unlock();', DEVMTX)),
    ret('}'),
  ]);

/**
 * The software-interrupt thread of taskqueue_swi_giant. It is not MPSAFE, so
 * ithread_execute_handlers() holds Giant around each run (sys/kern/kern_intr.c).
 */
export const taskqueue_swi_giant_run: KFn = kfn('subr_taskqueue.c', 'taskqueue_swi_giant_run',
  'sys/kern/subr_taskqueue.c: taskqueue_swi_giant_run(), run by sys/kern/kern_intr.c: ithread_loop()',
  ['static void', 'taskqueue_swi_giant_run(void *dummy)', '{'], [
    labelled('idle', wait('\t/* ithread_loop(): sleep until a task is enqueued */', 'swi', (m) => m.tasks.length > 0)),
    lock('\tmtx_lock(&Giant);  /* handler is not INTR_MPSAFE */', GIANT),
    call('\ttaskqueue_run(taskqueue_swi_giant);  /* -> destroy_dev_tq() */', () => destroy_dev_tq, () => ({ dev: 0 })),
    unlock('\tmtx_unlock(&Giant);', GIANT),
    jump('}', 'idle'),
  ]);

function giantWrapper(method: 'open' | 'close' | 'ioctl'): KFn {
  const signature = {
    open: 'giant_open(struct cdev *dev, int oflags, int devtype, struct thread *td)',
    close: 'giant_close(struct cdev *dev, int fflag, int devtype, struct thread *td)',
    ioctl: 'giant_ioctl(struct cdev *dev, u_long cmd, caddr_t data, int fflag, struct thread *td)',
  }[method];
  return kfn(FILE, `giant_${method}`, `${SRC}: giant_${method}()`,
    ['static int', signature, '{', '\tstruct cdevsw *dsw;', '\tint ref, retval;', ''], [
      call('\tdsw = dev_refthread(dev, &ref);', () => dev_refthread, dev, 'dsw'),
      iff('\tif (dsw == NULL)', (c) => c.l.dsw === 0, 'giant'),
      ret('\t\treturn (ENXIO);', () => ENXIO),
      labelled('giant', lock('\tmtx_lock(&Giant);', GIANT)),
      call(`\tretval = dsw->d_gianttrick->d_${method}(dev, ...);`, (c) => variantOf(c.cfg)[method], dev, 'retval'),
      unlock('\tmtx_unlock(&Giant);', GIANT),
      call('\tdev_relthread(dev, ref);', () => dev_relthread, dev),
      ret('\treturn (retval);', (c) => c.l.retval),
    ]);
}

export const giant_open = giantWrapper('open');
export const giant_close = giantWrapper('close');
export const giant_ioctl = giantWrapper('ioctl');

/** The cdevsw method devfs calls: the driver's own, or the Giant wrapper for D_NEEDGIANT. */
export function cdevswMethod(c: Ctx, method: 'open' | 'close' | 'ioctl'): KFn {
  const v = variantOf(c.cfg);
  if (v.d_flags & D_NEEDGIANT) return { open: giant_open, close: giant_close, ioctl: giant_ioctl }[method];
  return v[method];
}

export const CONF_FUNCTIONS: KFn[] = [
  dev_refthread,
  dev_relthread,
  count_dev,
  giant_open,
  giant_close,
  giant_ioctl,
  destroy_dev_sched_cb,
  destroy_dev,
  destroy_devl,
  destroy_dev_tq,
];

export const TASKQUEUE_FUNCTIONS: KFn[] = [taskqueue_swi_giant_run];
