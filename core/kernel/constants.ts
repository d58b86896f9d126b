// Kernel constants with their real values, and the lock numbering of the model.

/** errno values (FreeBSD sys/sys/errno.h). */
export const ERRNO: Readonly<Record<string, number>> = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EIO: 5,
  EBADF: 9,
  ENXIO: 6,
  EBUSY: 16,
  EINVAL: 22,
  ERESTART: -1,
};

/**
 * Kernel-wide flag constants usable in expressions, with their kernel values: the
 * same for every device (sys/cam/cam_periph.h, sys/sys/conf.h). Each driver's
 * softc flags (PASS_FLAG_OPEN, ...) are read from its model instead, per variant.
 */
export const FLAG_CONSTANTS: Readonly<Record<string, number>> = {
  CAM_PERIPH_RUNNING: 0x01,
  CAM_PERIPH_LOCKED: 0x02,
  CAM_PERIPH_LOCK_WANTED: 0x04,
  CAM_PERIPH_INVALID: 0x08,
  CAM_PERIPH_NEW_DEV_FOUND: 0x10,
  CAM_PERIPH_RECOVERY_INPROG: 0x20,
  CAM_PERIPH_FREE: 0x80,
  D_TAPE: 0x0001,
  D_TRACKCLOSE: 0x00080000,
  D_NEEDGIANT: 0x00400000,
};

export const EPERM = ERRNO.EPERM;
export const ENOENT = ERRNO.ENOENT;
export const EINTR = ERRNO.EINTR;
export const EIO = ERRNO.EIO;
export const ENXIO = ERRNO.ENXIO;
export const EBADF = ERRNO.EBADF;
export const EBUSY = ERRNO.EBUSY;
export const EINVAL = ERRNO.EINVAL;
export const ERESTART = ERRNO.ERESTART;

/** sys/cam/cam.h: cam_status values returned by cam_periph_acquire. */
export const CAM_REQ_CMP = 0x01;
export const CAM_REQ_CMP_ERR = 0x04;

export const CAM_PERIPH_LOCKED = FLAG_CONSTANTS.CAM_PERIPH_LOCKED;
export const CAM_PERIPH_LOCK_WANTED = FLAG_CONSTANTS.CAM_PERIPH_LOCK_WANTED;
export const CAM_PERIPH_INVALID = FLAG_CONSTANTS.CAM_PERIPH_INVALID;
export const CAM_PERIPH_NEW_DEV_FOUND = FLAG_CONSTANTS.CAM_PERIPH_NEW_DEV_FOUND;
export const CAM_PERIPH_FREE = FLAG_CONSTANTS.CAM_PERIPH_FREE;

export const D_TAPE = FLAG_CONSTANTS.D_TAPE;
export const D_TRACKCLOSE = FLAG_CONSTANTS.D_TRACKCLOSE;
export const D_NEEDGIANT = FLAG_CONSTANTS.D_NEEDGIANT;

/** The cdevsw d_flags bits by name. */
export const CDEVSW_FLAGS: Readonly<Record<string, number>> = { D_TAPE, D_TRACKCLOSE, D_NEEDGIANT };

/** Printable names of flag bits, for the debugger's views. */
export function flagNames(value: number, names: Readonly<Record<string, number>>): string {
  const set = Object.entries(names)
    .filter(([, bit]) => bit !== 0 && (value & bit) === bit)
    .map(([name]) => name);
  return set.length ? set.join('|') : '0';
}

// ---- locks ----
// Kernel-wide locks first, then three per device. A lock id is an index into Machine.locks.

export const LOCK_DEVMTX = 0; // devmtx, dev_lock()
export const LOCK_TOPO = 1; // xpt_lock_buses()
export const LOCK_GIANT = 2; // Giant
export const LOCK_PROCTREE = 3; // proctree_lock (sx), taken by every devfs_close
export const GLOBAL_LOCK_COUNT = 4;
export const GLOBAL_LOCK_NAMES = ['devmtx', 'xpt_topo_lock', 'Giant', 'proctree_lock'];

export type DeviceLock = 'vnode_lock' | 'vi_lock' | 'sim_mtx';
export const DEVICE_LOCK_NAMES: readonly DeviceLock[] = ['vnode_lock', 'vi_lock', 'sim_mtx'];

export function deviceLock(dev: number, which: DeviceLock): number {
  return GLOBAL_LOCK_COUNT + dev * 3 + DEVICE_LOCK_NAMES.indexOf(which);
}

/** Locks that may be taken again by their holder (MTX_DEF without INVARIANTS, Giant). */
export function lockIsRecursable(lock: number, invariants: boolean): boolean {
  if (lock === LOCK_GIANT) return true;
  if (lock >= GLOBAL_LOCK_COUNT && (lock - GLOBAL_LOCK_COUNT) % 3 === 2) return !invariants;
  return false;
}

/** The lock's name as the kernel prints it (the debugger and the trace use it). */
export function lockName(lock: number, deviceNames: readonly string[]): string {
  if (lock < GLOBAL_LOCK_COUNT) return GLOBAL_LOCK_NAMES[lock];
  const dev = Math.floor((lock - GLOBAL_LOCK_COUNT) / 3);
  return `${deviceNames[dev]}.${DEVICE_LOCK_NAMES[(lock - GLOBAL_LOCK_COUNT) % 3]}`;
}

/** A stable, plausible kernel address for a periph, for the panic text. */
export function periphAddress(dev: number): string {
  return '0x' + (0xfffff80003a1c000n + BigInt(dev) * 0x400n).toString(16);
}

/** The name the SIM mutex was initialised with (mtx_init), printed by witness-style asserts. */
export const SIM_MTX_NAME = 'CAM SIM lock';
