// Lock selectors for step definitions: which lock a step takes or drops,
// computed from the frame's device.

import type { Ctx } from './dsl';
import { deviceLock, LOCK_DEVMTX, LOCK_GIANT, LOCK_PROCTREE, LOCK_TOPO } from './constants';

export const DEVMTX = (): number => LOCK_DEVMTX;
export const TOPO = (): number => LOCK_TOPO;
export const GIANT = (): number => LOCK_GIANT;
export const PROCTREE = (): number => LOCK_PROCTREE;
export const VNODE = (c: Ctx): number => deviceLock(c.l.dev, 'vnode_lock');
export const VI = (c: Ctx): number => deviceLock(c.l.dev, 'vi_lock');
export const SIM = (c: Ctx): number => deviceLock(c.l.dev, 'sim_mtx');
