// The Variables view as plain data: what the kernel holds at one point of the
// recording, under the kernel's names, with the values the last step changed
// marked. Built from a machine only (no protocol types), so the view at any
// point of the past is the same function of the machine there.

import type { Change } from '../../core/engine/run/observe';
import { lockPath } from '../../core/engine/run/observe';
import type { Frame, Machine } from '../../core/kernel/state';
import { FUNCTIONS } from '../../core/kernel/functions';
import { variantOf } from '../../core/kernel/drivers';
import { CAM_REQ_CMP, CAM_REQ_CMP_ERR, GLOBAL_LOCK_COUNT, periphAddress } from '../../core/kernel/constants';
import { lockWaiters } from '../../core/engine/expr/evaluate';
import { CAM_PERIPH_FLAG_NAMES, D_FLAG_NAMES, errnoText, flagsText, plural, showValue } from './format';
import { processState } from './frames';

export interface VarNode {
  name: string;
  value: string;
  /** The C type (and, when the last step changed it, what it was before). */
  type?: string;
  /** An expression of the expression language that reads it (watch, why). */
  evaluateName?: string;
  /** The path under which steps record writes to it (data breakpoints). */
  dataPath?: string;
  /** Set when the last step changed it. */
  changed?: { old: string };
  children?: () => VarNode[];
}

export interface ScopeView {
  name: string;
  hint?: 'locals';
  children: () => VarNode[];
}

/** The last step's changes by path. */
export type ChangeMap = ReadonlyMap<string, Change>;

export function changeMap(changes: readonly Change[]): ChangeMap {
  return new Map(changes.map((c) => [c.path, c]));
}

function leaf(name: string, value: string, type: string, changes: ChangeMap, path?: string, evaluateName = path): VarNode {
  const node: VarNode = { name, value, type };
  if (evaluateName) node.evaluateName = evaluateName;
  if (path) {
    node.dataPath = path;
    const c = changes.get(path);
    if (c) {
      node.changed = { old: showValue(c.old) };
      node.type = `${type} · changed by the last step (${showValue(c.old)} → ${showValue(c.new)})`;
    }
  }
  return node;
}

/** A group's value names the children the last step changed, so the change shows without expanding. */
function group(name: string, summary: string, children: VarNode[]): VarNode {
  const changed = children.filter((c) => c.changed).map((c) => c.name);
  return { name, value: changed.length ? `${summary} — changed: ${changed.join(', ')}` : summary, children: () => children };
}

// ---- the process and its frame ----

function localValue(m: Machine, f: Frame, name: string, v: number): { value: string; type: string } {
  const devIndex = f.l.dev ?? 0;
  const cfg = m.config.devices[devIndex];
  switch (name) {
    case 'dev':
      return { value: `${m.config.devices[v]?.name ?? v}`, type: 'struct cdev *' };
    case 'periph':
      return { value: v ? `${periphAddress(devIndex)} (${cfg.name})` : 'NULL', type: 'struct cam_periph *' };
    case 'dsw':
    case 'csw':
      return { value: v ? `&${cfg.driver}_cdevsw` : 'NULL', type: 'struct cdevsw *' };
    case 'cb':
      return { value: v ? `${cfg.driver}devgonecb` : 'NULL', type: 'd_gone_cb_t *' };
    case 'error':
    case 'retval':
      return { value: errnoText(v), type: 'int' };
    case 'status':
      return { value: v === CAM_REQ_CMP ? 'CAM_REQ_CMP (0x1)' : v === CAM_REQ_CMP_ERR ? 'CAM_REQ_CMP_ERR (0x4)' : `0x${v.toString(16)}`, type: 'cam_status' };
    default:
      // The result of a kernel call in a routine written in the scenario (compileRoutine.ts names it after the call).
      if (name.startsWith('cam_periph_acquire()')) return localValue(m, f, 'status', v);
      if (name.startsWith('cam_periph_hold()') || name.startsWith('scsi_io()')) return localValue(m, f, 'error', v);
      return { value: String(v), type: 'int' };
  }
}

/** The locals of one kernel frame (bookkeeping of sleeps left out: the state says it). */
export function localsOf(m: Machine, f: Frame): VarNode[] {
  return Object.entries(f.l)
    .filter(([k]) => !k.startsWith('__'))
    .map(([k, v]) => {
      const { value, type } = localValue(m, f, k, v);
      return { name: k, value, type };
    });
}

export function processScope(m: Machine, pid: number, changes: ChangeMap): VarNode[] {
  const p = m.procs[pid];
  const pc = m.config.processes[pid];
  const name = pc.name;
  const out: VarNode[] = [leaf('state', processState(m, pid), 'td_state', changes)];
  if (pc.kind === 'taskq') {
    const queued = m.tasks.map((d) => `destroy_devl(${m.config.devices[d].name})`);
    out.push({ name: 'queued', value: queued.length ? queued.join(', ') : 'nothing', type: 'dev_ddtr' });
  } else {
    out.push(leaf('errno', errnoText(p.errno), 'int', changes, `${name}.errno`));
  }
  out.push({ name: 'steps', value: String(p.steps), type: 'int', evaluateName: `${name}.steps` });
  pc.fdNames.forEach((fd, i) => {
    const s = p.fds[i];
    const dev = s.dev >= 0 ? m.config.devices[s.dev].name : undefined;
    const summary = s.open ? `open (${dev})` : dev === undefined && s.errno === 0 ? 'not opened yet' : `closed${s.errno ? `, errno ${errnoText(s.errno)}` : ''}`;
    out.push(group(fd, summary, [
      leaf('open', String(s.open), 'bool', changes, `${name}.${fd}.open`),
      leaf('errno', errnoText(s.errno), 'int', changes, `${name}.${fd}.errno`),
      { name: 'device', value: dev ?? 'none', type: 'struct cdev *' },
    ]));
  });
  return out;
}

// ---- the kernel ----

export function devicesScope(m: Machine, changes: ChangeMap): VarNode[] {
  const out = m.devs.map((d, i) => {
    const cfg = m.config.devices[i];
    const v = variantOf(cfg);
    const n = cfg.name;
    const kind = cfg.driverKey === undefined ? `${cfg.driver} ${cfg.variant}` : `${cfg.driver}, written in the scenario`;
    return group(n, `cdev ${n} (${kind}): si_usecount ${d.si_usecount}, si_threadcount ${d.si_threadcount}`, [
      leaf('si_usecount', String(d.si_usecount), 'int', changes, `${n}.si_usecount`),
      leaf('si_threadcount', String(d.si_threadcount), 'int', changes, `${n}.si_threadcount`),
      leaf('si_drv1', d.si_drv1 ? `${periphAddress(i)} (periph ${n})` : 'NULL', 'void *', changes, `${n}.si_drv1`),
      { name: 'si_devsw', value: d.si_devsw ? `&${cfg.driver}_cdevsw` : 'NULL', type: 'struct cdevsw *' },
      { name: 'si_flags', value: d.named ? 'SI_NAMED' : '0', type: 'u_int' },
      leaf('cdp_flags', d.sched_dtr ? 'CDP_SCHED_DTR' : '0', 'u_int', changes, `${n}.sched_dtr`),
      { name: 'd_flags', value: flagsText(v.d_flags, D_FLAG_NAMES), type: 'int (cdevsw)', evaluateName: `${n}.d_flags` },
      leaf('v_usecount', String(d.v_usecount), 'int (devfs vnode)', changes, `${n}.v_usecount`),
      { name: 'v_holdcnt', value: String(d.v_holdcnt), type: 'int (devfs vnode)' },
    ]);
  });
  const taskq = m.config.processes.findIndex((p) => p.kind === 'taskq');
  if (taskq >= 0) {
    const queued = m.tasks.map((d) => `destroy_devl(${m.config.devices[d].name})`);
    out.push({ name: 'taskqueue_swi_giant', value: queued.length ? queued.join(', ') : 'empty', type: 'dev_ddtr' });
  }
  return out;
}

export function periphsScope(m: Machine, changes: ChangeMap): VarNode[] {
  return m.devs.map((d, i) => {
    const cfg = m.config.devices[i];
    const v = variantOf(cfg);
    const n = cfg.name;
    const summary = d.freed ? `periph ${n}: freed` : `periph ${n} (${periphAddress(i)}): refcount ${d.refcount}`;
    return group(n, summary, [
      leaf('refcount', String(d.refcount), 'int', changes, `${n}.refcount`),
      leaf('flags', flagsText(d.flags, CAM_PERIPH_FLAG_NAMES), 'cam_periph_flags', changes, `${n}.flags`),
      leaf('softc->flags', flagsText(d.softc_flags, v.softcFlagNames), `${cfg.driver}_flags`, changes, `${n}.softc_flags`),
      leaf('softc->open_count', String(d.open_count), 'int', changes, `${n}.open_count`),
      leaf('freed', String(d.freed), 'bool (camperiphfree)', changes, `${n}.freed`),
      { name: 'resting refcount', value: String(v.resting), type: 'int (R0)', evaluateName: `${n}.resting` },
    ]);
  });
}

export function locksScope(m: Machine, changes: ChangeMap): VarNode[] {
  const names = m.config.processes.map((p) => p.name);
  return m.locks.map((l, i) => {
    const path = lockPath(m, i);
    // Giant is not in the expression vocabulary; the other locks are.
    const expr = i < GLOBAL_LOCK_COUNT && path === 'Giant' ? undefined : path;
    const waiters = lockWaiters(m, i).map((pid) => names[pid]);
    const holder = l.holder < 0 ? 'none' : names[l.holder];
    let summary = l.holder < 0 ? 'free' : `held by ${holder}${l.recurse ? ` (recursed ${plural(l.recurse, 'time')})` : ''}`;
    if (waiters.length) summary += `; waiting: ${waiters.join(', ')}`;
    return group(path, summary, [
      leaf('holder', holder, 'struct thread *', changes, `${path}.holder`, expr && `${expr}.holder`),
      { name: 'waiters', value: waiters.length ? waiters.join(', ') : 'none', type: 'turnstile', ...(expr ? { evaluateName: `${expr}.waiters` } : {}) },
      leaf('recursion', String(l.recurse), 'u_int', changes, `${path}.recursion`, expr && `${expr}.recursion`),
    ]);
  });
}

/** What the last step did, one entry per changed value. */
export function lastStepScope(changes: readonly Change[]): VarNode[] {
  return changes.map((c) => ({ name: c.path, value: `${showValue(c.old)} → ${showValue(c.new)}`, type: 'changed by the last step', evaluateName: c.path.startsWith('Giant') ? undefined : c.path, dataPath: c.path }));
}

/** The model function of a frame, for scope titles. */
export function frameFunction(f: Frame): string {
  return FUNCTIONS[f.fn].name;
}
