// The CAM peripheral layer: sys/cam/cam_periph.c (FreeBSD 9, 2011-2013, before the
// 2013 "camlock" merge), plus the AC_LOST_DEVICE path of sys/cam/cam_xpt.c.
// The periph lock is the SIM mutex; refcounts are protected by the topology lock.

import { call, decor, iff, kfn, labelled, line, lock, ret, sleep, unlock, type Ctx, type KFn } from './dsl';
import {
  CAM_PERIPH_FREE,
  CAM_PERIPH_INVALID,
  CAM_PERIPH_LOCK_WANTED,
  CAM_PERIPH_LOCKED,
  CAM_PERIPH_NEW_DEV_FOUND,
  CAM_REQ_CMP,
  CAM_REQ_CMP_ERR,
  EIO,
  ENXIO,
  deviceLock,
  periphAddress,
  SIM_MTX_NAME,
} from './constants';
import { SIM, TOPO } from './locks';
import { variantOf } from './drivers/catalogue';

const FILE = 'cam_periph.c';
const SRC = 'sys/cam/cam_periph.c';

const dev = (c: Ctx) => ({ dev: c.l.dev, periph: 1 });

/**
 * Under INVARIANTS, mtx_assert(sim->mtx, MA_OWNED / MA_NOTOWNED) panics with the
 * real text. `era2013`: the assert exists only in the 2013 code, so it runs only
 * for after-fix devices.
 */
export function assertSim(c: Ctx, owned: boolean, era2013 = false): void {
  if (!c.m.config.invariants || (era2013 && c.cfg.variant !== 'after-fix')) return;
  const held = c.m.locks[deviceLock(c.l.dev, 'sim_mtx')].holder === c.pid;
  if (held !== owned) {
    c.panic(`mutex ${SIM_MTX_NAME} ${owned ? 'not owned' : 'owned'} at ${c.here()}`);
  }
}

export const cam_periph_acquire: KFn = kfn(FILE, 'cam_periph_acquire', `${SRC}: cam_periph_acquire()`,
  ['cam_status', 'cam_periph_acquire(struct cam_periph *periph)', '{', '\tcam_status status;', ''], [
    line('\tstatus = CAM_REQ_CMP_ERR;', (c) => { c.l.status = CAM_REQ_CMP_ERR; }),
    iff('\tif (periph == NULL)', (c) => c.l.periph === 0, 'lock'),
    ret('\t\treturn (status);', (c) => c.l.status),
    labelled('lock', lock('\txpt_lock_buses();', TOPO)),
    iff('\tif ((periph->flags & CAM_PERIPH_INVALID) == 0) {',
      (c) => (c.periph('periph->flags').flags & CAM_PERIPH_INVALID) === 0, 'unlock'),
    line('\t\tperiph->refcount++;', (c) => { c.periph('periph->refcount').refcount++; }),
    line('\t\tstatus = CAM_REQ_CMP;', (c) => { c.l.status = CAM_REQ_CMP; }),
    decor('\t}'),
    labelled('unlock', unlock('\txpt_unlock_buses();', TOPO)),
    ret('\treturn (status);', (c) => c.l.status),
  ]);

const FREE_SIG = ['static void', 'camperiphfree(struct cam_periph *periph)', '{'];

/** The 2011 form: the periph leaves its driver's list before the destructor runs. */
const camperiphfree2011: KFn = kfn(FILE, 'camperiphfree', `${SRC}: camperiphfree() (2011)`, FREE_SIG, [
  decor('\t/* The topology lock is held on entry. */'),
  line('\tTAILQ_REMOVE(&(*p_drv)->units, periph, unit_links);'),
  line('\t(*p_drv)->generation++;'),
  unlock('\txpt_unlock_buses();', TOPO),
  call('\tperiph->periph_dtor(periph);', (c) => variantOf(c.cfg).dtor, dev),
  line('\txpt_remove_periph(periph);'),
  line('\tfree(periph, M_CAMPERIPH);', (c) => { c.dev.freed = true; }),
  lock('\txpt_lock_buses();', TOPO),
  ret('}'),
], 'before-fix');

/** The 2013 (pre-camlock) form: CAM_PERIPH_FREE, and the list removal after the destructor. */
const camperiphfree2013: KFn = kfn(FILE, 'camperiphfree', `${SRC}: camperiphfree() (2013)`, FREE_SIG, [
  decor('\t/* The topology lock is held on entry. */'),
  line('\tperiph->flags |= CAM_PERIPH_FREE;', (c) => { c.dev.flags |= CAM_PERIPH_FREE; }),
  unlock('\txpt_unlock_buses();', TOPO),
  call('\tperiph->periph_dtor(periph);', (c) => variantOf(c.cfg).dtor, dev),
  lock('\txpt_lock_buses();', TOPO),
  line('\tTAILQ_REMOVE(&(*p_drv)->units, periph, unit_links);'),
  line('\txpt_remove_periph(periph);'),
  unlock('\txpt_unlock_buses();', TOPO),
  line('\tfree(periph, M_CAMPERIPH);', (c) => { c.dev.freed = true; }),
  lock('\txpt_lock_buses();', TOPO),
  ret('}'),
], 'after-fix');

/** camperiphfree of the device's era. */
const camperiphfree = (c: Ctx): KFn => (c.cfg.variant === 'after-fix' ? camperiphfree2013 : camperiphfree2011);

export const cam_periph_release_locked_buses: KFn = kfn(FILE, 'cam_periph_release_locked_buses',
  `${SRC}: cam_periph_release_locked_buses() (2011 panic; the 2013 KASSERT under INVARIANTS)`,
  ['void', 'cam_periph_release_locked_buses(struct cam_periph *periph)', '{'], [
    line('\tmtx_assert(periph->sim->mtx, MA_OWNED);  /* 2013; not in the 2011 code */', (c) => assertSim(c, true, true)),
    line('\tKASSERT(periph->refcount >= 1, ("periph->refcount >= 1"));  /* INVARIANTS */', (c) => {
      if (c.m.config.invariants && c.periph('periph->refcount').refcount < 1) c.panic('periph->refcount >= 1');
    }),
    iff('\tif (periph->refcount != 0) {', (c) => c.periph('periph->refcount').refcount !== 0, 'zero'),
    line('\t\tperiph->refcount--;', (c) => { c.dev.refcount--; return 'free'; }),
    decor('\t} else {'),
    labelled('zero', line('\t\tpanic("%s: release of %p when refcount is zero\\n ", __func__, periph);', (c) => {
      c.panic(`cam_periph_release_locked_buses: release of ${periphAddress(c.l.dev)} when refcount is zero`);
    })),
    decor('\t}'),
    labelled('free', iff('\tif (periph->refcount == 0 && (periph->flags & CAM_PERIPH_INVALID))',
      (c) => c.dev.refcount === 0 && (c.dev.flags & CAM_PERIPH_INVALID) !== 0, 'out')),
    call('\t\tcamperiphfree(periph);', camperiphfree, dev),
    labelled('out', ret('}')),
  ]);

export const cam_periph_release_locked: KFn = kfn(FILE, 'cam_periph_release_locked', `${SRC}: cam_periph_release_locked()`,
  ['void', 'cam_periph_release_locked(struct cam_periph *periph)', '{'], [
    iff('\tif (periph == NULL)', (c) => c.l.periph === 0, 'lock'),
    ret('\t\treturn;'),
    labelled('lock', lock('\txpt_lock_buses();', TOPO)),
    call('\tcam_periph_release_locked_buses(periph);', () => cam_periph_release_locked_buses, dev),
    unlock('\txpt_unlock_buses();', TOPO),
    ret('}'),
  ]);

export const cam_periph_release: KFn = kfn(FILE, 'cam_periph_release', `${SRC}: cam_periph_release()`,
  ['void', 'cam_periph_release(struct cam_periph *periph)', '{', '\tstruct cam_sim *sim;', ''], [
    iff('\tif (periph == NULL)', (c) => c.l.periph === 0, 'sim'),
    ret('\t\treturn;'),
    labelled('sim', line('\tsim = periph->sim;', (c) => { c.periph('periph->sim'); })),
    line('\tmtx_assert(sim->mtx, MA_NOTOWNED);', (c) => assertSim(c, false)),
    lock('\tmtx_lock(sim->mtx);', SIM),
    call('\tcam_periph_release_locked(periph);', () => cam_periph_release_locked, dev),
    unlock('\tmtx_unlock(sim->mtx);', SIM),
    ret('}'),
  ]);

export const cam_periph_hold: KFn = kfn(FILE, 'cam_periph_hold', `${SRC}: cam_periph_hold()`,
  ['int', 'cam_periph_hold(struct cam_periph *periph, int priority)', '{', '\tint error;', ''], [
    call('\tstatus = cam_periph_acquire(periph);', () => cam_periph_acquire, dev, 'status'),
    iff('\tif (status != CAM_REQ_CMP)', (c) => c.l.status !== CAM_REQ_CMP, 'owned'),
    ret('\t\treturn (ENXIO);', () => ENXIO),
    labelled('owned', line('\tmtx_assert(periph->sim->mtx, MA_OWNED);', (c) => assertSim(c, true))),
    labelled('while', iff('\twhile ((periph->flags & CAM_PERIPH_LOCKED) != 0) {',
      (c) => (c.periph('periph->flags').flags & CAM_PERIPH_LOCKED) !== 0, 'take')),
    line('\t\tperiph->flags |= CAM_PERIPH_LOCK_WANTED;', (c) => { c.dev.flags |= CAM_PERIPH_LOCK_WANTED; }),
    sleep('\t\terror = mtx_sleep(periph, periph->sim->mtx, priority, "caplck", 0);', SIM, 'caplck',
      (m, f) => m.devs[f.l.dev].freed || (m.devs[f.l.dev].flags & CAM_PERIPH_LOCKED) === 0),
    decor('\t\t/* No signals are modelled: the sleep returns 0, never EINTR/ERESTART. */'),
    iff('\t\tif (periph->flags & CAM_PERIPH_INVALID) {  /* 2013; not in the 2011 code */',
      (c) => c.cfg.variant === 'after-fix' && (c.periph('periph->flags').flags & CAM_PERIPH_INVALID) !== 0, 'again'),
    call('\t\t\tcam_periph_release_locked(periph);', () => cam_periph_release_locked, dev),
    ret('\t\t\treturn (ENXIO);', () => ENXIO),
    decor('\t\t}'),
    labelled('again', line('\t}', () => 'while')),
    labelled('take', line('\tperiph->flags |= CAM_PERIPH_LOCKED;', (c) => { c.dev.flags |= CAM_PERIPH_LOCKED; })),
    ret('\treturn (0);'),
  ]);

export const cam_periph_unhold: KFn = kfn(FILE, 'cam_periph_unhold', `${SRC}: cam_periph_unhold()`,
  ['void', 'cam_periph_unhold(struct cam_periph *periph)', '{'], [
    line('\tmtx_assert(periph->sim->mtx, MA_OWNED);', (c) => assertSim(c, true)),
    line('\tperiph->flags &= ~CAM_PERIPH_LOCKED;', (c) => { c.periph('periph->flags').flags &= ~CAM_PERIPH_LOCKED; }),
    iff('\tif ((periph->flags & CAM_PERIPH_LOCK_WANTED) != 0) {', (c) => (c.dev.flags & CAM_PERIPH_LOCK_WANTED) !== 0, 'rel'),
    line('\t\tperiph->flags &= ~CAM_PERIPH_LOCK_WANTED;', (c) => { c.dev.flags &= ~CAM_PERIPH_LOCK_WANTED; }),
    line('\t\twakeup(periph);'),
    decor('\t}'),
    labelled('rel', call('\tcam_periph_release_locked(periph);', () => cam_periph_release_locked, dev)),
    ret('}'),
  ]);

export const cam_periph_invalidate: KFn = kfn(FILE, 'cam_periph_invalidate', `${SRC}: cam_periph_invalidate()`,
  ['void', 'cam_periph_invalidate(struct cam_periph *periph)', '{'], [
    line('\tmtx_assert(periph->sim->mtx, MA_OWNED);  /* 2013; not in the 2011 code */', (c) => assertSim(c, true, true)),
    iff('\tif ((periph->flags & CAM_PERIPH_INVALID) == 0)',
      (c) => (c.periph('periph->flags').flags & CAM_PERIPH_INVALID) === 0, 'flag'),
    call('\t\tperiph->periph_oninval(periph);', (c) => variantOf(c.cfg).oninvalidate, dev),
    labelled('flag', line('\tperiph->flags |= CAM_PERIPH_INVALID;', (c) => { c.dev.flags |= CAM_PERIPH_INVALID; })),
    line('\tperiph->flags &= ~CAM_PERIPH_NEW_DEV_FOUND;', (c) => { c.dev.flags &= ~CAM_PERIPH_NEW_DEV_FOUND; }),
    lock('\txpt_lock_buses();', TOPO),
    iff('\tif (periph->refcount == 0)', (c) => c.dev.refcount === 0, 'unlock'),
    call('\t\tcamperiphfree(periph);', camperiphfree, dev),
    labelled('unlock', unlock('\txpt_unlock_buses();', TOPO)),
    ret('}'),
  ]);

/** A SCSI command and the sleep until it completes (cam_periph_ccbwait); the SIM mutex is dropped meanwhile. */
export const cam_periph_runccb: KFn = kfn(FILE, 'cam_periph_runccb', `${SRC}: cam_periph_runccb() with cam_periph_ccbwait()`,
  ['int', 'cam_periph_runccb(union ccb *ccb, int (*error_routine)(union ccb *, cam_flags, u_int32_t), ...)', '{', '\tint error;', ''], [
    line('\txpt_action(ccb);'),
    sleep('\tmsleep(&ccb->ccb_h.cbfcnp, periph->sim->mtx, PRIBIO, "cbwait", 0);  /* the command completes */', SIM, 'cbwait', () => true),
    line('\terror = (ccb->ccb_h.status & CAM_STATUS_MASK) == CAM_REQ_CMP ? 0 : EIO;', (c) => { c.l.error = c.cfg.ioError ? EIO : 0; }),
    ret('\treturn (error);', (c) => c.l.error),
  ]);

/** The SIM reports the device gone: sys/cam/cam_xpt.c xpt_async(AC_LOST_DEVICE) reaching the periph's async callback. */
export const xpt_async_lost_device: KFn = kfn('cam_xpt.c', 'xpt_async',
  'sys/cam/cam_xpt.c: xpt_async(AC_LOST_DEVICE) -> XXasync() -> cam_periph_invalidate()',
  ['void', 'xpt_async(u_int32_t async_code /* AC_LOST_DEVICE */, struct cam_path *path, void *async_arg)', '{'], [
    lock('\tmtx_lock(path->device->sim->mtx);', SIM),
    iff('\tif ((periph = cam_periph_find(path, NULL)) != NULL)  /* still in the EDT */', (c) => !c.dev.freed, 'out'),
    call('\t\tcam_periph_invalidate(periph);  /* XXasync(): case AC_LOST_DEVICE */', () => cam_periph_invalidate, dev),
    labelled('out', unlock('\tmtx_unlock(path->device->sim->mtx);', SIM)),
    ret('}'),
  ]);

export const CAM_FUNCTIONS: KFn[] = [
  cam_periph_acquire,
  cam_periph_hold,
  cam_periph_unhold,
  cam_periph_release_locked_buses,
  cam_periph_release_locked,
  cam_periph_release,
  cam_periph_invalidate,
  camperiphfree2011,
  camperiphfree2013,
  cam_periph_runccb,
  xpt_async_lost_device,
];
