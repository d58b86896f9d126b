/*
 * pass(4) open/close race, as a plain Promela model: the SPIN baseline of the
 * camsim explorer benchmark.
 *
 * N user processes each run K cycles of open(2) + close(2) on one /dev/pass0
 * node. FIXED = 0 is pass(4) before the D_TRACKCLOSE fix (d_flags = 0,
 * PASS_FLAG_OPEN, a repeat open releases its reference, refcount at rest
 * R0 = 0); FIXED = 1 is after it (d_flags = D_TRACKCLOSE, softc open_count,
 * R0 = 1 for the devfs node reference).
 *
 *   spin -DN=4 -DK=2 -DFIXED=1 -a pass.pml
 *
 * Scheduling points are the acquire and release of the six locks camsim
 * models on this path: the vnode lock, the vnode interlock (VI_LOCK), devmtx
 * (dev_lock), the SIM mutex (cam_periph_lock), the topology lock
 * (xpt_lock_buses) and proctree_lock (devfs_close's controlling-tty check).
 * Each acquire and each release is one atomic step, exactly where camsim's
 * slices start: the work a slice does after its lock operation is folded into
 * that step (for a test whose outcome picks the next step, into the step that
 * follows it while the lock is still held: no other process can observe the
 * difference). Nothing else is merged. v_holdcnt is kept, with the same
 * vholdl/vdrop steps as camsim's model (vget's vholdl before the vnode lock is
 * a step of its own, as camsim's first slice of an open).
 *
 * Safety property: cam_periph_release_locked_buses panics on a release at
 * refcount 0 ("release of %p when refcount is zero"): assert(refcount > 0).
 * Deadlocks show up as SPIN's invalid end states.
 *
 * Not modelled (no lock and no counter involved, identical in both
 * variants): td_fpop, v_writecount, the securelevel / FREAD|FWRITE /
 * O_NONBLOCK checks (they pass), device loss.
 */

#ifndef N
#define N 2
#endif
#ifndef K
#define K 1
#endif
#ifndef FIXED
#define FIXED 0
#endif

#if FIXED
#define R0 1
#else
#define R0 0
#endif

/* Locks: 0 = free, 1 = held. The holder is implied by its program counter. */
bit vnode_lock;     /* lockmgr lock of the devfs vnode (exclusive: pass opens FREAD|FWRITE) */
bit vi_lock;        /* vnode interlock, VI_LOCK */
bit devmtx;         /* dev_lock() */
bit sim_mtx;        /* periph->sim->mtx, cam_periph_lock */
bit topo_lock;      /* xpt_lock_buses() */
bit proctree_lock;  /* sx_xlock(&proctree_lock) in devfs_close */

/* Counters (sys/conf.h struct cdev, sys/vnode.h, cam_periph.h, scsi_pass.c softc). */
byte si_usecount;
byte si_threadcount;
byte v_usecount;
byte v_holdcnt;
byte refcount = R0;
#if FIXED
byte open_count;
#else
bit pass_flag_open; /* PASS_FLAG_OPEN */
#endif

#define ACQUIRE(l)  (l == 0) -> l = 1
#define RELEASE(l)  l = 0

/* kern/kern_conf.c dev_refthread: si_devsw is set and CDP_SCHED_DTR clear (no device loss). */
#define DEV_REFTHREAD() \
	d_step { ACQUIRE(devmtx); si_threadcount++ }; \
	RELEASE(devmtx)

/* kern/kern_conf.c dev_relthread */
#define DEV_RELTHREAD() \
	d_step { ACQUIRE(devmtx); si_threadcount-- }; \
	RELEASE(devmtx)

/* cam/cam_periph.c cam_periph_acquire: the periph is never invalid here. */
#define CAM_PERIPH_ACQUIRE() \
	d_step { ACQUIRE(topo_lock); refcount++ }; \
	RELEASE(topo_lock)

/* cam/cam_periph.c cam_periph_release_locked: xpt_lock_buses,
 * cam_periph_release_locked_buses (2011 form: panic at refcount 0), xpt_unlock_buses.
 * The caller holds the SIM mutex. No invalidation, so no camperiphfree. */
#define CAM_PERIPH_RELEASE_LOCKED() \
	d_step { ACQUIRE(topo_lock); assert(refcount > 0); refcount-- }; \
	RELEASE(topo_lock)

/* cam/cam_periph.c cam_periph_release: lock the SIM, release_locked, unlock the SIM. */
#define CAM_PERIPH_RELEASE() \
	d_step { ACQUIRE(sim_mtx) }; \
	CAM_PERIPH_RELEASE_LOCKED(); \
	RELEASE(sim_mtx)

/* open(2) on /dev/pass0: kern/vfs_vnops.c vn_open, fs/devfs/devfs_vnops.c devfs_open, then
 * kern/vfs_syscalls.c kern_openat's VOP_UNLOCK. c is the cycle counter, tested in the first step. */
#define OPEN(c) \
	/* kern/vfs_subr.c vget (via namei, devfs_allocv): vholdl, vnode lock, then VI_LOCK + dev_lock */ \
	d_step { c < K -> v_holdcnt++ }; \
	d_step { ACQUIRE(vnode_lock) }; \
	d_step { ACQUIRE(vi_lock); v_usecount++ }; \
	d_step { ACQUIRE(devmtx); si_usecount++ }; \
	RELEASE(devmtx); \
	RELEASE(vi_lock); \
	/* devfs_open */ \
	DEV_REFTHREAD(); \
	RELEASE(vnode_lock);                  /* VOP_UNLOCK: lock-drop point O1 */ \
	PASSOPEN(); \
	d_step { ACQUIRE(vnode_lock) };        /* vn_lock(vp, vlocked | LK_RETRY) */ \
	DEV_RELTHREAD(); \
	RELEASE(vnode_lock)                   /* kern_openat: VOP_UNLOCK after vn_open */

/* close(2): kern/vfs_vnops.c vn_close -> fs/devfs/devfs_vnops.c devfs_close -> vput. */
#define CLOSE(c) \
	d_step { ACQUIRE(vnode_lock) };        /* vn_close: vn_lock(vp, LK_EXCLUSIVE | LK_RETRY) */ \
	d_step { ACQUIRE(proctree_lock) };     /* devfs_close: the controlling-tty check */ \
	RELEASE(proctree_lock); \
	DEV_REFTHREAD(); \
	DECIDE_AND_CLOSE();                    /* from VI_LOCK: the last-close decision */ \
	/* kern/vfs_subr.c vputx (VPUTX_VPUT) */ \
	d_step { ACQUIRE(vi_lock) }; \
	if \
	:: d_step { v_usecount > 1 -> vnode_lock = 0 };   /* other references: VOP_UNLOCK first */ \
	   d_step { ACQUIRE(devmtx); v_usecount--; si_usecount-- }; \
	   RELEASE(devmtx); \
	   d_step { vi_lock = 0; v_holdcnt--; c++ }   /* vdropl */ \
	:: d_step { v_usecount == 1 && devmtx == 0 -> devmtx = 1; v_usecount--; si_usecount-- }; \
	   RELEASE(devmtx); \
	   RELEASE(vi_lock);                  /* vinactive: VOP_INACTIVE runs without the interlock */ \
	   d_step { ACQUIRE(vi_lock) }; \
	   RELEASE(vnode_lock);               /* last reference: VOP_UNLOCK after the decrement */ \
	   d_step { vi_lock = 0; v_holdcnt--; c++ }   /* vdropl */ \
	fi

#if FIXED

/* cam/scsi/scsi_pass.c passopen, after the fix (stable/9 2013). */
#define PASSOPEN() \
	CAM_PERIPH_ACQUIRE(); \
	d_step { ACQUIRE(sim_mtx); open_count++ };   /* cam_periph_lock; softc->open_count++ */ \
	RELEASE(sim_mtx)

/* devfs_close with D_TRACKCLOSE: d_close is always called; then cam/scsi/scsi_pass.c
 * passclose after the fix: mtx_lock(sim->mtx); open_count--; cam_periph_release_locked. */
#define DECIDE_AND_CLOSE() \
	d_step { ACQUIRE(vi_lock); v_holdcnt++ };   /* VI_LOCK; D_TRACKCLOSE: always d_close; vholdl */ \
	RELEASE(vi_lock);                     /* VI_UNLOCK: lock-drop point C1 */ \
	RELEASE(vnode_lock);                  /* VOP_UNLOCK: lock-drop point C2 */ \
	d_step { ACQUIRE(sim_mtx); open_count-- }; \
	CAM_PERIPH_RELEASE_LOCKED(); \
	RELEASE(sim_mtx); \
	DEV_RELTHREAD(); \
	d_step { ACQUIRE(vnode_lock); v_holdcnt-- }   /* vn_lock(vp, vp_locked | LK_RETRY); vdrop */

#else

/* cam/scsi/scsi_pass.c passopen, before the fix (2011): the first open keeps its
 * reference and sets PASS_FLAG_OPEN; a repeat open releases it ("Device closes
 * aren't symmertical, so fix up the refcount"). The flag is read under the SIM
 * mutex, so the test is part of the acquire step. */
#define PASSOPEN() \
	CAM_PERIPH_ACQUIRE(); \
	if \
	:: d_step { sim_mtx == 0 && pass_flag_open == 0 -> sim_mtx = 1; pass_flag_open = 1 }; \
	   RELEASE(sim_mtx) \
	:: d_step { sim_mtx == 0 && pass_flag_open == 1 -> sim_mtx = 1 }; \
	   RELEASE(sim_mtx); \
	   CAM_PERIPH_RELEASE() \
	fi

/* devfs_close without D_TRACKCLOSE: count_dev(dev) > 1 skips d_close. count_dev reads
 * si_usecount under dev_lock; the test is folded into the dev_unlock step (still held).
 * Then passclose before the fix: lock; clear PASS_FLAG_OPEN; unlock; cam_periph_release. */
#define DECIDE_AND_CLOSE() \
	d_step { ACQUIRE(vi_lock) };           /* VI_LOCK */ \
	d_step { ACQUIRE(devmtx) };            /* count_dev: dev_lock */ \
	if \
	:: d_step { si_usecount > 1 -> devmtx = 0 };   /* dev_unlock; not the last close */ \
	   RELEASE(vi_lock); \
	   DEV_RELTHREAD()                    /* return 0, vnode still locked; d_close skipped */ \
	:: d_step { si_usecount <= 1 -> devmtx = 0; v_holdcnt++ };  /* dev_unlock; the last close: vholdl */ \
	   RELEASE(vi_lock);                  /* VI_UNLOCK: lock-drop point C1 */ \
	   RELEASE(vnode_lock);               /* VOP_UNLOCK: lock-drop point C2 */ \
	   d_step { ACQUIRE(sim_mtx); pass_flag_open = 0 }; \
	   RELEASE(sim_mtx); \
	   CAM_PERIPH_RELEASE(); \
	   DEV_RELTHREAD(); \
	   d_step { ACQUIRE(vnode_lock); v_holdcnt-- }   /* vn_lock(vp, vp_locked | LK_RETRY); vdrop */ \
	fi

#endif

active [N] proctype user()
{
	byte cycle = 0;
	do
	:: OPEN(cycle); CLOSE(cycle)
	:: cycle == K -> break
	od
}
