// The open(2) and close(2) paths down to the driver: sys/kern/vfs_syscalls.c,
// sys/kern/kern_descrip.c, sys/kern/vfs_vnops.c, sys/kern/vfs_subr.c and
// sys/fs/devfs/devfs_vnops.c (FreeBSD 9.x, read from releng/9.3).
//
// The race lives here: devfs_close decides "last close" under VI_LOCK, drops
// every devfs lock to call d_close, and the closing file stops counting in
// si_usecount only later, in vput.

import { call, decor, iff, kfn, labelled, line, lock, ret, unlock, type Ctx, type KFn } from './dsl';
import { D_TRACKCLOSE, EINTR, ENOENT, ENXIO, ERESTART } from './constants';
import { DEVMTX, PROCTREE, VI, VNODE } from './locks';
import { cdevswMethod, count_dev, dev_refthread, dev_relthread } from './kern_conf';
import { variantOf } from './drivers/catalogue';

const VOPS = 'sys/fs/devfs/devfs_vnops.c';
const dev = (c: Ctx) => ({ dev: c.l.dev });

export const vget: KFn = kfn('vfs_subr.c', 'vget', 'sys/kern/vfs_subr.c: vget() with v_upgrade_usecount() / v_incr_usecount()',
  ['int', 'vget(struct vnode *vp, int flags, struct thread *td)', '{'], [
    line('\tvholdl(vp);', (c) => { c.dev.v_holdcnt++; }),
    lock('\tvn_lock(vp, flags | LK_INTERLOCK);  /* LK_EXCLUSIVE */', VNODE),
    lock('\tVI_LOCK(vp);', VI),
    lock('\tdev_lock();  /* v_upgrade_usecount(): VCHR */', DEVMTX),
    line('\tvp->v_usecount++;', (c) => { c.dev.v_usecount++; }),
    line('\tvp->v_rdev->si_usecount++;', (c) => { c.dev.si_usecount++; }),
    unlock('\tdev_unlock();', DEVMTX),
    unlock('\tVI_UNLOCK(vp);', VI),
    ret('\treturn (0);'),
  ]);

export const vput: KFn = kfn('vfs_subr.c', 'vput', 'sys/kern/vfs_subr.c: vputx(vp, VPUTX_VPUT) with v_decr_usecount() / v_decr_useonly()',
  ['void', 'vput(struct vnode *vp)', '{'], [
    lock('\tVI_LOCK(vp);', VI),
    iff('\tif (vp->v_usecount > 1) {', (c) => c.dev.v_usecount > 1, 'last'),
    unlock('\t\tVOP_UNLOCK(vp, 0);', VNODE),
    lock('\t\tdev_lock();  /* v_decr_usecount() */', DEVMTX),
    line('\t\tvp->v_usecount--; vp->v_rdev->si_usecount--;', (c) => { c.dev.v_usecount--; c.dev.si_usecount--; }),
    unlock('\t\tdev_unlock();', DEVMTX),
    unlock('\t\tVI_UNLOCK(vp);  /* vdropl() */', VI, (c) => { c.dev.v_holdcnt--; }),
    ret('\t\treturn;'),
    decor('\t}'),
    decor('\t/* The last reference: the usecount goes before the vnode lock. */'),
    labelled('last', lock('\tdev_lock();  /* v_decr_useonly() */', DEVMTX)),
    line('\tvp->v_usecount--; vp->v_rdev->si_usecount--;', (c) => { c.dev.v_usecount--; c.dev.si_usecount--; }),
    unlock('\tdev_unlock();', DEVMTX),
    unlock('\tVI_UNLOCK(vp);  /* vinactive(): VOP_INACTIVE runs unlocked */', VI),
    lock('\tVI_LOCK(vp);', VI),
    unlock('\tVOP_UNLOCK(vp, 0);', VNODE),
    unlock('\tVI_UNLOCK(vp);  /* vdropl() */', VI, (c) => { c.dev.v_holdcnt--; }),
    ret('}'),
  ]);

export const devfs_open: KFn = kfn('devfs_vnops.c', 'devfs_open', `${VOPS}: devfs_open()`,
  ['static int', 'devfs_open(struct vop_open_args *ap)', '{', '\tstruct cdevsw *dsw;', '\tint error, ref, vlocked;', ''], [
    call('\tdsw = dev_refthread(dev, &ref);', () => dev_refthread, dev, 'dsw'),
    iff('\tif (dsw == NULL)', (c) => c.l.dsw === 0, 'unlock'),
    ret('\t\treturn (ENXIO);', () => ENXIO),
    labelled('unlock', line('\tvlocked = VOP_ISLOCKED(vp);')),
    unlock('\tVOP_UNLOCK(vp, 0);', VNODE),
    call('\terror = dsw->d_open(dev, ap->a_mode, S_IFCHR, td);', (c) => cdevswMethod(c, 'open'), dev, 'error'),
    lock('\tvn_lock(vp, vlocked | LK_RETRY);', VNODE),
    call('\tdev_relthread(dev, ref);', () => dev_relthread, dev),
    iff('\tif (error) {', (c) => c.l.error !== 0, 'ok'),
    iff('\t\tif (error == ERESTART)', (c) => c.l.error === ERESTART, 'err'),
    line('\t\t\terror = EINTR;', (c) => { c.l.error = EINTR; }),
    labelled('err', ret('\t\treturn (error);', (c) => c.l.error)),
    decor('\t}'),
    labelled('ok', ret('\treturn (0);')),
  ]);

export const vn_open: KFn = kfn('vfs_vnops.c', 'vn_open', 'sys/kern/vfs_vnops.c: vn_open_cred()',
  ['int', 'vn_open(struct nameidata *ndp, int *flagp, int cmode, struct file *fp)', '{', '\tint error;', ''], [
    line('\terror = namei(ndp);  /* devfs_lookup() */', (c) => { c.l.error = c.dev.named ? 0 : ENOENT; }),
    iff('\tif (error != 0)', (c) => c.l.error !== 0, 'vget'),
    ret('\t\treturn (error);', (c) => c.l.error),
    labelled('vget', call('\tvget(vp = ndp->ni_vp, LK_EXCLUSIVE, td);  /* devfs_allocv() */', () => vget, dev)),
    call('\terror = VOP_OPEN(vp, fmode, cred, td, fp);  /* devfs_open() */', () => devfs_open, dev, 'error'),
    iff('\tif (error != 0) goto bad;', (c) => c.l.error !== 0, 'ok'),
    call('\tvput(vp);  /* bad: no VOP_CLOSE follows a failed open */', () => vput, dev),
    ret('\treturn (error);', (c) => c.l.error),
    labelled('ok', ret('\treturn (0);  /* the vnode stays locked */')),
  ]);

export const kern_openat: KFn = kfn('vfs_syscalls.c', 'kern_openat', 'sys/kern/vfs_syscalls.c: kern_openat()',
  ['int', 'kern_openat(struct thread *td, int fd, char *path, enum uio_seg pathseg, int flags, int mode)', '{'], [
    line('\tflags = FFLAGS(O_RDWR);'),
    call('\terror = vn_open(&nd, &flags, cmode, fp);', () => vn_open, dev, 'error'),
    iff('\tif (error)', (c) => c.l.error !== 0, 'ok'),
    ret('\t\treturn (error);', (c) => c.l.error),
    labelled('ok', line('\tfinit(fp, flags & FMASK, DTYPE_VNODE, vp, &vnops);')),
    unlock('\tVOP_UNLOCK(vp, 0);', VNODE),
    ret('\treturn (0);  /* td->td_retval[0] = indx */'),
  ]);

export const devfs_close: KFn = kfn('devfs_vnops.c', 'devfs_close', `${VOPS}: devfs_close()`,
  ['static int', 'devfs_close(struct vop_close_args *ap)', '{', '\tstruct cdevsw *dsw;', '\tint vp_locked, error, ref;', ''], [
    lock('\tsx_xlock(&proctree_lock);', PROCTREE),
    line('\tif (td && vp == td->td_proc->p_session->s_ttyvp) { ... }  /* not a controlling tty */'),
    unlock('\tsx_xunlock(&proctree_lock);', PROCTREE),
    call('\tdsw = dev_refthread(dev, &ref);', () => dev_refthread, dev, 'dsw'),
    iff('\tif (dsw == NULL)', (c) => c.l.dsw === 0, 'vi'),
    ret('\t\treturn (ENXIO);', () => ENXIO),
    labelled('vi', lock('\tVI_LOCK(vp);', VI)),
    iff('\tif (vp->v_iflag & VI_DOOMED) {', () => false, 'track'),
    line('\t\t/* Forced close. */', () => 'hold'),
    labelled('track', iff('\t} else if (dsw->d_flags & D_TRACKCLOSE) {',
      (c) => (variantOf(c.cfg).d_flags & D_TRACKCLOSE) !== 0, 'count')),
    line('\t\t/* Keep device updated on status. */', () => 'hold'),
    labelled('count', call('\t} else if (count_dev(dev) > 1) {', () => count_dev, dev, 'count')),
    iff('\t\t/* another reference: not the last close */', (c) => c.l.count > 1, 'hold'),
    unlock('\t\tVI_UNLOCK(vp);', VI),
    call('\t\tdev_relthread(dev, ref);', () => dev_relthread, dev),
    ret('\t\treturn (0);  /* d_close is skipped */'),
    decor('\t}'),
    labelled('hold', line('\tvholdl(vp);', (c) => { c.dev.v_holdcnt++; })),
    unlock('\tVI_UNLOCK(vp);', VI),
    line('\tvp_locked = VOP_ISLOCKED(vp);'),
    unlock('\tVOP_UNLOCK(vp, 0);', VNODE),
    call('\terror = dsw->d_close(dev, ap->a_fflag, S_IFCHR, td);', (c) => cdevswMethod(c, 'close'), dev, 'error'),
    call('\tdev_relthread(dev, ref);', () => dev_relthread, dev),
    lock('\tvn_lock(vp, vp_locked | LK_RETRY);', VNODE),
    line('\tvdrop(vp);', (c) => { c.dev.v_holdcnt--; }),
    ret('\treturn (error);', (c) => c.l.error),
  ]);

export const vn_close: KFn = kfn('vfs_vnops.c', 'vn_close', 'sys/kern/vfs_vnops.c: vn_close()',
  ['int', 'vn_close(struct vnode *vp, int flags, struct ucred *file_cred, struct thread *td)', '{', '\tint error;', ''], [
    lock('\tvn_lock(vp, lock_flags | LK_RETRY);', VNODE),
    line('\tif (flags & FWRITE) vp->v_writecount--;'),
    call('\terror = VOP_CLOSE(vp, flags, file_cred, td);  /* devfs_close() */', () => devfs_close, dev, 'error'),
    call('\tvput(vp);  /* only now does this file stop counting in si_usecount */', () => vput, dev),
    ret('\treturn (error);', (c) => c.l.error),
  ]);

export const kern_close: KFn = kfn('kern_descrip.c', 'kern_close',
  'sys/kern/kern_descrip.c: kern_close() -> closef() -> fdrop() -> devfs_close_f() -> vn_closefile()',
  ['int', 'kern_close(struct thread *td, int fd)', '{', '\tint error;', ''], [
    line('\tfp = fdp->fd_ofiles[fd]; fdfree(fdp, fd);'),
    call('\terror = vn_close(fp->f_vnode, fp->f_flag, fp->f_cred, td);  /* last fdrop */', () => vn_close, dev, 'error'),
    ret('\treturn (error);', (c) => c.l.error),
  ]);

export const devfs_ioctl_f: KFn = kfn('devfs_vnops.c', 'devfs_ioctl_f', `${VOPS}: devfs_ioctl_f() with devfs_fp_check()`,
  ['static int', 'devfs_ioctl_f(struct file *fp, u_long com, void *data, struct ucred *cred, struct thread *td)', '{'], [
    call('\tdsw = dev_refthread(dev, &ref);  /* devfs_fp_check() */', () => dev_refthread, dev, 'dsw'),
    iff('\tif (dsw == NULL)', (c) => c.l.dsw === 0, 'ioctl'),
    ret('\t\treturn (ENXIO);', () => ENXIO),
    labelled('ioctl', call('\terror = dsw->d_ioctl(dev, com, data, fp->f_flag, td);', (c) => cdevswMethod(c, 'ioctl'), dev, 'error')),
    call('\tdev_relthread(dev, ref);', () => dev_relthread, dev),
    ret('\treturn (error);', (c) => c.l.error),
  ]);

export const DEVFS_FUNCTIONS: KFn[] = [kern_openat, vn_open, vget, devfs_open, kern_close, vn_close, devfs_close, vput, devfs_ioctl_f];
