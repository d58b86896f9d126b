// Property tests: whatever the text, the front end never throws and every range
// it reports lies inside the text. Plus large inputs, parsed without timing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import {
  analyze,
  checkExpression,
  checkScenario,
  completePath,
  lookupPath,
  parseExpression,
  parseScenario,
  tokenize,
  type Diagnostic,
  type Expr,
  type Range,
  type Scenario,
} from '../../core/scenario';
import { lineLengths, rangeWithin } from './scenario-helpers';

const SEEDS: string[] = [
  `# The devfs close race on pass(4), as it was before the fix.
scenario "two processes race close on pass0"
kernel invariants
device pass0: pass before-fix     # driver
device ch0: ch after-fix with io-error
process A {
  open pass0 as f
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
expect pass0.refcount == 1 && A.f.errno == EBUSY || !(pass0.sim_mtx.holder == none)
`,
  'device sa0: sa before-fix\r\nprocess A {\r\n  open sa0 as t\r\n}\r\nprocess B {\r\n  open sa0 as t\r\n  close t\r\n}\r\nexpect B.t.errno == EBUSY\r\n',
  'process A { }\nexpect (devmtx.waiters + 0x10) & 3 >= -1\nexpect no leak\nexpect no deadlock\n',
];

/** The repository's samples, when they exist, are seeds too. */
function sampleSeeds(): string[] {
  const dir = resolve(__dirname, '../../../samples');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.camsim'))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

const VOCABULARY = [
  'scenario', 'kernel', 'device', 'process', 'schedule', 'expect', 'open', 'close', 'ioctl', 'lose', 'repeat', 'as', 'with',
  'no', 'panic', 'deadlock', 'use-after-free', 'leak', 'true', 'false', 'pass0', 'A', 'B', 'f', 'before-fix', 'after-fix',
  'io-error', 'invariants', 'pass', 'ch', 'none', 'EBUSY', '{', '}', '(', ')', ':', '.', ',', '*', '==', '!=', '&&', '||',
  '!', '-', '+', '&', '|', '<', '=', '"', '"x"', '#', '\n', '\r\n', '\r', ' ', '\t', '0', '0x1f', '12ab', '1000001', '😀', '\u00a0', '\\',
];

type Edit =
  | { op: 'insert'; at: number; s: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'replace'; at: number; s: string }
  | { op: 'dropToken'; index: number }
  | { op: 'dupLine'; line: number }
  | { op: 'swapLines'; a: number; b: number };

const piece = fc.oneof(fc.constantFrom(...VOCABULARY), fc.string({ maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 2 }));
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), s: piece }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), s: piece }),
  fc.record({ op: fc.constant('dropToken' as const), index: fc.nat() }),
  fc.record({ op: fc.constant('dupLine' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
);

function apply(text: string, e: Edit): string {
  const n = text.length + 1;
  switch (e.op) {
    case 'insert':
      return text.slice(0, e.at % n) + e.s + text.slice(e.at % n);
    case 'delete':
      return text.slice(0, e.at % n) + text.slice((e.at % n) + e.len);
    case 'replace':
      return text.slice(0, e.at % n) + e.s + text.slice((e.at % n) + 1);
    case 'dropToken': {
      const toks = tokenize(text).filter((t) => t.kind !== 'eof');
      if (!toks.length) return text;
      const t = toks[e.index % toks.length];
      return text.slice(0, t.start) + text.slice(t.end);
    }
    case 'dupLine': {
      const lines = text.split('\n');
      const k = e.line % lines.length;
      lines.splice(k, 0, lines[k]);
      return lines.join('\n');
    }
    case 'swapLines': {
      const lines = text.split('\n');
      const a = e.a % lines.length;
      const b = e.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
  }
}

/** Every range-valued property anywhere in a tree. */
function* rangesIn(node: unknown): Generator<Range> {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) yield* rangesIn(x);
    return;
  }
  for (const [k, v] of Object.entries(node)) {
    if (/range$/i.test(k) && v && typeof v === 'object' && 'start' in v) yield v as Range;
    else yield* rangesIn(v);
  }
}

function* pathsIn(node: unknown): Generator<string[]> {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) yield* pathsIn(x);
    return;
  }
  const o = node as Partial<Expr> & Record<string, unknown>;
  if (o.kind === 'path' && Array.isArray(o.parts)) yield o.parts.map((p) => p.name);
  for (const v of Object.values(o)) if (v && typeof v === 'object') yield* pathsIn(v);
}

function assertDiagnostics(ds: readonly Diagnostic[], lengths: readonly number[], text: string): void {
  for (const d of ds) {
    assert.ok(rangeWithin(d.range, lengths), `range out of text: ${JSON.stringify(d)} in ${JSON.stringify(text)}`);
    for (const r of d.related ?? []) assert.ok(rangeWithin(r.range, lengths), `related out of text: ${JSON.stringify(d)}`);
    assert.ok(d.message.length > 0 && typeof d.code === 'string' && d.code.length > 0);
    assert.ok(['error', 'warning', 'info'].includes(d.severity));
  }
}

/** Runs the whole front end over a text and checks what it returns. */
function exercise(text: string): void {
  const lengths = lineLengths(text);
  const toks = tokenize(text);
  for (const t of toks) assert.ok(rangeWithin(t.range, lengths), `token out of text: ${JSON.stringify(t)}`);
  const { scenario, diagnostics } = parseScenario(text);
  assertDiagnostics(diagnostics, lengths, text);
  for (const r of rangesIn(scenario)) assert.ok(rangeWithin(r, lengths), `AST range out of text: ${JSON.stringify(r)}`);
  assertDiagnostics(checkScenario(scenario), lengths, text);
  const all = analyze(text).diagnostics;
  assertDiagnostics(all, lengths, text);
  for (let k = 1; k < all.length; k++) {
    const a = all[k - 1].range.start;
    const b = all[k].range.start;
    assert.ok(a.line < b.line || (a.line === b.line && a.character <= b.character), 'analyze sorts by position');
  }
  exerciseNames(scenario);
  // each line as a watch expression
  for (const line of text.split(/\r\n|\r|\n/).slice(0, 40)) exerciseExpression(line, scenario);
}

function exerciseNames(s: Scenario): void {
  const procs = s.processes.map((p) => p.name.name);
  for (const parts of pathsIn(s.expectations)) {
    for (let k = 0; k <= parts.length; k++) {
      lookupPath(parts.slice(0, k), s);
      completePath(parts.slice(0, k), s, { process: procs[0] });
    }
  }
}

function exerciseExpression(text: string, s: Scenario): void {
  const lengths = lineLengths(text);
  const r = parseExpression(text);
  assertDiagnostics(r.diagnostics, lengths, text);
  assert.equal(r.expr === undefined, r.diagnostics.length > 0, 'an expression exactly when there is no error');
  if (r.expr) {
    for (const range of rangesIn(r.expr)) assert.ok(rangeWithin(range, lengths));
    assertDiagnostics(checkExpression(r.expr, s, { condition: true, process: s.processes[0]?.name.name }), lengths, text);
  }
}

const seeds = [...SEEDS, ...sampleSeeds()];

test('the seed scenarios are valid', () => {
  for (const s of SEEDS) assert.deepEqual(parseScenario(s).diagnostics, [], s);
});

test('property: random strings never crash the front end; ranges stay inside the text', () => {
  const alphabet = fc.constantFrom(...'abcdefxyzAB019_-.:*{}()"#=!<>&|+ \t\n\r,\\\'@'.split(''), '😀', '\u00a0');
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: alphabet, maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 80 })), (text) => {
      exercise(text);
    }),
    { numRuns: 400 },
  );
});

test('property: random sequences of vocabulary words never crash the front end', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 60 }), (words) => {
      exercise(words.join(' '));
      exercise(words.join(''));
    }),
    { numRuns: 300 },
  );
});

test('property: mutations of valid scenarios never crash the front end; ranges stay inside the text', () => {
  fc.assert(
    fc.property(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 8 }), (seed, edits) => {
      exercise(edits.reduce(apply, seed));
    }),
    { numRuns: 500 },
  );
});

/** A scenario of about `lines` lines: devices, many processes with loops, a schedule, expectations. */
function largeScenario(lines: number): string {
  const out = ['scenario "large"', 'kernel invariants'];
  for (let d = 0; d < 20; d++) out.push(`device pass${d}: pass ${d % 2 ? 'after-fix' : 'before-fix'}   # unit ${d}`);
  let p = 0;
  while (out.length + 42 <= lines - 3) {
    out.push(`process P${p} {`);
    for (let k = 0; k < 8; k++) out.push(`  open pass${(p + k) % 20} as f${k}`, '  repeat 3 {', `    ioctl f${k}`, '  }', `  close f${k}`);
    out.push('}');
    p++;
  }
  out.push(`schedule ${Array.from({ length: p }, (_, k) => `P${k}*2`).join(' ')}`);
  out.push('expect no panic', 'expect pass0.refcount == pass0.resting && P0.f0.errno == 0');
  return out.join('\n') + '\n';
}

test('a 5,000-line scenario parses and checks completely (the algorithm is linear; no timing asserted)', () => {
  const text = largeScenario(5000);
  const lines = text.split('\n').length - 1;
  assert.ok(lines >= 4950 && lines <= 5000, `${lines} lines`);
  const { scenario, diagnostics } = analyze(text);
  assert.equal(diagnostics.filter((d) => d.severity === 'error').length, 0);
  // the ten before-fix devices are each opened by many processes
  assert.equal(diagnostics.filter((d) => d.code === 'devfs-close-race').length, 10);
  assert.equal(scenario.processes.length, Math.floor((5000 - 3 - 22) / 42));
  assert.equal(scenario.schedule?.entries.length, scenario.processes.length);

  // the same file with a syntax error on every tenth line still yields one error per damaged line
  const damaged = text
    .split('\n')
    .map((l, k) => (k % 10 === 5 && l.startsWith('  open') ? l.replace(' as ', ' ') : l))
    .join('\n');
  const expected = text.split('\n').filter((l, k) => k % 10 === 5 && l.startsWith('  open')).length;
  const errors = parseScenario(damaged).diagnostics;
  assert.equal(errors.length, expected);
  assert.ok(errors.every((d) => d.message.startsWith("expected 'as' after the device name in 'open'")));
});
