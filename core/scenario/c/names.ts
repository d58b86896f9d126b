// The names a routine of a driver written in C can use besides its locals and
// its softc flags: the two pointers, Giant, the fields, and the constants with
// their kernel values. One table for the checker, the language server and the
// compiler of user drivers.

import { ERRNO, FLAG_CONSTANTS } from '../fields';
import type { DriverDecl } from '../cAst';

/** The fields of `softc->` and `periph->`; `writable` ones may be assigned. */
export const C_FIELDS: Readonly<Record<'softc' | 'periph', readonly { name: string; writable: boolean; doc: string }[]>> = {
  softc: [
    { name: 'flags', writable: true, doc: "The driver's softc flags (the bits declared with softc_flags)." },
    { name: 'open_count', writable: true, doc: 'How many opens the driver counts (its own bookkeeping).' },
  ],
  periph: [
    { name: 'flags', writable: false, doc: 'struct cam_periph flags (CAM_PERIPH_INVALID, CAM_PERIPH_LOCKED, ...), set by the kernel (sys/cam/cam_periph.h).' },
    { name: 'refcount', writable: false, doc: 'The periph reference count (sys/cam/cam_periph.h), changed only by acquire and release.' },
  ],
};

/** Pointers in scope in every routine. */
export const C_POINTERS: readonly { name: string; doc: string }[] = [
  { name: 'periph', doc: 'struct cam_periph *periph: the periph of the device (in d_open and d_close, dev->si_drv1).' },
  { name: 'softc', doc: "The driver's softc (periph->softc): its flags and open_count." },
  { name: 'Giant', doc: 'struct mtx Giant: the kernel-wide Giant lock; only as mtx_lock(&Giant) and mtx_unlock(&Giant).' },
];

/** Constants other than errno values and flag bits, with their FreeBSD values and headers. */
export const C_OTHER_CONSTANTS: Readonly<Record<string, { value: number; doc: string }>> = {
  CAM_REQ_CMP: { value: 0x01, doc: 'cam_status CAM_REQ_CMP (sys/cam/cam.h): the request completed; what cam_periph_acquire returns on success.' },
  CAM_REQ_CMP_ERR: { value: 0x04, doc: 'cam_status CAM_REQ_CMP_ERR (sys/cam/cam.h): what cam_periph_acquire returns for an invalid periph.' },
  PRIBIO: { value: 80, doc: 'PRIBIO (sys/sys/priority.h, PRI_MIN_KERN + 16): the sleep priority drivers pass to cam_periph_hold.' },
  PCATCH: { value: 0x100, doc: 'PCATCH (sys/sys/param.h): let signals interrupt the sleep.' },
};

/** The value of a constant name (errno, CAM or cdevsw flag, other), if it is one. */
export function cConstant(name: string): number | undefined {
  if (Object.prototype.hasOwnProperty.call(ERRNO, name)) return ERRNO[name];
  if (Object.prototype.hasOwnProperty.call(FLAG_CONSTANTS, name)) return FLAG_CONSTANTS[name];
  if (Object.prototype.hasOwnProperty.call(C_OTHER_CONSTANTS, name)) return C_OTHER_CONSTANTS[name].value;
  return undefined;
}

/** Every constant name a routine may use. */
export function cConstantNames(): string[] {
  return [...Object.keys(ERRNO), ...Object.keys(FLAG_CONSTANTS), ...Object.keys(C_OTHER_CONSTANTS)];
}

/** The value of one of the driver's softc flags. */
export function softcFlagValue(d: DriverDecl, name: string): number | undefined {
  return d.softcFlags.find((f) => f.name.name === name)?.value;
}

/** The cdevsw d_flags a user driver may set. */
export const D_FLAG_NAMES: readonly string[] = ['D_TRACKCLOSE', 'D_NEEDGIANT'];

/** Whether a user driver's d_flags include `flag`. */
export function hasDFlag(d: DriverDecl, flag: string): boolean {
  return d.dFlags?.names.some((n) => n.name === flag) ?? false;
}
