// Property tests of driver blocks: whatever C is written in a routine, the
// parser, the checker and the formatter never throw and every range lies inside
// the text; a body generated from the subset's grammar parses without error,
// checks, and formats to a fixed point with the same diagnostics.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../core/scenario';
import { formatScenario } from '../../core/scenario/format';
import { lineLengths, rangeWithin } from './scenario-helpers';

const WORDS = [
  'int', 'if', 'else', 'return', 'goto', 'while', 'for', 'switch', 'struct', 'sizeof', 'bad', 'error', 'x',
  'periph', 'softc', 'Giant', 'flags', 'open_count', 'refcount', 'F_OPEN', 'ENXIO', 'CAM_REQ_CMP', 'PRIBIO',
  'cam_periph_acquire', 'cam_periph_release_locked', 'cam_periph_lock', 'cam_periph_unlock', 'cam_periph_hold', 'mtx_lock', 'scsi_io',
  'd_open', 'd_close', 'driver', 'device', 'process',
];
const PUNCT = ['{', '}', '(', ')', ';', ',', ':', '->', '.', '=', '|=', '&=', '~', '!', '&', '|', '&&', '||', '==', '!=', '<', '++', '--', '*', '?', '/*', '*/', '//', '#', '"', "'", '0', '0x04', '12ab', '\t', '\n', '\r\n', ' '];

const soup = fc.array(fc.constantFrom(...WORDS, ...PUNCT), { maxLength: 60 }).map((ts) => ts.join(' '));

function wrap(body: string): string {
  return `scenario "fuzz"\ndriver x {\n  softc_flags F_OPEN = 0x01;\n  d_open {\n${body}\n  }\n  d_close { return (0); }\n}\ndevice x0: x\nprocess A {\n  open x0 as f\n}\n`;
}

function assertSound(text: string): void {
  const { diagnostics } = analyze(text);
  const lengths = lineLengths(text);
  for (const d of diagnostics) {
    assert.ok(rangeWithin(d.range, lengths), `${JSON.stringify(text)}: ${JSON.stringify(d)}`);
    assert.ok(d.message.length > 0);
  }
  const formatted = formatScenario(text);
  if (formatted !== undefined) assert.equal(formatScenario(formatted), formatted, 'formatting is idempotent');
}

test('any token soup in a routine: no throw, every range inside the text', () => {
  fc.assert(fc.property(soup, (body) => assertSound(wrap(body))), { numRuns: 400 });
});

test('any text after `driver`: no throw, every range inside the text', () => {
  fc.assert(fc.property(fc.string({ maxLength: 80 }), soup, (a, b) => assertSound(`driver ${a}{ ${b}\ndevice d: x\n`)), { numRuns: 300 });
});

// ---- bodies generated from the subset's grammar ----

const name = fc.constantFrom('error', 'n');
const field = fc.constantFrom('softc->flags', 'softc->open_count', 'periph->refcount', 'periph->flags');
const atom = fc.oneof(fc.constantFrom('0', '1', '0x04', 'ENXIO', 'F_OPEN', 'CAM_REQ_CMP', 'CAM_PERIPH_INVALID'), name, field, fc.constant('cam_periph_acquire(periph)'));
const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('expr'), fc.constantFrom('|', '&', '==', '!=', '&&', '||', '<'), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(fc.constantFrom('!', '~'), tie('expr')).map(([op, e]) => `${op}(${e})`),
  ),
}));
const simple = fc.oneof(
  fc.tuple(fc.constantFrom('softc->flags', 'softc->open_count', 'error', 'n'), fc.constantFrom('=', '|=', '&='), expr).map(([t, op, e]) => `${t} ${op} ${e};`),
  fc.constantFrom('softc->open_count++;', 'n--;', 'cam_periph_lock(periph);', 'cam_periph_unlock(periph);', 'cam_periph_release_locked(periph);',
    'cam_periph_acquire(periph);', 'error = cam_periph_hold(periph, PRIBIO);', 'cam_periph_unhold(periph);', 'mtx_lock(&Giant);', 'mtx_unlock(&Giant);',
    'error = scsi_io(periph);', 'goto bad;', 'return (ENXIO);', 'return (0);', 'return (error);'),
);
const { stmt } = fc.letrec<{ stmt: string }>((tie) => ({
  stmt: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    simple,
    fc.tuple(expr, tie('stmt')).map(([c, s]) => `if (${c})\n${s}`),
    fc.tuple(expr, fc.array(tie('stmt'), { maxLength: 3 }), fc.array(tie('stmt'), { maxLength: 3 })).map(([c, a, b]) => `if (${c}) {\n${a.join('\n')}\n} else {\n${b.join('\n')}\n}`),
  ),
}));
const body = fc.array(stmt, { maxLength: 12 }).map((ss) => ['int error = 0;', 'int n;', ...ss, 'bad:', 'return (error);'].join('\n'));

test('a body generated from the grammar parses, checks, and formats to a fixed point with the same diagnostics', () => {
  fc.assert(
    fc.property(body, (b) => {
      const text = wrap(b);
      const a = analyze(text);
      assert.deepEqual(a.diagnostics.filter((d) => d.code === 'syntax'), [], text);
      assertSound(text);
      const formatted = formatScenario(text);
      assert.ok(formatted !== undefined);
      const key = (ds: typeof a.diagnostics) => ds.map((d) => `${d.code}:${d.message}`).sort();
      assert.deepEqual(key(analyze(formatted).diagnostics).map((k) => k.replace(/line \d+/g, 'line N')), key(a.diagnostics).map((k) => k.replace(/line \d+/g, 'line N')));
    }),
    { numRuns: 200 },
  );
});

test('a 300-line routine with nested ifs and gotos is analysed (many paths, bounded states)', () => {
  const lines: string[] = ['int error = 0;'];
  for (let i = 0; i < 60; i++) {
    lines.push(`if (softc->flags & ${1 << (i % 8)}) {`, '  cam_periph_lock(periph);', '  softc->open_count++;', '  cam_periph_unlock(periph);', '}');
  }
  const text = wrap(lines.join('\n') + '\nreturn (error);');
  const { diagnostics } = analyze(text);
  assert.deepEqual(diagnostics, []);
});

test('a condition with hundreds of calls that may fail is not analysed path by path, and nothing hangs', () => {
  // `|` evaluates both sides: each call doubles the outcomes
  const cond = Array.from({ length: 300 }, () => 'scsi_io(periph)').join(' | ');
  const text = wrap(`    cam_periph_lock(periph);\n    if (${cond})\n      return (EIO);\n    cam_periph_unlock(periph);\n    return (0);`);
  const t0 = Date.now();
  const { diagnostics } = analyze(text);
  assert.deepEqual(diagnostics, [], 'no path diagnostics (not even the lock held at the EIO return): the routine is too large to follow');
  assert.ok(Date.now() - t0 < 10_000, 'bounded');
});

test('NULL is a constant: `if (periph == NULL) return (ENXIO);` checks clean', () => {
  assert.deepEqual(analyze(wrap('    if (periph == NULL)\n      return (ENXIO);\n    return (0);')).diagnostics, []);
});
