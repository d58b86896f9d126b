import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DESCRIPTOR_FIELDS,
  DEVICE_FIELDS,
  DEVICE_LOCKS,
  ERRNO,
  FLAG_CONSTANTS,
  GLOBAL_LOCKS,
  LOCK_FIELDS,
  PROCESS_FIELDS,
  completePath,
  lookupPath,
  parseScenario,
  resolvePath,
} from '../../core/scenario';

const { scenario } = parseScenario('device pass0: pass before-fix\nprocess A {\n  open pass0 as f\n}\nprocess B {\n}\n');

/** The resolution without the FieldInfo (asserted separately). */
function res(parts: string[], opts?: { process?: string }): unknown {
  const r = resolvePath(parts, scenario, opts) as Record<string, unknown>;
  const { info: _info, ...rest } = r;
  return rest;
}

test('resolvePath: every kind of value', () => {
  assert.deepEqual(res(['pass0', 'refcount']), { kind: 'device-field', device: 'pass0', field: 'refcount' });
  assert.deepEqual(res(['A', 'blocked']), { kind: 'process-field', process: 'A', field: 'blocked' });
  assert.deepEqual(res(['A', 'f', 'errno']), { kind: 'descriptor-field', process: 'A', fd: 'f', field: 'errno' });
  assert.deepEqual(res(['A', 'f', 'open']), { kind: 'descriptor-field', process: 'A', fd: 'f', field: 'open' });
  assert.deepEqual(res(['pass0', 'sim_mtx', 'holder']), { kind: 'lock-field', lock: { device: 'pass0', name: 'sim_mtx' }, field: 'holder' });
  assert.deepEqual(res(['devmtx', 'waiters']), { kind: 'lock-field', lock: { name: 'devmtx' }, field: 'waiters' });
  assert.deepEqual(res(['EBUSY']), { kind: 'constant', name: 'EBUSY', value: 16, group: 'errno' });
  assert.deepEqual(res(['D_TRACKCLOSE']), { kind: 'constant', name: 'D_TRACKCLOSE', value: 0x80000, group: 'flag', owner: 'cdevsw d_flags (sys/sys/conf.h)' });
  assert.deepEqual(res(['PASS_FLAG_INVALID']), { kind: 'constant', name: 'PASS_FLAG_INVALID', value: 0x04, group: 'flag', owner: 'pass before-fix softc flags' });
  assert.deepEqual(res(['A']), { kind: 'process-name', name: 'A' });
  assert.deepEqual(res(['none']), { kind: 'none' });
  const r = resolvePath(['pass0', 'refcount'], scenario);
  assert.ok(r.kind === 'device-field');
  assert.equal(r.info.kernelName, 'periph->refcount');
  assert.equal(r.info.type, 'number');
});

test('resolvePath: errors name the part, with a suggestion', () => {
  assert.deepEqual(res(['pass1', 'refcount']), {
    kind: 'error',
    code: 'unknown-name',
    partIndex: 0,
    message: "unknown name 'pass1': not a device, process, lock or constant; did you mean 'pass0'?",
    suggestion: 'pass0',
  });
  assert.deepEqual(res(['pass0', 'sim_mtx', 'owner']), {
    kind: 'error',
    code: 'unknown-field',
    partIndex: 2,
    message: "lock pass0.sim_mtx has no field 'owner' (fields: holder, waiters, recursion)",
  });
  assert.deepEqual(res(['B', 'f', 'errno']), {
    kind: 'error',
    code: 'unknown-field',
    partIndex: 1,
    message: "process B has no field or descriptor 'f' (fields: blocked, done, errno, steps; descriptors: none opened)",
  });
  assert.deepEqual(res(['A', 'f']), {
    kind: 'error',
    code: 'not-a-value',
    partIndex: 1,
    message: 'A.f is a descriptor, not a value: name one of its fields, e.g. A.f.errno or A.f.open',
  });
  assert.equal((resolvePath(['devmtx'], scenario) as { code: string }).code, 'not-a-value');
  assert.equal((resolvePath(['EBUSY', 'x'], scenario) as { message: string }).message, "EBUSY is a constant: it has no field 'x'");
  assert.equal((resolvePath(['none', 'x'], scenario) as { message: string }).message, "none is not an object: it has no field 'x'");
  assert.equal(resolvePath([], scenario).kind, 'error');
});

test('resolvePath with a frame process: bare descriptor names; declared names win', () => {
  assert.deepEqual(res(['f', 'errno'], { process: 'A' }), { kind: 'descriptor-field', process: 'A', fd: 'f', field: 'errno' });
  assert.equal(resolvePath(['f', 'errno'], scenario, { process: 'B' }).kind, 'error');
  const shadow = parseScenario('device f: pass\nprocess A {\n  open f as f\n}\n').scenario;
  assert.equal(resolvePath(['f', 'refcount'], shadow, { process: 'A' }).kind, 'device-field');
});

test('lookupPath names the intermediate things (for hover)', () => {
  const dev = lookupPath(['pass0'], scenario);
  assert.ok(dev.kind === 'device');
  assert.equal(dev.decl.driver.name, 'pass');
  const fd = lookupPath(['A', 'f'], scenario);
  assert.ok(fd.kind === 'descriptor');
  assert.equal(fd.open.device.name, 'pass0');
  const lock = lookupPath(['pass0', 'vnode_lock'], scenario);
  assert.ok(lock.kind === 'lock');
  assert.deepEqual(lock.lock, { device: 'pass0', name: 'vnode_lock' });
  assert.equal(lock.info.kernelName, 'vp->v_vnlock');
});

test('completePath: root names, then the fields and locks of what the prefix names', () => {
  const names = (prefix: string[], opts?: { process?: string }): string[] => completePath(prefix, scenario, opts).map((c) => c.name);
  const root = completePath([], scenario);
  assert.deepEqual(
    root.slice(0, 3).map((c) => [c.name, c.kind]),
    [
      ['pass0', 'device'],
      ['A', 'process'],
      ['B', 'process'],
    ],
  );
  assert.equal(root[0].detail, 'device: pass before-fix');
  assert.deepEqual(names([]).slice(3), [...GLOBAL_LOCKS.map((l) => l.name), ...Object.keys(ERRNO), ...Object.keys(FLAG_CONSTANTS), 'PASS_FLAG_OPEN', 'PASS_FLAG_LOCKED', 'PASS_FLAG_INVALID', 'none']);
  assert.deepEqual(names([], { process: 'A' }).at(-1), 'f');
  assert.deepEqual(names(['pass0']), [...DEVICE_FIELDS.map((f) => f.name), ...DEVICE_LOCKS.map((f) => f.name)]);
  assert.deepEqual(names(['A']), [...PROCESS_FIELDS.map((f) => f.name), 'f']);
  assert.deepEqual(names(['A', 'f']), DESCRIPTOR_FIELDS.map((f) => f.name));
  assert.deepEqual(names(['pass0', 'sim_mtx']), LOCK_FIELDS.map((f) => f.name));
  assert.deepEqual(names(['devmtx']), LOCK_FIELDS.map((f) => f.name));
  assert.deepEqual(names(['pass0', 'refcount']), []);
  assert.deepEqual(names(['nothing']), []);
  const refcount = completePath(['pass0'], scenario)[0];
  assert.deepEqual(refcount, {
    name: 'refcount',
    kind: 'field',
    type: 'number',
    detail: 'periph->refcount (number)',
    doc: DEVICE_FIELDS[0].doc,
  });
});
