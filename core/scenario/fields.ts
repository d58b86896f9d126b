// The vocabulary of the expression language: which fields a device, a process, a
// descriptor and a lock expose, under their kernel names, with what each means.
// The checker, the evaluator, completion and hover all read this one table.

export type FieldType = 'number' | 'bool' | 'name';

export interface FieldInfo {
  name: string;
  type: FieldType;
  /** What the value means, for hover and completion. */
  doc: string;
  /** The kernel's own name for the value. */
  kernelName: string;
}

function f(name: string, type: FieldType, kernelName: string, doc: string): FieldInfo {
  return { name, type, kernelName, doc };
}

/** Fields of a device name (`pass0.refcount`). */
export const DEVICE_FIELDS: readonly FieldInfo[] = [
  f('refcount', 'number', 'periph->refcount', 'References held on the CAM periph. Releasing at 0 panics in cam_periph_release_locked_buses.'),
  f('flags', 'number', 'periph->flags', 'CAM periph flags (CAM_PERIPH_INVALID, CAM_PERIPH_LOCKED, ...).'),
  f('softc_flags', 'number', 'softc->flags', "The driver's softc flags (PASS_FLAG_OPEN, PASS_FLAG_INVALID, ...)."),
  f('open_count', 'number', 'softc->open_count', 'Opens the driver accepted and has not yet seen closed (after-fix drivers).'),
  f('si_usecount', 'number', 'dev->si_usecount', 'Vnode usecounts on the cdev: what count_dev() returns to devfs_close.'),
  f('si_threadcount', 'number', 'dev->si_threadcount', 'Threads inside a driver method (dev_refthread / dev_relthread).'),
  f('v_usecount', 'number', 'vp->v_usecount', 'Usecount of the devfs vnode of this device node.'),
  f('si_drv1', 'bool', 'dev->si_drv1', 'Whether the cdev still points at its periph (cleared by destroy_devl).'),
  f('sched_dtr', 'bool', 'dev->si_flags & CDP_SCHED_DTR', 'Whether destroy_dev_sched_cb has scheduled the destruction of the cdev.'),
  f('d_flags', 'number', 'cdevsw->d_flags', "The cdevsw flags of the driver variant (D_TRACKCLOSE, D_NEEDGIANT, ...)."),
  f('trackclose', 'bool', 'cdevsw->d_flags & D_TRACKCLOSE', 'Whether devfs calls d_close on every close (D_TRACKCLOSE).'),
  f('invalid', 'bool', 'periph->flags & CAM_PERIPH_INVALID', 'Whether CAM has invalidated the periph.'),
  f('freed', 'bool', 'camperiphfree()', 'Whether camperiphfree has freed the periph.'),
  f('resting', 'number', 'R0', 'The refcount of this periph at rest with no opens (0 before the fix, 1 after).'),
];

/** Fields of a process name (`A.blocked`). */
export const PROCESS_FIELDS: readonly FieldInfo[] = [
  f('blocked', 'bool', 'TDS_INHIBITED', 'The process sleeps on a lock or a condition and cannot run now.'),
  f('done', 'bool', 'exit', 'The process has run all its statements.'),
  f('errno', 'number', 'td->td_errno', 'The errno of its last system call (0 on success).'),
  f('steps', 'number', 'steps', 'Kernel lines this process has executed.'),
];

/** Fields of a descriptor (`A.f.errno`). */
export const DESCRIPTOR_FIELDS: readonly FieldInfo[] = [
  f('errno', 'number', 'error', 'The errno of the last open or close on this descriptor (0 on success).'),
  f('open', 'bool', 'fp != NULL', 'Whether the descriptor is open.'),
];

/** Fields of a lock (`pass0.sim_mtx.holder`, `devmtx.waiters`). */
export const LOCK_FIELDS: readonly FieldInfo[] = [
  f('holder', 'name', 'mtx_owner()', 'The process that holds the lock, or `none`.'),
  f('waiters', 'number', 'turnstile', 'How many processes wait for the lock.'),
  f('recursion', 'number', 'mtx_recurse', 'How many times the holder has taken it again (MTX_DEF recursion).'),
];

/** Locks of each device (`pass0.vnode_lock`). */
export const DEVICE_LOCKS: readonly FieldInfo[] = [
  f('vnode_lock', 'name', 'vp->v_vnlock', 'The devfs vnode lock (lockmgr), dropped around d_open and d_close.'),
  f('vi_lock', 'name', 'VI_LOCK(vp)', 'The vnode interlock.'),
  f('sim_mtx', 'name', 'periph->sim->mtx', 'The SIM mutex: the periph lock (cam_periph_lock).'),
];

/** Kernel-wide locks (`devmtx.holder`). */
export const GLOBAL_LOCKS: readonly FieldInfo[] = [
  f('devmtx', 'name', 'devmtx', 'dev_lock(): protects si_usecount, si_threadcount and the cdev flags.'),
  f('xpt_topo_lock', 'name', 'xsoftc.xpt_topo_lock', 'xpt_lock_buses(): the CAM topology lock; protects periph refcounts.'),
  f('Giant', 'name', 'Giant', 'The Giant mutex: held around the methods of D_NEEDGIANT drivers (sg, sa) and by the Giant taskqueue.'),
  f('proctree_lock', 'name', 'proctree_lock', 'The process-tree sx lock: devfs_close takes it on every close (controlling-terminal check).'),
];

// errno values and kernel flag constants belong to the kernel model.
export { ERRNO, FLAG_CONSTANTS } from '../kernel/constants';
import { drivers } from '../kernel/drivers/catalogue';

export const KERNEL_OPTIONS: readonly { name: string; doc: string }[] = [
  {
    name: 'invariants',
    doc: 'A kernel built with INVARIANTS: SIM-mutex recursion, mtx_assert failures and KASSERTs panic with their real texts.',
  },
];

/** The drivers in use whose model acts on a device option (each model lists its options). */
function driversWith(option: string): string[] {
  return drivers().filter((d) => d.options.includes(option)).map((d) => d.name);
}

export const DEVICE_OPTIONS: readonly { name: string; doc: string; readonly drivers: readonly string[] }[] = [
  {
    name: 'io-error',
    doc: "The driver's SCSI I/O during open fails with EIO (ch's chgetparams, sa's samount).",
    get drivers() { return driversWith('io-error'); },
  },
];

/**
 * The kernel thread that runs scheduled cdev destructions (taskqueue_swi_giant).
 * A scenario with a `lose` statement has it as an extra process, so a schedule may name it.
 */
export const TASKQ_PROCESS = 'taskq';
