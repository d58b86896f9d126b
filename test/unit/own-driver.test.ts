// Drivers written in C inside a scenario: the parser (the subset, every error
// with a range and a message naming the construct), the checker (names, calls,
// arity, flags, the path analysis of locks and references, unreachable code)
// and the formatter (C bodies re-indented, comments kept, idempotent).

import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { analyze, parseScenario, type Diagnostic } from '../../core/scenario';
import { formatScenario } from '../../core/scenario/format';
import { lineLengths, rangeOf, rangeWithin } from './scenario-helpers';

const PASS = `scenario "pass written in C"
driver mypass {
  d_flags = D_TRACKCLOSE;   /* cdevsw flags */
  softc_flags MYPASS_FLAG_OPEN = 0x01, MYPASS_FLAG_INVALID = 0x04;
  resting = 1;              // the devfs node's reference

  d_open {
    int error;
    if (cam_periph_acquire(periph) != CAM_REQ_CMP)
      return (ENXIO);
    cam_periph_lock(periph);
    if (softc->flags & MYPASS_FLAG_INVALID) {
      cam_periph_release_locked(periph);
      cam_periph_unlock(periph);
      return (ENXIO);
    }
    error = cam_periph_hold(periph, PRIBIO);
    if (error != 0)
      goto bad;
    softc->open_count++;
    softc->flags |= MYPASS_FLAG_OPEN;
    cam_periph_unhold(periph);
    cam_periph_unlock(periph);
    return (0);
bad:
    cam_periph_release_locked(periph);
    cam_periph_unlock(periph);
    return (error);
  }
  d_close {
    cam_periph_lock(periph);
    softc->flags &= ~MYPASS_FLAG_OPEN;
    softc->open_count--;
    cam_periph_release_locked(periph);
    cam_periph_unlock(periph);
    return (0);
  }
  oninvalidate { softc->flags |= MYPASS_FLAG_INVALID; }
  devgonecb { cam_periph_release(periph); }
}
device p0: mypass
process A {
  open p0 as f
  close f
}
expect p0.softc_flags & MYPASS_FLAG_OPEN == 0
`;

/** A driver block around one d_open body (line 2 is the first line of the body). */
function inOpen(body: string): string {
  return `driver x {\n  d_open {\n${body}\n    return (0);\n  }\n  d_close { return (0); }\n}\ndevice x0: x\n`;
}

function codes(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => d.code);
}

test('a driver block parses into the scenario: flags, resting, routines, statements, in source order', () => {
  const { scenario, diagnostics } = parseScenario(PASS);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(scenario.items.map((i) => i.kind), ['scenario', 'driver', 'device', 'process', 'expect']);
  const [d] = scenario.drivers;
  assert.equal(d.name.name, 'mypass');
  assert.deepEqual(d.name.range, rangeOf(PASS, 1, 'mypass'));
  assert.deepEqual(d.dFlags?.names.map((n) => n.name), ['D_TRACKCLOSE']);
  assert.deepEqual(d.softcFlags.map((f) => [f.name.name, f.value]), [['MYPASS_FLAG_OPEN', 1], ['MYPASS_FLAG_INVALID', 4]]);
  assert.equal(d.resting?.value, 1);
  assert.deepEqual(d.routines.map((r) => r.kind), ['d_open', 'd_close', 'oninvalidate', 'devgonecb']);
  const open = d.routines[0];
  assert.deepEqual(open.body.map((s) => s.kind), ['decl', 'if', 'expr', 'if', 'assign', 'if', 'incdec', 'assign', 'expr', 'expr', 'return', 'label', 'expr', 'expr', 'return']);
  const guard = open.body[1];
  assert.ok(guard.kind === 'if' && guard.then[0].kind === 'return' && !guard.else);
  assert.equal(open.range.start.line, 6);
  assert.equal(open.range.end.line, 28);
  assert.equal(scenario.devices[0].driver.name, 'mypass');
});

test('the pass driver written in C checks clean', () => {
  assert.deepEqual(analyze(PASS).diagnostics, []);
});

test('constructs outside the C subset are syntax errors that name the construct and what is supported', () => {
  const cases: [body: string, needle: string, message: RegExp][] = [
    ['    while (1) softc->open_count++;', 'while', /'while' loops are not supported \(a routine has int locals/],
    ['    for (;;) { }', 'for', /'for' loops are not supported/],
    ['    switch (x) { case 1: break; }', 'switch', /'switch' is not supported: use if\/else/],
    ['    int *p;', '*', /pointer locals are not supported/],
    ['    struct pass_softc *softc;', 'struct pass_softc *softc', /'softc' is already declared in every routine/],
    ['    unsigned n;', 'unsigned', /only 'int' locals are supported, found 'unsigned'/],
    ['    x = *y;', '*', /pointers are not supported/],
    ['    x = a ? 1 : 2;', '?', /'\?:' is not supported/],
    ['    x = (int)y;', '(int', /casts are not supported/],
    ['    x = a * 2;', '*', /'\*' is not supported/],
    ['    x ^= 1;', '^=', /'\^=' is not supported: assignments are =, \|=, &=, \+= and -=/],
    ['    softc.flags = 1;', '.', /use '->'/],
    ['    softc->a->b = 1;', '->b', /only one level of fields/],
    ['    if ((error = scsi_io(periph)) != 0) return (error);', '=', /assignment inside an expression is not supported/],
    ['    x = "text";', '"text"', /strings are not part of the driver's C subset/],
    ['    # define X 1', '# define X 1', /inside a driver block the text is C/],
    ['    error;', 'error', /computes a value and does nothing with it/],
    ['    else return (0);', 'else', /'else' without an 'if'/],
    ['    x = sizeof(int);', 'sizeof', /'sizeof' is not supported/],
  ];
  for (const [body, needle, message] of cases) {
    const text = inOpen(body);
    const { diagnostics } = parseScenario(text);
    assert.equal(diagnostics.length, 1, `${body}: ${JSON.stringify(diagnostics)}`);
    assert.match(diagnostics[0].message, message, body);
    assert.equal(diagnostics[0].code, 'syntax');
    const r = rangeOf(text, 2, needle);
    assert.deepEqual(diagnostics[0].range.start, r.start, body);
  }
});

test('a missing semicolon is reported after the statement, and the next line still parses', () => {
  const text = inOpen('    cam_periph_lock(periph)\n    cam_periph_unlock(periph);');
  const { scenario, diagnostics } = parseScenario(text);
  assert.equal(diagnostics.length, 1);
  assert.match(diagnostics[0].message, /expected ';' after the call to cam_periph_lock/);
  const end = rangeOf(text, 2, 'cam_periph_lock(periph)').end;
  assert.deepEqual(diagnostics[0].range, { start: end, end });
  assert.equal(scenario.drivers[0].routines[0].body.length, 3, 'lock, unlock, return');
});

test('an unclosed driver block ends at the next declaration, which still parses', () => {
  const text = 'driver x {\n  d_open {\n    return (0);\n  }\ndevice x0: x\nprocess A {\n  open x0 as f\n}\n';
  const { scenario, diagnostics } = parseScenario(text);
  assert.deepEqual(diagnostics.map((d) => d.message), ["missing '}' to close driver x"]);
  assert.deepEqual(diagnostics[0].related?.[0].range, rangeOf(text, 0, '{'));
  assert.equal(scenario.devices.length, 1);
  assert.equal(scenario.processes.length, 1);
});

test('an unknown driver item is reported with a suggestion; the other items still parse', () => {
  const text = 'driver x {\n  d_flag = D_TRACKCLOSE;\n  d_open { return (0); }\n  d_close { return (0); }\n}\n';
  const { scenario, diagnostics } = parseScenario(text);
  assert.equal(diagnostics.length, 1);
  assert.match(diagnostics[0].message, /expected a driver item .*found 'd_flag'; did you mean 'd_flags'\?/);
  assert.deepEqual(diagnostics[0].range, rangeOf(text, 1, 'd_flag'));
  assert.equal(scenario.drivers[0].routines.length, 2);
});

test('every parse error has a range inside the text and a message', () => {
  const broken = [
    'driver',
    'driver {',
    'driver x',
    'driver x {\n  d_open {\n',
    'driver x {\n  d_open { if ( }\n}',
    'driver x {\n  softc_flags A = , B;\n  resting = x;\n  d_flags = |;\n}',
    'driver x {\n  d_open { return (0) }\n  d_close { goto; }\n}',
    'driver x { d_open { /* never closed',
    'driver x { d_open(struct cdev *dev) { return (0); } }',
  ];
  for (const text of broken) {
    const { diagnostics } = parseScenario(text);
    assert.ok(diagnostics.length > 0, text);
    for (const d of diagnostics) {
      assert.ok(rangeWithin(d.range, lineLengths(text)), `${JSON.stringify(text)}: ${JSON.stringify(d)}`);
      assert.ok(d.message.length > 10, d.message);
    }
  }
});

test('a variant word on a user driver is an error; a user driver may not reuse a built-in name', () => {
  const v = analyze(PASS.replace('device p0: mypass', 'device p0: mypass before-fix'));
  const variant = v.diagnostics.find((d) => d.code === 'user-driver-variant');
  assert.ok(variant);
  assert.match(variant.message, /has one form, no before-fix or after-fix variant/);
  const clash = analyze(PASS.replaceAll('mypass', 'pass'));
  assert.ok(clash.diagnostics.some((d) => d.code === 'driver-name-clash' && /'pass' is a built-in driver/.test(d.message)));
});

test('unknown calls, fields and flags get a did-you-mean; wrong arity names the prototype', () => {
  const text = inOpen([
    '    cam_periph_aquire(periph);',
    '    softc->open_cout = 1;',
    '    softc->flags |= MYPASS_FLAG_OPNE;',
    '    cam_periph_hold(periph);',
    '    periph->refcount = 0;',
    '    x = 1;',
    '    goto out;',
  ].join('\n')).replace('driver x {', 'driver x {\n  softc_flags MYPASS_FLAG_OPEN = 0x01;');
  const ds = analyze(text).diagnostics;
  const by = (code: string) => ds.find((d) => d.code === code);
  assert.match(by('unknown-call')?.message ?? '', /did you mean 'cam_periph_acquire'\?/);
  assert.deepEqual(by('unknown-call')?.range, rangeOf(text, 3, 'cam_periph_aquire'));
  assert.match(by('unknown-field')?.message ?? '', /softc has no field 'open_cout'.*did you mean 'open_count'\?/);
  assert.match(by('undeclared-flag')?.message ?? '', /'MYPASS_FLAG_OPNE' is not a flag of x.*did you mean 'MYPASS_FLAG_OPEN'\?/);
  assert.match(by('arity')?.message ?? '', /cam_periph_hold takes 2 arguments \(periph, priority\), not 1: int cam_periph_hold/);
  assert.match(by('read-only-field')?.message ?? '', /periph->refcount is the kernel's and read-only/);
  assert.match(by('unknown-name')?.message ?? '', /'x' is not declared/);
  assert.match(by('unknown-label')?.message ?? '', /no label 'out' in d_open/);
});

test('a return with the periph lock held is reported at that return (a warning: the run shows the deadlock), pointing at the lock', () => {
  const text = inOpen('    cam_periph_lock(periph);\n    if (softc->flags & 1)\n      return (EBUSY);\n    cam_periph_unlock(periph);');
  const ds = analyze(text).diagnostics.filter((d) => d.code === 'return-locked');
  assert.equal(ds.length, 1);
  assert.equal(ds[0].severity, 'warning');
  assert.deepEqual(ds[0].range, rangeOf(text, 4, 'return (EBUSY)'));
  assert.deepEqual(ds[0].related?.[0].range, rangeOf(text, 2, 'cam_periph_lock(periph)'));
});

test('a return with Giant held, a double lock, an unlock not held and a release under the lock are reported', () => {
  const giant = analyze(inOpen('    mtx_lock(&Giant);')).diagnostics;
  assert.ok(giant.some((d) => d.code === 'return-locked' && /Giant held/.test(d.message)), JSON.stringify(giant));
  const twice = analyze(inOpen('    cam_periph_lock(periph);\n    cam_periph_lock(periph);\n    cam_periph_unlock(periph);')).diagnostics;
  assert.ok(twice.some((d) => d.code === 'double-lock'));
  const unlock = analyze(inOpen('    cam_periph_unlock(periph);')).diagnostics;
  assert.ok(unlock.some((d) => d.code === 'unlock-not-held'));
  const release = analyze(inOpen('    cam_periph_lock(periph);\n    cam_periph_release(periph);\n    cam_periph_unlock(periph);')).diagnostics;
  assert.ok(release.some((d) => d.code === 'lock-recursion' && /use cam_periph_release_locked/.test(d.message)));
});

test('an error path of d_open that keeps its reference is a warning; so are paths that disagree', () => {
  const leak = inOpen('    if (cam_periph_acquire(periph) != CAM_REQ_CMP)\n      return (ENXIO);\n    if (softc->flags & 1)\n      return (EBUSY);');
  const ds = analyze(leak).diagnostics.filter((d) => d.code === 'unbalanced-reference' && d.range.start.line < 6);
  assert.equal(ds.length, 1, JSON.stringify(ds));
  assert.equal(ds[0].severity, 'warning');
  assert.deepEqual(ds[0].range, rangeOf(leak, 5, 'return (EBUSY)'));
  assert.match(ds[0].message, /returns EBUSY\) still holding 1 periph reference.*does not call d_close after a failed open/);

  const close = 'driver x {\n  d_open { return (0); }\n  d_close {\n    if (softc->flags & 1)\n      return (0);\n    cam_periph_release(periph);\n    return (0);\n  }\n}\n';
  const uneven = analyze(close).diagnostics.filter((d) => d.code === 'unbalanced-reference');
  assert.equal(uneven.length, 1);
  assert.match(uneven[0].message, /unbalanced along some path \(this may be legitimate/);
});

test('code after a return is unreachable; a goto skips nothing it can reach', () => {
  const text = inOpen('    return (0);\n    cam_periph_lock(periph);\n    cam_periph_unlock(periph);');
  const ds = analyze(text).diagnostics.filter((d) => d.code === 'unreachable');
  assert.equal(ds.length, 1, 'one warning for the run');
  assert.deepEqual(ds[0].range, rangeOf(text, 3, 'cam_periph_lock(periph)'));
  const jump = inOpen('    goto done;\ndone:\n    cam_periph_lock(periph);\n    cam_periph_unlock(periph);');
  assert.deepEqual(analyze(jump).diagnostics.filter((d) => d.code === 'unreachable'), []);
});

test('duplicates and missing routines', () => {
  const text = 'driver x {\n  softc_flags A = 0x01, A = 0x02;\n  d_open { return (0); }\n  d_open { return (0); }\n}\n';
  const c = codes(analyze(text).diagnostics);
  assert.ok(c.includes('duplicate-flag'));
  assert.ok(c.includes('duplicate-routine'));
  assert.ok(analyze(text).diagnostics.some((d) => d.code === 'missing-routine' && /has no d_close/.test(d.message)));
});

test('a user driver without D_TRACKCLOSE opened by two processes gets the close race warning', () => {
  const racy = PASS.replace('d_flags = D_TRACKCLOSE;', 'd_flags = 0;').replace('expect', 'process B {\n  open p0 as f\n  close f\n}\nexpect');
  const w = analyze(racy).diagnostics.filter((d) => d.code === 'devfs-close-race');
  assert.equal(w.length, 1);
  assert.match(w[0].message, /uses the driver mypass, whose d_flags lack D_TRACKCLOSE, and is opened by A and B/);
  const fixed = analyze(racy.replace('d_flags = 0;', 'd_flags = D_TRACKCLOSE;')).diagnostics;
  assert.deepEqual(fixed.filter((d) => d.code === 'devfs-close-race'), []);
});

test('expectations resolve the softc flags of a user driver, with a suggestion for a typo', () => {
  const typo = analyze(PASS.replace('& MYPASS_FLAG_OPEN == 0', '& MYPASS_FLAG_OPN == 0')).diagnostics;
  assert.ok(typo.some((d) => /did you mean 'MYPASS_FLAG_OPEN'/.test(d.message)), JSON.stringify(typo));
});

test('the formatter re-indents C bodies by brace depth and keeps comments; formatting is idempotent', () => {
  const messy = PASS.split('\n').map((l) => l.trimStart()).join('\n').replace('driver mypass {', '   driver mypass {');
  const once = formatScenario(messy);
  assert.ok(once !== undefined);
  assert.equal(once, formatScenario(PASS), 'a flattened file formats back to the canonical layout');
  assert.equal(formatScenario(once), once);
  assert.match(once, /\n {4}if \(cam_periph_acquire\(periph\) != CAM_REQ_CMP\)\n {6}return \(ENXIO\);\n/);
  assert.match(once, /\n {2}d_flags = D_TRACKCLOSE; {3}\/\* cdevsw flags \*\/\n/);
  assert.match(once, /\n\}\ndevice p0: mypass\n/);
  assert.deepEqual(analyze(once).diagnostics, []);
});

test('the driver examples of docs/scenario-language.md check clean', () => {
  const md = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'scenario-language.md'), 'utf8');
  const blocks = [...md.matchAll(/^```camsim\n([\s\S]*?)^```$/gm)].map((m) => m[1]).filter((b) => /^driver /m.test(b));
  assert.ok(blocks.length >= 1);
  for (const b of blocks) {
    assert.deepEqual(analyze(b).diagnostics, []);
    assert.equal(formatScenario(b), b, 'the example is formatted');
  }
});
