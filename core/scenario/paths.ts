// Name resolution of expression paths (`pass0.refcount`, `A.f.errno`,
// `pass0.sim_mtx.holder`, `devmtx.waiters`, `EBUSY`, `none`, `A`) against a
// scenario and the vocabulary of fields.ts. One resolver for the checker, the
// engine's evaluator, completion and hover.

import type { DeviceDecl, OpenStmt, Scenario } from './ast';
import {
  DESCRIPTOR_FIELDS,
  DEVICE_FIELDS,
  DEVICE_LOCKS,
  ERRNO,
  GLOBAL_LOCKS,
  LOCK_FIELDS,
  PROCESS_FIELDS,
  type FieldInfo,
  type FieldType,
} from './fields';
import { flagConstantNames, lookupFlag, ownFlagNames, scenarioFlags } from './flags';
import { indexScenario } from './scope';
import { closestName } from './suggest';

export interface PathOptions {
  /**
   * The process of the current frame (debugger evaluate): a bare descriptor
   * name of this process then resolves too (`f.errno` for `A.f.errno`).
   * Declared devices, processes, locks and constants take precedence.
   */
  process?: string;
}

/** A lock: a device's (`pass0.sim_mtx`) or a kernel-wide one (`devmtx`). */
export interface LockRef {
  device?: string;
  name: string;
}

/** What a complete path denotes: a value the evaluator can read. */
export type PathValue =
  | { kind: 'device-field'; device: string; field: string; info: FieldInfo }
  | { kind: 'process-field'; process: string; field: string; info: FieldInfo }
  | { kind: 'descriptor-field'; process: string; fd: string; field: string; info: FieldInfo }
  | { kind: 'lock-field'; lock: LockRef; field: string; info: FieldInfo }
  /** A flag's `owner` says whose flags it is among (`sg after-fix softc flags`). */
  | { kind: 'constant'; name: string; value: number; group: 'errno' | 'flag'; owner?: string }
  /** a bare process name, compared with a lock holder: `pass0.sim_mtx.holder == A` */
  | { kind: 'process-name'; name: string }
  /** `none`: no process (a free lock's holder) */
  | { kind: 'none' };

export interface PathError {
  kind: 'error';
  code: 'unknown-name' | 'unknown-field' | 'not-a-value' | 'ambiguous-flag' | 'flag-not-in-variant';
  message: string;
  /** The part the error is about (for `not-a-value`, the last part). */
  partIndex: number;
  /** The closest valid name for that part, for a quick fix. */
  suggestion?: string;
}

export type PathResolution = PathValue | PathError;

/** Also the intermediate things a path prefix can name (for hover and completion). */
export type PathTarget =
  | PathResolution
  | { kind: 'device'; device: string; decl: DeviceDecl }
  | { kind: 'descriptor'; process: string; fd: string; open: OpenStmt }
  | { kind: 'lock'; lock: LockRef; info: FieldInfo };

/** The type of a value: lock holders and process names are `name`, constants `number`. */
export function valueType(v: PathValue): FieldType {
  switch (v.kind) {
    case 'device-field':
    case 'process-field':
    case 'descriptor-field':
    case 'lock-field':
      return v.info.type;
    case 'constant':
      return 'number';
    case 'process-name':
    case 'none':
      return 'name';
  }
}

function findField(list: readonly FieldInfo[], name: string): FieldInfo | undefined {
  for (const f of list) if (f.name === name) return f;
  return undefined;
}

const names = (list: readonly FieldInfo[]): string[] => list.map((f) => f.name);

const HYPHEN_HINT = " (a '-' between letters belongs to the name: put spaces around '-' to subtract)";

function unknown(
  code: PathError['code'],
  partIndex: number,
  part: string,
  base: string,
  candidates: readonly string[],
  listing?: string,
): PathError {
  const suggestion = closestName(part, candidates);
  let message = base;
  if (suggestion) message += `; did you mean '${suggestion}'?`;
  else if (listing) message += ` (${listing})`;
  if (part.includes('-')) message += HYPHEN_HINT;
  const e: PathError = { kind: 'error', code, message, partIndex };
  if (suggestion) e.suggestion = suggestion;
  return e;
}

function rootNames(s: Scenario, opts?: PathOptions): string[] {
  const ix = indexScenario(s);
  const out = [...ix.devices.keys(), ...ix.processes.keys(), ...ix.implicitProcesses, ...names(GLOBAL_LOCKS), ...Object.keys(ERRNO), ...flagConstantNames(), ...ownFlagNames(s), 'none'];
  const fds = opts?.process ? ix.descriptors.get(opts.process) : undefined;
  if (fds) out.push(...fds.keys());
  return out;
}

function lookupRoot(name: string, s: Scenario, opts?: PathOptions): PathTarget {
  const ix = indexScenario(s);
  const dev = ix.devices.get(name);
  if (dev) return { kind: 'device', device: name, decl: dev };
  if (ix.processes.has(name) || ix.implicitProcesses.has(name)) return { kind: 'process-name', name };
  const gl = findField(GLOBAL_LOCKS, name);
  if (gl) return { kind: 'lock', lock: { name }, info: gl };
  if (Object.prototype.hasOwnProperty.call(ERRNO, name)) return { kind: 'constant', name, value: ERRNO[name], group: 'errno' };
  const flag = lookupFlag(name, s);
  if (flag) return flag.ok ? { kind: 'constant', name, value: flag.value, group: 'flag', owner: flag.owner } : { kind: 'error', code: flag.code, message: flag.message, partIndex: 0 };
  if (name === 'none') return { kind: 'none' };
  if (opts?.process) {
    const open = ix.descriptors.get(opts.process)?.get(name);
    if (open) return { kind: 'descriptor', process: opts.process, fd: name, open };
  }
  return unknown('unknown-name', 0, name, `unknown name '${name}': not a device, process, lock or constant`, rootNames(s, opts));
}

function leafName(t: PathTarget, shown: string): string {
  switch (t.kind) {
    case 'constant':
      return `${shown} is a constant`;
    case 'none':
      return 'none is not an object';
    default:
      return `${shown} is a ${t.kind === 'error' ? 'value' : valueType(t as PathValue)}`;
  }
}

/** One step down: the child `part` of `t` (which `shown`, the path so far, names). */
function lookupChild(t: PathTarget, part: string, index: number, s: Scenario, shown: string): PathTarget {
  const ix = indexScenario(s);
  switch (t.kind) {
    case 'device': {
      const f = findField(DEVICE_FIELDS, part);
      if (f) return { kind: 'device-field', device: t.device, field: part, info: f };
      const l = findField(DEVICE_LOCKS, part);
      if (l) return { kind: 'lock', lock: { device: t.device, name: part }, info: l };
      return unknown('unknown-field', index, part, `device ${t.device} has no field '${part}'`, [...names(DEVICE_FIELDS), ...names(DEVICE_LOCKS)], `fields: ${names(DEVICE_FIELDS).join(', ')}; locks: ${names(DEVICE_LOCKS).join(', ')}`);
    }
    case 'process-name': {
      const f = findField(PROCESS_FIELDS, part);
      if (f) return { kind: 'process-field', process: t.name, field: part, info: f };
      const fds = ix.descriptors.get(t.name);
      const open = fds?.get(part);
      if (open) return { kind: 'descriptor', process: t.name, fd: part, open };
      const fdNames = fds ? [...fds.keys()] : [];
      return unknown('unknown-field', index, part, `process ${t.name} has no field or descriptor '${part}'`, [...names(PROCESS_FIELDS), ...fdNames], `fields: ${names(PROCESS_FIELDS).join(', ')}; descriptors: ${fdNames.length ? fdNames.join(', ') : 'none opened'}`);
    }
    case 'descriptor': {
      const f = findField(DESCRIPTOR_FIELDS, part);
      if (f) return { kind: 'descriptor-field', process: t.process, fd: t.fd, field: part, info: f };
      return unknown('unknown-field', index, part, `descriptor ${t.process}.${t.fd} has no field '${part}'`, names(DESCRIPTOR_FIELDS), `fields: ${names(DESCRIPTOR_FIELDS).join(', ')}`);
    }
    case 'lock': {
      const f = findField(LOCK_FIELDS, part);
      if (f) return { kind: 'lock-field', lock: t.lock, field: part, info: f };
      return unknown('unknown-field', index, part, `lock ${shown} has no field '${part}'`, names(LOCK_FIELDS), `fields: ${names(LOCK_FIELDS).join(', ')}`);
    }
    case 'error':
      return t;
    default:
      return { kind: 'error', code: 'unknown-field', message: `${leafName(t, shown)}: it has no field '${part}'`, partIndex: index };
  }
}

/**
 * What a path or path prefix names, including devices, descriptors and locks
 * (which are not values). Hover uses it on each prefix of a path.
 */
export function lookupPath(parts: readonly string[], s: Scenario, opts?: PathOptions): PathTarget {
  if (parts.length === 0) return { kind: 'error', code: 'unknown-name', message: 'empty name', partIndex: 0 };
  let t = lookupRoot(parts[0], s, opts);
  for (let i = 1; i < parts.length && t.kind !== 'error'; i++) {
    t = lookupChild(t, parts[i], i, s, parts.slice(0, i).join('.'));
  }
  return t;
}

/** The value a complete path denotes, or why it denotes none. */
export function resolvePath(parts: readonly string[], s: Scenario, opts?: PathOptions): PathResolution {
  const t = lookupPath(parts, s, opts);
  const shown = parts.join('.');
  const last = parts.length - 1;
  switch (t.kind) {
    case 'device':
      return { kind: 'error', code: 'not-a-value', partIndex: last, message: `${shown} is a device, not a value: name one of its fields, e.g. ${shown}.refcount` };
    case 'descriptor':
      return { kind: 'error', code: 'not-a-value', partIndex: last, message: `${shown} is a descriptor, not a value: name one of its fields, e.g. ${shown}.errno or ${shown}.open` };
    case 'lock':
      return { kind: 'error', code: 'not-a-value', partIndex: last, message: `${shown} is a lock, not a value: name one of its fields, e.g. ${shown}.holder` };
    default:
      return t;
  }
}

export interface PathCompletion {
  name: string;
  kind: 'device' | 'process' | 'descriptor' | 'lock' | 'field' | 'constant' | 'none';
  /** For fields: the value's type. */
  type?: FieldType;
  /** One line: the kernel name, the driver, the constant's value. */
  detail: string;
  /** What it means (markdown-free text). */
  doc: string;
}

function fieldItems(list: readonly FieldInfo[]): PathCompletion[] {
  return list.map((f) => ({ name: f.name, kind: 'field', type: f.type, detail: `${f.kernelName} (${f.type})`, doc: f.doc }));
}
function lockItems(list: readonly FieldInfo[]): PathCompletion[] {
  return list.map((f) => ({ name: f.name, kind: 'lock', detail: f.kernelName, doc: f.doc }));
}

/**
 * The names valid after `prefix` (the parts before the dot being typed):
 * `[]` gives the root names, `['pass0']` the device's fields and locks,
 * `['A']` the process's fields and descriptors, and so on. An invalid prefix gives [].
 */
export function completePath(prefix: readonly string[], s: Scenario, opts?: PathOptions): PathCompletion[] {
  const ix = indexScenario(s);
  if (prefix.length === 0) {
    const out: PathCompletion[] = [];
    for (const [name, d] of ix.devices) {
      const own = s.drivers.some((u) => u.name.name === d.driver.name);
      out.push({ name, kind: 'device', detail: `device: ${d.driver.name} ${own ? '(driver of this file)' : (d.variant?.name ?? 'after-fix')}`, doc: `The ${d.driver.name} device ${name}: its periph, cdev and vnode counters, and its locks.` });
    }
    for (const name of ix.processes.keys()) {
      out.push({ name, kind: 'process', detail: 'process', doc: `Process ${name}: its fields (blocked, done, errno, steps) and descriptors; alone, its name (compare with a lock holder).` });
    }
    for (const name of ix.implicitProcesses) {
      out.push({ name, kind: 'process', detail: 'kernel thread', doc: `The taskqueue thread (taskqueue_swi_giant) that runs scheduled cdev destructions after a device is lost: its fields (blocked, done, errno, steps); alone, its name.` });
    }
    out.push(...lockItems(GLOBAL_LOCKS));
    for (const [name, value] of Object.entries(ERRNO)) out.push({ name, kind: 'constant', detail: `${name} = ${value}`, doc: `errno ${name} (sys/sys/errno.h).` });
    for (const f of scenarioFlags(s)) {
      out.push({ name: f.name, kind: 'constant', detail: `${f.name} = 0x${f.value.toString(16)}`, doc: `Flag ${f.name}, one of the ${f.owner}.` });
    }
    out.push({ name: 'none', kind: 'none', detail: 'no process', doc: 'The holder of a free lock.' });
    const proc = opts?.process;
    const fds = proc ? ix.descriptors.get(proc) : undefined;
    if (proc && fds) {
      const taken = new Set(out.map((c) => c.name));
      for (const [fd, open] of fds) if (!taken.has(fd)) out.push(descriptorItem(proc, fd, open));
    }
    return out;
  }
  const t = lookupPath(prefix, s, opts);
  switch (t.kind) {
    case 'device':
      return [...fieldItems(DEVICE_FIELDS), ...lockItems(DEVICE_LOCKS)];
    case 'process-name': {
      const fds = ix.descriptors.get(t.name);
      const out = fieldItems(PROCESS_FIELDS);
      if (fds) for (const [fd, open] of fds) out.push(descriptorItem(t.name, fd, open));
      return out;
    }
    case 'descriptor':
      return fieldItems(DESCRIPTOR_FIELDS);
    case 'lock':
      return fieldItems(LOCK_FIELDS);
    default:
      return [];
  }
}

function descriptorItem(process: string, fd: string, open: OpenStmt): PathCompletion {
  return { name: fd, kind: 'descriptor', detail: `descriptor of ${process} on ${open.device.name}`, doc: `The descriptor ${fd} that ${process} opens on ${open.device.name}: errno, open.` };
}
