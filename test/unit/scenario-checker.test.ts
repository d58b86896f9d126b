import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, checkExpression, checkScenario, parseExpression, parseScenario, type Diagnostic } from '../../core/scenario';
import { rangeOf, strip } from './scenario-helpers';

/** Semantic diagnostics of a text that must be free of syntax errors. */
function check(text: string): Diagnostic[] {
  const { scenario, diagnostics } = parseScenario(text);
  assert.deepEqual(diagnostics, [], 'the test text must parse');
  return checkScenario(scenario);
}

/** The one diagnostic with `code`. */
function only(ds: Diagnostic[], code: string): Diagnostic {
  const found = ds.filter((d) => d.code === code);
  assert.equal(found.length, 1, `${code}: ${JSON.stringify(ds.map((d) => d.code))}`);
  return found[0];
}

test('a correct scenario has no diagnostics', () => {
  const text = strip(`
scenario "pt refuses a second open"
kernel invariants
device pt0: pt before-fix
device ch0: ch after-fix with io-error
process A {
  open pt0 as f
  ioctl f
  close f
  repeat 10 {
    open ch0 as g
    close g
  }
}
process B {
  open pt0 as f
  close f
  lose ch0
}
schedule A B*2 A
expect no panic
expect A.f.errno == 0 && B.f.errno == EBUSY || pt0.sim_mtx.holder == none
expect (pt0.flags & CAM_PERIPH_INVALID) == 0 && !A.blocked
`);
  assert.deepEqual(check(text), []);
});

test('unknown driver lists the valid ones, with a suggestion', () => {
  const text = 'device pass0: pas before-fix\n';
  const d = only(check(text), 'unknown-driver');
  assert.equal(d.message, "unknown driver 'pas'; did you mean 'pass'? (drivers: pass, sg, ch, enc, pt, sa)");
  assert.deepEqual(d.range, rangeOf(text, 0, 'pas', 2));
  assert.equal(d.severity, 'error');
  assert.deepEqual(d.data, { suggestion: 'pass' });
});

test('unknown variant, and a device option written as a variant', () => {
  const text = 'device a: pass befor-fix\ndevice b: ch io-error\n';
  const ds = check(text).filter((d) => d.code === 'unknown-variant');
  assert.deepEqual(
    ds.map((d) => [d.message, d.range]),
    [
      ["unknown variant 'befor-fix'; did you mean 'before-fix'? (variants: before-fix, after-fix; after-fix is the default)", rangeOf(text, 0, 'befor-fix')],
      ["'io-error' is a device option, not a variant: write 'with io-error'", rangeOf(text, 1, 'io-error')],
    ],
  );
});

test('io-error on sa is no warning: its open runs SCSI I/O (samount) that the option fails', () => {
  assert.deepEqual(check('device t: sa with io-error\n').filter((d) => d.code === 'inapplicable-device-option'), []);
});

test('device options: unknown is an error, io-error off ch and sa is a warning, repeated is a warning', () => {
  const text = 'device a: pass with io-err\ndevice b: sg with io-error\ndevice c: ch with io-error io-error\n';
  const ds = check(text);
  const unknown = only(ds, 'unknown-device-option');
  assert.equal(unknown.message, "unknown device option 'io-err'; did you mean 'io-error'? (options: io-error)");
  assert.deepEqual(unknown.range, rangeOf(text, 0, 'io-err'));
  const off = only(ds, 'inapplicable-device-option');
  assert.equal(off.severity, 'warning');
  assert.equal(off.message, "'io-error' only affects the ch and sa drivers; on sg it does nothing");
  assert.deepEqual(off.range, rangeOf(text, 1, 'io-error'));
  const dup = only(ds, 'duplicate-device-option');
  assert.deepEqual(dup.range, rangeOf(text, 2, 'io-error', 2));
  assert.equal(dup.severity, 'warning');
});

test('unknown and repeated kernel options', () => {
  const text = 'kernel invariant\nkernel invariants\nkernel invariants\n';
  const ds = check(text);
  const u = only(ds, 'unknown-kernel-option');
  assert.equal(u.message, "unknown kernel option 'invariant'; did you mean 'invariants'? (options: invariants)");
  assert.deepEqual(u.range, rangeOf(text, 0, 'invariant'));
  const d = only(ds, 'duplicate-kernel-option');
  assert.deepEqual(d.range, rangeOf(text, 2, 'invariants'));
  assert.deepEqual(d.related?.[0].range, rangeOf(text, 1, 'invariants'));
});

test('duplicates of device, process, scenario and schedule point at the first declaration', () => {
  const text = strip(`
scenario "one"
scenario "two"
device pass0: pass
device pass0: sg
process A {
}
process A {
}
schedule A
schedule A A
`);
  const ds = check(text);
  const dev = only(ds, 'duplicate-device');
  assert.equal(dev.message, 'device pass0 is already declared (line 3)');
  assert.deepEqual(dev.range, rangeOf(text, 3, 'pass0'));
  assert.deepEqual(dev.related, [{ range: rangeOf(text, 2, 'pass0'), message: 'the first declaration of pass0' }]);
  const proc = only(ds, 'duplicate-process');
  assert.deepEqual(proc.range, rangeOf(text, 6, 'A'));
  assert.deepEqual(proc.related?.[0].range, rangeOf(text, 4, 'A'));
  const title = only(ds, 'duplicate-scenario');
  assert.deepEqual(title.range, rangeOf(text, 1, 'scenario'));
  assert.deepEqual(title.related?.[0].range, rangeOf(text, 0, 'scenario "one"'));
  const sched = only(ds, 'duplicate-schedule');
  assert.deepEqual(sched.range, rangeOf(text, 9, 'schedule'));
  assert.deepEqual(sched.related?.[0].range, rangeOf(text, 8, 'schedule A'));
});

test('name clashes: device and process, a lock, a constant, none, a process field', () => {
  const text = strip(`
device A: pass
device devmtx: pass
device EBUSY: pass
process none {
}
process A {
  open A as errno
}
`);
  const ds = check(text).filter((d) => d.code === 'name-clash');
  assert.deepEqual(
    ds.map((d) => [d.message, d.range]),
    [
      ["the device name 'devmtx' clashes with the kernel lock devmtx: choose another name", rangeOf(text, 1, 'devmtx')],
      ["the device name 'EBUSY' clashes with the errno constant EBUSY: choose another name", rangeOf(text, 2, 'EBUSY')],
      ["the process name 'none' clashes with 'none' (no process, in expressions): choose another name", rangeOf(text, 3, 'none')],
      ["'A' names both a device and a process: give the process another name", rangeOf(text, 5, 'A')],
      ["the descriptor name 'errno' hides the field A.errno in expressions: choose another name", rangeOf(text, 6, 'errno')],
    ],
  );
  assert.deepEqual(ds[3].related, [{ range: rangeOf(text, 0, 'A'), message: 'the device A' }]);
  const flag = check('process CAM_PERIPH_INVALID {\n}\n');
  assert.match(only(flag, 'name-clash').message, /the flag constant CAM_PERIPH_INVALID/);
});

test('undeclared device in open and lose, with a suggestion; a process is not a device', () => {
  const text = 'device pass0: pass\nprocess A {\n  open pas0 as f\n  lose A\n}\n';
  const ds = check(text).filter((d) => d.code === 'undeclared-device');
  assert.deepEqual(
    ds.map((d) => [d.message, d.range]),
    [
      ["device pas0 is not declared; did you mean 'pass0'?", rangeOf(text, 2, 'pas0')],
      ["'A' is a process, not a device", rangeOf(text, 3, 'A')],
    ],
  );
});

test('close or ioctl of a descriptor the process never opens (no related information)', () => {
  const text = 'device pass0: pass\nprocess A {\n  open pass0 as fd\n  close f\n  ioctl g\n}\nprocess B {\n  close fd\n}\n';
  const ds = check(text).filter((d) => d.code === 'unopened-descriptor');
  assert.deepEqual(
    ds.map((d) => [d.message, d.range, d.related]),
    [
      ["close f: process A never opens a descriptor f (write 'open DEVICE as f' first)", rangeOf(text, 3, 'f'), undefined],
      ["ioctl g: process A never opens a descriptor g (write 'open DEVICE as g' first)", rangeOf(text, 4, 'g'), undefined],
      ["close fd: process B never opens a descriptor fd (write 'open DEVICE as fd' first)", rangeOf(text, 7, 'fd'), undefined],
    ],
  );
});

test('straight-line descriptor state: already open, already closed, not yet open', () => {
  const text = strip(`
device pass0: pass
process A {
  close f
  open pass0 as f
  open pass0 as f
  close f
  ioctl f
  close f
}
`);
  const ds = check(text);
  const open = only(ds, 'already-open');
  assert.equal(open.message, 'f is already open here (opened at line 4): close it first or open it as another name');
  assert.deepEqual(open.range, rangeOf(text, 4, 'f'));
  assert.deepEqual(open.related, [{ range: rangeOf(text, 3, 'open pass0 as f'), message: 'f opened here' }]);
  const closed = ds.filter((d) => d.code === 'descriptor-not-open');
  assert.deepEqual(
    closed.map((d) => [d.message, d.range, d.severity]),
    [
      ['f is not open yet here (first opened at line 4): this close(2) fails with EBADF', rangeOf(text, 2, 'f'), 'warning'],
      ['f is already closed here (closed at line 6): this ioctl(2) fails with EBADF', rangeOf(text, 6, 'f'), 'warning'],
      ['f is already closed here (closed at line 6): this close(2) fails with EBADF', rangeOf(text, 7, 'f'), 'warning'],
    ],
  );
});

test('a repeat body runs again: an open without a close, a close without an open', () => {
  const text = strip(`
device pass0: pass
process A {
  repeat 2 {
    open pass0 as f
  }
  repeat 1 {
    close f
  }
}
process B {
  open pass0 as g
  repeat 3 {
    close g
  }
}
`);
  const ds = check(text);
  const open = only(ds, 'already-open');
  assert.equal(
    open.message,
    'f is still open from the previous iteration of the repeat (opened at line 4): close it in the loop or open it as another name',
  );
  assert.deepEqual(open.range, rangeOf(text, 3, 'f'));
  const closed = only(ds, 'descriptor-not-open');
  assert.deepEqual(closed.range, rangeOf(text, 12, 'g'));
  assert.match(closed.message, /the previous iteration closed it at line 13/);
  // an open/close pair inside the loop is fine
  assert.deepEqual(check('device p: pass\nprocess A {\n  repeat 5 {\n    open p as f\n    close f\n  }\n}\n'), []);
});

test('schedule: unknown process (with a suggestion), a device, P*0', () => {
  const text = 'device pass0: pass\nprocess Alpha {\n}\nschedule Alpa pass0 Alpha*0 Alpha*2000000\n';
  const ds = check(text);
  assert.deepEqual(
    ds.filter((d) => d.code === 'unknown-process').map((d) => [d.message, d.range]),
    [
      ["the schedule names 'Alpa', which is not a process; did you mean 'Alpha'?", rangeOf(text, 3, 'Alpa')],
      ["'pass0' is a device; a schedule names processes", rangeOf(text, 3, 'pass0')],
    ],
  );
  assert.deepEqual(
    ds.filter((d) => d.code === 'schedule-count').map((d) => [d.message, d.range]),
    [
      ['Alpha*0 runs Alpha zero times: use a count of 1 or more, or leave Alpha out', rangeOf(text, 3, '0', 2)],
      ['Alpha*2000000 is out of range: use a count of 1 to 1,000,000', rangeOf(text, 3, '2000000')],
    ],
  );
});

test('repeat counts below 1 or above 1,000,000', () => {
  const text = 'device p: pass\nprocess A {\n  repeat 0 {\n  }\n  repeat 1000001 {\n  }\n  repeat 1000000 {\n  }\n}\n';
  const ds = check(text).filter((d) => d.code === 'repeat-count');
  assert.deepEqual(
    ds.map((d) => [d.message, d.range]),
    [
      ['repeat count 0 is out of range: use 1 to 1,000,000', rangeOf(text, 2, '0')],
      ['repeat count 1000001 is out of range: use 1 to 1,000,000', rangeOf(text, 4, '1000001')],
    ],
  );
});

test('expressions: unknown names and fields with "did you mean", wrong kinds, types', () => {
  const text = strip(`
device pass0: pass
process A {
  open pass0 as f
}
expect pass0.refcnt == 1
expect pas0.refcount == 1
expect A.g.errno == 0
expect A.f.eror == EBUSY
expect pass0.sim_mtx.holdr == none
expect pass0 == 1
expect pass0.sim_mtx.holder == 1
expect pass0.sim_mtx.holder
expect pass0.refcount
expect A.done-B.done
expect pass0.refcount.x == 1
expect -none == 0
`);
  const ds = check(text);
  const got = ds.map((d) => [d.code, d.message, d.range, d.severity]);
  assert.deepEqual(got, [
    ['unknown-field', "device pass0 has no field 'refcnt'; did you mean 'refcount'?", rangeOf(text, 4, 'refcnt'), 'error'],
    ['unknown-name', "unknown name 'pas0': not a device, process, lock or constant; did you mean 'pass0'?", rangeOf(text, 5, 'pas0'), 'error'],
    ['unknown-field', "process A has no field or descriptor 'g' (fields: blocked, done, errno, steps; descriptors: f)", rangeOf(text, 6, 'g'), 'error'],
    ['unknown-field', "descriptor A.f has no field 'eror' (fields: errno, open)", rangeOf(text, 7, 'eror'), 'error'],
    ['unknown-field', "lock pass0.sim_mtx has no field 'holdr'; did you mean 'holder'?", rangeOf(text, 8, 'holdr'), 'error'],
    ['not-a-value', 'pass0 is a device, not a value: name one of its fields, e.g. pass0.refcount', rangeOf(text, 9, 'pass0'), 'error'],
    [
      'type-mismatch',
      'cannot compare pass0.sim_mtx.holder (a process name) with 1 (a number): compare it with a process name or none',
      rangeOf(text, 10, 'pass0.sim_mtx.holder == 1'),
      'error',
    ],
    [
      'not-a-condition',
      'a condition must be true or false, but pass0.sim_mtx.holder is a process name: compare it, e.g. pass0.sim_mtx.holder == none',
      rangeOf(text, 11, 'pass0.sim_mtx.holder'),
      'error',
    ],
    ['not-a-condition', 'pass0.refcount is a number, not a condition: compare it, e.g. pass0.refcount == 1', rangeOf(text, 12, 'pass0.refcount'), 'warning'],
    [
      'unknown-field',
      "process A has no field or descriptor 'done-B'; did you mean 'done'? (a '-' between letters belongs to the name: put spaces around '-' to subtract)",
      rangeOf(text, 13, 'done-B'),
      'error',
    ],
    ['unknown-field', "pass0.refcount is a number: it has no field 'x'", rangeOf(text, 14, 'x', 2), 'error'],
    ['type-mismatch', "'-' needs a number or a condition, but none is a process name", rangeOf(text, 15, '-none'), 'error'],
  ]);
  assert.deepEqual(ds[0].data, { suggestion: 'refcount' });
});

test('checkExpression for watches: relative to its own text, optional frame process', () => {
  const { scenario } = parseScenario('device pass0: pass\nprocess A {\n  open pass0 as f\n}\n');
  const watch = parseExpression('f.errno + devmtx.waiters');
  assert.ok(watch.expr);
  const plain = checkExpression(watch.expr, scenario);
  assert.deepEqual(
    plain.map((d) => [d.code, d.range]),
    [['unknown-name', { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }]],
  );
  assert.deepEqual(checkExpression(watch.expr, scenario, { process: 'A' }), []);
  // a watch may be a name; a condition may not
  const holder = parseExpression('pass0.sim_mtx.holder').expr;
  assert.ok(holder);
  assert.deepEqual(checkExpression(holder, scenario), []);
  assert.equal(checkExpression(holder, scenario, { condition: true })[0].code, 'not-a-condition');
});

test('the devfs close race warning: before-fix pass/sg/ch/enc opened by two processes', () => {
  const text = strip(`
device pass0: pass before-fix
device sg0: sg after-fix
device pt0: pt before-fix
device enc0: enc before-fix
process A {
  open pass0 as f
  open sg0 as g
  open pt0 as h
  repeat 2 {
    open enc0 as e
    close e
  }
}
process B {
  open pass0 as f
  open sg0 as g
  open pt0 as h
}
process C {
  open pass0 as f
  open enc0 as e
}
`);
  const ds = check(text).filter((d) => d.code === 'devfs-close-race');
  assert.equal(ds.length, 2, 'pass0 and enc0; not the after-fix sg0 nor the exclusive pt0');
  const [pass0, enc0] = ds;
  assert.equal(pass0.severity, 'warning');
  assert.equal(
    pass0.message,
    'pass0 is the before-fix pass driver (no D_TRACKCLOSE) and is opened by A, B and C: this is the devfs close race; see D_TRACKCLOSE',
  );
  assert.deepEqual(pass0.range, rangeOf(text, 0, 'before-fix'));
  assert.deepEqual(pass0.data, { device: 'pass0' });
  assert.deepEqual(pass0.related, [
    { range: rangeOf(text, 5, 'open pass0 as f'), message: 'A opens pass0 here' },
    { range: rangeOf(text, 14, 'open pass0 as f'), message: 'B opens pass0 here' },
    { range: rangeOf(text, 19, 'open pass0 as f'), message: 'C opens pass0 here' },
  ]);
  assert.equal(enc0.message, 'enc0 is the before-fix enc driver (no D_TRACKCLOSE) and is opened by A and C: this is the devfs close race; see D_TRACKCLOSE');
  assert.deepEqual(enc0.data, { device: 'enc0' });

  // one process opening a device (even in a loop) is no race
  assert.deepEqual(check('device ch0: ch before-fix\nprocess A {\n  repeat 9 {\n    open ch0 as f\n    close f\n  }\n}\n'), []);
});

test('expectations: repeated and contradictory ones are warnings', () => {
  const text = 'expect panic\nexpect no panic\nexpect panic\nexpect deadlock\nexpect no deadlock\n';
  const ds = check(text);
  assert.deepEqual(
    ds.map((d) => [d.code, d.range.start.line, d.severity]),
    [
      ['contradictory-expect', 1, 'warning'],
      ['duplicate-expect', 2, 'warning'],
      ['contradictory-expect', 4, 'warning'],
    ],
  );
});

test('analyze merges syntax and semantic diagnostics sorted by position; missing parts add no noise', () => {
  const text = 'process A {\n  close f\n  open pass0\n  open\n}\ndevice x:\nschedule Z\n';
  const { diagnostics } = analyze(text);
  assert.deepEqual(
    diagnostics.map((d) => [d.range.start.line, d.code]),
    [
      [1, 'unopened-descriptor'],
      [2, 'undeclared-device'],
      [2, 'syntax'],
      [3, 'syntax'],
      [5, 'syntax'],
      [6, 'unknown-process'],
    ],
  );
});

test('the taskqueue thread: a schedule and expressions may name taskq only when a device can be lost', () => {
  const losing = 'device pass0: pass\nprocess L {\n  lose pass0\n}\nschedule L taskq*3\nexpect pass0.sim_mtx.holder != taskq && taskq.done\n';
  assert.deepEqual(check(losing), []);
  const plain = 'device pass0: pass\nprocess L {\n}\nschedule L taskq\n';
  const d = only(check(plain), 'unknown-process');
  assert.deepEqual(d.range, rangeOf(plain, 3, 'taskq'));
  const clash = 'device pass0: pass\nprocess taskq {\n  lose pass0\n}\n';
  assert.equal(only(check(clash), 'name-clash').message, "the process name 'taskq' clashes with the kernel's taskqueue thread (it runs when a device is lost): choose another name");
});
