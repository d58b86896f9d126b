// The kernel calls a driver written in C inside a scenario may make: the one
// table the checker (names, arity, did-you-mean), the language server (hover,
// completion) and the driver compiler (core/engine/driver) read.

export interface KernelCall {
  name: string;
  /** The parameters as the real prototype names them. */
  params: readonly string[];
  /** The C prototype, as in the FreeBSD header. */
  prototype: string;
  /** The FreeBSD source file and function that defines it. */
  source: string;
  /** What it does to the periph refcount and to locks, in one or two sentences. */
  effect: string;
}

const CAM = 'sys/cam/cam_periph.c';

export const KERNEL_CALLS: readonly KernelCall[] = [
  {
    name: 'cam_periph_acquire', params: ['periph'],
    prototype: 'cam_status cam_periph_acquire(struct cam_periph *periph)',
    source: `${CAM}: cam_periph_acquire()`,
    effect: 'Takes a periph reference (refcount + 1) under the topology lock and returns CAM_REQ_CMP, ' +
      'or returns CAM_REQ_CMP_ERR without one when the periph is invalid (CAM_PERIPH_INVALID).',
  },
  {
    name: 'cam_periph_release', params: ['periph'],
    prototype: 'void cam_periph_release(struct cam_periph *periph)',
    source: `${CAM}: cam_periph_release()`,
    effect: 'Takes the SIM mutex (it must not be held) and drops one periph reference. ' +
      'At refcount 0 it panics ("release of ... when refcount is zero"); the last reference of an invalid periph frees it.',
  },
  {
    name: 'cam_periph_release_locked', params: ['periph'],
    prototype: 'void cam_periph_release_locked(struct cam_periph *periph)',
    source: `${CAM}: cam_periph_release_locked()`,
    effect: 'Drops one periph reference with the SIM mutex held (cam_periph_lock). ' +
      'At refcount 0 it panics ("release of ... when refcount is zero"); the last reference of an invalid periph frees it.',
  },
  {
    name: 'cam_periph_lock', params: ['periph'],
    prototype: 'void cam_periph_lock(struct cam_periph *periph)',
    source: 'sys/cam/cam_periph.h: cam_periph_lock() (mtx_lock(periph->sim->mtx))',
    effect: 'Takes the SIM mutex of the periph; waits while another thread holds it.',
  },
  {
    name: 'cam_periph_unlock', params: ['periph'],
    prototype: 'void cam_periph_unlock(struct cam_periph *periph)',
    source: 'sys/cam/cam_periph.h: cam_periph_unlock() (mtx_unlock(periph->sim->mtx))',
    effect: 'Drops the SIM mutex of the periph.',
  },
  {
    name: 'cam_periph_hold', params: ['periph', 'priority'],
    prototype: 'int cam_periph_hold(struct cam_periph *periph, int priority)',
    source: `${CAM}: cam_periph_hold()`,
    effect: 'Takes a periph reference and the periph\'s CAM_PERIPH_LOCKED flag, sleeping on the SIM mutex while ' +
      'another thread has it; returns 0, or ENXIO (without a reference) when the periph is invalid. Needs the SIM mutex held.',
  },
  {
    name: 'cam_periph_unhold', params: ['periph'],
    prototype: 'void cam_periph_unhold(struct cam_periph *periph)',
    source: `${CAM}: cam_periph_unhold()`,
    effect: 'Clears CAM_PERIPH_LOCKED, wakes a waiter and drops the reference cam_periph_hold took. Needs the SIM mutex held.',
  },
  {
    name: 'cam_periph_invalidate', params: ['periph'],
    prototype: 'void cam_periph_invalidate(struct cam_periph *periph)',
    source: `${CAM}: cam_periph_invalidate()`,
    effect: 'Marks the periph CAM_PERIPH_INVALID (calling the driver\'s oninvalidate the first time) and frees it when ' +
      'its refcount is already 0. Needs the SIM mutex held.',
  },
  {
    name: 'mtx_lock', params: ['m'],
    prototype: 'void mtx_lock(struct mtx *m)',
    source: 'sys/kern/kern_mutex.c: _mtx_lock_flags() (here only mtx_lock(&Giant))',
    effect: 'Takes Giant; waits while another thread holds it.',
  },
  {
    name: 'mtx_unlock', params: ['m'],
    prototype: 'void mtx_unlock(struct mtx *m)',
    source: 'sys/kern/kern_mutex.c: _mtx_unlock_flags() (here only mtx_unlock(&Giant))',
    effect: 'Drops Giant.',
  },
  {
    name: 'scsi_io', params: ['periph'],
    prototype: 'int scsi_io(struct cam_periph *periph)',
    source: `${CAM}: cam_periph_runccb() (a stand-in for a driver's SCSI command)`,
    effect: 'Sends one SCSI command and sleeps on the SIM mutex (dropping it) until it completes; returns 0, or EIO when ' +
      'the device is declared `with io-error`. Needs the SIM mutex held.',
  },
];

/** The call named `name`, if the C subset has it. */
export function kernelCall(name: string): KernelCall | undefined {
  return KERNEL_CALLS.find((k) => k.name === name);
}
