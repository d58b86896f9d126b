import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze, parseScenario, type Diagnostic, type Range } from '../../core/scenario';
import { after, point, rangeOf, strip } from './scenario-helpers';

const RACE = strip(`
# The devfs close race on pass(4), as it was before the fix.
scenario "two processes race close on pass0"
kernel invariants

device pass0: pass before-fix     # the driver
device ch0: ch after-fix with io-error

process A {
  open pass0 as f                 # names the descriptor f inside A
  repeat 3 {
    ioctl f
  }
  close f
}

process B {
  open pass0 as f
  close f
  lose ch0
}

schedule A B A*3
expect panic
expect no use-after-free
expect pass0.refcount == 1 && A.f.errno == EBUSY
`);

const syntax = (ds: Diagnostic[]): { range: Range; message: string }[] =>
  ds.filter((d) => d.code === 'syntax').map((d) => ({ range: d.range, message: d.message }));

test('a valid scenario parses without diagnostics into the AST, in source order', () => {
  const { scenario: s, diagnostics } = parseScenario(RACE);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    s.items.map((i) => i.kind),
    ['scenario', 'kernel', 'device', 'device', 'process', 'process', 'schedule', 'expect', 'expect', 'expect'],
  );
  assert.equal(s.title?.text, 'two processes race close on pass0');
  assert.deepEqual(s.title?.range, rangeOf(RACE, 1, 'scenario "two processes race close on pass0"'));
  assert.deepEqual(s.title?.textRange, rangeOf(RACE, 1, '"two processes race close on pass0"'));
  assert.equal(s.kernelOptions[0].option.name, 'invariants');

  const [pass0, ch0] = s.devices;
  assert.equal(pass0.name.name, 'pass0');
  assert.deepEqual(pass0.name.range, rangeOf(RACE, 4, 'pass0'));
  assert.equal(pass0.driver.name, 'pass');
  assert.deepEqual(pass0.variant?.range, rangeOf(RACE, 4, 'before-fix'));
  assert.deepEqual(pass0.options, []);
  assert.deepEqual(pass0.range, rangeOf(RACE, 4, 'device pass0: pass before-fix'));
  assert.deepEqual(
    ch0.options.map((o) => o.name),
    ['io-error'],
  );

  const [a, b] = s.processes;
  assert.equal(a.name.name, 'A');
  assert.deepEqual(
    a.body.map((st) => st.kind),
    ['open', 'repeat', 'close'],
  );
  assert.deepEqual(a.range, { start: { line: 7, character: 0 }, end: { line: 13, character: 1 } });
  assert.deepEqual(a.closeRange, rangeOf(RACE, 13, '}'));
  const open = a.body[0];
  assert.ok(open.kind === 'open');
  assert.equal(open.device.name, 'pass0');
  assert.equal(open.fd.name, 'f');
  assert.deepEqual(open.range, rangeOf(RACE, 8, 'open pass0 as f'));
  const rep = a.body[1];
  assert.ok(rep.kind === 'repeat');
  assert.equal(rep.count, 3);
  assert.deepEqual(rep.countRange, rangeOf(RACE, 9, '3'));
  assert.deepEqual(
    rep.body.map((st) => st.kind),
    ['ioctl'],
  );
  assert.deepEqual(rep.range, { start: { line: 9, character: 2 }, end: { line: 11, character: 3 } });
  assert.deepEqual(
    b.body.map((st) => st.kind),
    ['open', 'close', 'lose'],
  );

  assert.deepEqual(
    s.schedule?.entries.map((e) => [e.process.name, e.times]),
    [
      ['A', 1],
      ['B', 1],
      ['A', 3],
    ],
  );
  assert.deepEqual(s.schedule?.entries[2].range, rangeOf(RACE, 21, 'A*3'));
  assert.deepEqual(s.schedule?.entries[2].timesRange, rangeOf(RACE, 21, '3'));
  assert.deepEqual(
    s.expectations.map((e) => e.what),
    ['panic', 'no use-after-free', 'expr'],
  );
  assert.equal(s.expectations[2].expr?.kind, 'binary');
  assert.deepEqual(s.expectations[2].range, rangeOf(RACE, 24, 'expect pass0.refcount == 1 && A.f.errno == EBUSY'));

  assert.deepEqual(
    s.comments.map((c) => [c.text, c.range.start.line]),
    [
      ['# The devfs close race on pass(4), as it was before the fix.', 0],
      ['# the driver', 4],
      ['# names the descriptor f inside A', 8],
    ],
  );
});

test('every expectation form parses', () => {
  const text = 'expect panic\nexpect no panic\nexpect deadlock\nexpect no deadlock\nexpect no use-after-free\nexpect no leak\nexpect !A.done\n';
  const { scenario, diagnostics } = parseScenario(text);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    scenario.expectations.map((e) => e.what),
    ['panic', 'no panic', 'deadlock', 'no deadlock', 'no use-after-free', 'no leak', 'expr'],
  );
});

test('several syntax errors of one file are reported together, each with its exact range', () => {
  const text = strip(`
scenario "unterminated
device pass0 pass before-fix
device sg0:
process A {
  open pass0 f
  close
  frobnicate f
  repeat {
    close f
  }
}
proces B {
  open pass0 as g
}
schedule A B*
expect pass0.refcount ==
expect no foo
`);
  const { diagnostics, scenario } = parseScenario(text);
  assert.deepEqual(syntax(diagnostics), [
    { range: rangeOf(text, 0, '"unterminated'), message: `unterminated string: add a closing '"' on this line` },
    { range: rangeOf(text, 1, 'pass', 2), message: "expected ':' after the device name 'pass0', e.g. device pass0: pass" },
    { range: after(text, 2, ':'), message: "expected a driver after ':' (pass, sg, ch, enc, pt or sa)" },
    { range: rangeOf(text, 4, 'f'), message: "expected 'as' after the device name in 'open', e.g. open pass0 as f" },
    { range: after(text, 5, 'close'), message: "expected a descriptor name after 'close', e.g. close f" },
    {
      range: rangeOf(text, 6, 'frobnicate'),
      message: "expected a statement ('open', 'close', 'ioctl', 'lose' or 'repeat'), found 'frobnicate'",
    },
    { range: rangeOf(text, 7, '{'), message: "expected a repeat count after 'repeat', e.g. repeat 100 {" },
    {
      range: rangeOf(text, 11, 'proces'),
      message: "expected a declaration ('scenario', 'kernel', 'device', 'driver', 'process', 'schedule' or 'expect'), found 'proces'; did you mean 'process'?",
    },
    { range: after(text, 14, '*'), message: "expected a count after '*', e.g. B*3" },
    { range: after(text, 15, '=='), message: "expected a value after '=='" },
    {
      range: rangeOf(text, 16, 'foo'),
      message: "expected panic, deadlock, use-after-free or leak after 'expect no' (for a condition, write expect !(...))",
    },
  ]);
  // recovery keeps what it could read: the misspelt `proces B` block was skipped whole
  assert.deepEqual(
    scenario.devices.map((d) => [d.name.name, d.driver.name, d.variant?.name]),
    [
      ['pass0', 'pass', 'before-fix'],
      ['sg0', '', undefined],
    ],
  );
  assert.deepEqual(
    scenario.processes.map((p) => p.name.name),
    ['A'],
  );
  const open = scenario.processes[0].body[0];
  assert.ok(open.kind === 'open' && open.fd.name === 'f');
});

test('a missing } is reported where it belongs, with the { as related information', () => {
  const text = strip(`
process A {
  open pass0 as f
  repeat 2 {
    close f

device pass0: pass
`);
  const { diagnostics, scenario } = parseScenario(text);
  const end = after(text, 3, 'close f');
  assert.deepEqual(
    syntax(diagnostics).map((d) => d.message),
    ["missing '}' to close the repeat block before 'device'", "missing '}' to close process A before 'device'"],
  );
  assert.deepEqual(
    diagnostics.map((d) => d.range),
    [end, end],
  );
  assert.deepEqual(diagnostics[1].related, [{ range: rangeOf(text, 0, '{'), message: "the '{' of process A" }]);
  assert.equal(scenario.devices.length, 1, 'the declaration after the unclosed block still parses');
  assert.equal(scenario.processes[0].closeRange, undefined);

  const eof = parseScenario('process A {\n  open pass0 as f\n');
  assert.deepEqual(
    eof.diagnostics.map((d) => [d.message, d.range]),
    [["missing '}' to close process A at the end of the file", point(1, 17)]],
  );
});

test('a declaration indented inside a block is a misplaced line, not a missing }', () => {
  const text = 'process A {\n  open pass0 as f\n  expect panic\n  close f\n}\n';
  const { diagnostics, scenario } = parseScenario(text);
  assert.deepEqual(
    diagnostics.map((d) => [d.message, d.range]),
    [["'expect' is a declaration: it cannot appear inside process A", rangeOf(text, 2, 'expect')]],
  );
  assert.deepEqual(
    scenario.processes[0].body.map((s) => s.kind),
    ['open', 'close'],
  );
});

test('header recovery: { on the next line, { forgotten, stray }, statements at top level', () => {
  const text = strip(`
process A
{
  open pass0 as f
}
process B
  close g
}
}
open pass0 as h
`);
  const { diagnostics, scenario } = parseScenario(text);
  assert.deepEqual(syntax(diagnostics), [
    { range: after(text, 0, 'A'), message: "expected '{' after the process name in 'process'" },
    { range: after(text, 4, 'B'), message: "expected '{' after the process name in 'process'" },
    { range: rangeOf(text, 7, '}'), message: "unmatched '}': no block is open here" },
    { range: rangeOf(text, 8, 'open'), message: "'open' is a statement: put it inside a process { ... }" },
  ]);
  assert.deepEqual(
    scenario.processes.map((p) => [p.name.name, p.body.length]),
    [
      ['A', 1],
      ['B', 1],
    ],
  );
});

test('keywords cannot name things; one error per line; trailing tokens are reported', () => {
  const text = 'device open: pass\nprocess A {\n  close f g\n  open as f\n}\nschedule A 3\nkernel invariants extra\n';
  const { diagnostics } = parseScenario(text);
  assert.deepEqual(syntax(diagnostics), [
    { range: rangeOf(text, 0, 'open'), message: "'open' is a keyword: it cannot name a device" },
    { range: rangeOf(text, 2, 'g'), message: "unexpected 'g' after 'close f': put one item per line" },
    { range: rangeOf(text, 3, 'as'), message: "expected a device name after 'open', e.g. open pass0 as f, found 'as'" },
    { range: rangeOf(text, 5, '3'), message: "expected a process name in 'schedule', found '3'; write A*3 to repeat a process" },
    { range: rangeOf(text, 6, 'extra'), message: "unexpected 'extra' after 'kernel invariants' (one option per line): put one item per line" },
  ]);
});

test('device lines: options need with; empty with; CRLF line ends', () => {
  const text = 'device ch0: ch before-fix io-error\r\ndevice ch1: ch with\r\ndevice ch2: ch after-fix with io-error\r\n';
  const { diagnostics, scenario } = parseScenario(text);
  assert.deepEqual(syntax(diagnostics), [
    { range: rangeOf(text, 0, 'io-error'), message: "expected 'with' before the device option 'io-error', e.g. with io-error" },
    { range: after(text, 1, 'with'), message: "expected a device option after 'with' (io-error)" },
  ]);
  assert.deepEqual(
    scenario.devices.map((d) => d.options.map((o) => o.name)),
    [['io-error'], [], ['io-error']],
  );
});

test('lexical errors are reported once, even inside lines that also fail to parse', () => {
  const text = 'device p@ss0: pass\nprocess A {\n  open pass0 as f $\n}\n';
  const { diagnostics } = parseScenario(text);
  assert.deepEqual(syntax(diagnostics), [
    { range: rangeOf(text, 0, '@'), message: "unexpected character '@'" },
    { range: rangeOf(text, 2, '$'), message: "unexpected character '$'" },
  ]);
});

test('an empty file and a comment-only file are empty scenarios', () => {
  for (const text of ['', '\n\n', '# only a comment', '   \t\n# x\n']) {
    const { scenario, diagnostics } = parseScenario(text);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(scenario.items, []);
  }
});

test('one-line empty blocks are accepted; statements after { on the same line are not', () => {
  const { diagnostics } = parseScenario('process A { }\nprocess B {}\n');
  assert.deepEqual(diagnostics, []);
  const text = 'process C { open pass0 as f\n}\n';
  const r = parseScenario(text);
  assert.deepEqual(syntax(r.diagnostics), [{ range: rangeOf(text, 0, 'open'), message: "put each statement of process C on its own line after '{'" }]);
  assert.equal(r.scenario.processes[0].body.length, 1);
});

test('deep nesting is refused with an error instead of exhausting the stack', () => {
  const depth = 5000;
  const text = 'process A {\n' + 'repeat 1 {\n'.repeat(depth) + 'open p as f\n' + '}\n'.repeat(depth) + '}\n';
  const { diagnostics } = parseScenario(text);
  assert.ok(diagnostics.some((d) => /nest too deeply/.test(d.message)));
});

test('the broken fixture (used by the CLI tests) reports its nine syntax errors', () => {
  const path = resolve(__dirname, '../../../test/fixtures/broken.camsim');
  const text = readFileSync(path, 'utf8');
  const { diagnostics } = analyze(text);
  assert.deepEqual(
    syntax(diagnostics).map((d) => [d.range.start.line + 1, d.range.start.character + 1]),
    [
      [3, 10],
      [5, 14],
      [6, 12],
      [9, 14],
      [10, 8],
      [15, 10],
      [17, 4],
      [19, 14],
      [20, 25],
    ],
  );
});

test("'expect leak' and 'expect use-after-free' point to their 'no' form", () => {
  const text = 'expect leak\nexpect use-after-free\n';
  assert.deepEqual(syntax(parseScenario(text).diagnostics), [
    { range: rangeOf(text, 0, 'leak'), message: "write 'expect no leak': only its absence can be expected" },
    { range: rangeOf(text, 1, 'use-after-free'), message: "write 'expect no use-after-free': only its absence can be expected" },
  ]);
});
